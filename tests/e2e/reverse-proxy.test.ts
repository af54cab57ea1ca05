/**
 * The API behind nginx as deploy/nginx/advisor-api.conf sets it up (TLS, the caller's address, compression, the
 * limits the API needs): what a prefecture's IT department puts in front of the gateway. nginx's defaults refused
 * a real import file (1 MB bodies), cut long exports (60 s), buffered exports whole and answered in HTML; this runs
 * the shipped file, with only its addresses and certificate replaced.
 */
import { gunzipSync } from 'node:zlib';
import { Agent, fetch, request } from 'undici';
import { freePort } from '../../shared/embedded-postgres';
import { nginxTestFor, startNginx, type RunningNginx } from '../helpers/nginx';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let nginx: RunningNginx;
// The test's certificate is its own: the client trusts it as a browser trusts the prefecture's.
const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
beforeAll(async () => {
  stack = await startTestStack({ TRUSTED_PROXIES: 'loopback' });
});
afterAll(async () => {
  await nginx?.stop();
  await stack?.stop();
  await dispatcher.close();
});

const nginxTest = nginxTestFor('the reverse proxy test');

nginxTest('serves the API over TLS with the caller named, compresses exports, takes import files up to the limit, and refuses in JSON', async () => {
  nginx = await startNginx(Number(new URL(stack.gateway.url).port));
  const through = (path: string, init: Parameters<typeof fetch>[1] = {}) => fetch(`${nginx.https}${path}`, { dispatcher, ...init });
  const staff = await stack.as('PREFECTURE_STAFF', '01');

  // GraphQL, with the gateway's headers passed on and HSTS added; the caller's address reaches the gateway's log.
  const requestId = 'through-nginx-0001';
  const graphql = await through('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...staff },
    body: JSON.stringify({ query: '{ prefecture(code: "01") { name } }' }),
  });
  expect(graphql.status).toBe(200);
  expect(await graphql.json()).toEqual({ data: { prefecture: { name: '北海道' } } });
  expect(graphql.headers.get('strict-transport-security')).toBe('max-age=31536000');
  expect(graphql.headers.get('x-request-id')).toBe(requestId);
  await new Promise((done) => setTimeout(done, 50));
  const line = stack.logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.service === 'gateway' && l.requestId === requestId);
  expect(line).toMatchObject({ clientAddress: expect.stringMatching(/127\.0\.0\.1$/), status: 200 });

  // An export, compressed for the caller that takes gzip (Excel, Power BI), whole.
  // (undici's request: the bytes as sent, not decompressed as fetch would.)
  const exported = await request(`${nginx.https}/export/municipality-status.csv`, { dispatcher, headers: { ...staff, 'accept-encoding': 'gzip' } });
  expect(exported.statusCode).toBe(200);
  expect(exported.headers['content-encoding']).toBe('gzip');
  const compressed = Buffer.from(await exported.body.arrayBuffer());
  const bytes = gunzipSync(compressed);
  const csv = bytes.toString('utf8');
  expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 179);
  expect(compressed.length).toBeLessThan(bytes.length / 3);

  // An import's file of 5 MB reaches the gateway (nginx's default refused anything over 1 MB), which answers it.
  const rows = Array.from({ length: 60_000 }, (_, i) => `center-${i},01,センター${i},SINGLE,011002,DIRECT,,2024-04-01,,,`).join('\r\n');
  const file = `external_id,prefecture_code,name,setup,municipality_codes,operation,operator_name,established_on,closed_on,functions,staff\r\n${rows}\r\n`;
  expect(Buffer.byteLength(file)).toBeGreaterThan(4 * 1024 * 1024);
  const imported = await through('/import/core-centers?dryRun=true', { method: 'POST', headers: { ...staff, 'content-type': 'text/csv' }, body: file });
  // The subgraph's own report of every row (its columns are not the import's): the file came through whole.
  expect(imported.status).toBe(422);
  expect(await imported.json()).toMatchObject({ kind: 'core-centers', rows: 60_000, problems: expect.any(Array) });

  // Over the limit: nginx's own refusal, in the API's JSON and both languages.
  const tooLarge = await through('/import/core-centers?dryRun=true', {
    method: 'POST',
    headers: { ...staff, 'content-type': 'text/csv' },
    body: Buffer.alloc(22 * 1024 * 1024, 'a'),
  });
  expect(tooLarge.status).toBe(413);
  expect(await tooLarge.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageJa: expect.stringContaining('20 MB') });

  // A token of 12 KB (an identity provider's, listing many groups) reaches the gateway, as it would without nginx;
  // headers larger than the gateway takes are refused by nginx as the gateway refuses them (431, JSON).
  const longToken = await through('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${'x'.repeat(12 * 1024)}` },
    body: '{"query":"{ viewer { role } }"}',
  });
  expect([longToken.status, ((await longToken.json()) as any).errors[0].extensions.code]).toEqual([401, 'UNAUTHENTICATED']);
  const hugeToken = await through('/graphql', { headers: { authorization: `Bearer ${'x'.repeat(20 * 1024)}` } });
  expect(hugeToken.status).toBe(431);
  expect(await hugeToken.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST', messageJa: 'リクエストのヘッダーが大きすぎます' } }] });

  // A GET's query and variables stay out of nginx's access log, as out of the gateway's: the path and the request id.
  const searched = 'query Find($text: String) { municipalities(filter: { text: $text }) { totalCount } }';
  const get = await through(`/graphql?query=${encodeURIComponent(searched)}&variables=${encodeURIComponent('{"text":"江差"}')}`, {
    headers: { ...staff, 'apollo-require-preflight': 'true', 'x-request-id': 'through-nginx-get' },
  });
  expect(get.status).toBe(200);
  await new Promise((done) => setTimeout(done, 100)); // nginx writes its log line after the answer
  const logged = nginx.accessLog();
  expect(logged).toMatch(/"GET \/graphql HTTP\/1\.1" 200 \d+ [\d.]+ "through-nginx-get"/);
  expect(logged).not.toMatch(/query=|variables=|%E6%B1%9F|江差/);

  // A refused sign-in keeps the gateway's WWW-Authenticate; plain HTTP only redirects.
  const refused = await through('/export/bases.csv', { headers: { authorization: 'Bearer forged' } });
  expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, expect.stringContaining('error="invalid_token"')]);
  const plain = await fetch(`${nginx.http}/graphql`, { redirect: 'manual' });
  expect([plain.status, plain.headers.get('location')]).toEqual([301, expect.stringMatching(/^https:\/\/127\.0\.0\.1\/graphql$/)]);
});

nginxTest('answers in JSON with Retry-After when no gateway answers, never with its HTML page', async () => {
  const nowhere = await startNginx(await freePort()); // nothing listens there: every gateway down
  try {
    const answer = await fetch(`${nowhere.https}/graphql`, {
      dispatcher,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ prefectures { code } }"}',
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('5');
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(await answer.json()).toMatchObject({
      errors: [{ extensions: { code: 'SUBGRAPH_UNAVAILABLE', messageJa: expect.stringContaining('応答しません') } }],
    });
  } finally {
    await nowhere.stop();
  }
});
