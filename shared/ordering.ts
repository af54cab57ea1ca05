/**
 * Sorting the long lists (`orderBy: { field, direction }`): one `OrderDirection` for every subgraph (an enum
 * several subgraphs define must be the same in each), and the keyset SQL that pages a list sorted by one
 * column with its id as the tie-break — so a page costs the same however deep, and the cursor names the
 * ordering it belongs to (a cursor of another ordering is refused).
 */
import { registerEnumType } from 'type-graphql';
import { decodeCursor, encodeCursor } from './pagination';

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, {
  name: 'OrderDirection',
  description: 'Sort direction (並び順).',
  valuesConfig: { ASC: { description: 'Smallest first (昇順).' }, DESC: { description: 'Largest first (降順).' } },
});

/** A list sorted by one column (its SQL expression, comparable as text or number), ties broken by `idColumn`. */
export interface KeysetOrdering {
  /** Names the ordering in cursors, e.g. `name:asc`. */
  name: string;
  /** SQL of the sort column, e.g. `c.name`; null to sort by the id alone. */
  column: string | null;
  idColumn: string;
  descending: boolean;
}

export function keysetOrdering(field: string, column: string | null, idColumn: string, direction: OrderDirection | undefined | null): KeysetOrdering {
  const descending = direction === OrderDirection.DESC;
  // Id order ascending keeps the cursor name it had before sorting was offered, so cursors held across an upgrade stay good.
  const name = column === null && !descending ? 'id' : `${field.toLowerCase()}:${descending ? 'desc' : 'asc'}`;
  return { name, column, idColumn, descending };
}

/**
 * The condition that starts a page after the row with `after` (null: the first page), and the ORDER BY,
 * with their parameters numbered from `firstParameter`.
 */
export function keysetSql(
  ordering: KeysetOrdering,
  after: string | null | undefined,
  firstParameter: number,
): { condition: string; orderBy: string; parameters: Array<string | number> } {
  const direction = ordering.descending ? 'DESC' : 'ASC';
  const op = ordering.descending ? '<' : '>';
  const orderBy = ordering.column ? `${ordering.column} ${direction}, ${ordering.idColumn} ${direction}` : `${ordering.idColumn} ${direction}`;
  if (!after) return { condition: 'TRUE', orderBy, parameters: [] };
  // Sort columns are compared as text (ORDER_COLUMN maps of bases and support-centers); ids are uuids.
  const key = decodeCursor(after, ordering.name, ordering.column ? ['text', 'uuid'] : ['uuid']);
  if (!ordering.column) return { condition: `${ordering.idColumn} ${op} $${firstParameter}::uuid`, orderBy, parameters: [key[0]] };
  return {
    condition: `(${ordering.column}, ${ordering.idColumn}) ${op} ($${firstParameter}, $${firstParameter + 1}::uuid)`,
    orderBy,
    parameters: [key[0], key[1]],
  };
}

/** The cursor of a row: its sort value (when sorted by a column) and id. */
export function keysetCursor(ordering: KeysetOrdering, value: string | number | null, id: string): string {
  return encodeCursor(ordering.name, ordering.column ? [value ?? '', id] : [id]);
}
