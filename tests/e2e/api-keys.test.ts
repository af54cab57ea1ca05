/**
 * API keys for BI tools and scheduled refreshes, through the gateway: issued by prefectural staff for
 * their prefecture, read-only, refused at once when revoked or expired, never in a log line.
 */
import { readFileSync } from 'node:fs';
import { readCsv } from '../../shared/csv';
import { projectPath } from '../../shared/paths';
import { addDays, todayInJapan } from '../../shared/dates';
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { freePort } from '../../shared/embedded-postgres';
import { postGraphQL, startTestStack } from '../helpers/stack';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../shared/http';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const ISSUE = `mutation($i: IssueApiKeyInput!, $k: String) { issueApiKey(input: $i, idempotencyKey: $k) {
  key apiKey { id name scope prefectureCode expiresOn status createdBy lastUsedAt allowedOperations } } }`;
const WORKLIST = 'query Worklist($p: ID!) { prefecture(code: $p) { advisorWorklist { municipality { code } reasons } } }';
const exportWith = (path: string, headers: Record<string, string>) => fetch(new URL(path, stack.gateway.url), { headers });

async function issue(headers: Record<string, string>, input: Record<string, unknown>) {
  const { body } = await stack.query(ISSUE, { i: { expiresOn: addDays(todayInJapan(), 30), ...input } }, headers);
  return body;
}

it('lets prefectural staff issue a key for 01 that reads 01 (GraphQL and exports) and nothing else, then revoke it at once', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const issued = await issue(staff, { name: '県BI 朝の更新', scope: 'PREFECTURE', prefectureCode: '01' });
  expect(issued.errors).toBeUndefined();
  const { key, apiKey } = issued.data!.issueApiKey;
  expect(key).toMatch(/^ak\.[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/);
  expect(apiKey).toMatchObject({ name: '県BI 朝の更新', scope: 'PREFECTURE', prefectureCode: '01', status: 'ACTIVE', createdBy: 'PREFECTURE_STAFF:staff-01' });
  // Only a salted hash is stored: the key is nowhere in the database.
  const [row] = await stack.municipalities.subgraph.dataSource.query('SELECT * FROM api_key WHERE id = $1', [apiKey.id]);
  expect(JSON.stringify(row)).not.toContain(key.split('.')[2]);
  expect(row.hash).toHaveLength(32);

  const withKey = { authorization: `ApiKey ${key}` };
  const own = await stack.query(WORKLIST, { p: '01' }, withKey);
  expect(own.body.errors).toBeUndefined();
  expect(own.body.data!.prefecture.advisorWorklist.length).toBeGreaterThan(0);
  // The other header form, for tools that cannot set Authorization.
  expect((await stack.query(WORKLIST, { p: '01' }, { 'x-api-key': key })).body.errors).toBeUndefined();
  // And as a bearer token, for tools that offer only that (Grafana, Postman's "Bearer Token").
  expect((await stack.query(WORKLIST, { p: '01' }, { authorization: `Bearer ${key}` })).body.errors).toBeUndefined();
  const file = await exportWith('/export/municipality-status.csv', withKey);
  expect(file.status).toBe(200);
  const rows = readCsv(await file.text()).rows;
  expect(rows).toHaveLength(179);
  expect(rows.every((r) => r.values.prefecture_code === '01')).toBe(true);

  // Not 13's rows, not visit notes or other free text, and no change of any kind.
  const foreign = await stack.query(WORKLIST, { p: '13' }, withKey);
  expect(foreign.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await exportWith('/export/municipality-status.csv?prefecture=13', withKey)).status).toBe(403);
  const notes = await stack.query('{ prefecture(code: "01") { visits(first: 1) { nodes { notes summary } } } }', undefined, withKey);
  expect(notes.body.data!.prefecture.visits.nodes[0]).toEqual({ notes: null, summary: null });
  expect(notes.body.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  for (const mutation of [
    'mutation { revokeApiKey(id: "00000000-0000-4000-8000-000000000000") { id } }',
    'mutation { cancelVisit(id: "00000000-0000-4000-8000-000000000000", version: 1, reason: "x") { id } }',
  ]) {
    const refused = await stack.query(mutation, undefined, withKey);
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  }
  const again = await issue(withKey, { name: 'copy', scope: 'PREFECTURE', prefectureCode: '01' });
  expect(again.errors![0].extensions!.code).toBe('FORBIDDEN');

  // Listed to the staff of 01 with its last use; revoked, it is refused on the very next request.
  const listed = await stack.query('{ apiKeys { id name status lastUsedAt } }', undefined, staff);
  expect(listed.body.data!.apiKeys.find((k: { id: string }) => k.id === apiKey.id)).toMatchObject({ status: 'ACTIVE', lastUsedAt: expect.any(String) });
  const revoked = await stack.query('mutation($id: ID!) { revokeApiKey(id: $id) { status revokedAt } }', { id: apiKey.id }, staff);
  expect(revoked.body.data!.revokeApiKey).toMatchObject({ status: 'REVOKED', revokedAt: expect.any(String) });
  const after = await stack.query(WORKLIST, { p: '01' }, withKey);
  expect(after.status).toBe(401);
  expect(after.body.errors![0].extensions).toMatchObject({
    code: 'UNAUTHENTICATED',
    reason: 'the API key has been revoked',
    reasonJa: 'このAPIキーは失効しています',
  });
  expect((await exportWith('/export/municipality-status.csv', withKey)).status).toBe(401);
});

it("checks a key with the keys' subgraph once, not on every request, and its use drops no one's kept answers", async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01-bi');
  const { key, apiKey } = (await issue(staff, { name: '県BI 毎時', scope: 'PREFECTURE', prefectureCode: '01' })).data!.issueApiKey;
  const withKey = { authorization: `ApiKey ${key}` };
  const sql = stack.municipalities.sql.statements;
  const keyLookups = (from: number) => sql.slice(from).filter((s) => /\bapi_key\b/.test(s)).length;
  // An advisor's answer, kept: read again, it costs no SQL.
  const advisor = await stack.as('ADVISOR', '01', 'advisor-01-kept');
  const towns = `query Towns { prefecture(code: "01") { municipalities { code name population } } }`;
  const first = await stack.query(towns, undefined, advisor);
  expect(first.body.errors).toBeUndefined();

  // A BI refresh: many requests with the key. The key is looked up (and its secret hashed) on the first only.
  let from = sql.length;
  for (let i = 0; i < 5; i += 1) expect((await stack.query(WORKLIST, { p: '01' }, withKey)).body.errors).toBeUndefined();
  expect(keyLookups(from)).toBe(2); // the key's row, and its last use recorded
  // Its use changed no data: the advisor's kept answer is still handed out without SQL.
  from = sql.length;
  expect((await stack.query(towns, undefined, advisor)).body).toEqual(first.body);
  expect(sql.length - from).toBe(0);

  // The list of keys shows each one's last use, which moves no data version: it is read afresh every time.
  const listed = () => stack.query('{ apiKeys { id lastUsedAt } }', undefined, staff);
  expect((await listed()).body.data!.apiKeys.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt).toEqual(expect.any(String));
  from = sql.length;
  await listed();
  expect(sql.length - from).toBeGreaterThan(0);

  // A change to the keys is seen on the very next request, through every gateway replica: revoked through one, refused
  // at once by both, though both had the key's answer; a wrong secret likewise.
  const replica = await startGateway(loadGatewayConfig(stack.env));
  try {
    expect((await postGraphQL(replica.url, WORKLIST, { p: '01' }, withKey)).body.errors).toBeUndefined();
    expect((await stack.query('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { status } }', { id: apiKey.id }, staff)).body.errors).toBeUndefined();
    for (const after of [await stack.query(WORKLIST, { p: '01' }, withKey), await postGraphQL(replica.url, WORKLIST, { p: '01' }, withKey)]) {
      expect(after.status).toBe(401);
      expect(after.body.errors![0].extensions!.reason).toBe('the API key has been revoked');
    }
  } finally {
    await replica.stop();
  }
  expect((await stack.query(WORKLIST, { p: '01' }, { authorization: `ApiKey ${key.slice(0, -4)}AAAA` })).status).toBe(401);
});

it('refuses an expired key at once, an unknown or malformed one, and never logs a key', async () => {
  const admin = stack.asAdmin;
  const logged = stack.logLines.length;
  const { key, apiKey } = (await issue(admin, { name: 'analyst refresh', scope: 'ANALYST' })).data!.issueApiKey;
  const withKey = { authorization: `ApiKey ${key}` };
  // A national key reads every prefecture's statistics.
  const stats = await stack.query('{ coverageStatistics(asOf: "2025-04-01") { coreCenters { national { covered } } } }', undefined, withKey);
  expect(stats.body.data!.coverageStatistics.coreCenters.national.covered).toBe(1147);
  await stack.municipalities.subgraph.dataSource.query('UPDATE api_key SET expires_on = now()::date - 1 WHERE id = $1', [apiKey.id]);
  const expired = await stack.query('{ nationalSelfPlanRate { planningRatePercent } }', undefined, withKey);
  expect(expired.body.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: expect.stringContaining('expired') });
  const forged = `${key.slice(0, -4)}AAAA`;
  expect((await stack.query('{ viewer { role } }', undefined, { authorization: `ApiKey ${forged}` })).body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect((await stack.query('{ viewer { role } }', undefined, { authorization: 'ApiKey nonsense' })).body.errors![0].extensions!.reason).toContain('malformed');

  const lines = stack.logLines.slice(logged).join('\n');
  expect(lines).toContain(apiKey.id); // every use names the key by its id …
  expect(lines).not.toContain(key.split('.')[2]); // … never its secret
  expect(lines).not.toContain(forged.split('.')[2]);
});

it('lets a key run only its allowed operations and exports, when it has a list', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const { key } = (await issue(staff, { name: 'worklist only', scope: 'PREFECTURE', prefectureCode: '01', allowedOperations: ['Worklist', 'visits.csv'] }))
    .data!.issueApiKey;
  const withKey = { authorization: `ApiKey ${key}` };
  expect((await stack.query(WORKLIST, { p: '01' }, withKey)).body.errors).toBeUndefined();
  expect((await stack.query('{ prefecture(code: "01") { name } }', undefined, withKey)).body.errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await exportWith('/export/municipality-status.csv', withKey)).status).toBe(403);
});

it('keeps issuing to who may: staff only for their own prefecture, ANALYST keys to admins, a year at most, named fields', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  expect((await issue(staff, { name: 'x', scope: 'PREFECTURE', prefectureCode: '13' })).errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await issue(staff, { name: 'x', scope: 'ANALYST' })).errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await issue(await stack.as('ANALYST'), { name: 'x', scope: 'ANALYST' })).errors![0].extensions!.code).toBe('FORBIDDEN');
  expect((await issue({}, { name: 'x', scope: 'PREFECTURE', prefectureCode: '01' })).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  const tooLong = await issue(staff, { name: 'x', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 400) });
  expect(tooLong.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.expiresOn' });
  const listed = await stack.query('{ apiKeys { prefectureCode } }', undefined, staff);
  expect(listed.body.data!.apiKeys.every((k: { prefectureCode: string }) => k.prefectureCode === '01')).toBe(true);
  expect((await stack.query('{ apiKeys { id } }', undefined, await stack.as('ANALYST'))).body.errors![0].extensions!.code).toBe('FORBIDDEN');
  // A retried issue (same idempotency key) does not issue a second key, and cannot show the first again.
  const input = { name: 'retried', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 30) };
  const first = await stack.query(ISSUE, { i: input, k: 'issue-key-000001' }, staff);
  const retry = await stack.query(ISSUE, { i: input, k: 'issue-key-000001' }, staff);
  expect(retry.body.data!.issueApiKey.apiKey.id).toBe(first.body.data!.issueApiKey.apiKey.id);
  expect(retry.body.data!.issueApiKey.key).toBeNull();
});

it("makes the README's Power Query calls as Power Query makes them: the export, then municipalities page by page and the worklist", async () => {
  const readme = readFileSync(projectPath('README.md'), 'utf8');
  const m = [...readme.matchAll(/```m\n([\s\S]*?)```/g)].map((block) => block[1]);
  expect(m).toHaveLength(2);
  // An M text literal: "…", a quote inside written "".
  const quoted = (name: string) => new RegExp(`${name} = "((?:[^"]|"")+)",\n`).exec(m[1])![1].replace(/""/g, '"');
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'staff-01');
  const { key } = (await issue(staff, { name: 'Power BI', scope: 'PREFECTURE', prefectureCode: '01' })).data!.issueApiKey;
  // Web.Contents(url, [Query = [...], Headers = [Authorization = "ApiKey " & ApiKey]]): a GET with the query string.
  expect(m[0]).toContain('Authorization = "ApiKey " & ApiKey');
  const csv = await fetch(new URL('/export/municipality-status.csv?asOf=2025-04-01', stack.gateway.url), { headers: { Authorization: `ApiKey ${key}` } });
  expect(csv.status).toBe(200);
  expect(readCsv(await csv.text()).rows).toHaveLength(179);
  // Web.Contents with Content: a POST of Json.FromValue([query, variables]) with the two headers.
  const post = async (query: string, variables: Record<string, unknown>) => {
    const response = await fetch(new URL('/graphql', stack.gateway.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `ApiKey ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  // List.Generate: the first page with after = null, the next while hasNextPage.
  const codes: string[] = [];
  let page = (await post(quoted('MunicipalitiesQuery'), { after: null })).municipalities;
  for (;;) {
    codes.push(...page.nodes.map((n: { code: string }) => n.code));
    if (!page.pageInfo.hasNextPage) break;
    page = (await post(quoted('MunicipalitiesQuery'), { after: page.pageInfo.endCursor })).municipalities;
  }
  expect(codes).toHaveLength(179); // two pages of 100
  expect(new Set(codes).size).toBe(179);
  const worklist = (await post(quoted('WorklistQuery'), { prefecture: '01' })).prefecture.advisorWorklist;
  expect(worklist.length).toBeGreaterThan(0);
  expect(worklist[0]).toEqual(expect.objectContaining({ priority: expect.any(Number), reasons: expect.any(Array) }));
});

it('refuses a key for now (503, SUBGRAPH_UNAVAILABLE) when the subgraph that keeps keys cannot be asked — never as a bad key', async () => {
  const closed = await freePort(); // nothing listens there
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', MUNICIPALITIES_URL: `http://127.0.0.1:${closed}/graphql` }));
  try {
    const { status, headers, body } = await postGraphQL(gateway.url, '{ prefectures { code } }', undefined, {
      'x-api-key': `ak.${'0'.repeat(8)}-0000-4000-8000-000000000000.x`,
    });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS)); // Power Query waits that long and retries
    expect(body.errors![0].extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'municipalities',
      reasonJa: 'APIキーを確認できません。しばらくしてからもう一度お試しください',
    });
  } finally {
    await gateway.stop();
  }
});
