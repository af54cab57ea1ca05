/** Japanese for people: with Accept-Language: ja the messages are Japanese; every error carries messageJa. */
import { prefersJapanese } from '../../shared/errors';
import { startTestStack } from '../helpers/stack';
import { BASE_COVERAGE_LABELS, FUNCTION_LABELS as BASE_FUNCTION_LABELS, ORGANIZATION_KIND_LABELS } from '../../subgraphs/bases/types/enums';
import { COVERAGE_LABELS, DESIGNATION_LABELS, FEE_TIER_LABELS } from '../../subgraphs/support-centers/types/enums';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it('answers a bad check digit in Japanese, naming the argument and the value, when the client asks for Japanese', async () => {
  const query = '{ municipality(code: "011003") { name } }';
  const japanese = await stack.query(query, undefined, { ...stack.asAdmin, 'accept-language': 'ja-JP,ja;q=0.9,en;q=0.8' });
  const [error] = japanese.body.errors!;
  expect(error.message).toBe('「code」の値が不正です（受け取った値: "011003"）: 検査数字は 3 ではなく 2 です');
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'code', value: '011003', messageJa: error.message });
  // Without it, the message stays bilingual (English first), with the Japanese one beside it.
  const english = await stack.query(query);
  expect(english.body.errors![0].message).toMatch(/^Invalid value for "code" \(received "011003"\): check digit should be 2, not 3 \/ 「code」/);
  expect(english.body.errors![0].extensions!.messageJa).toBe(error.message);
});

