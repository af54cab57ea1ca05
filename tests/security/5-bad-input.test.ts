/**
 * Class 5 — every bad input is a named error, never INTERNAL_SERVER_ERROR: impossible dates (literal
 * or variable), unstorable characters and text that shows other than it is stored (controls, bidirectional
 * overrides), forged cursors, records that do not exist, documents whose operation
 * cannot be told (no or a wrong operationName),
 * malformed or oversized bodies (as JSON, never an HTML page); and, built from the schema, every argument of every
 * field given values at the edges of its type (tests/helpers/edge-values.ts).
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { type GraphQLObjectType, buildSchema, getNamedType, isCompositeType, isObjectType } from 'graphql';
import { GATEWAY_SECRET_HEADER, type Role, VIEWER_HEADER, encodeViewer } from '../../shared/context';
import { MAX_JSON_DEPTH } from '../../shared/json-depth';
import { projectPath } from '../../shared/paths';
import { argumentCases } from '../helpers/edge-values';
import { TEST_ADMIN, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.asAdmin, ...headers }, body });

it.each(['2025-02-30', '2025-13-01', '2025/04/01', '20250401', '令和7年4月1日'])(
  'refuses the date %s as BAD_USER_INPUT naming the argument, literal or variable',
  async (date) => {
    const literal = await stack.query(`{ municipality(code: "011002") { coreCenterCoverage(asOf: "${date}") } }`);
    const variable = await stack.query('query($d: LocalDate) { municipality(code: "011002") { coreCenterCoverage(asOf: $d) } }', { d: date });
    for (const response of [literal, variable]) {
      expect(response.status).toBe(400);
      expect(response.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'asOf', value: date });
      expect(response.body.errors![0].message).toMatch(/YYYY-MM-DD.*実在する日付/);
    }
  },
);

it('refuses a date inside an input object and in a list by its path', async () => {
  const series = await stack.query('query($d: [LocalDate!]!) { coverageSeries(dates: $d) { asOf } }', { d: ['2025-04-01', '2025-02-29'] });
  expect(series.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'dates[1]' });
  const filter = await stack.query('{ coreCenters(filter: { activeOn: "2025-04-31" }) { totalCount } }');
  expect(filter.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.activeOn' });
});

it.each([
  ['a NUL character', 'a\u0000b'],
  ['a lone high surrogate', 'abc\ud83d'],
  ['a lone low surrogate', '\ude00abc'],
  ['an escape sequence (a terminal obeys it)', 'a\u001b]0;x\u0007'],
  ['a right-to-left override (the text shows reversed)', '\u202eabc'],
])('refuses %s in a search text as BAD_USER_INPUT', async (_case, text) => {
  const { status, body } = await stack.query('query($t: String) { municipalities(filter: { text: $t }) { totalCount } }', { t: text });
  expect(status).toBe(400);
  expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.text' });
});

it('refuses a name that shows other than it is stored, and free text with a terminal escape, writing nothing and quoting no note', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const create = await stack.query(
    'mutation($i: CreateCoreCenterInput!) { createCoreCenter(idempotencyKey: "bidi-name-0001", input: $i) { id } }',
    {
      i: {
        prefectureCode: '01',
        name: '\u202eーターセン援支談相幹基',
        setup: 'SINGLE',
        municipalityCodes: ['011002'],
        operation: 'DIRECT',
        establishedOn: '2025-10-01',
        functions: ['CONSULTATION'],
      },
    },
    staff,
  );
  expect(create.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.name', reason: expect.stringContaining('U+202E') });
  const stored = await stack.supportCenters.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM core_center WHERE name LIKE '%ーターセン援支談相幹基'`);
  expect(stored).toEqual([{ n: 0 }]);
  const advisor = await stack.as('ADVISOR', '01');
  const [{ id: advisorId }] = await stack.dispatch.subgraph.dataSource.query(`SELECT id FROM advisor WHERE prefecture_code = '01' LIMIT 1`);
  const notes = '本人の服薬状況\u001b[8m';
  const visit = await stack.query(
    'mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }',
    { i: { prefectureCode: '01', date: '2025-06-01', advisorIds: [advisorId], municipalityCodes: ['011002'], format: 'ONLINE', purposes: ['COUNCIL'], notes } },
    advisor,
  );
  expect(visit.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.notes' });
  expect(JSON.stringify(visit.body)).not.toContain('服薬');
});

it('refuses a forged cursor as BAD_USER_INPUT naming after', async () => {
  for (const after of ['not-a-cursor', Buffer.from('["id", {"x": 1}]').toString('base64url'), Buffer.from('{}').toString('base64url')]) {
    const { body } = await stack.query('query($a: String) { municipalities(first: 1, after: $a) { totalCount } }', { a: after });
    expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  }
});

/** Every paged list of the API, reached from the root (a page of one); `$a` is its `after`. */
const PAGED_LISTS: Record<string, string> = {
  'Query.municipalities':
    'query($a: String) { municipalities(first: 1, after: $a, orderBy: { field: POPULATION, direction: DESC }) { pageInfo { endCursor } } }',
  'Query.bases': 'query($a: String) { bases(first: 1, after: $a) { pageInfo { endCursor } } }',
  'Query.coreCenters': 'query($a: String) { coreCenters(first: 1, after: $a, orderBy: { field: ESTABLISHED_ON }) { pageInfo { endCursor } } }',
  'Prefecture.visits': 'query($a: String) { prefecture(code: "01") { visits(first: 1, after: $a) { pageInfo { endCursor } } } }',
  'Prefecture.notesReads': 'query($a: String) { prefecture(code: "01") { notesReads(first: 1, after: $a) { pageInfo { endCursor } } } }',
  'Municipality.visits': 'query($a: String) { municipality(code: "011002") { visits(first: 1, after: $a) { pageInfo { endCursor } } } }',
  'Municipality.consultationOffices':
    'query($a: String) { municipality(code: "011002") { consultationOffices(first: 1, after: $a) { pageInfo { endCursor } } } }',
  'Advisor.visits': 'query($a: String) { advisors(prefectureCode: "01") { visits(first: 1, after: $a) { pageInfo { endCursor } } } }',
};

