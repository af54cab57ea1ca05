/**
 * Where an error is said to be (gateway/error-paths.ts): at a field the client selected, also when the
 * gateway fetched a field the client never asked for to compute one it did (`@requires`).
 */
import { readFileSync } from 'node:fs';
import { type OperationDefinitionNode, parse } from 'graphql';
import { clientPath, requiredPaths } from '../../gateway/error-paths';
import { SUPERGRAPH_PATH } from '../../gateway/gateway';
import { supergraphApiSchema } from '../helpers/schema';

const schema = supergraphApiSchema();
const required = requiredPaths(readFileSync(SUPERGRAPH_PATH, 'utf8'));

function pathFor(query: string, path: Array<string | number>) {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return clientPath(path, schema, document, operation, required);
}

it('reads each @requires of the supergraph, every prefix of it included', () => {
  expect([...required.get('Prefecture.advisorWorklist')!]).toEqual(
    expect.arrayContaining(['municipalities', 'municipalities.code', 'municipalities.councilGapKinds']),
  );
  expect(required.get('Prefecture.name')).toBeUndefined();
});

it('keeps the path of an error on a selected field, through aliases, lists and fragments', () => {
  const query = `{ p: prefecture(code: "13") { ...F } } fragment F on Prefecture { ms: municipalities { ... on Municipality { name } } }`;
  expect(pathFor(query, ['p', 'ms', 3, 'name'])).toEqual(['p', 'ms', 3, 'name']);
  expect(pathFor('{ __schema { types { name } } }', ['__schema', 'types', 0, 'name'])).toEqual(['__schema', 'types', 0, 'name']);
});

it('moves an error on a field fetched for a computed one to the computed field, under its alias', () => {
  const hidden = ['prefecture', 'municipalities', 7, 'councilGapKinds'];
  expect(pathFor('{ prefecture(code: "13") { name w: advisorWorklist { priority } } }', hidden)).toEqual(['prefecture', 'w']);
  // The municipalities are selected too, but not their gap kinds: still the worklist's.
  expect(pathFor('{ prefecture(code: "13") { municipalities { name } advisorWorklist { priority } } }', hidden)).toEqual(['prefecture', 'advisorWorklist']);
  expect(
    pathFor('query { prefecture(code: "13") { ...W } } fragment W on Prefecture { onDate(asOf: "2024-04-01") { advisorWorklist { priority } } }', [
      'prefecture',
      'onDate',
      'municipalities',
      0,
      'code',
    ]),
  ).toEqual(['prefecture', 'onDate', 'advisorWorklist']);
});

it('falls back to the deepest selected field when no selected field required the hidden one', () => {
  expect(pathFor('{ prefecture(code: "13") { name } }', ['prefecture', 'municipalities', 0, 'code'])).toEqual(['prefecture']);
  expect(pathFor('{ prefecture(code: "13") { name } }', ['somethingElse', 'x'])).toBeUndefined();
});