it('gives a Japanese message to every kind of error, the gateway’s and GraphQL’s own included', async () => {
  const ja = { ...stack.asAdmin, 'accept-language': 'ja' };
  const forbidden = await stack.query('{ prefecture(code: "13") { visits(first: 1) { totalCount } } }', undefined, {
    ...(await stack.as('ADVISOR', '01')),
    'accept-language': 'ja',
  });
  expect(forbidden.body.errors![0].message).toMatch(/^権限がありません/);
  // The Japanese says why, as the English does (not only that it is forbidden).
  expect(forbidden.body.errors![0].extensions).toMatchObject({ reasonJa: '都道府県 13 の記録を読む権限がありません' });
  // GraphQL's own validation: which field of which type, with its suggestions (not only that the query is wrong).
  const invalid = await stack.query('{ municipality(code: "011002") { nameX } }', undefined, ja);
  expect(invalid.body.errors![0].message).toBe('クエリがスキーマに合いません: 「Municipality」型に項目「nameX」はありません（候補: 「name」「bases」）');
  expect(invalid.body.errors![0].extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
  const unused = await stack.query('query Towns($first: Int) { municipalities { totalCount } }', undefined, ja);
  expect(unused.body.errors![0].message).toBe('クエリがスキーマに合いません: 変数「$first」は操作「Towns」で使われていません');
  // Without Accept-Language: ja the message stays graphql-js's, the Japanese beside it.
  const english = await stack.query('{ municipality(code: "011002") { nameX } }');
  expect(english.body.errors![0].message).toMatch(/^Cannot query field "nameX" on type "Municipality"\./);
  expect(english.body.errors![0].extensions!.messageJa).toMatch(/^クエリがスキーマに合いません: 「Municipality」型に項目「nameX」はありません/);
  const missing = await stack.query('mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }', undefined, ja);
  expect(missing.body.errors![0].message).toMatch(/^見つかりません/);
});

it('reads Accept-Language by its preference order', () => {
  expect(prefersJapanese('ja')).toBe(true);
  expect(prefersJapanese('ja-JP')).toBe(true);
  expect(prefersJapanese('en-US,en;q=0.9,ja;q=0.8')).toBe(false);
  expect(prefersJapanese('en;q=0.5, ja;q=0.9')).toBe(true);
  expect(prefersJapanese('ja;q=0')).toBe(false);
  expect(prefersJapanese('*')).toBe(false);
  expect(prefersJapanese(undefined)).toBe(false);
});

it('answers a variable of the wrong type as BAD_USER_INPUT in both languages, never repeating free text', async () => {
  const note = '山田太郎さんの件（要配慮）';
  const mutation = 'mutation Record($input: RecordVisitInput!) { recordVisit(input: $input, idempotencyKey: "language-test-0001") { id } }';
  const input = { prefectureCode: '01', date: '2025-06-01', municipalityCodes: ['011002'], format: 'ONLINE', purposes: ['COUNCIL'], summary: 's' };
  const mistyped = await stack.query(mutation, { input: { ...input, notes: [note] } }, stack.asAdmin);
  expect(JSON.stringify(mistyped.body)).not.toContain('山田');
  expect(mistyped.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: '$input.notes',
    reasonJa: 'String 型の値を指定してください',
  });
  // A value that is not free text is quoted back, with the reason in Japanese.
  const date = await stack.query(mutation, { input: { ...input, date: 20250601, notes: note } }, stack.asAdmin);
  expect(JSON.stringify(date.body)).not.toContain('山田');
  expect(date.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: '$input.date',
    value: 20250601,
    reasonJa: expect.stringContaining('YYYY-MM-DD'),
  });
  // A date of any wrong JSON type is refused by the gateway as a mistyped variable, the same answer as for
  // text in a date's place: 400, before any subgraph is asked (it was the subgraph's data: null with a 200).
  for (const wrong of [20250601, true, 12.5, ['2025-06-01'], { y: 2025 }, '2025-02-30']) {
    const answer = await stack.query(mutation, { input: { ...input, date: wrong, notes: note } }, stack.asAdmin);
    expect(answer.status).toBe(400);
    expect(answer.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: expect.stringMatching(/^\$?input\.date$/) });
    expect(answer.body.errors![0].extensions!.serviceName).toBeUndefined();
  }
  // Written in the document, the same: the argument, the value when it is a number, never an object's contents.
  for (const [written, value] of [
    ['20250601', 20250601],
    ['{ y: "山田" }', undefined],
    ['"2025-02-30"', '2025-02-30'],
  ] as const) {
    const literal = await stack.query(`{ coverageStatistics(asOf: ${written}) { asOf } }`, undefined, stack.asAdmin);
    expect(literal.status).toBe(400);
    expect(literal.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'asOf', reasonJa: expect.stringContaining('YYYY-MM-DD') });
    expect(literal.body.errors![0].extensions!.value).toEqual(value);
    expect(JSON.stringify(literal.body)).not.toContain('山田');
  }
  // A rule of a subgraph: the value received and its own Japanese reason (no generic phrase).
  const below = await stack.query('{ prefecture(code: "01") { coreCenterGaps(populationBelow: -5) { code } } }', undefined, stack.asAdmin);
  expect(below.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'populationBelow',
    value: -5,
    reasonJa: '1以上の人口を指定してください',
  });
});

