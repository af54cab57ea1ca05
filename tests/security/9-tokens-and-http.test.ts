/**
 * Class 9 — tokens and the HTTP surface: a token's lifetime is bounded and its iat/nbf checked with a
 * small skew, role names match exactly; /metrics is off the public surface in production; no CDN
 * landing page; request ids are checked before use; CORS only for the configured origins.
 */
import { SignJWT } from 'jose';
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { postGraphQL, startTestStack } from '../helpers/stack';

const SECRETS = { GATEWAY_SECRET: 'g'.repeat(40), JWT_SECRET: 'j'.repeat(40) };
const FRONT_END = 'https://advisor.pref.example.jp';
let stack: Awaited<ReturnType<typeof startTestStack>>;
let production: Awaited<ReturnType<typeof startGateway>>;
let withMetricsToken: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  stack = await startTestStack({ ...SECRETS, CORS_ORIGINS: FRONT_END });
  const env = { ...stack.env, NODE_ENV: 'production', GATEWAY_PORT: '0', SHUTDOWN_DELAY_MS: '0', CORS_ORIGINS: '' };
  production = await startGateway(loadGatewayConfig(env));
  withMetricsToken = await startGateway(loadGatewayConfig({ ...env, METRICS_TOKEN: 'm'.repeat(40) }));
});
afterAll(async () => {
  await production?.stop();
  await withMetricsToken?.stop();
  await stack?.stop();
});

