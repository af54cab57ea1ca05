/**
 * Class 4 — field rules without holes: free text and writers' subjects reach only the visit's own
 * prefecture, every path to a visit checks it, and an unauthorized writer learns nothing from validation.
 */
import { addDays, todayInJapan } from '../../shared/dates';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let tokyoAdvisor: { id: string; name: string };
beforeAll(async () => {
  stack = await startTestStack();
  [tokyoAdvisor] = await stack.dispatch.subgraph.dataSource.query("SELECT id, name FROM advisor WHERE prefecture_code = '13' ORDER BY id LIMIT 1");
});
afterAll(() => stack?.stop());

it('gives analysts null with FORBIDDEN on topics, createdBy and updatedBy, and the prefecture its own', async () => {
  const query = '{ prefecture(code: "01") { visits(first: 3) { nodes { id date topics createdBy updatedBy } } } }';
  const analyst = await stack.query(query, undefined, await stack.as('ANALYST'));
  const nodes = analyst.body.data!.prefecture.visits.nodes;
  expect(nodes.length).toBe(3);
  for (const node of nodes) expect(node).toMatchObject({ topics: null, createdBy: null, updatedBy: null });
  const forbidden = new Set(analyst.body.errors!.map((e) => `${e.extensions!.code}:${e.path!.at(-1)}`));
  expect(forbidden).toEqual(new Set(['FORBIDDEN:topics', 'FORBIDDEN:createdBy', 'FORBIDDEN:updatedBy']));
  const own = await stack.query(query, undefined, await stack.as('PREFECTURE_STAFF', '01'));
  expect(own.body.errors).toBeUndefined();
  expect(own.body.data!.prefecture.visits.nodes[0].createdBy).toEqual(expect.any(String));
});