it('gives a Japanese message to errors answered before GraphQL runs: bodies, batches, paths, Apollo Server’s own', async () => {
  const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
  const { origin } = new URL(stack.gateway.url);
  const post = (path: string, body: string) => fetch(`${origin}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  const answers = [
    await post('/graphql', 'null'),
    await post('/graphql', '{not json'),
    await post('/graphql', '[{"query":"{ __typename }"}]'),
    await post('/graphql', '{"query":5}'),
    await post('/graphql', '{"query":"{ __typename }","variables":"x"}'),
    await post('/graphql', '{"query":"query A { __typename } query B { __typename }"}'),
    await post('/no-such-path', '{}'),
  ];
  for (const answer of answers) {
    expect(answer.status).toBeGreaterThanOrEqual(400);
    const { errors } = (await answer.json()) as { errors: Array<{ extensions: { code: string; messageJa?: string } }> };
    expect(errors[0].extensions).toEqual(expect.objectContaining({ code: expect.any(String), messageJa: expect.stringMatching(JAPANESE) }));
  }
});

it('answers in Japanese when asked, also before GraphQL runs: a refused token, a bad body, a batch, a limit, a wrong path', async () => {
  const { origin } = new URL(stack.gateway.url);
  const ja = { 'content-type': 'application/json', 'accept-language': 'ja,en-US;q=0.9' }; // what a Japanese browser sends
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${origin}${path}`, { method: 'POST', body, headers: { ...ja, ...headers } });
  const query = JSON.stringify({ query: '{ viewer { role } }' });
  const answers = {
    'a forged token': await post('/graphql', query, { authorization: 'Bearer not.a.token' }),
    'not Bearer': await post('/graphql', query, { authorization: 'Basic eDp5' }),
    'a revoked-looking API key': await post('/graphql', query, { 'x-api-key': 'ak.00000000-0000-4000-8000-000000000000.x' }),
    'not JSON': await post('/graphql', '{not json'),
    'a batch': await post('/graphql', `[${query}]`),
    'a query that is not text': await post('/graphql', '{"query":5}'),
    'variables that are not an object': await post('/graphql', '{"query":"{ __typename }","variables":"x"}'),
    'an over-long document': await post('/graphql', JSON.stringify({ query: `{ ${'__typename '.repeat(20_000)}}` })),
    'a wrong path': await post('/no-such-path', '{}'),
    'a GET a browser form could send': await fetch(`${origin}/graphql?query=%7B__typename%7D`, { headers: { 'accept-language': 'ja' } }),
  };
  for (const [what, answer] of Object.entries(answers)) {
    const body = (await answer.json()) as { errors: Array<{ message: string; extensions: { messageJa: string } }> };
    expect({ what, message: body.errors[0].message }).toEqual({ what, message: body.errors[0].extensions.messageJa });
  }
  // Without it, the English message (with the Japanese beside it) as before.
  const english = await fetch(`${origin}/graphql`, { method: 'POST', body: query, headers: { 'content-type': 'application/json', authorization: 'Bearer x' } });
  expect(((await english.json()) as { errors: Array<{ message: string }> }).errors[0].message).toMatch(/^Not authenticated: the token is invalid/);
});

it('gives every coded value its Japanese label, from the subgraph that codes it, on every type and date', async () => {
  const { body } = await stack.query(`{
    municipality(code: "011002") {
      coreCenterCoverage coreCenterCoverageLabel baseCoverage baseCoverageLabel
      onDate(asOf: "2019-04-01") { coreCenterCoverage coreCenterCoverageLabel baseCoverage baseCoverageLabel }
      consultationOffices(first: 20) { nodes { designations designationLabels feeTier feeTierLabel } }
      bases { functions { participants { organizationKind organizationKindLabel } } }
    }
    prefecture(code: "01") { baseGaps { missingFunctions missingFunctionLabels } }
  }`);
  expect(body.errors).toBeUndefined();
  const m = body.data!.municipality;
  type Labels = Readonly<Record<string, string>>;
  const checked: Array<[code: string | string[], label: string | string[], labels: Labels]> = [
    [m.coreCenterCoverage, m.coreCenterCoverageLabel, COVERAGE_LABELS],
    [m.baseCoverage, m.baseCoverageLabel, BASE_COVERAGE_LABELS],
    [m.onDate.coreCenterCoverage, m.onDate.coreCenterCoverageLabel, COVERAGE_LABELS],
    [m.onDate.baseCoverage, m.onDate.baseCoverageLabel, BASE_COVERAGE_LABELS],
    ...m.consultationOffices.nodes.flatMap((o: any): Array<[string | string[], string | string[], Labels]> => [
      [o.designations, o.designationLabels, DESIGNATION_LABELS],
      [o.feeTier, o.feeTierLabel, FEE_TIER_LABELS],
    ]),
    ...m.bases.flatMap((b: any) =>
      b.functions.flatMap((f: any) => f.participants.map((p: any) => [p.organizationKind, p.organizationKindLabel, ORGANIZATION_KIND_LABELS])),
    ),
    ...body.data!.prefecture.baseGaps.map((g: any) => [g.missingFunctions, g.missingFunctionLabels, BASE_FUNCTION_LABELS]),
  ];
  expect(checked.length).toBeGreaterThan(10);
  for (const [code, label, labels] of checked) expect(label).toEqual(Array.isArray(code) ? code.map((c) => labels[c]) : labels[code]);
  expect([m.coreCenterCoverageLabel, m.onDate.coreCenterCoverageLabel]).toEqual(['単独設置', expect.any(String)]);
});
