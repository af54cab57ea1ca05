/**
 * Changing the shared secrets without stopping the service (README: Changing secrets). While
 * GATEWAY_SECRET_PREVIOUS is set, every subgraph route takes the secret before the change as well as the new
 * one — so gateways not yet restarted go on working beside those that were — and nothing else; while
 * JWT_SECRET_PREVIOUS is set, tokens signed before the change still verify.
 */
import { startGateway } from '../../gateway/gateway';
import { signDevelopmentToken } from '../../gateway/auth';
import { ADVISOR_SIGN_IN_PATH } from '../../shared/authorization';
import { loadGatewayConfig } from '../../shared/config';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER, encodeViewer } from '../../shared/context';
import { DATA_VERSION_PATH } from '../../shared/data-version';
import { TEST_ADMIN, postGraphQL, startTestStack } from '../helpers/stack';

const NEW_SECRET = 'new-gateway-secret-'.padEnd(40, 'n');
const OLD_SECRET = 'old-gateway-secret-'.padEnd(40, 'o');
const NEW_JWT = 'new-jwt-secret-'.padEnd(40, 'j');
const OLD_JWT = 'old-jwt-secret-'.padEnd(40, 'k');

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  // Every service has been restarted with the new secrets, the ones before kept for the change.
  stack = await startTestStack({ GATEWAY_SECRET: NEW_SECRET, GATEWAY_SECRET_PREVIOUS: OLD_SECRET, JWT_SECRET: NEW_JWT, JWT_SECRET_PREVIOUS: OLD_JWT });
});
afterAll(() => stack?.stop());

/** The status of each route a subgraph keeps for the gateway, called with `secret`. */
async function statuses(secret: string): Promise<Record<string, number>> {
  const headers = { [GATEWAY_SECRET_HEADER]: secret, [VIEWER_HEADER]: encodeViewer(TEST_ADMIN), 'content-type': 'application/json' };
  const origin = (url: string) => new URL(url).origin;
  const call = async (url: string, init: RequestInit = {}) => (await fetch(url, { ...init, headers })).status;
  return {
    graphql: await call(stack.bases.subgraph.url, { method: 'POST', body: JSON.stringify({ query: '{ _service { sdl } }' }) }),
    dataVersion: await call(`${origin(stack.supportCenters.subgraph.url)}${DATA_VERSION_PATH}`),
    advisorSignIns: await call(`${origin(stack.dispatch.subgraph.url)}${ADVISOR_SIGN_IN_PATH}`, {
      method: 'POST',
      body: JSON.stringify({ subject: 'nobody', prefectureCode: '01' }),
    }),
    apiKeySessions: await call(`${origin(stack.municipalities.subgraph.url)}/internal/api-key-sessions`, { method: 'POST', body: '{"key":"ak.x"}' }),
    imports: await call(`${origin(stack.dispatch.subgraph.url)}/internal/imports`),
  };
}

it('takes the secret before the change on every subgraph route while it is kept, and no other secret', async () => {
  for (const secret of [NEW_SECRET, OLD_SECRET]) {
    expect(await statuses(secret)).toEqual({ graphql: 200, dataVersion: 200, advisorSignIns: 200, apiKeySessions: 401, imports: 200 });
  }
  // (An API key session refuses the key "ak.x" itself, 401 with its reason; without the secret, it refuses the caller.)
  const refused = await statuses('another-secret-'.padEnd(40, 'x'));
  expect(refused).toEqual({ graphql: 401, dataVersion: 401, advisorSignIns: 401, apiKeySessions: 401, imports: 401 });
});

it('serves through a gateway not yet restarted (old secret) beside one that was, on every route', async () => {
  const old = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', GATEWAY_SECRET: OLD_SECRET, GATEWAY_SECRET_PREVIOUS: undefined }));
  try {
    const advisor = await stack.as('ADVISOR', '01', 'secret-change-advisor'); // the registry is asked for an advisor
    const headline = '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name lastVisit { date } } } }';
    for (const url of [old.url, stack.gateway.url]) {
      const { status, body } = await postGraphQL(url, headline, undefined, advisor);
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(0);
      const origin = new URL(url).origin;
      expect((await fetch(`${origin}/export/municipality-status.csv?prefecture=01`, { headers: advisor })).status).toBe(200);
      expect((await fetch(`${origin}/import/advisors.xlsx?prefecture=01`, { headers: stack.asAdmin })).status).toBe(200);
    }
    // Each subgraph counts the requests that still present the previous secret: when it stops growing, drop it.
    const metrics = await (await fetch(`${new URL(stack.dispatch.subgraph.url).origin}/metrics`)).text();
    expect(Number(/^gateway_secret_previous_total{[^}]*} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
  } finally {
    await old.stop();
  }
});

it('verifies tokens signed before JWT_SECRET changed while the previous secret is kept', async () => {
  const before = await signDevelopmentToken({ secret: OLD_JWT }, { subject: 'signed-before-the-change', role: 'PREFECTURE_STAFF', prefectureCode: '01' });
  const { status, body } = await stack.query('{ prefecture(code: "01") { name } }', undefined, { authorization: `Bearer ${before}` });
  expect(status).toBe(200);
  expect(body.data).toEqual({ prefecture: { name: '北海道' } });
  const other = await signDevelopmentToken({ secret: 'y'.repeat(40) }, { subject: 'forged', role: 'ADMIN' });
  expect((await stack.query('{ prefectures { code } }', undefined, { authorization: `Bearer ${other}` })).status).toBe(401);
});