it('checks the visit behind a follow-up or a request like the visit itself', async () => {
  const [row] = await stack.dispatch.subgraph.dataSource.query(
    "SELECT f.municipality_code AS code FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE v.prefecture_code = '13' AND f.status = 'OPEN' LIMIT 1",
  );
  const query = `{ municipality(code: "${row.code.trim()}") { openFollowUps { dueOn visit { id notes summary } } } }`;
  const outsider = await stack.query(query, undefined, await stack.as('ADVISOR', '01'));
  expect(outsider.body.errors!.every((e) => e.extensions!.code === 'FORBIDDEN')).toBe(true);
  expect(JSON.stringify(outsider.body.data)).not.toMatch(/"visit":\{/);
});

it('authorizes recordVisit before validating it: an anonymous or foreign writer learns no advisor name', async () => {
  const record = 'mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }';
  const input = {
    prefectureCode: '13',
    date: '2999-01-01',
    advisorIds: [tokyoAdvisor.id, '00000000-0000-4000-8000-000000000000'],
    municipalityCodes: ['131016'],
    format: 'ONLINE',
    purposes: [],
  };
  for (const [headers, code] of [
    [{}, 'UNAUTHENTICATED'],
    [await stack.as('ADVISOR', '01'), 'FORBIDDEN'],
    [await stack.as('PREFECTURE_STAFF', '13'), 'FORBIDDEN'],
  ] as const) {
    const { body } = await stack.query(record, { i: { ...input, date: '2025-06-01' } }, headers);
    expect(body.errors![0].extensions!.code).toBe(code);
    expect(JSON.stringify(body)).not.toContain(tokyoAdvisor.name);
  }
  // Tokyo's own advisor gets the validation problems, names included.
  const own = await stack.query(record, { i: { ...input, date: '2025-06-01', advisorIds: [tokyoAdvisor.id], purposes: [] } }, await stack.as('ADVISOR', '13'));
  expect(own.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.purposes' });
});

it('answers a writer who names another prefecture\'s advisor as if there were none: no name, no "exists"', async () => {
  const record = 'mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }';
  const visit = (advisorId: string) => ({
    i: { prefectureCode: '01', date: '2025-06-01', advisorIds: [advisorId], municipalityCodes: ['011002'], format: 'ONLINE', purposes: ['COUNCIL'] },
  });
  const writer = await stack.as('ADVISOR', '01');
  const foreign = await stack.query(record, visit(tokyoAdvisor.id), writer);
  const missing = await stack.query(record, visit('00000000-0000-4000-8000-000000000000'), writer);
  expect(foreign.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.advisorIds[0]' });
  expect(JSON.stringify(foreign.body)).not.toContain(tokyoAdvisor.name);
  // The same words as for an id no one has, but the id itself.
  const reasonOf = (body: typeof foreign.body, id: string) => String(body.errors![0].extensions!.reason).replace(id, '<id>');
  expect(reasonOf(foreign.body, tokyoAdvisor.id)).toBe(reasonOf(missing.body, '00000000-0000-4000-8000-000000000000'));
});

it("keeps a base review's summary (free text) from analysts and API keys, and gives them the rest of the review", async () => {
  const query = '{ bases(filter: { prefectureCodes: ["01"] }, first: 20) { nodes { id lastReviewOn reviews { id reviewedOn summary } } } }';
  const own = await stack.query(query, undefined, await stack.as('PREFECTURE_STAFF', '01', 'rules-staff-01'));
  expect(own.body.errors).toBeUndefined();
  const ownReviews = own.body.data!.bases.nodes.flatMap((b: { reviews: unknown[] }) => b.reviews);
  expect(ownReviews.length).toBeGreaterThan(0);
  expect(ownReviews.every((r: { summary: unknown }) => typeof r.summary === 'string' && r.summary !== '')).toBe(true);

  const staff = await stack.as('PREFECTURE_STAFF', '01', 'rules-staff-keys');
  const issued = await stack.query(
    'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
    { i: { name: 'BI', expiresOn: addDays(todayInJapan(), 30), scope: 'PREFECTURE', prefectureCode: '01' } },
    staff,
  );
  expect(issued.body.errors).toBeUndefined();
  for (const headers of [await stack.as('ANALYST', undefined, 'rules-analyst'), { authorization: `ApiKey ${issued.body.data!.issueApiKey.key}` }]) {
    const { body } = await stack.query(query, undefined, headers);
    const reviews = body.data!.bases.nodes.flatMap((b: { reviews: unknown[] }) => b.reviews);
    expect(reviews.map((r: { id: string; reviewedOn: string }) => [r.id, r.reviewedOn])).toEqual(
      ownReviews.map((r: { id: string; reviewedOn: string }) => [r.id, r.reviewedOn]),
    );
    expect(reviews.every((r: { summary: unknown }) => r.summary === null)).toBe(true);
    expect(body.errors!.length).toBe(reviews.length);
    expect(new Set(body.errors!.map((e) => `${e.extensions!.code}:${e.path!.at(-1)}`))).toEqual(new Set(['FORBIDDEN:summary']));
    for (const review of ownReviews) expect(JSON.stringify(body)).not.toContain(review.summary);
  }
});

it("keeps an assessment's comments (free text) from analysts and API keys", async () => {
  const advisor = await stack.as('ADVISOR', '01', 'rules-advisor-01');
  const templates = await stack.query('{ checklistTemplates { id items { itemId } } }', undefined, advisor);
  const template = templates.body.data!.checklistTemplates[0];
  const recorded = await stack.query(
    'mutation($i: RecordAssessmentInput!) { recordAssessment(input: $i) { id } }',
    {
      i: {
        templateId: template.id,
        municipalityCode: '013617',
        assessedOn: '2025-07-01',
        results: template.items.map((item: { itemId: string }) => ({ itemId: item.itemId, result: 'MET', comment: '担当者の所見（規則の確認）' })),
      },
    },
    advisor,
  );
  expect(recorded.body.errors).toBeUndefined();
  const query = '{ municipality(code: "013617") { latestAssessment { id metCount results { itemId comment } } } }';
  const own = await stack.query(query, undefined, advisor);
  expect(own.body.data!.municipality.latestAssessment.results.every((r: { comment: string }) => r.comment === '担当者の所見（規則の確認）')).toBe(true);

  const issued = await stack.query(
    'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
    { i: { name: 'BI assessments', expiresOn: addDays(todayInJapan(), 30), scope: 'PREFECTURE', prefectureCode: '01' } },
    await stack.as('PREFECTURE_STAFF', '01', 'rules-staff-assessments'),
  );
  expect(issued.body.errors).toBeUndefined();
  for (const headers of [await stack.as('ANALYST', undefined, 'rules-analyst-2'), { authorization: `ApiKey ${issued.body.data!.issueApiKey.key}` }]) {
    const { body } = await stack.query(query, undefined, headers);
    const assessment = body.data!.municipality.latestAssessment;
    expect(assessment).toMatchObject({ id: own.body.data!.municipality.latestAssessment.id, metCount: template.items.length });
    expect(assessment.results.every((r: { comment: unknown }) => r.comment === null)).toBe(true);
    expect(JSON.stringify(body)).not.toContain('担当者の所見');
  }
});
