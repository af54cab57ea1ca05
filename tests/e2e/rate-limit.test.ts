/**
 * Each caller's points a minute (gateway/rate-limit.ts), through the gateway over HTTP: kept answers charged
 * like computed ones, refusals before any subgraph fetch, people counted apart behind one address, anonymous
 * callers by an address they cannot choose, exports charged once.
 */
import { startTestStack } from '../helpers/stack';

const BUDGET = 30_000;
const ANONYMOUS_BUDGET = 20_000;
const EXPORT_COST = 5_000;

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack({
    QUERY_MAX_COST: '20000',
    QUERY_HEAVY_COST: String(EXPORT_COST),
    RATE_LIMIT_POINTS_PER_MINUTE: String(BUDGET),
    RATE_LIMIT_ANONYMOUS_POINTS_PER_MINUTE: String(ANONYMOUS_BUDGET),
  });
});
afterAll(() => stack?.stop());

const GAPS = '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name population lastVisit { date } } } }';
const ONE = '{ municipality(code: "011002") { name } }';
const ALL_MUNICIPALITIES = '{ prefectures { municipalities { code name population } } }';

const remainingOf = (headers: Headers) => Number(headers.get('ratelimit-remaining'));
/** Refusals this file has met, for the operators' count. */
let refusalsMet = 0;
const met = (status: number) => {
  if (status === 429) refusalsMet += 1;
  return status;
};

it('takes each answer’s cost from its caller’s minute, kept answers too, and past it refuses with 429 before any subgraph fetch', async () => {
  const advisor = await stack.as('ADVISOR', '01', 'rate-advisor-a');
  const first = await stack.countFetches(GAPS, undefined, advisor);
  expect(first.response.status).toBe(200);
  expect(first.fetches.length).toBeGreaterThan(0);
  expect(first.response.headers.get('ratelimit-limit')).toBe(String(BUDGET));
  expect(first.response.headers.get('ratelimit-policy')).toBe(`${BUDGET};w=60`);
  const cost = BUDGET - remainingOf(first.response.headers);
  expect(cost).toBeGreaterThan(100); // a list of municipalities with their visits, not one point a request
  const fits = Math.floor(BUDGET / cost);
  for (let n = 2; n <= fits; n += 1) {
    const again = await stack.countFetches(GAPS, undefined, advisor);
    expect(again.response.status).toBe(200);
    expect(again.fetches).toEqual([]); // a kept answer, handed out before Apollo Server: charged all the same
    expect(remainingOf(again.response.headers)).toBe(BUDGET - n * cost);
  }
  const refused = await stack.countFetches(GAPS, undefined, advisor);
  expect(met(refused.response.status)).toBe(429);
  expect(refused.fetches).toEqual([]);
  const left = BUDGET - fits * cost;
  const reset = Number(refused.response.headers.get('ratelimit-reset'));
  expect(reset).toBeGreaterThanOrEqual(1);
  expect(reset).toBeLessThanOrEqual(60);
  expect(refused.response.headers.get('retry-after')).toBe(String(reset));
  expect(remainingOf(refused.response.headers)).toBe(left);
  const [error] = refused.response.body.errors!;
  expect(error.extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'rate', cost, remaining: left, budget: BUDGET });
  expect(error.message).toContain(
    `this operation costs ${cost.toLocaleString('en-US')} points and ${left.toLocaleString('en-US')} of your 30,000 points a minute are left`,
  );
  expect(error.extensions!.messageJa).toContain('1分あたりの利用上限（30,000ポイント）に達しました');
  expect(refused.response.body.data).toBeUndefined();

  // The refusal cost nothing: what is left still pays for a cheaper question, exactly.
  const cheap = await stack.countFetches(ONE, undefined, await stack.as('ADVISOR', '01', 'rate-advisor-measure'));
  const cheapCost = BUDGET - remainingOf(cheap.response.headers);
  const after = await stack.query(ONE, undefined, advisor);
  expect(met(after.status)).toBe(cheapCost <= left ? 200 : 429);
  if (after.status === 200) expect(remainingOf(after.headers)).toBe(left - cheapCost);

  // Another advisor of the same prefecture, sharing the kept answer and the address, has a minute of their own.
  const other = await stack.countFetches(GAPS, undefined, await stack.as('ADVISOR', '01', 'rate-advisor-b'));
  expect(other.response.status).toBe(200);
  expect(other.fetches).toEqual([]);
  expect(remainingOf(other.response.headers)).toBe(BUDGET - cost);
});

