/** The advisors' log through the gateway: the headline question, and writes over real parallel HTTP. */
import { readFileSync } from 'node:fs';
import { projectPath } from '../../shared/paths';
import { sampleAdvisorSubject } from '../../subgraphs/dispatch/sample/generate';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it('answers the headline question in ONE request: small municipalities with no core center, with their visits', async () => {
  const { body } = await stack.query(`{
    prefecture(code: "01") {
      coreCenterGaps(populationBelow: 10000) {
        code name population
        visits(first: 5) { edges { node { date purposes summary } } }
        lastVisit { date }
      }
    }
  }`);
  expect(body.errors).toBeUndefined();
  const gaps = body.data!.prefecture.coreCenterGaps as Array<{
    population: number;
    visits: { edges: Array<{ node: { date: string } }> };
    lastVisit: { date: string } | null;
  }>;
  expect(gaps.length).toBeGreaterThan(10);
  expect(gaps.every((g) => g.population < 10000)).toBe(true);
  const visited = gaps.filter((g) => g.visits.edges.length > 0);
  expect(visited.length).toBeGreaterThan(5);
  for (const g of visited) {
    const dates = g.visits.edges.map((e) => e.node.date);
    expect(dates).toEqual([...dates].sort().reverse()); // newest first
    expect(g.lastVisit!.date).toBe(dates[0]);
  }
});

it('records a visit once per idempotency key, and one of two parallel updates wins', async () => {
  const [{ id: advisorId, subject }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id, subject FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
  const advisor = await stack.as('ADVISOR', '01', subject);
  const record = `mutation($input: RecordVisitInput!) { recordVisit(input: $input, idempotencyKey: "e2e-visit-0001") { id version } }`;
  const input = {
    prefectureCode: '01',
    date: '2025-06-10',
    advisorIds: [advisorId],
    municipalityCodes: ['014702'],
    format: 'ONLINE',
    purposes: ['COUNCIL'],
  };
  const [a, b] = await Promise.all([stack.query(record, { input }, advisor), stack.query(record, { input }, advisor)]);
  expect(a.body.errors).toBeUndefined();
  expect(b.body.errors).toBeUndefined();
  expect(a.body.data!.recordVisit.id).toBe(b.body.data!.recordVisit.id);
  const id = a.body.data!.recordVisit.id;
  const [{ n }] = await stack.dispatch.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM visit WHERE visited_on = '2025-06-10' AND NOT sample`);
  expect(n).toBe(1);

  const update = `mutation($id: ID!, $s: String!) { updateVisit(id: $id, version: 1, input: {summary: $s}) { version } }`;
  const results = await Promise.all(['一', '二', '三'].map((s) => stack.query(update, { id, s }, advisor)));
  const codes = results.map((r) => (r.body.errors ? r.body.errors[0].extensions!.code : 'OK')).sort();
  expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
});

it('lets an advisor edit only the visits they took part in', async () => {
  const [mine, other] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT id, subject FROM advisor WHERE prefecture_code = '01' ORDER BY external_id LIMIT 2`,
  );
  const record = `mutation($input: RecordVisitInput!) { recordVisit(input: $input) { id version } }`;
  const input = { prefectureCode: '01', date: '2025-06-11', advisorIds: [mine.id], municipalityCodes: ['014702'], format: 'ONLINE', purposes: ['COUNCIL'] };
  const { body } = await stack.query(record, { input }, await stack.as('ADVISOR', '01', mine.subject));
  const update = `mutation($id: ID!) { updateVisit(id: $id, version: 1, input: {summary: "他人の記録"}) { version } }`;
  const refused = await stack.query(update, { id: body.data!.recordVisit.id }, await stack.as('ADVISOR', '01', other.subject));
  expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  const allowed = await stack.query(update, { id: body.data!.recordVisit.id }, await stack.as('ADVISOR', '01', mine.subject));
  expect(allowed.body.data!.updateVisit.version).toBe(2);
});

it("runs the README's record-a-visit example verbatim with the sample advisor's development token", async () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const example = /```graphql\n(# npm run token[^\n]*\nmutation \{ recordVisit\(idempotencyKey: "tablet-7f3c-0001"[\s\S]*?)```/.exec(readme)![1];
  // `npm run token -- --role advisor --prefecture 01` signs for the first sample advisor of 北海道.
  const advisor = await stack.as('ADVISOR', '01', sampleAdvisorSubject('01', 1));
  const { body } = await stack.query(example, undefined, advisor);
  expect(body.errors).toBeUndefined();
  expect(body.data!.recordVisit.advisors).toHaveLength(1);
  expect((await stack.query(example, undefined, advisor)).body.data).toEqual(body.data); // a tablet's retry
});
