/**
 * Class 2 — the cost limit cannot be bypassed. The cost counts what an answer really holds: `first`
 * given by a variable, lists without `first` at their realistic size, aliases; heavy queries are
 * refused before any subgraph fetch, while the legitimate BI pulls fit their budgets; a caller sending
 * without end is refused past its points a minute, others not.
 */
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const WORKLIST =
  'advisorWorklist { priority reasons daysSinceLastVisit municipality { code name population } lastVisit { date purposes } overdueFollowUps { description dueOn } }';
const aliased = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

it.each([
  ['first from a variable', 'query($n: Int) { municipalities(first: $n) { nodes { code name kana population prefecture { name } } } }', { n: 100_000 }],
  ['29 aliases of every worklist', aliased(29, `prefectures { ${WORKLIST} }`), undefined],
  ['29 aliases of a worklist the caller may not read', aliased(29, `prefecture(code: "13") { ${WORKLIST} }`), undefined],
  [
    'every prefecture with every municipality, many times',
    aliased(20, 'prefectures { municipalities { code name kana population council { established } } }'),
    undefined,
  ],
])('refuses %s before any subgraph fetch, saying the cost and the budget', async (_case, query, variables) => {
  const { response, fetches } = await stack.countFetches(query, variables, await stack.as('ANALYST'));
  expect(response.status).toBe(400);
  const error = response.body.errors![0];
  expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'cost', budget: 100_000 });
  expect(error.extensions!.cost).toBeGreaterThan(100_000);
  expect(error.message).toMatch(/smaller "first"/);
  expect(fetches).toEqual([]);
});

it('lets an analyst page all 1,741 municipalities with 30 columns in two pages of first: 1000', async () => {
  const columns = `code name kana kind kindLabel population populationAsOf populationSource populationBracket selfPlanClass selfPlanClassLabel
    prefecture { code name region } coreCenterCoverage baseCoverage council { established joint caseReviewHeld meetingsLastYear }
    selfPlanRate { planningRatePercent childRatePercent } lastVisit { date } coreCenterGapKinds baseGapKinds councilGapKinds`;
  const query = `query($after: String) { municipalities(first: 1000, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${columns} } } }`;
  const analyst = await stack.as('ANALYST');
  const first = await stack.query(query, {}, analyst);
  expect(first.body.errors).toBeUndefined();
  const second = await stack.query(query, { after: first.body.data!.municipalities.pageInfo.endCursor }, analyst);
  expect(second.body.errors).toBeUndefined();
  expect(first.body.data!.municipalities.nodes.length + second.body.data!.municipalities.nodes.length).toBe(1741);
});

it("fits a prefecture's staff pulling coreCenters(first: 1000) with their nested fields", async () => {
  const query = `{ coreCenters(first: 1000) { totalCount nodes { id name setup setupLabel operation operatorName establishedOn closedOn functions missingFunctions
    staff { chiefSpecialists specialists socialWorkers psychiatricSocialWorkers publicHealthNurses otherStaff total }
    alsoFunctionsAsBase runsAbusePreventionCenter municipalities { code name population } provenance { sourceName asOf sample } version } } }`;
  const { body } = await stack.query(query, undefined, await stack.as('PREFECTURE_STAFF', '01'));
  expect(body.errors).toBeUndefined();
  expect(body.data!.coreCenters.nodes.length).toBeGreaterThan(0);
});

it('runs at most two heavy operations of one viewer at once', async () => {
  const admin = await stack.as('ADMIN', undefined, 'heavy-admin');
  const heavy = `{ prefectures { ${WORKLIST} } }`; // a national worklist: heavy, within the budget
  const answers = await Promise.all(Array.from({ length: 6 }, () => stack.query(heavy, undefined, admin)));
  const refused = answers.filter((a) => a.status === 429);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused[0].body.errors![0].extensions).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'concurrentHeavyOperations',
    messageJa: expect.stringMatching(/^負荷の高い処理が同時に\d+件実行中です（\d+件まで）/),
  });
  expect(refused[0].body.errors![0].extensions).not.toHaveProperty('http');
  expect(refused.map((a) => a.headers.get('retry-after'))).toEqual(refused.map(() => '5')); // when to try again, as every 429 says
  expect(answers.filter((a) => a.status === 200 && !a.body.errors).length).toBeGreaterThanOrEqual(2);
  // Once they are done, the same viewer runs one again.
  expect((await stack.query(heavy, undefined, admin)).body.errors).toBeUndefined();
});

it('refuses a heavy export while two of the viewer run as GraphQL does: 429 with Retry-After, which BI tools wait for and retry', async () => {
  const analyst = await stack.as('ANALYST', undefined, 'heavy-exports');
  const exportOf = () => fetch(new URL('/export/worklist.csv', stack.gateway.url), { headers: { ...analyst, 'cache-control': 'no-cache' } });
  const answers = await Promise.all(Array.from({ length: 6 }, exportOf));
  const refused = answers.filter((a) => a.status !== 200);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.map((a) => [a.status, a.headers.get('retry-after')])).toEqual(refused.map(() => [429, '5']));
  expect(await refused[0].json()).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'concurrentHeavyOperations',
    messageJa: expect.stringMatching(/^負荷の高い処理が同時に/),
  });
  await Promise.all(answers.filter((a) => !a.bodyUsed).map((a) => a.arrayBuffer()));
  expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(2);
});

it('caps the errors of one response, then says how many were left out', async () => {
  // Analysts may read worklists but not follow-up descriptions (free text): one FORBIDDEN per overdue follow-up.
  const { body } = await stack.query(`{ prefectures { ${WORKLIST} } }`, undefined, await stack.as('ANALYST'));
  expect(body.errors!.length).toBe(50);
  expect(body.errors!.slice(0, 49).every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  expect(body.errors![49].extensions).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'errors',
    messageJa: expect.stringMatching(/^ほか\d+件のエラーは省略しました（1回の応答に50件まで）$/),
  });
  expect(body.errors![49].extensions!.omitted).toBeGreaterThan(1);
});

it("stops one caller's script in a loop at the default points a minute, and no one else", async () => {
  const script = await stack.as('ANALYST', undefined, 'analyst-script');
  const national = '{ prefectures { code municipalities { code name kana population populationBracket } } }';
  const first = await stack.query(national, undefined, script);
  expect(first.status).toBe(200);
  expect(first.headers.get('ratelimit-limit')).toBe('1000000'); // RATE_LIMIT_POINTS_PER_MINUTE's default
  const cost = 1_000_000 - Number(first.headers.get('ratelimit-remaining'));
  let answered = 1;
  let refused: Awaited<ReturnType<typeof stack.query>> | undefined;
  while (!refused && answered < 1000) {
    const answer = await stack.query(national, undefined, script); // kept answers: the loop is fast, and charged all the same
    if (answer.status === 429) refused = answer;
    else answered += 1;
  }
  expect(answered).toBe(Math.floor(1_000_000 / cost));
  expect(refused!.body.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'rate' });
  expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
  // Another analyst, the same role from the same address, is answered at once, with a whole minute.
  const colleague = await stack.query(national, undefined, await stack.as('ANALYST', undefined, 'analyst-colleague'));
  expect(colleague.status).toBe(200);
  expect(colleague.headers.get('ratelimit-remaining')).toBe(String(1_000_000 - cost));
});