const now = () => Math.floor(Date.now() / 1000);
async function token(claims: Record<string, unknown>, times: { iat?: number; exp: number; nbf?: number }): Promise<string> {
  const jwt = new SignJWT({ role: 'ADMIN', ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject('t').setExpirationTime(times.exp);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.nbf !== undefined) jwt.setNotBefore(times.nbf);
  return jwt.sign(new TextEncoder().encode(SECRETS.JWT_SECRET));
}
const viewer = (bearer: string) => postGraphQL(stack.gateway.url, '{ viewer { role } }', undefined, { authorization: `Bearer ${bearer}` });

it.each([
  ['issued in the future', {}, { iat: now() + 3600, exp: now() + 7200 }, 'iat', '未来'],
  ['valid for 31 years', {}, { iat: now(), exp: now() + 31 * 365 * 86400 }, 'longer than 12 hours', '12 時間'],
  ['without iat', {}, { exp: now() + 3600 }, 'iat', 'iat'],
  ['not valid yet', {}, { iat: now(), nbf: now() + 3600, exp: now() + 7200 }, 'nbf', 'nbf'],
  ['with a lower-case role', { role: 'admin' }, { iat: now(), exp: now() + 3600 }, 'role', '役割'],
  ['with a mixed-case role', { role: 'Advisor', prefecture: '01' }, { iat: now(), exp: now() + 3600 }, 'role', '役割'],
  ['that has expired', {}, { iat: now() - 7200, exp: now() - 60 }, 'expired', '有効期限'],
])('refuses a token %s with 401, saying why in English and Japanese', async (_case, claims, times, mentions, mentionsJa) => {
  const { status, body } = await viewer(await token(claims, times));
  expect(status).toBe(401);
  expect(body.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  expect(body.errors![0].message).toContain(mentions);
  // Each refusal says why in Japanese too (not one phrase for all).
  expect(body.errors![0].extensions!.reasonJa).toContain(mentionsJa);
});

it('accepts a token issued a few seconds ahead of the clock (skew) and one of 12 hours', async () => {
  expect((await viewer(await token({}, { iat: now() + 30, exp: now() + 3600 }))).body.data).toEqual({ viewer: { role: 'ADMIN' } });
  expect((await viewer(await token({}, { iat: now(), exp: now() + 12 * 3600 }))).body.data).toEqual({ viewer: { role: 'ADMIN' } });
});

it('serves no /metrics on the public port in production, and only with the bearer token when one is set', async () => {
  expect((await fetch(new URL('/metrics', production.url))).status).toBe(404);
  expect((await fetch(new URL('/metrics', withMetricsToken.url))).status).toBe(401);
  const scraped = await fetch(new URL('/metrics', withMetricsToken.url), { headers: { authorization: `Bearer ${'m'.repeat(40)}` } });
  expect(scraped.status).toBe(200);
  expect(await scraped.text()).toContain('process_cpu');
});

it("serves no landing page from Apollo's CDN: a JSON 404 in production, the explorer in development", async () => {
  const prod = await fetch(production.url, { headers: { accept: 'text/html' } });
  expect(prod.status).toBe(404);
  expect(prod.headers.get('content-type')).toContain('application/json');
  expect(await prod.text()).not.toMatch(/apollographql|cdn|<script/i);
  const dev = await fetch(stack.gateway.url, { headers: { accept: 'text/html' }, redirect: 'manual' });
  expect(dev.status).toBe(302);
  expect(dev.headers.get('location')).toBe('/explorer');
  // HEAD answers as GET does, without a body (it was a 400 "CSRF" refusal: an uptime monitor read the gateway as broken).
  const head = await fetch(stack.gateway.url, { method: 'HEAD', redirect: 'manual' });
  expect([head.status, head.headers.get('location')]).toEqual([302, '/explorer']);
  expect((await fetch(production.url, { method: 'HEAD' })).status).toBe(404);
});

it('answers a method /graphql does not take with 405 naming GET, HEAD and POST, on the gateway and every subgraph, whatever the content type', async () => {
  // It was Apollo Server's CSRF refusal (400) without a content type, and a 405 whose Allow left out HEAD with one.
  for (const url of [stack.gateway.url, stack.municipalities.subgraph.url, stack.dispatch.subgraph.url]) {
    for (const [method, headers] of [
      ['PUT', {}],
      ['DELETE', {}],
      ['PATCH', { 'content-type': 'application/json' }],
    ] as const) {
      const answer = await fetch(url, { method, headers, body: method === 'DELETE' ? undefined : '{"query":"{ __typename }"}' });
      expect([answer.status, answer.headers.get('allow')]).toEqual([405, 'GET, HEAD, POST']);
      const { errors } = (await answer.json()) as { errors: { message: string; extensions: { code: string; messageJa: string } }[] };
      expect(errors[0].message).toContain(`does not take ${method}: send GET, HEAD, or POST`);
      expect(errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', messageJa: expect.stringContaining('GET / HEAD / POST のいずれかで送って') });
    }
    const options = await fetch(url, { method: 'OPTIONS' });
    expect([options.status, options.headers.get('allow')]).toEqual([204, 'GET, HEAD, POST, OPTIONS']);
  }
  // HEAD with an operation answers as its GET would, without a body.
  const asked = `${stack.gateway.url}?query=${encodeURIComponent('{ __typename }')}`;
  const head = await fetch(asked, { method: 'HEAD', headers: { 'apollo-require-preflight': '1' } });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
});

it('replaces a request id that is too long or not of the allowed characters, before it is logged or audited', async () => {
  for (const given of ['<script>alert(1)</script>', 'x'.repeat(65), "a'; DROP TABLE x;--", 'ok\u00e9']) {
    const { headers } = await postGraphQL(stack.gateway.url, '{ prefectures { code } }', undefined, { 'x-request-id': given });
    expect(headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  }
  const { headers } = await postGraphQL(stack.gateway.url, '{ prefectures { code } }', undefined, { 'x-request-id': 'tablet-7f3c.0001' });
  expect(headers.get('x-request-id')).toBe('tablet-7f3c.0001');
});

it('marks every answer of every service nosniff and no-referrer, whoever writes it: Apollo Server, a kept answer, a route, an error', async () => {
  const origin = new URL(stack.gateway.url).origin;
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const answers = [
    await post(JSON.stringify({ query: '{ prefectures { code } }' })), // read afresh, or kept
    await post(JSON.stringify({ query: '{ prefectures { code } }' })), // a kept answer, handed out before express
    await post(JSON.stringify({ query: '{ prefecture(code: "<script>alert(1)</script>") { name } }' })), // an error quoting the value
    await post('{ not json'),
    await fetch(`${origin}/export/visits.csv`, { headers: staff }), // an export: free text
    await fetch(`${origin}/import/advisors.csv`, { headers: staff }),
    await fetch(`${origin}/import/core-centers`, { method: 'POST', headers: { ...staff, 'content-type': 'text/csv' }, body: 'x' }), // refused
    await fetch(`${origin}/explorer`),
    await fetch(`${origin}/no-such-path`),
    await fetch(`${origin}/health`),
    await fetch(`${origin}/metrics`),
    ...(await Promise.all(
      [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch].map(({ subgraph }) =>
        fetch(subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      ),
    )),
  ];
  for (const answer of answers) {
    expect([answer.url, answer.headers.get('x-content-type-options')]).toEqual([answer.url, 'nosniff']);
    expect([answer.url, answer.headers.get('referrer-policy')]).toEqual([answer.url, 'no-referrer']);
  }
});

it('answers every 401, whichever route refused, with WWW-Authenticate naming both schemes, and invalid_token on the one a refused credential used; no credentials at all is 401 on exports as on imports', async () => {
  const origin = new URL(stack.gateway.url).origin;
  const post = (headers: Record<string, string>) =>
    fetch(stack.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query":"{ viewer { role } }"}' });
  const bearer = { authorization: 'Bearer forged.token.here' };
  const apiKey = { authorization: 'ApiKey ak.forged' };
  const none = {};
  const cases: Array<[string, Promise<Response>, 'Bearer' | 'ApiKey' | undefined]> = [
    ['graphql, a forged token', post(bearer), 'Bearer'],
    ['graphql, a forged API key', post(apiKey), 'ApiKey'],
    ['graphql, a forged X-API-Key', post({ 'x-api-key': 'ak.forged' }), 'ApiKey'],
    ['export, anonymous', fetch(`${origin}/export/municipality-status.csv`), undefined],
    ['export workbook, anonymous', fetch(`${origin}/export/bases.xlsx`), undefined],
    ['export, a forged token', fetch(`${origin}/export/municipality-status.csv`, { headers: bearer }), 'Bearer'],
    ['import, anonymous', fetch(`${origin}/import/core-centers`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: 'x' }), undefined],
    ['import file, anonymous', fetch(`${origin}/import/advisors.xlsx`, { headers: none }), undefined],
    ['import file, a forged API key', fetch(`${origin}/import/advisors.xlsx`, { headers: apiKey }), 'ApiKey'],
    ['metrics, no token', fetch(new URL('/metrics', withMetricsToken.url)), undefined],
    ['metrics, a wrong token', fetch(new URL('/metrics', withMetricsToken.url), { headers: { authorization: 'Bearer wrong' } }), 'Bearer'],
    [
      'a subgraph, without the gateway secret',
      fetch(stack.dispatch.subgraph.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }),
      undefined,
    ],
  ];
  for (const [what, answered, refusedScheme] of cases) {
    const answer = await answered;
    const challenge = (scheme: string) => `${scheme} realm="advisor-api"${scheme === refusedScheme ? ', error="invalid_token"' : ''}`;
    expect([what, answer.status, answer.headers.get('www-authenticate')]).toEqual([what, 401, `${challenge('Bearer')}, ${challenge('ApiKey')}`]);
    const body = await answer.json();
    expect([what, body.code ?? body.errors?.[0]?.extensions?.code]).toEqual([what, 'UNAUTHENTICATED']);
  }
  // A refusal that is no 401 says nothing of how to authenticate: a role that may not (403), a bad parameter (400).
  const advisor = await stack.as('ADVISOR', '01');
  for (const answer of [
    await fetch(`${origin}/import/advisors.xlsx`, { headers: advisor }),
    await fetch(`${origin}/export/visits.csv?prefecture=13`, { headers: advisor }),
    await fetch(`${origin}/export/municipality-status.csv?asOf=2025-13-01`, { headers: advisor }),
  ]) {
    expect([answer.url, answer.status >= 400 && answer.status !== 401, answer.headers.get('www-authenticate')]).toEqual([answer.url, true, null]);
  }
});

it('answers CORS preflights for the configured origins only', async () => {
  const preflight = (origin: string) =>
    fetch(stack.gateway.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
  const allowed = await preflight(FRONT_END);
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get('access-control-allow-origin')).toBe(FRONT_END);
  expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
  const other = await preflight('https://evil.example');
  expect(other.status).toBe(403);
  expect(other.headers.get('access-control-allow-origin')).toBeNull();
  const post = (origin: string) =>
    fetch(stack.gateway.url, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ prefectures { code } }' }),
    });
  // Read afresh, then a kept answer (handed out before express): the same CORS headers either way.
  for (let i = 0; i < 2; i += 1) {
    const answer = await post(FRONT_END);
    expect(answer.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    expect(answer.headers.get('access-control-expose-headers')).toBe(
      'x-request-id, content-disposition, retry-after, www-authenticate, ratelimit-policy, ratelimit-limit, ratelimit-remaining, ratelimit-reset',
    );
    expect(answer.headers.get('vary')).toBe('origin, authorization, accept');
    expect((await post('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  }
  // A front end saves a download under the name the gateway gives it.
  const download = await fetch(`${new URL(stack.gateway.url).origin}/import/advisors.csv`, {
    headers: { origin: FRONT_END, ...(await stack.as('PREFECTURE_STAFF', '01')) },
  });
  expect(download.headers.get('access-control-allow-origin')).toBe(FRONT_END);
  expect(download.headers.get('access-control-expose-headers')).toContain('content-disposition');
  // Without CORS_ORIGINS, no origin is allowed.
  const none = await fetch(production.url, { method: 'OPTIONS', headers: { origin: FRONT_END, 'access-control-request-method': 'POST' } });
  expect(none.headers.get('access-control-allow-origin')).toBeNull();
});