it('knows every paged list of the API (a list added later is checked below once it is named here)', () => {
  const schema = buildSchema(readFileSync(projectPath('schema.graphql'), 'utf8'));
  const paged = Object.values(schema.getTypeMap())
    .filter((type) => isObjectType(type) && !type.name.startsWith('__'))
    .flatMap((type) => Object.values((type as import('graphql').GraphQLObjectType).getFields()).map((field) => ({ type: type.name, field })))
    .filter(({ field }) => field.args.some((a) => a.name === 'after'))
    .map(({ type, field }) => `${type}.${field.name}`);
  expect(paged.sort()).toEqual(Object.keys(PAGED_LISTS).sort());
});

/** The first endCursor anywhere in an answer. */
const endCursorIn = (value: unknown): string | undefined => {
  if (value === null || typeof value !== 'object') return undefined;
  const own = (value as { endCursor?: unknown }).endCursor;
  if (typeof own === 'string') return own;
  for (const inner of Object.values(value)) {
    const found = endCursorIn(inner);
    if (found) return found;
  }
  return undefined;
};

it.each(Object.entries(PAGED_LISTS))(
  'refuses a cursor of %s holding forged values as BAD_USER_INPUT naming after, never an internal error',
  async (_list, query) => {
    // A read of notes, so that the prefecture's audit has a page.
    const [[{ id }]] = await stack.dispatch.subgraph.dataSource.query(
      `UPDATE visit SET notes = 'メモ' WHERE id = (SELECT id FROM visit WHERE prefecture_code = '01' ORDER BY id LIMIT 1) RETURNING id`,
    );
    await stack.query('query($id: ID!) { visit(id: $id) { notes } }', { id });
    const real = await stack.query(query, { a: null });
    const cursor = endCursorIn(real.body.data);
    expect(cursor).toEqual(expect.any(String));
    const [ordering, ...key] = JSON.parse(Buffer.from(cursor!, 'base64url').toString('utf8')) as unknown[];
    let refused = 0;
    for (let i = 0; i < key.length; i += 1) {
      for (const forged of ['x', '2025-99-99', '-1', 1.5, -1, 1e300, '99999999999999999999999']) {
        const key2 = [...key];
        key2[i] = forged;
        const { body } = await stack.query(query, { a: Buffer.from(JSON.stringify([ordering, ...key2])).toString('base64url') });
        for (const error of body.errors ?? [])
          expect([forged, error.extensions]).toEqual([forged, expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'after' })]);
        if (body.errors) refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(0);
  },
);

