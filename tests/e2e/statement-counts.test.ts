/**
 * No N+1 anywhere in the benchmark's workload or the explorer's saved questions: each read asks every
 * subgraph the same number of SQL statements whether the prefecture has 19 municipalities or 179 — one
 * statement per batch, never one per entity. The counts are pinned, so a new statement on these paths
 * is a deliberate change.
 */
import { readFileSync } from 'node:fs';
import { savedOperations } from '../../gateway/explorer/explorer';
import { projectPath } from '../../shared/paths';
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

const operation = (file: string) => readFileSync(projectPath('bench', 'operations', file), 'utf8');

it.each([
  ['headline gaps', 'a-headline-gaps.graphql', { prefecture: '32' }, { prefecture: '01' }],
  ['advisor worklist', 'b-advisor-worklist.graphql', { prefecture: '32' }, { prefecture: '01' }],
  ['one municipality', 'd-municipality.graphql', { code: '013617' }, { code: '011002' }],
])('%s: the same statements for a small and a large prefecture', async (_name, file, small, large) => {
  const a = await statementsOf(operation(file), small);
  const b = await statementsOf(operation(file), large);
  expect(b).toEqual(a);
  for (const count of Object.values(a)) expect(count).toBeLessThanOrEqual(8);
});

it('coverage statistics: one statement per subgraph table', async () => {
  const counts = await statementsOf(operation('c-coverage-statistics.graphql'), {});
  expect(counts).toEqual({ municipalities: 1, 'support-centers': 1, bases: 1, dispatch: 0 });
});

it.each(
  savedOperations()
    .filter((o) => o.query.includes('$prefecture'))
    .map((o) => [o.file, o.query]),
)('saved question %s: the same statements for a small and a large prefecture', async (_file, query) => {
  const a = await statementsOf(query, { prefecture: '32' });
  const b = await statementsOf(query, { prefecture: '01' });
  expect(b).toEqual(a);
  // At most 8 per subgraph for each date the question asks about (a question on two dates reads each).
  const dates = Math.max(1, query.split('onDate(').length - 1);
  for (const count of Object.values(a)) expect(count).toBeLessThanOrEqual(8 * dates);
});

it('self-plan statistics: one statement for the national, class and prefecture tables together', async () => {
  const query =
    '{ selfPlanStatistics(asOf: "2024-03-31") { national { planning { plans } } byClass { planning { plans } } byPrefecture { child { plans } } } }';
  expect(await statementsOf(query, {})).toEqual({ municipalities: 1, 'support-centers': 0, bases: 0, dispatch: 0 });
});

it('the worklist on two dates: the same statements for a small and a large prefecture, each date a batch of its own', async () => {
  const query = `query($prefecture: ID!) { prefecture(code: $prefecture) {
    a: onDate(asOf: "2024-04-01") { advisorWorklist { reasons municipality { code name } lastVisit { date } overdueFollowUps { id } } municipalities { openFollowUps { id } baseCoverage } }
    b: onDate(asOf: "2025-04-01") { advisorWorklist { reasons municipality { code name } lastVisit { date } overdueFollowUps { id } } municipalities { openFollowUps { id } baseCoverage } }
  } }`;
  const small = await statementsOf(query, { prefecture: '32' });
  const large = await statementsOf(query, { prefecture: '01' });
  expect(large).toEqual(small);
  // Per date, whatever the number of municipalities: core-center and base gaps one statement each; the
  // council, self-plan and class rates, the municipalities and the prefecture's list in the municipalities
  // subgraph; the last visits, follow-ups open on the date and the visits' details in dispatch.
  expect(small).toEqual({ municipalities: 11, 'support-centers': 2, bases: 2, dispatch: 6 });
});

it("the erasures of a page of bases' earlier texts: one statement for the page, however many bases", async () => {
  const query = (first: number) => `{ bases(filter: { prefectureCodes: ["01"] }, first: ${first}) { nodes { id textErasures { erasedBy } } } }`;
  const one = await statementsOf(query(1), {});
  const fifty = await statementsOf(query(50), {});
  expect(fifty.bases).toBe(one.bases);
  expect(fifty.bases).toBe(2); // the page, and the erasures of all its bases
});

it("who read the notes of the prefectures' visits: one statement for one prefecture or all 47", async () => {
  const one = await statementsOf(`{ prefecture(code: "01") { notesReads(first: 20) { nodes { reader visit { date } } } } }`, {});
  const all = await statementsOf(`{ prefectures { notesReads(first: 20) { nodes { reader visit { date } } } } }`, {});
  // The reads of every prefecture asked, and the visits they name.
  expect(all.dispatch).toBe(one.dispatch);
  expect(all.dispatch).toBeLessThanOrEqual(2);
});

it.each(['notesReads { reader }', 'notesErasures { erasedBy }'])(
  '%s of a page of visits: one statement for the page, however many visits',
  async (selection) => {
    const query = (first: number) => `{ prefecture(code: "01") { visits(first: ${first}) { nodes { id ${selection} } } } }`;
    const one = await statementsOf(query(1), {});
    const fifty = await statementsOf(query(50), {});
    // The page and the reads (or erasures) of all its visits (the prefecture, asked before, is the municipalities subgraph's kept answer).
    expect(fifty.dispatch).toBe(one.dispatch);
    expect(fifty.dispatch).toBe(2);
  },
);
