/** Query limits at the gateway: refused with QUERY_LIMIT_EXCEEDED before any subgraph is asked. */
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack({
    QUERY_MAX_DEPTH: '8',
    QUERY_MAX_ALIASES: '5',
    QUERY_MAX_TOKENS: '400',
    QUERY_MAX_COST: '20000',
    QUERY_MAX_COST_ANALYST: '300',
  });
});
afterAll(() => stack?.stop());

const deep = `{ prefecture(code: "01") { municipalities { prefecture { municipalities { prefecture { municipalities { prefecture { municipalities { code } } } } } } } } }`;
const aliases = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: prefecture(code: "01") { code }`).join(' ')} }`;
const tokens = `{ ${Array.from({ length: 80 }, () => 'prefectures { code name kana }').join(' ')} }`;

const directives = `{ prefectures { ${Array(21).fill('code @include(if: true)').join(' ')} } }`;

it.each([
  ['too deep', deep, { limit: 'depth', found: 9, max: 8 }, 'nested 9 levels deep; at most 8', 'クエリの入れ子が深すぎます（9段。8段まで）'],
  ['with too many aliases', aliases, { limit: 'aliases', found: 6, max: 5 }, 'has 6 aliases; at most 5', 'エイリアスが多すぎます（6個。5個まで）'],
  [
    'with too many directives',
    directives,
    { limit: 'directives', found: 21, max: 20 },
    'has 21 directives; at most 20',
    'ディレクティブが多すぎます（21個。20個まで）',
  ],
  ['with too many tokens', tokens, { limit: 'tokens', maxTokens: 400 }, 'more than 400 tokens', 'クエリが長すぎます（400 トークンを超えています）'],
])(
  'refuses a query %s before any subgraph fetch, naming the limit and its figures, in English and Japanese',
  async (_case, query, figures, mentions, mentionsJa) => {
    const { response, fetches } = await stack.countFetches(query);
    expect(response.status).toBe(400);
    const [error] = response.body.errors!;
    expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', ...figures, messageJa: expect.stringContaining(mentionsJa) });
    expect(error.message).toContain(mentions);
    expect(error.message).toContain(` / ${mentionsJa}`);
    expect(fetches).toEqual([]);
  },
);

it('gives analysts a stricter cost budget than apps', async () => {
  const query = '{ prefecture(code: "01") { coreCenterGaps { code visits(first: 20) { nodes { date } } } } }';
  const app = await stack.countFetches(query, undefined, await stack.as('ADVISOR', '01'));
  expect(app.response.body.errors).toBeUndefined();
  const analyst = await stack.countFetches(query, undefined, await stack.as('ANALYST'));
  expect(analyst.response.body.errors![0].extensions!.code).toBe('QUERY_LIMIT_EXCEEDED');
  expect(analyst.response.body.errors![0].message).toContain('over the budget of 300 for ANALYST');
  expect(analyst.fetches).toEqual([]);
  // The verdicts are kept per document and budget: asked again, each side gets the same answer.
  const [appAgain, analystAgain] = await Promise.all([
    stack.countFetches(query, undefined, await stack.as('ADVISOR', '01')),
    stack.countFetches(query, undefined, await stack.as('ANALYST')),
  ]);
  expect(appAgain.response.body.errors).toBeUndefined();
  expect(analystAgain.response.body.errors![0].extensions!.code).toBe('QUERY_LIMIT_EXCEEDED');
  expect(analystAgain.fetches).toEqual([]);
});

it('refuses batched HTTP requests', async () => {
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ query: '{ prefectures { code } }' }, { query: '{ prefectures { name } }' }]),
  });
  expect(response.status).toBe(400);
  expect(((await response.json()) as any).errors[0].extensions).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'batch',
    operations: 2,
    messageJa: '複数の操作をまとめて送ることはできません。1回に1つずつ送ってください',
  });
});

it('keeps the everyday queries within the default limits', async () => {
  const ok = await postGraphQL(
    stack.gateway.url,
    '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name visits(first: 5) { edges { node { date purposes summary } } } lastVisit { date } } } }',
    undefined,
    stack.asAdmin,
  );
  expect(ok.body.errors).toBeUndefined();
});

it('judges the input rules on each request’s own variables, though verdicts are kept per document', async () => {
  const query = 'query On($asOf: LocalDate) { coverageStatistics(asOf: $asOf) { asOf } }';
  for (const round of [1, 2]) {
    const fine = await stack.query(query, { asOf: '2025-04-01' });
    expect({ round, errors: fine.body.errors }).toEqual({ round, errors: undefined });
    const refused = await stack.query(query, { asOf: '1800-01-01' });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(refused.body.errors?.[0].message).toContain('must be from');
  }
});

it('refuses an operation name over 100 characters before any subgraph fetch, and logs a long one cut', async () => {
  const named = (length: number) => `query ${'N'.repeat(length)} { prefectures { code } }`;
  expect((await stack.countFetches(named(100))).response.body.errors).toBeUndefined();
  const { response, fetches } = await stack.countFetches(named(200_000));
  expect(response.status).toBe(400);
  expect(response.body.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'operationName' });
  expect(response.body.errors![0].extensions!.messageJa).toBe('操作名が長すぎます（200,000文字。100文字まで）');
  expect(fetches).toEqual([]);
  await new Promise((done) => setTimeout(done, 50));
  // No log line holds the caller's 200,000 characters (the subgraphs were never asked).
  expect(Math.max(...stack.logLines.map((line) => line.length))).toBeLessThan(5_000);
});
