/**
 * No N+1 anywhere in the benchmark's workload: each read asks every subgraph the same number of SQL
 * statements whether the prefecture has 19 municipalities or 179 — one statement per batch, never one
 * per entity. The counts are pinned, so a new statement on these paths is a deliberate change.
 */
import { savedOperations } from '../../gateway/explorer/explorer';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

async function statementsOf(query: string, variables: Record<string, unknown>) {
  const subgraphs = { municipalities: stack.municipalities, 'support-centers': stack.supportCenters, bases: stack.bases, dispatch: stack.dispatch };
  const before = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length]));
  const { body } = await stack.query(query, variables);
  expect(body.errors).toBeUndefined();
  return Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length - before[name]]));
}

const operation = (file: string) => savedOperations().find((o) => o.file === file)!.query;

it.each([
  ['headline gaps', '1-headline-gaps.graphql', { prefecture: '32' }, { prefecture: '01' }],
  ['advisor worklist', '2-advisor-worklist.graphql', { prefecture: '32' }, { prefecture: '01' }],
  ['one municipality', '4-municipality.graphql', { code: '013617' }, { code: '011002' }],
])('%s: the same statements for a small and a large prefecture', async (_name, file, small, large) => {
  const a = await statementsOf(operation(file), small);
  const b = await statementsOf(operation(file), large);
  expect(b).toEqual(a);
  for (const count of Object.values(a)) expect(count).toBeLessThanOrEqual(8);
});

it('coverage statistics: one statement per subgraph table', async () => {
  const counts = await statementsOf(operation('3-coverage-statistics.graphql'), {});
  expect(counts).toEqual({ municipalities: 1, 'support-centers': 1, bases: 1, dispatch: 0 });
});
