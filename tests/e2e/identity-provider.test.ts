/**
 * Signing in through a prefecture's identity provider: tokens signed with its keys (JWKS_URL, RS256), with
 * the role and prefecture where such providers put them — Entra ID's app roles are a list in `roles`,
 * custom attributes a namespaced claim — read through JWT_ROLE_CLAIM and JWT_PREFECTURE_CLAIM.
 */
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import pino from 'pino';
import { claimsAsNamed } from '../../gateway/auth';
import { startGateway } from '../../gateway/gateway';
import { loadGatewayConfig } from '../../shared/config';
import { postGraphQL, startTestStack } from '../helpers/stack';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../shared/http';

const ISSUER = 'https://login.example.jp/tenant/v2.0';
const AUDIENCE = 'api://advisor-supergraph';
const PREFECTURE_CLAIM = 'https://pref.example.jp/claims/prefecture';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let keys: Server;
let sign: (claims: Record<string, unknown>) => Promise<string>;
beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  keys = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((listening) => keys.listen(0, '127.0.0.1', listening));
  sign = (claims) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
  stack = await startTestStack({
    JWKS_URL: `http://127.0.0.1:${(keys.address() as AddressInfo).port}/keys`,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_ROLE_CLAIM: 'roles',
    JWT_PREFECTURE_CLAIM: PREFECTURE_CLAIM,
  });
});
afterAll(async () => {
  await stack?.stop();
  keys?.close();
});

const viewerOf = async (claims: Record<string, unknown>) => {
  const token = await sign(claims);
  return postGraphQL(stack.gateway.url, '{ viewer { subject role prefecture { code name } } }', undefined, { authorization: `Bearer ${token}` });
};

it("reads the role from the provider's list of app roles and the prefecture from its own claim", async () => {
  const { status, body } = await viewerOf({ sub: 'entra-oid-1', roles: ['Reader', 'ADVISOR'], [PREFECTURE_CLAIM]: '01' });
  expect(status).toBe(200);
  expect(body.data).toEqual({ viewer: { subject: 'entra-oid-1', role: 'ADVISOR', prefecture: { code: '01', name: '北海道' } } });
  // A prefecture kept as a number in the directory is its code.
  expect((await viewerOf({ sub: 'u2', roles: ['PREFECTURE_STAFF'], [PREFECTURE_CLAIM]: 13 })).body.data).toEqual({
    viewer: { subject: 'u2', role: 'PREFECTURE_STAFF', prefecture: { code: '13', name: '東京都' } },
  });
});

it('refuses a token with none or several of the roles, or none in the claim configured, naming the claims it read', async () => {
  for (const claims of [
    { sub: 'u3', roles: ['Reader'], [PREFECTURE_CLAIM]: '01' },
    { sub: 'u4', roles: ['ADVISOR', 'ADMIN'], [PREFECTURE_CLAIM]: '01' },
    { sub: 'u5', role: 'ADMIN' }, // the default claim is not read when another is configured
  ]) {
    const { status, body } = await viewerOf(claims);
    expect(status).toBe(401);
    expect(body.errors![0]).toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
      message: expect.stringContaining(`claims roles and ${PREFECTURE_CLAIM}`),
    });
  }
  // A prefecture-bound role without its prefecture, as before.
  expect((await viewerOf({ sub: 'u6', roles: ['ADVISOR'] })).status).toBe(401);
});

it('finds nested claims by a dotted path (Keycloak: realm_access.roles)', () => {
  const claims = { sub: 's', realm_access: { roles: ['offline_access', 'ANALYST'] }, attributes: { prefecture: ['01'] } };
  expect(claimsAsNamed(claims, { roleClaim: 'realm_access.roles', prefectureClaim: 'attributes.nothing' })).toEqual({
    sub: 's',
    role: 'ANALYST',
    prefecture: undefined,
  });
  // A claim whose own name has dots is read whole first.
  expect(claimsAsNamed({ sub: 's', 'a.b': 'ADMIN' }, { roleClaim: 'a.b' })).toMatchObject({ role: 'ADMIN' });
  expect(claimsAsNamed({ sub: 's', roles: ['ADMIN', 'ADMIN'] }, { roleClaim: 'roles' })).toMatchObject({ role: 'ADMIN' });
  expect(claimsAsNamed({ sub: 's' }, { roleClaim: '__proto__.constructor' })).toMatchObject({ role: undefined });
});

it('answers 503 SUBGRAPH_UNAVAILABLE, not 401, while the provider cannot give its keys, and logs why', async () => {
  const outage = createServer((_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
  await new Promise<void>((listening) => outage.listen(0, '127.0.0.1', listening));
  const lines: string[] = [];
  const gateway = await startGateway(
    loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', JWKS_URL: `http://127.0.0.1:${(outage.address() as AddressInfo).port}/keys` }),
    { log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) },
  );
  try {
    const token = await sign({ sub: 'staff-1', roles: ['PREFECTURE_STAFF'], [PREFECTURE_CLAIM]: '01' });
    const { status, headers, body } = await postGraphQL(gateway.url, '{ viewer { role } }', undefined, { authorization: `Bearer ${token}` });
    expect(status).toBe(503);
    expect(headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS)); // for now: when to try again
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'identity-provider' });
    expect(body.data).toBeUndefined();
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.path === '/graphql');
    expect(line).toMatchObject({ status: 503, errorCodes: ['SUBGRAPH_UNAVAILABLE'], refusal: expect.stringContaining('Expected 200 OK') });
  } finally {
    await gateway.stop();
    outage.close();
  }
});
