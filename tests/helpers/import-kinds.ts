import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';

/**
 * The import kinds matched on an id of the file's own (`center_id`, `visit_id`, `request_id`, …) with that
 * column, from the subgraphs' importers: a kind added later is covered by every test that uses this. (The
 * others are keyed by municipality and date, base and function, prefecture and year, or checklist and item.)
 */
export const KINDS_KEYED_BY_OWN_ID: Array<[kind: string, idColumn: string]> = SUBGRAPH_DEFINITIONS.flatMap((d) =>
  Object.entries(d.importers ?? {}).flatMap(([kind, importer]): Array<[string, string]> =>
    importer.idColumns?.length === 1 ? [[kind, importer.idColumns[0]]] : [],
  ),
);

/** Every import kind the subgraphs define. */
export const IMPORT_KINDS: string[] = SUBGRAPH_DEFINITIONS.flatMap((d) => Object.keys(d.importers ?? {}));
