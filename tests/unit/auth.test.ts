/** Token verification at the gateway, with verified tokens remembered no longer than they are valid. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createTokenVerifier, signDevelopmentToken } from '../../gateway/auth';

const config = { secret: 's'.repeat(40) };

it('remembers a verified token only until it expires', async () => {
  // The clock is moved, not waited for: Date is faked, timers and promises are real.
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
  try {
    const verify = createTokenVerifier(config);
    const token = await signDevelopmentToken(config, { subject: 'a', role: 'ADMIN' }, Math.floor(Date.now() / 1000) + 2);
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'a', role: 'ADMIN' });
    expect(await verify(`Bearer ${token}`)).toMatchObject({ subject: 'a', role: 'ADMIN' }); // remembered
    jest.setSystemTime(Date.now() + 2_100);
    await expect(verify(`Bearer ${token}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringContaining('expired') });
  } finally {
    jest.useRealTimers();
  }
});

it('never remembers a refused token', async () => {
  const verify = createTokenVerifier(config);
  const forged = await signDevelopmentToken({ secret: 'x'.repeat(40) }, { subject: 'a', role: 'ADMIN' });
  for (let i = 0; i < 2; i += 1) await expect(verify(`Bearer ${forged}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

it('accepts tokens signed with the previous secret while JWT_SECRET is being changed, and no others', async () => {
  const previous = 'p'.repeat(40);
  const changing = createTokenVerifier({ secret: config.secret, previousSecret: previous });
  const before = await signDevelopmentToken({ secret: previous }, { subject: 'signed-before', role: 'ADVISOR', prefectureCode: '01' });
  const after = await signDevelopmentToken(config, { subject: 'signed-after', role: 'ADMIN' });
  expect(await changing(`Bearer ${before}`)).toMatchObject({ subject: 'signed-before', role: 'ADVISOR' });
  expect(await changing(`Bearer ${after}`)).toMatchObject({ subject: 'signed-after' });
  const other = await signDevelopmentToken({ secret: 'x'.repeat(40) }, { subject: 'a', role: 'ADMIN' });
  await expect(changing(`Bearer ${other}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  // Once the change is over (no previous secret), the old tokens are refused.
  await expect(createTokenVerifier(config)(`Bearer ${before}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
});

describe("the identity provider's keys (JWKS_URL), when the provider fails", () => {
  // A key server whose answer the test sets: the key set, an error page, or no connection at all.
  let mode: 'up' | 'error page' | 'down' = 'up';
  let fetches = 0;
  let keyServer: Server;
  let jwksUrl: string;
  let signWith: (kid: string, subject: string) => Promise<string>;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    keyServer = createServer((req, res) => {
      fetches += 1;
      if (mode === 'down') req.socket.destroy();
      else if (mode === 'error page') res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((listening) => keyServer.listen(0, '127.0.0.1', listening));
    jwksUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/keys`;
    signWith = (kid, subject) =>
      new SignJWT({ role: 'ADMIN' }).setProtectedHeader({ alg: 'RS256', kid }).setSubject(subject).setIssuedAt().setExpirationTime('1h').sign(privateKey);
  });
  afterAll(() => keyServer.close());
  beforeEach(() => {
    mode = 'up';
    fetches = 0;
  });

  it('is the server failing (503 SUBGRAPH_UNAVAILABLE, identity-provider), never the token (401), and asked again only after a while', async () => {
    for (const failing of ['error page', 'down'] as const) {
      mode = failing;
      const verify = createTokenVerifier({ jwksUrl });
      const refusal = {
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'identity-provider', http: { status: 503 }, messageJa: expect.stringContaining('認証基盤') },
      };
      await expect(verify(`Bearer ${await signWith('k1', 'a')}`)).rejects.toMatchObject(refusal);
      const asked = fetches;
      // The next requests do not wait for the provider again: the same answer at once.
      await expect(verify(`Bearer ${await signWith('k1', 'b')}`)).rejects.toMatchObject(refusal);
      expect(fetches).toBe(asked);
    }
  });

  it('goes on verifying with the keys the provider gave last while it cannot be reached, and refuses tokens they do not verify', async () => {
    const verify = createTokenVerifier({ jwksUrl }, { cacheMaxAgeMs: 20 });
    expect(await verify(`Bearer ${await signWith('k1', 'before')}`)).toMatchObject({ subject: 'before', role: 'ADMIN' });
    mode = 'down';
    await new Promise((elapsed) => setTimeout(elapsed, 40)); // the keys are due to be fetched again
    expect(await verify(`Bearer ${await signWith('k1', 'during')}`)).toMatchObject({ subject: 'during', role: 'ADMIN' });
    expect(fetches).toBe(2);
    // A key id the last keys do not have, or a forged signature: the token's fault, as always.
    await expect(verify(`Bearer ${await signWith('k2', 'unknown key')}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const forged = (await signWith('k1', 'forged')).replace(/\.[^.]+$/, '.AAAA');
    await expect(verify(`Bearer ${forged}`)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
