/**
 * `npm run compose`: prints each subgraph's SDL to subgraphs/<name>/schema.graphql and composes
 * them (@apollo/composition) into gateway/supergraph.graphql, the file the gateway serves, and prints
 * the public API schema clients build on (the supergraph less its federation machinery) to
 * schema.graphql. Fails on composition errors; prints hints. A test recomposes and compares with the
 * committed files; another compares schema.graphql with the released one (scripts/schema-check.ts).
 */
import 'reflect-metadata';
import { readCommandLine } from '../shared/command-line';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, parse, printSchema } from 'graphql';
import { SUBGRAPHS } from '../shared/config';
import { savedOperations } from '../gateway/explorer/explorer';
import { manifestOf } from '../gateway/trusted-documents';
import { projectPath } from '../shared/paths';
import { SUBGRAPH_DEFINITIONS } from '../subgraphs';

export interface Composition {
  subgraphs: Array<{ name: string; sdl: string; path: string }>;
  supergraphSdl: string;
  supergraphPath: string;
  /** The API schema, sorted so that a diff shows only what changed. */
  apiSdl: string;
  apiPath: string;
  /** Apollo Client's typePolicies (JSON), for client developers. */
  typePoliciesJson: string;
  typePoliciesPath: string;
  /** The trusted documents: the explorer's saved questions by hash (gateway/trusted-documents.ts). */
  trustedDocumentsJson: string;
  trustedDocumentsPath: string;
  hints: string[];
}

/**
 * Apollo Client's `typePolicies` for the entities of a supergraph: each keyed by its federation key, so
 * a normalised cache merges what different queries read about the same municipality or statistics date.
 */
export function typePolicies(supergraphSdl: string): Record<string, { keyFields: string[] }> {
  const policies: Record<string, { keyFields: string[] }> = {};
  for (const [, name, directives] of supergraphSdl.matchAll(/^type (\w+)((?:\s+@join__\w+\([^)]*\))*)/gm)) {
    const key = /@join__type\(graph: \w+, key: "([^"]+)"/.exec(directives)?.[1];
    if (key && !key.includes('{')) policies[name] = { keyFields: key.split(/\s+/) };
  }
  return Object.fromEntries(Object.entries(policies).sort(([a], [b]) => a.localeCompare(b)));
}

/** The public API schema of a supergraph: what clients see (no join__ or link directives). */
export function apiSchemaSdl(supergraphSdl: string): string {
  return `${printSchema(lexicographicSortSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema())).trimEnd()}\n`;
}

export async function composeSupergraph(): Promise<Composition> {
  const subgraphs = [];
  for (const definition of SUBGRAPH_DEFINITIONS) {
    const spec = SUBGRAPHS.find((s) => s.name === definition.name);
    if (!spec) throw new Error(`subgraph ${definition.name} is missing from SUBGRAPHS in shared/config.ts`);
    const sdl = printSubgraphSchema(await definition.buildSchema());
    subgraphs.push({
      name: definition.name,
      sdl: `${sdl.trimEnd()}\n`,
      path: projectPath('subgraphs', definition.name, 'schema.graphql'),
      // The default URL; the gateway replaces it with the configured one.
      url: `http://127.0.0.1:${spec.defaultPort}/graphql`,
    });
  }
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return {
    subgraphs: subgraphs.map(({ name, sdl, path }) => ({ name, sdl, path })),
    supergraphSdl: `${result.supergraphSdl.trimEnd()}\n`,
    supergraphPath: projectPath('gateway', 'supergraph.graphql'),
    apiSdl: apiSchemaSdl(result.supergraphSdl),
    apiPath: projectPath('schema.graphql'),
    typePoliciesJson: `${JSON.stringify(typePolicies(result.supergraphSdl), null, 2)}\n`,
    typePoliciesPath: projectPath('schema.type-policies.json'),
    trustedDocumentsJson: `${JSON.stringify(manifestOf(savedOperations().map((o) => o.query)), null, 2)}\n`,
    trustedDocumentsPath: projectPath('gateway', 'trusted-documents.manifest.json'),
    hints: result.hints.filter((h) => !isExpectedHint(h)).map((h) => `${h.definition.code}: ${h.message}`),
  };
}

/**
 * The one hint that is understood: Apollo's `@cacheControl` directive takes a CacheControlScope, which
 * no field uses, so composition calls the enum unused (it is @inaccessible, out of the API schema).
 */
const isExpectedHint = (h: { definition: { code: string }; message: string }) =>
  h.definition.code === 'UNUSED_ENUM_TYPE' && h.message.startsWith('Enum type "CacheControlScope"');

/** The committed files that differ from a fresh composition (empty when up to date). */
export function staleFiles(c: Composition): string[] {
  const expected = [
    ...c.subgraphs.map((s) => [s.path, s.sdl]),
    [c.supergraphPath, c.supergraphSdl],
    [c.apiPath, c.apiSdl],
    [c.typePoliciesPath, c.typePoliciesJson],
  ];
  return expected.filter(([path, text]) => !existsSync(path) || readFileSync(path, 'utf8') !== text).map(([path]) => path);
}

if (require.main === module) {
  const { check } = readCommandLine({
    usage:
      "Usage: npm run compose          writes the subgraphs' SDL, the supergraph, the API schema, type policies and trusted documents\n" +
      '       npm run compose:check    says whether the committed ones are up to date (exit 1 when not), writing nothing',
    options: { check: { type: 'boolean', default: false } },
  }).values;
  composeSupergraph().then(
    (c) => {
      for (const hint of c.hints) console.warn(`hint: ${hint}`);
      if (check) {
        const stale = staleFiles(c);
        if (stale.length > 0 || c.hints.length > 0) {
          console.error(`Stale (run npm run compose): ${stale.join(', ') || 'none'}; hints: ${c.hints.length}`);
          process.exit(1);
        }
        console.log('The committed subgraph schemas and supergraph are up to date.');
        return;
      }
      for (const s of c.subgraphs) writeFileSync(s.path, s.sdl);
      writeFileSync(c.supergraphPath, c.supergraphSdl);
      writeFileSync(c.apiPath, c.apiSdl);
      writeFileSync(c.typePoliciesPath, c.typePoliciesJson);
      writeFileSync(c.trustedDocumentsPath, c.trustedDocumentsJson);
      console.log(`Composed ${c.subgraphs.length} subgraph(s) into ${c.supergraphPath}`);
    },
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
