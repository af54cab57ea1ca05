/**
 * Class 10 — answers kept by the gateway never cross a rule: whoever asks, in whatever order, gets exactly
 * the answer they would get read afresh (the same data, the same FORBIDDEN errors); free text is handed to
 * no one else; an API key limited to some operations gets none of the others from what another key kept.
 */
import { addDays, todayInJapan } from '../../shared/dates';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const QUERIES = [
  // Free text (follow-up descriptions, visit summaries) of prefecture 01.
  `{ prefecture(code: "01") { visits(first: 5) { nodes { id summary followUps { description } } } } }`,
  `{ prefecture(code: "01") { advisorWorklist(filter: { populationBelow: 10000 }) { municipality { code } overdueFollowUps { description } } } }`,
  // No free text: shared within a scope.
  `{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code lastVisit { date } } } }`,
  `{ coreCenters(filter: { prefectureCodes: ["01"] }, first: 20) { totalCount nodes { name } } }`,
];

it('every viewer gets what it would get read afresh, whoever asked before it', async () => {
  const viewers = {
    advisor01: await stack.as('ADVISOR', '01', 'sec-advisor-01'),
    colleague01: await stack.as('ADVISOR', '01', 'sec-advisor-01-b'),
    staff01: await stack.as('PREFECTURE_STAFF', '01', 'sec-staff-01'),
    advisor13: await stack.as('ADVISOR', '13', 'sec-advisor-13'),
    analyst: await stack.as('ANALYST', undefined, 'sec-analyst'),
    anonymous: {},
  };
  for (const query of QUERIES) {
    // Each viewer asks twice (the second answer may come from what was kept for it or for others) …
    for (const [name, headers] of Object.entries(viewers)) {
      for (let i = 0; i < 2; i += 1) {
        const kept = await stack.query(query, undefined, headers);
        // … and must equal the same viewer's answer read anew.
        const fresh = await stack.query(query, undefined, { ...headers, 'cache-control': 'no-cache' });
        expect({ name, body: kept.body }).toEqual({ name, body: fresh.body });
      }
    }
  }
});

it("free text read by one advisor is not handed to a colleague; the colleague's answer is read for them", async () => {
  const query = QUERIES[0];
  const statements = () => stack.dispatch.sql.statements.length;
  await stack.query(query, undefined, await stack.as('ADVISOR', '01', 'sec-free-text-a'));
  const before = statements();
  const colleague = await stack.query(query, undefined, await stack.as('ADVISOR', '01', 'sec-free-text-b'));
  expect(colleague.body.errors).toBeUndefined();
  expect(statements()).toBeGreaterThan(before);
});

it('an API key limited to some operations gets none of the others from what another key kept', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'sec-staff-keys');
  const issue = async (input: Record<string, unknown>) => {
    const { body } = await stack.query(
      `mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }`,
      { i: { expiresOn: addDays(todayInJapan(), 30), scope: 'PREFECTURE', prefectureCode: '01', ...input } },
      staff,
    );
    expect(body.errors).toBeUndefined();
    return { authorization: `ApiKey ${body.data!.issueApiKey.key}` };
  };
  const open = await issue({ name: 'all operations' });
  const limited = await issue({ name: 'worklist only', allowedOperations: ['Worklist'] });
  const centers = `query Centers { coreCenters(filter: { prefectureCodes: ["01"] }, first: 5) { totalCount } }`;
  expect((await stack.query(centers, undefined, open)).body.errors).toBeUndefined();
  expect((await stack.query(centers, undefined, open)).body.errors).toBeUndefined(); // now kept for the API-key scope
  const refused = await stack.query(centers, undefined, limited);
  expect(refused.body.data ?? null).toBeNull();
  expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('no free text field is handed to a colleague: assessment comments and base review summaries are read for each viewer', async () => {
  const advisor = await stack.as('ADVISOR', '01', 'sec-texts-a');
  const colleague = await stack.as('ADVISOR', '01', 'sec-texts-b');
  const templates = await stack.query('{ checklistTemplates { id items { itemId } } }', undefined, advisor);
  const template = templates.body.data!.checklistTemplates.find((t: { id: string }) => t.id === 'council-guideline-2025');
  const recorded = await stack.query(
    `mutation($i: RecordAssessmentInput!) { recordAssessment(input: $i) { id } }`,
    {
      i: {
        templateId: template.id,
        municipalityCode: '014702',
        assessedOn: '2025-06-01',
        results: template.items.map((item: { itemId: string }) => ({ itemId: item.itemId, result: 'MET', comment: '担当者の所見' })),
      },
    },
    advisor,
  );
  expect(recorded.body.errors).toBeUndefined();
  const reads = [
    { subgraph: stack.dispatch, query: '{ municipality(code: "014702") { latestAssessment { results { comment } } } }' },
    { subgraph: stack.bases, query: '{ bases(filter: { prefectureCodes: ["01"] }, first: 5) { nodes { reviews { summary } } } }' },
  ];
  for (const { subgraph, query } of reads) {
    const first = await stack.query(query, undefined, advisor);
    expect(first.body.errors).toBeUndefined();
    expect(JSON.stringify(first.body.data)).toMatch(/"(comment|summary)":"[^"]+"/); // free text is in the answer
    const before = subgraph.sql.statements.length;
    expect((await stack.query(query, undefined, colleague)).body).toEqual(first.body);
    expect([query, subgraph.sql.statements.length > before]).toEqual([query, true]);
  }
});