it('refuses a variable of the wrong type as BAD_USER_INPUT', async () => {
  const { status, body } = await stack.query('query($n: Int) { municipalities(first: $n) { totalCount } }', { n: 'ten' });
  expect(status).toBe(400);
  expect(body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
});

it('refuses a literal of the wrong type as the same value in a variable: BAD_USER_INPUT naming its path, in both languages', async () => {
  const first = await stack.query('{ municipalities(first: "ten") { totalCount } }');
  expect(first.status).toBe(400);
  expect(first.body.errors![0].extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    argument: 'first',
    reasonJa: 'Int 型の値を指定してください',
    messageJa: '「first」の値が不正です: Int 型の値を指定してください',
  });
  const nested = await stack.query('{ municipalities(filter: { brackets: [UNDER_10K, UNDER_1K] }) { totalCount } }');
  expect(nested.status).toBe(400);
  expect(nested.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.brackets[1]', value: 'UNDER_1K' });
  // A string is never repeated (it may be free text), in the message or as the value.
  const text = await stack.query('{ municipalities(first: "山田太郎さん") { totalCount } }');
  expect(text.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  expect(JSON.stringify(text.body)).not.toContain('山田');
});

it('answers a syntax error without the string it stopped at, saying where in Japanese', async () => {
  // A note typed into the document, then a slip: graphql-js would quote the note ("found String "…"").
  const slip = await stack.query(
    'mutation { cancelVisit(id: "7d7d7d7d-0000-4000-8000-000000000000" reason: "山田太郎さんの件" "追記") { id } }',
    undefined,
    stack.asAdmin,
  );
  expect(slip.status).toBe(400);
  expect(JSON.stringify(slip.body)).not.toContain('山田');
  expect(JSON.stringify(slip.body)).not.toContain('追記');
  expect(slip.body.errors![0].message).toBe('Syntax Error: Expected Name, found String (the value is not repeated).');
  expect(slip.body.errors![0].extensions).toMatchObject({
    code: 'GRAPHQL_PARSE_FAILED',
    messageJa: 'クエリの文法が正しくありません（1 行 86 列目）: 名前が必要なところに文字列があります',
  });
  // A full-width space typed with a Japanese input method is named as such.
  const wide = await stack.query('{\u3000municipalities(first: 1) { totalCount } }', undefined, { ...stack.asAdmin, 'accept-language': 'ja' });
  expect(wide.body.errors![0].message).toBe('クエリの文法が正しくありません（1 行 2 列目）: 全角スペースがあります（半角スペースにしてください）');
});

it('answers a reference to a record that does not exist with NOT_FOUND naming the field', async () => {
  const missing = '7d7d7d7d-0000-4000-8000-000000000000';
  const advisor = await stack.as('ADMIN');
  const followUp = await stack.query(
    `mutation { createFollowUp(visitId: "${missing}", input: { municipalityCode: "011002", description: "x", ownerKind: MUNICIPALITY, dueOn: "2026-01-01" }) { id } }`,
    undefined,
    advisor,
  );
  expect(followUp.body.errors![0].extensions).toMatchObject({
    code: 'NOT_FOUND',
    argument: 'visitId',
    // Japanese staff read which record is missing, not only that something is.
    messageJa: `見つかりません: 訪問記録 ${missing}は登録されていません（visitId）`,
  });
  const items: Array<{ item_id: string }> = await stack.dispatch.subgraph.dataSource.query(
    "SELECT item_id FROM checklist_item WHERE template_id = 'council-guideline-2025'",
  );
  const assessment = await stack.query(
    'mutation($i: RecordAssessmentInput!) { recordAssessment(input: $i) { id } }',
    {
      i: {
        templateId: 'council-guideline-2025',
        municipalityCode: '011002',
        assessedOn: '2025-06-01',
        visitId: missing,
        results: items.map((i) => ({ itemId: i.item_id, result: 'MET' })),
      },
    },
    advisor,
  );
  expect(assessment.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
  const request = await stack.query(
    `mutation { createRequest(input: { municipalityCode: "011002", visitId: "${missing}", summary: "x", raisedOn: "2025-06-01" }) { id } }`,
    undefined,
    advisor,
  );
  expect(request.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'input.visitId' });
});

it('names the argument where the caller gave the value: input.id in the input object, id as the old argument', async () => {
  const missing = '7d7d7d7d-0000-4000-8000-000000000001';
  const admin = await stack.as('ADMIN');
  const inInput = await stack.query(`mutation { updateAdvisor(input: { id: "${missing}", version: 1, name: "x" }) { id } }`, undefined, admin);
  expect(inInput.body.errors![0].extensions).toMatchObject({
    code: 'NOT_FOUND',
    argument: 'input.id',
    reasonJa: `アドバイザー ${missing}は登録されていません`,
  });
  const asArgument = await stack.query(`mutation { updateAdvisor(id: "${missing}", version: 1, input: { name: "x" }) { id } }`, undefined, admin);
  expect(asArgument.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', argument: 'id' });
  const badId = await stack.query(`mutation { updateAdvisor(input: { id: "not-a-uuid", version: 1, name: "x" }) { id } }`, undefined, admin);
  expect(badId.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.id' });
  const blankReason = await stack.query(`mutation { cancelVisit(input: { id: "${missing}", version: 1, reason: " " }) { id } }`, undefined, admin);
  expect(blankReason.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.reason' });
});

it('refuses blank text where text is required, on a change as on creation (it is never kept silently)', async () => {
  const [request] = await stack.dispatch.subgraph.dataSource.query(
    `SELECT id, version, summary FROM municipal_request WHERE municipality_code LIKE '01%' LIMIT 1`,
  );
  const advisor = await stack.as('ADVISOR', '01');
  for (const summary of [' ', '　', '']) {
    const blank = await stack.query(
      'mutation($i: UpdateRequestInput!) { updateRequest(input: $i) { id } }',
      { i: { id: request.id, version: request.version, summary } },
      advisor,
    );
    expect(blank.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.summary', reasonJa: '空欄にはできません' });
  }
  const [after] = await stack.dispatch.subgraph.dataSource.query('SELECT version, summary FROM municipal_request WHERE id = $1', [request.id]);
  expect(after).toEqual({ version: request.version, summary: request.summary });
});

/** An operationName that is somebody's note: it must not come back in the answer, nor reach the log. */
const NOTE_AS_NAME = '山田太郎さん 服薬の相談';

it.each([
  ['two operations and no operationName', 'query A { prefectures { code } } query B { viewer { role } }', undefined, /several operations.*A, B/],
  ['an operationName the document does not have', 'query A { prefectures { code } } query B { viewer { role } }', NOTE_AS_NAME, /No operation.*A, B/],
  ['an operationName for an anonymous operation', '{ prefectures { code } }', NOTE_AS_NAME, /has no name/],
  ['a mutation document with a wrong operationName', 'mutation M { __typename }', NOTE_AS_NAME, /No operation.*M/],
])('answers %s with HTTP 400 BAD_REQUEST, never an internal error (POST and GET)', async (_case, query, operationName, message) => {
  const params = new URLSearchParams({ query, ...(operationName ? { operationName } : {}) });
  const get = () => fetch(`${stack.gateway.url}?${params}`, { headers: { ...stack.asAdmin, 'apollo-require-preflight': 'true' } });
  for (const response of [await post(JSON.stringify({ query, operationName })), await get()]) {
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain(NOTE_AS_NAME);
    const body = JSON.parse(text) as { errors: Array<{ message: string; extensions: { code: string; messageJa: string } }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toMatch(message);
    expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', messageJa: expect.stringContaining('操作') });
  }
  expect(stack.logLines.join('\n')).not.toContain(NOTE_AS_NAME);
});

it('answers an operationName a subgraph does not find as the gateway does', async () => {
  const headers = { [GATEWAY_SECRET_HEADER]: stack.gatewayConfig.gatewaySecret, [VIEWER_HEADER]: encodeViewer(TEST_ADMIN) };
  for (const { subgraph } of [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch]) {
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { __typename }', operationName: NOTE_AS_NAME }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).not.toContain(NOTE_AS_NAME);
    expect(JSON.parse(text).errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', messageJa: expect.stringContaining('（クエリにある操作: A）') });
  }
});

it('answers a subscription (this API has none) with HTTP 400 GRAPHQL_VALIDATION_FAILED, at the gateway and every subgraph', async () => {
  const gateway = await post(JSON.stringify({ query: 'subscription { __typename }' }));
  expect(gateway.status).toBe(400);
  const headers = { [GATEWAY_SECRET_HEADER]: stack.gatewayConfig.gatewaySecret, [VIEWER_HEADER]: encodeViewer(TEST_ADMIN), 'content-type': 'application/json' };
  const subgraphs = [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch].map(({ subgraph }) =>
    fetch(subgraph.url, { method: 'POST', headers, body: JSON.stringify({ query: 'subscription S { __typename }' }) }),
  );
  for (const response of [gateway, ...(await Promise.all(subgraphs))]) {
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors[0].message).toMatch(/^The schema does not support subscription operations/);
    expect(body.errors[0].extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      messageJa: 'クエリがスキーマに合いません: subscription の操作には対応していません',
    });
  }
});

it('reads a JSON body with a byte order mark as express.json does', async () => {
  const response = await post(`\ufeff${JSON.stringify({ query: '{ prefectures(region: SHIKOKU) { code } }' })}`);
  expect(response.status).toBe(200);
  expect(((await response.json()) as { data: { prefectures: unknown[] } }).data.prefectures).toHaveLength(4);
});

it('reads a body compressed as its Content-Encoding says, and says why when it is not, or compressed otherwise', async () => {
  const body = JSON.stringify({ query: '{ prefectures(region: SHIKOKU) { code } }' });
  const send = (bytes: BodyInit, coding: string) =>
    fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': coding }, body: bytes });
  const gzipped = await send(gzipSync(body), 'gzip');
  expect(((await gzipped.json()) as { data: { prefectures: unknown[] } }).data.prefectures).toHaveLength(4);
  const unknown = await send(body, 'compress');
  expect(unknown.status).toBe(415);
  expect((await unknown.json()).errors[0]).toMatchObject({
    message: expect.stringContaining('compressed as "compress", which is not taken'),
    extensions: { code: 'BAD_REQUEST', messageJa: expect.stringContaining('圧縮形式（compress）には対応していません') },
  });
  const notGzip = await send(body, 'gzip');
  expect(notGzip.status).toBe(400);
  expect((await notGzip.json()).errors[0].extensions.messageJa).toBe('リクエストの本文が Content-Encoding のとおりに圧縮されていません');
});

it.each([
  ['invalid JSON', '{"query": "{ prefectures { code } }"', 400, 'BAD_REQUEST'],
  ['a JSON string instead of an object', '"{ prefectures { code } }"', 400, 'BAD_REQUEST'],
  ['a JSON number', ' 42', 400, 'BAD_REQUEST'],
  // The same code as an import file over its limit: one code for one condition, on every route.
  ['a body over 1 MB', JSON.stringify({ query: `{ prefectures { code } } # ${'x'.repeat(1_100_000)}` }), 413, 'PAYLOAD_TOO_LARGE'],
])('answers %s with a JSON GraphQL error, never an HTML page with file paths', async (_case, body, status, code) => {
  const response = await post(body);
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const text = await response.text();
  expect(text).not.toMatch(/<html|<pre>|node_modules|\/work\//i);
  expect(JSON.parse(text).errors[0].extensions.code).toBe(code);
});

describe('JSON nested deeper than any request of the API (MAX_JSON_DEPTH)', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const body = (depth: number, padding = '') => `{"query": "{ __typename }${padding}", "variables": {"a": ${nested(depth)}}}`;
  const refused = async (response: Response) => {
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toEqual({
      code: 'BAD_REQUEST',
      messageJa: `リクエストの JSON の入れ子が深すぎます（上限 ${MAX_JSON_DEPTH} 段）`,
    });
  };

  // 5,000 levels in 10 KB overflowed the stack of whatever walked them: INTERNAL_SERVER_ERROR.
  it.each([
    ['a small body (read ahead of express)', body(5_000)],
    ['a large body (express.json)', body(5_000, ` # ${'x'.repeat(100_000)}`)],
    ['an object of objects', `{"query": "{ __typename }", "variables": ${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}`],
  ])('refuses it in %s as BAD_REQUEST, never an internal error', async (_case, text) => {
    await refused(await post(text));
  });

  it('refuses it in the variables of a GET', async () => {
    const url = new URL(stack.gateway.url);
    url.search = new URLSearchParams({ query: '{ __typename }', variables: `{"a": ${nested(1_500)}}` }).toString();
    await refused(await fetch(url, { headers: { ...stack.asAdmin, 'apollo-require-preflight': 'true' } }));
  });

  it('takes a body as deep as the limit, and brackets inside strings count for nothing', async () => {
    const deepest = await post(`{"query": "{ __typename }", "variables": {"a": ${nested(MAX_JSON_DEPTH - 2)}, "b": "${'['.repeat(200)}"}}`);
    expect(await deepest.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

/** Sends raw bytes over a new connection and reads the whole answer (the server closes it). */
function rawRequest(url: string, bytes: Buffer): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
}

it('answers a request HTTP cannot read (raw Japanese in the URL, huge headers) with a JSON error in both languages, at every service', async () => {
  const services = [stack.gateway.url, ...[stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch].map(({ subgraph }) => subgraph.url)];
  for (const url of services) {
    const unencoded = await rawRequest(url, Buffer.from('GET /export/worklist.csv?prefecture=北海道 HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8'));
    expect(unencoded).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(unencoded.slice(unencoded.indexOf('\r\n\r\n') + 4));
    expect(body.errors[0].extensions).toEqual({ code: 'BAD_REQUEST', messageJa: expect.stringContaining('パーセントエンコード') });
    // The request's own bytes are never repeated.
    expect(unencoded).not.toContain('北海道');
    expect(unencoded).toContain('\r\nx-content-type-options: nosniff\r\n'); // as on every answer
    const huge = await rawRequest(url, Buffer.from(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4)).errors[0].extensions.messageJa).toContain('ヘッダーが大きすぎます');
  }
});

/** How a query reaches the fields of each type that take arguments (`{}` is where the field goes). */
const REACH: Record<string, string> = {
  Query: '{}',
  Mutation: '{}',
  Prefecture: 'prefecture(code: "01") { {} }',
  PrefectureOnDate: 'prefecture(code: "01") { onDate(asOf: "2025-04-01") { {} } }',
  Municipality: 'municipality(code: "011002") { {} }',
  Advisor: 'advisors(prefectureCode: "01") { {} }',
  Base: 'bases(first: 3, filter: { prefectureCodes: ["01"] }) { nodes { {} } }',
  CoverageStatistics: 'coverageStatistics(asOf: "2025-04-01") { {} }',
  FollowUp: 'prefecture(code: "01") { visits(first: 30) { nodes { followUps { {} } } } }',
};

const SCHEMA = buildSchema(readFileSync(projectPath('schema.graphql'), 'utf8'));
const objectTypes = () => Object.values(SCHEMA.getTypeMap()).filter((t): t is GraphQLObjectType => isObjectType(t) && !t.name.startsWith('__'));

it('knows how to reach every type whose fields take arguments (a type added later is sent edge values once it is named here)', () => {
  const withArguments = objectTypes().filter((t) => Object.values(t.getFields()).some((f) => f.args.length > 0));
  expect(withArguments.map((t) => t.name).sort()).toEqual(Object.keys(REACH).sort());
});

/** Each role takes its own way through the checks (a refusal before validation, a scope); an admin's goes deepest. */
const CALLERS: Array<[string, Role | null, string | undefined]> = [
  ['an admin', 'ADMIN', undefined],
  ['an advisor of 北海道', 'ADVISOR', '01'],
  ['an analyst', 'ANALYST', undefined],
  ['an anonymous caller', null, undefined],
];

it.each(CALLERS)(
  'answers every argument of every field, given values at the edges of its type, as %s: a named error or an answer, never an internal one',
  async (_caller, role, prefecture) => {
    const caller = role ? await stack.as(role, prefecture) : {};
    // Existing records of 北海道, so that a change reaches its checks rather than stopping at NOT_FOUND.
    const { data } = (
      await stack.query(`{ prefecture(code: "01") {
      visits(first: 30) { nodes { id followUps { id } } } advisors { id } }
    coreCenters(first: 1, filter: { prefectureCodes: ["01"] }) { nodes { id } }
    bases(first: 50, filter: { prefectureCodes: ["01"] }) { nodes { id functions { participants { id } } } } }`)
    ).body as { data: any };
    const visit = data.prefecture.visits.nodes.find((v: { followUps: unknown[] }) => v.followUps.length > 0);
    // One with participants: a base an earlier caller's createBase made (a random id, which may sort first) has none.
    const base = data.bases.nodes.find((b: { functions: Array<{ participants: unknown[] }> }) => b.functions.some((f) => f.participants.length > 0));
    const ids: Record<string, string> = {
      visit: visit.id,
      followUp: visit.followUps[0].id,
      coreCenter: data.coreCenters.nodes[0].id,
      base: base.id,
      participant: base.functions.flatMap((f: { participants: Array<{ id: string }> }) => f.participants)[0].id,
      advisor: data.prefecture.advisors[0].id,
    };
    // The record a field's `id` names, by the field's name (updateBase: a base).
    const recordOf = (field: string) => ['FollowUp', 'Visit', 'CoreCenter', 'Base', 'Advisor'].find((kind) => field.includes(kind));
    const idsFor = (field: string) => (name: string) => {
      const byName: Record<string, string | undefined> = { visitId: ids.visit, baseId: ids.base, participantId: ids.participant, advisorIds: ids.advisor };
      if (name in byName) return byName[name];
      const record = recordOf(field);
      return name === 'id' && record ? ids[record[0].toLowerCase() + record.slice(1)] : undefined;
    };
    // The version a change must name to get past CONFLICT to its checks.
    const currentVersion = async (field: string): Promise<number | undefined> => {
      const { data: now } = (
        await stack.query(`{ visit(id: "${ids.visit}") { version followUps { id version } }
      coreCenter(id: "${ids.coreCenter}") { version } base(id: "${ids.base}") { version } advisors(prefectureCode: "01") { id version } }`)
      ).body as { data: any };
      const record = recordOf(field);
      if (record === 'FollowUp') return now.visit.followUps.find((f: { id: string }) => f.id === ids.followUp).version;
      if (record === 'Advisor') return now.advisors.find((a: { id: string }) => a.id === ids.advisor).version;
      return record ? now[record[0].toLowerCase() + record.slice(1)]?.version : undefined;
    };

    const answered: Record<string, number> = {};
    const failures: unknown[] = [];
    let requests = 0;
    for (const type of objectTypes().filter((t) => t.name in REACH)) {
      for (const field of Object.values(type.getFields()).filter((f) => f.args.length > 0)) {
        const selection = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
        const call = `${field.name}(${field.args.map((a) => `${a.name}: $${a.name}`).join(', ')})${selection}`;
        const document = `${type.name === 'Mutation' ? 'mutation' : 'query'}(${field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ')}) { ${REACH[type.name].replace('{}', call)} }`;
        for (const variables of argumentCases(field.args, idsFor(field.name))) {
          const input = variables.input as Record<string, unknown> | undefined;
          if (type.name === 'Mutation' && input?.version === 1) input.version = (await currentVersion(field.name)) ?? 1;
          const { status, body: answer } = await stack.query(document, variables, caller);
          requests += 1;
          const codes = (answer.errors ?? []).map((e) => e.extensions?.code);
          for (const code of codes.length ? codes : ['(answered)']) answered[String(code)] = (answered[String(code)] ?? 0) + 1;
          if (status >= 500 || codes.some((code) => code === undefined || code === 'INTERNAL_SERVER_ERROR'))
            failures.push({ field: `${type.name}.${field.name}`, status, variables: JSON.stringify(variables).slice(0, 300), errors: answer.errors });
        }
      }
    }
    expect(failures).toEqual([]);
    // The cases reached the fields' own work: answers and changes made, and each kind of refusal the checks give.
    expect(requests).toBeGreaterThan(2500);
    expect(answered).toMatchObject({ '(answered)': expect.any(Number), BAD_USER_INPUT: expect.any(Number) });
    expect(answered['(answered)']).toBeGreaterThan(role === 'ADMIN' ? 300 : 50);
  },
  300_000,
);
