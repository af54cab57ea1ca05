/**
 * The caller's address behind a reverse proxy (`TRUSTED_PROXIES`): each request's log line names the
 * caller, not the proxy, and anonymous callers' limits count per caller — while a caller that is not a
 * trusted proxy cannot choose its address by sending `X-Forwarded-For`.
 */
import { startTestStack } from '../helpers/stack';

interface Line {
  msg: string;
  service: string;
  requestId: string;
  clientAddress?: string;
}

/** The gateway's request line of a request sent with `headers` (and its own request id). */
async function lineOf(stack: Awaited<ReturnType<typeof startTestStack>>, headers: Record<string, string>): Promise<Line | undefined> {
  const requestId = `addr-${Math.random().toString(36).slice(2)}`;
  const response = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
    body: JSON.stringify({ query: '{ prefectures { code } }' }),
  });
  await response.arrayBuffer();
  await new Promise((done) => setTimeout(done, 50));
  return stack.logLines.map((l) => JSON.parse(l) as Line).find((l) => l.msg === 'request' && l.service === 'gateway' && l.requestId === requestId);
}

const anonymousNational = '{ prefectures { municipalities { code name population } } }';

describe('behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  beforeAll(async () => {
    // A national municipality list is heavy here, so that anonymous callers meet the per-caller limit.
    stack = await startTestStack({ TRUSTED_PROXIES: 'loopback', QUERY_HEAVY_COST: '1000', QUERY_MAX_HEAVY_PER_VIEWER: '1' });
  });
  afterAll(() => stack?.stop());

  it('logs the address the proxy names, the last one in X-Forwarded-For that is not a trusted proxy', async () => {
    expect((await lineOf(stack, { 'x-forwarded-for': '203.0.113.7' }))?.clientAddress).toBe('203.0.113.7');
    // What the caller wrote before the proxy added its own: not believed (only the proxy's entry is).
    expect((await lineOf(stack, { 'x-forwarded-for': '198.51.100.9, 203.0.113.7' }))?.clientAddress).toBe('203.0.113.7');
    // A chain of trusted proxies: the first address from the right outside them.
    expect((await lineOf(stack, { 'x-forwarded-for': '203.0.113.7, 127.0.0.1' }))?.clientAddress).toBe('203.0.113.7');
    // No header: the connection's own.
    expect((await lineOf(stack, {}))?.clientAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });

  it("counts anonymous callers' heavy operations per caller, not per proxy", async () => {
    const send = (address: string) =>
      fetch(stack.gateway.url, {
        method: 'POST',
        // no-cache: each is computed, none handed a kept answer
        headers: { 'content-type': 'application/json', 'cache-control': 'no-cache', 'x-forwarded-for': address },
        body: JSON.stringify({ query: anonymousNational }),
      }).then((r) => r.status);
    // Six callers at once, each within its one heavy operation: none is refused.
    expect(await Promise.all(['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5', '203.0.113.6'].map(send))).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    // One caller six times at once: refused beyond its one.
    expect(await Promise.all(Array.from({ length: 6 }, () => send('203.0.113.9')))).toContain(429);
  });
});

describe('without TRUSTED_PROXIES', () => {
  let stack: Awaited<ReturnType<typeof startTestStack>>;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.stop());

  it('logs the connection’s address and never believes X-Forwarded-For', async () => {
    const line = await lineOf(stack, { 'x-forwarded-for': '203.0.113.7' });
    expect(line?.clientAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
  });
});