it('counts anonymous callers by their address, which X-Forwarded-For does not change, and signed-in callers there apart', async () => {
  const anonymous = { 'x-forwarded-for': '203.0.113.7' };
  const first = await stack.query(ALL_MUNICIPALITIES, undefined, anonymous);
  expect(first.status).toBe(200);
  expect(first.headers.get('ratelimit-limit')).toBe(String(ANONYMOUS_BUDGET));
  const cost = ANONYMOUS_BUDGET - remainingOf(first.headers);
  for (let n = 2; n <= Math.floor(ANONYMOUS_BUDGET / cost); n += 1) expect((await stack.query(ALL_MUNICIPALITIES, undefined, {})).status).toBe(200);
  // Another address claimed in a header the gateway does not trust (no TRUSTED_PROXIES) is the same caller.
  const refused = await stack.query(ALL_MUNICIPALITIES, undefined, { 'x-forwarded-for': '198.51.100.9' });
  expect(met(refused.status)).toBe(429);
  expect(refused.body.errors![0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'rate', budget: ANONYMOUS_BUDGET });
  // A person signed in from that address is not held to the anonymous callers' budget.
  const signedIn = await stack.query(ALL_MUNICIPALITIES, undefined, await stack.as('ANALYST', undefined, 'rate-analyst'));
  expect(signedIn.status).toBe(200);
  expect(signedIn.headers.get('ratelimit-limit')).toBe(String(BUDGET));
});

it('charges an export once, as one heavy operation, however many pages it reads, and refuses one past the budget before any row', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'rate-staff');
  const origin = new URL(stack.gateway.url).origin;
  const download = () => fetch(`${origin}/export/municipality-status.csv?prefecture=01`, { headers: staff });
  const exports = BUDGET / EXPORT_COST;
  for (let n = 1; n <= exports; n += 1) {
    const file = await download();
    expect(file.status).toBe(200);
    expect(remainingOf(file.headers)).toBe(BUDGET - n * EXPORT_COST);
    // 北海道's 179 municipalities, whole: its pages are not charged (the last export runs with no points left).
    expect((await file.text()).trim().split('\r\n')).toHaveLength(1 + 179);
  }
  const refused = await download();
  expect(met(refused.status)).toBe(429);
  expect(refused.headers.get('content-type')).toContain('application/json');
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  // In the shape of every route's refusal (shared/http.ts), in both languages.
  expect(await refused.json()).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit: 'rate',
    error: expect.stringContaining('this operation costs 5,000 points and 0 of your 30,000 points a minute are left'),
    messageJa: expect.stringContaining('この操作は5,000ポイント、残りは0ポイントです'),
  });
  // One budget for everything the caller sends: its queries are refused too until the minute ends.
  expect(met((await stack.query(ONE, undefined, staff)).status)).toBe(429);
});

it("counts every refusal once for the operators, a kept answer's included", async () => {
  // The advisor's refused query was a kept answer's: declined on the short path, refused by Apollo Server's — once.
  expect(refusalsMet).toBeGreaterThanOrEqual(4);
  const metrics = await (await fetch(new URL('/metrics', stack.gateway.url))).text();
  expect(metrics).toMatch(new RegExp(`^gateway_rate_limit_refusals_total\\{service="gateway"\\} ${refusalsMet}$`, 'm'));
});
