/** Each caller's points a minute (gateway/rate-limit.ts): who is counted with whom, what a refusal costs, when it is whole again. */
import type { Viewer } from '../../shared/context';
import { CallerBudgets, rateLimitError, rateLimitHeaders } from '../../gateway/rate-limit';

const person = (subject: string, prefectureCode: string | null = '01'): Viewer => ({ subject, role: 'ADVISOR', prefectureCode });
const ANONYMOUS: Viewer = { subject: null, role: null, prefectureCode: null };

afterEach(() => jest.useRealTimers());

it("takes each operation's cost from its caller's minute, and refuses one it has not the points for, at no cost", async () => {
  const budgets = new CallerBudgets({ pointsPerMinute: 1000, anonymousPointsPerMinute: 100 });
  expect(await budgets.charge(person('a'), '10.0.0.1', 600)).toMatchObject({ allowed: true, cost: 600, limit: 1000, remaining: 400 });
  const refused = await budgets.charge(person('a'), '10.0.0.1', 500);
  expect(refused).toMatchObject({ allowed: false, cost: 500, remaining: 400 });
  expect(refused!.resetSeconds).toBeGreaterThan(0);
  expect(refused!.resetSeconds).toBeLessThanOrEqual(60);
  // The refused one cost nothing: a cheaper one still fits, exactly.
  expect(await budgets.charge(person('a'), '10.0.0.1', 400)).toMatchObject({ allowed: true, remaining: 0 });
  // Every operation costs at least a point.
  expect(await budgets.charge(person('a'), '10.0.0.1', 0)).toMatchObject({ allowed: false, cost: 1 });
});

it('counts people by who they are, API keys by key, and anonymous callers by address', async () => {
  const budgets = new CallerBudgets({ pointsPerMinute: 1000, anonymousPointsPerMinute: 100 });
  await budgets.charge(person('a'), '10.0.0.1', 1000);
  // Another person behind the same LGWAN address, of the same role and prefecture, has a minute of their own.
  expect(await budgets.charge(person('b'), '10.0.0.1', 1000)).toMatchObject({ allowed: true });
  // An API key is counted as itself, whatever subject its viewer carries.
  const key = (id: string): Viewer => ({ subject: 'api-key', role: 'ANALYST', prefectureCode: null, apiKeyId: id });
  await budgets.charge(key('k1'), '10.0.0.1', 1000);
  expect(await budgets.charge(key('k2'), '10.0.0.1', 1)).toMatchObject({ allowed: true });
  expect(await budgets.charge(key('k1'), '10.0.0.1', 1)).toMatchObject({ allowed: false });
  // Anonymous callers share their address's smaller budget; another address has its own.
  expect(await budgets.charge(ANONYMOUS, '10.0.0.1', 100)).toMatchObject({ allowed: true, limit: 100, remaining: 0 });
  expect(await budgets.charge(ANONYMOUS, '10.0.0.1', 1)).toMatchObject({ allowed: false });
  expect(await budgets.charge(ANONYMOUS, '10.0.0.2', 1)).toMatchObject({ allowed: true });
  // The same IPv4 address written as IPv6 (a dual-stack socket) is the same caller.
  expect(await budgets.charge(ANONYMOUS, '::ffff:10.0.0.1', 1)).toMatchObject({ allowed: false });
});

it('counts an anonymous IPv6 caller by its /64: another address of the same block brings no fresh budget', async () => {
  const budgets = new CallerBudgets({ pointsPerMinute: 1000, anonymousPointsPerMinute: 100 });
  expect(await budgets.charge(ANONYMOUS, '2001:db8:1:2::1', 100)).toMatchObject({ allowed: true });
  for (const sameBlock of ['2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:abcd'])
    expect(await budgets.charge(ANONYMOUS, sameBlock, 1)).toMatchObject({ allowed: false });
  expect(await budgets.charge(ANONYMOUS, '2001:db8:1:3::1', 100)).toMatchObject({ allowed: true });
  // Whatever the socket or a trusted proxy hands over that is no address is counted as given.
  expect(await budgets.charge(ANONYMOUS, 'unknown', 100)).toMatchObject({ allowed: true });
});

it('gives back what a later limit refused, and is whole again a minute after the first charge', async () => {
  jest.useFakeTimers({ now: new Date('2026-12-06T01:00:00Z') });
  const budgets = new CallerBudgets({ pointsPerMinute: 1000, anonymousPointsPerMinute: 100 });
  const charged = await budgets.charge(person('a'), '10.0.0.1', 700);
  expect(await budgets.refund(person('a'), '10.0.0.1', charged!)).toMatchObject({ remaining: 1000 });
  await budgets.charge(person('a'), '10.0.0.1', 1000);
  jest.advanceTimersByTime(30_000);
  expect(await budgets.charge(person('a'), '10.0.0.1', 1)).toMatchObject({ allowed: false, resetSeconds: 30 });
  jest.advanceTimersByTime(30_001);
  expect(await budgets.charge(person('a'), '10.0.0.1', 1000)).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 60 });
});

it('applies no budget that is turned off (0)', async () => {
  const budgets = new CallerBudgets({ pointsPerMinute: 0, anonymousPointsPerMinute: 0 });
  expect(await budgets.charge(person('a'), '10.0.0.1', 1e9)).toBeNull();
  expect(await budgets.charge(ANONYMOUS, '10.0.0.1', 1e9)).toBeNull();
});

it('says the budget in headers, and a refusal in both languages with when to try again', () => {
  const charge = { allowed: false, cost: 14_429, limit: 1_000_000, remaining: 4_399, resetSeconds: 58 };
  expect(Object.fromEntries(rateLimitHeaders(charge))).toEqual({
    'ratelimit-policy': '1000000;w=60',
    'ratelimit-limit': '1000000',
    'ratelimit-remaining': '4399',
    'ratelimit-reset': '58',
    'retry-after': '58',
  });
  expect(Object.fromEntries(rateLimitHeaders({ ...charge, allowed: true }))['retry-after']).toBeUndefined();
  const error = rateLimitError(charge);
  expect(error.extensions).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'rate',
    cost: 14_429,
    remaining: 4_399,
    budget: 1_000_000,
    http: { status: 429 },
  });
  expect(error.message).toBe(
    'this operation costs 14,429 points and 4,399 of your 1,000,000 points a minute are left: send it again in 58 s, or ask for fewer items / ' +
      '1分あたりの利用上限（1,000,000ポイント）に達しました。この操作は14,429ポイント、残りは4,399ポイントです。58秒後に再度送信するか、取得する件数を減らしてください',
  );
});
