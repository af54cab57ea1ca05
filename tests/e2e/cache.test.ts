/**
 * Caching through the gateway: reference data (`@cacheControl` in the municipalities subgraph) is
 * reused for the same viewer only, whole responses and single subgraph answers alike; anything
 * written through the API is read fresh every time.
 */
import { todayInJapan } from '../../shared/dates';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** SQL statements each subgraph ran while `run` ran. */
async function statementsDuring<T>(run: () => Promise<T>) {
  const subgraphs = { municipalities: stack.municipalities, dispatch: stack.dispatch };
  const before = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length]));
  const result = await run();
  const counts = Object.fromEntries(Object.entries(subgraphs).map(([name, s]) => [name, s.sql.statements.length - before[name]]));
  return { result, counts };
}

const REFERENCE = `query Towns($p: ID!) { prefecture(code: $p) { name municipalities { code name population } } }`;

it('a query of reference data only: answered again from the cache for the same viewer, never for another', async () => {
  const advisor = await stack.as('ADVISOR', '02', 'advisor-aomori');
  const first = await statementsDuring(() => stack.query(REFERENCE, { p: '02' }, advisor));
  expect(first.result.body.errors).toBeUndefined();
  expect(first.result.headers.get('cache-control')).toMatch(/^max-age=([1-9]\d*), private$/);
  expect(first.counts.municipalities).toBeGreaterThan(0);

  const again = await statementsDuring(() => stack.query(REFERENCE, { p: '02' }, advisor));
  expect(again.result.body).toEqual(first.result.body);
  expect(again.result.headers.get('age')).not.toBeNull(); // from the gateway's response cache
  expect(again.counts.municipalities).toBe(0);

  // Another advisor of the same prefecture, and the same advisor with other variables: asked afresh.
  const colleague = await statementsDuring(async () => stack.query(REFERENCE, { p: '02' }, await stack.as('ADVISOR', '02', 'advisor-aomori-2')));
  expect(colleague.result.body).toEqual(first.result.body);
  expect(colleague.counts.municipalities).toBeGreaterThan(0);
  const other = await statementsDuring(() => stack.query(REFERENCE, { p: '03' }, advisor));
  expect(other.counts.municipalities).toBeGreaterThan(0);
});

it('a mixed query: the reference part comes from the cache, the visits are read fresh and show a new visit at once', async () => {
  const [{ id: advisorId, subject }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id, subject FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
  const advisor = await stack.as('ADVISOR', '01', subject);
  const code = '013617'; // 江差町
  const mixed = `query($c: ID!) { municipality(code: $c) { name population lastVisit { date } } }`;
  const first = await statementsDuring(() => stack.query(mixed, { c: code }, advisor));
  expect(first.result.body.errors).toBeUndefined();
  expect(first.result.headers.get('cache-control')).toBe('no-store'); // visits are never reusable

  const again = await statementsDuring(() => stack.query(mixed, { c: code }, advisor));
  expect(again.counts).toEqual({ municipalities: 0, dispatch: first.counts.dispatch });

  const record = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id } }`;
  const input = { prefectureCode: '01', date: todayInJapan(), advisorIds: [advisorId], municipalityCodes: [code], format: 'ONLINE', purposes: ['COUNCIL'] };
  const recorded = await stack.query(record, { input }, advisor);
  expect(recorded.body.errors).toBeUndefined();
  const after = await stack.query(mixed, { c: code }, advisor);
  expect(after.body.data!.municipality.lastVisit).toEqual({ date: todayInJapan() });
});

it('an answer with an error is not kept', async () => {
  const outsider = await stack.as('ADVISOR', '13', 'advisor-tokyo');
  const council = `{ municipality(code: "011002") { name council { established } } }`; // 札幌市, not the advisor's prefecture
  const first = await statementsDuring(() => stack.query(council, undefined, outsider));
  expect(first.result.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(first.result.headers.get('cache-control')).toBe('no-store');
  const again = await statementsDuring(() => stack.query(council, undefined, outsider));
  expect(again.result.headers.get('age')).toBeNull();
  expect(again.counts.municipalities).toBe(first.counts.municipalities);
});

it('counts what it shared in the gateway metrics', async () => {
  const metrics = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
  const cached = metrics
    .split('\n')
    .find((line) => line.startsWith('gateway_subgraph_fetches_shared_total{') && line.includes('how="cached"') && line.includes('subgraph="municipalities"'));
  expect(Number(cached?.split(' ').pop())).toBeGreaterThanOrEqual(2);
});
