/**
 * Class 12 — a sign-in the advisor registry (アドバイザー名簿) no longer backs: an identity provider may go on
 * issuing ADVISOR tokens to someone whose term has ended (or not begun), or for another prefecture than the
 * one they serve. The registry outranks the token: such a sign-in is refused whole (403) on every route —
 * GraphQL, kept answers, exports, imports — from the moment the registry says so, whoever changed it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGateway } from '../../gateway/gateway';
import { ADVISOR_SIGN_IN_PATH } from '../../shared/authorization';
import { loadGatewayConfig } from '../../shared/config';
import { addDays, todayInJapan } from '../../shared/dates';
import { postGraphQL, startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const today = todayInJapan();
const NOTES = '{ prefecture(code: "01") { visits(first: 3) { nodes { id summary notes } } } }';
const GAPS = '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code lastVisit { date } } } }';
const LOOKUP = 'SELECT * FROM advisor WHERE subject = $1';

/** Registers an advisor of prefecture 01 linked to `subject`; returns its id and version. */
async function register(subject: string, activeFrom = '2024-04-01'): Promise<{ id: string; version: number }> {
  const { body } = await stack.query(
    'mutation($i: CreateAdvisorInput!) { createAdvisor(input: $i) { id version } }',
    { i: { prefectureCode: '01', name: '名簿 太郎', activeFrom, subject } },
    await stack.as('PREFECTURE_STAFF', '01', 'sec-registry-staff'),
  );
  expect(body.errors).toBeUndefined();
  return body.data!.createAdvisor;
}

function expectRefused(response: { status: number; body: { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> } }, reason: string) {
  expect(response.status).toBe(403);
  expect(response.body.data ?? null).toBeNull();
  expect(response.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: expect.stringContaining(reason), reasonJa: expect.any(String) });
}

it('refuses an advisor whose term ended, at once, on GraphQL, kept answers, exports and imports', async () => {
  const { id, version } = await register('idp|departing');
  const advisor = await stack.as('ADVISOR', '01', 'idp|departing');
  // Serving: reads notes, gets a kept answer, exports, downloads.
  const notes = await stack.query(NOTES, undefined, advisor);
  expect(notes.body.errors).toBeUndefined();
  expect(notes.body.data!.prefecture.visits.nodes.length).toBeGreaterThan(0);
  expect((await stack.query(GAPS, undefined, advisor)).status).toBe(200);
  expect((await stack.query(GAPS, undefined, advisor)).status).toBe(200); // kept
  const origin = new URL(stack.gateway.url).origin;
  expect((await fetch(`${origin}/export/visits.csv?prefecture=01`, { headers: advisor })).status).toBe(200);

  // Staff end the term today (activeUntil: the last day, included): the advisor still serves today …
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'sec-registry-staff');
  const deactivate = (v: number, until: string) =>
    stack.query(`mutation { deactivateAdvisor(id: "${id}", version: ${v}, activeUntil: "${until}") { active } }`, undefined, staff);
  expect((await deactivate(version, today)).body.data).toEqual({ deactivateAdvisor: { active: true } });
  expect((await stack.query(NOTES, undefined, advisor)).status).toBe(200);
  // … and not once the last day has passed (here: the term is corrected to have ended yesterday).
  expect((await deactivate(version + 1, addDays(today, -1))).body.data).toEqual({ deactivateAdvisor: { active: false } });

  const refused = await stack.query(NOTES, undefined, advisor);
  expectRefused(refused, `your term as an advisor in the advisor registry ended on ${addDays(today, -1)}`);
  expect(refused.body.errors![0].extensions!.reasonJa).toContain(`委嘱期間は ${addDays(today, -1)} に終了しています`);
  expectRefused(await stack.query(GAPS, undefined, advisor), 'ended'); // the kept answer is not handed out
  const exported = await fetch(`${origin}/export/visits.csv?prefecture=01`, { headers: advisor });
  expect(exported.status).toBe(403);
  expect(await exported.json()).toMatchObject({ code: 'FORBIDDEN', messageJa: expect.stringContaining('に終了しています') });
  const download = await fetch(`${origin}/import/visits.csv`, { headers: advisor });
  expect(download.status).toBe(403);
  expect(await download.json()).toMatchObject({ code: 'FORBIDDEN' });
  // A mutation too (the write path would refuse the visit; the sign-in is refused before it).
  expectRefused(await stack.query('mutation { eraseVisitNotes(id: "00000000-0000-4000-8000-000000000000", version: 1) { id } }', undefined, advisor), 'ended');
});

it('follows the registry whoever changes it (another process, SQL), a term not begun, and another prefecture', async () => {
  await register('idp|sql-changed');
  const advisor = await stack.as('ADVISOR', '01', 'idp|sql-changed');
  expect((await stack.query(GAPS, undefined, advisor)).status).toBe(200);
  const db = stack.dispatch.subgraph.dataSource;
  // An import command or an operator's SQL, not through this gateway: seen on the very next request.
  await db.query("UPDATE advisor SET active_until = $1 WHERE subject = 'idp|sql-changed'", [addDays(today, -1)]);
  expectRefused(await stack.query(GAPS, undefined, advisor), 'ended');
  await db.query("UPDATE advisor SET active_until = $1 WHERE subject = 'idp|sql-changed'", [today]); // the last day
  expect((await stack.query(GAPS, undefined, advisor)).status).toBe(200);
  await db.query("UPDATE advisor SET active_until = NULL, active_from = $1 WHERE subject = 'idp|sql-changed'", [addDays(today, 1)]);
  const notYet = await stack.query(GAPS, undefined, advisor);
  expectRefused(notYet, `begins on ${addDays(today, 1)}`);
  expect(notYet.body.errors![0].extensions!.reasonJa).toContain(`委嘱期間は ${addDays(today, 1)} から`);
  await db.query("UPDATE advisor SET active_from = '2024-04-01' WHERE subject = 'idp|sql-changed'");
  expect((await stack.query(GAPS, undefined, advisor)).status).toBe(200);
  // The same person's token for another prefecture: the registry says which one they serve.
  expectRefused(await stack.query(GAPS, undefined, await stack.as('ADVISOR', '13', 'idp|sql-changed')), 'an advisor of prefecture 01');
  // Unlinked sign-ins, staff and analysts go on as their tokens say.
  for (const headers of [await stack.as('ADVISOR', '01', 'idp|not-in-registry'), await stack.as('PREFECTURE_STAFF', '01'), await stack.as('ANALYST')]) {
    expect((await stack.query(GAPS, undefined, headers)).status).toBe(200);
  }
});

it('asks the registry once per sign-in until the registry changes, not on every request', async () => {
  await register('idp|often');
  const advisor = await stack.as('ADVISOR', '01', 'idp|often');
  const lookups = async (run: () => Promise<unknown>) => (await stack.dispatch.sql.during(run)).statements.filter((s) => s === LOOKUP).length;
  expect(await lookups(() => stack.query(GAPS, undefined, advisor))).toBe(1);
  expect(await lookups(() => stack.query(GAPS, undefined, advisor))).toBe(0);
  expect(await lookups(() => stack.query(NOTES, undefined, advisor))).toBe(0);
  // Any change of the dispatch subgraph's data: asked again.
  await stack.dispatch.subgraph.dataSource.query("UPDATE advisor SET affiliation = 'changed' WHERE subject = 'idp|often'");
  expect(await lookups(() => stack.query(GAPS, undefined, advisor))).toBe(1);
  // Only the gateway may ask the registry (no one learns from it who is linked).
  const direct = await fetch(new URL(ADVISOR_SIGN_IN_PATH, stack.dispatch.subgraph.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject: 'idp|often', prefectureCode: '01' }),
  });
  expect(direct.status).toBe(401);
  expect(await direct.text()).not.toContain('refused');
});

it('when the registry cannot be asked, its last answer stands; a sign-in it never answered for is refused for now (503), not let through', async () => {
  await register('idp|outage-known');
  const { id, version } = await register('idp|outage-departed');
  await stack.query(
    `mutation { deactivateAdvisor(id: "${id}", version: ${version}, activeUntil: "${addDays(today, -1)}") { active } }`,
    undefined,
    await stack.as('PREFECTURE_STAFF', '01', 'sec-registry-staff'),
  );
  // A gateway of its own whose way to dispatch can be cut.
  const dispatchUrl = new URL(stack.dispatch.subgraph.url);
  let up = true;
  const relay: Server = createServer((req, res) => {
    if (!up) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const answer = await fetch(new URL(req.url!, dispatchUrl), {
        method: req.method,
        headers: Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)) as [string, string][],
        body: req.method === 'GET' ? undefined : Buffer.concat(chunks),
      });
      res.writeHead(answer.status, Object.fromEntries(answer.headers));
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const gateway = await startGateway(
    loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: `http://127.0.0.1:${(relay.address() as AddressInfo).port}${dispatchUrl.pathname}` }),
  );
  try {
    const known = await stack.as('ADVISOR', '01', 'idp|outage-known');
    const departed = await stack.as('ADVISOR', '01', 'idp|outage-departed');
    const ask = (headers: Record<string, string>) => postGraphQL(gateway.url, '{ prefecture(code: "01") { name } }', undefined, headers);
    expect((await ask(known)).status).toBe(200);
    expectRefused(await ask(departed), 'ended');
    up = false;
    // Dispatch is out of reach: what the registry last said stands; the prefecture's name still comes from municipalities.
    expect((await ask(known)).body.data).toEqual({ prefecture: { name: '北海道' } });
    expectRefused(await ask(departed), 'ended');
    const unknown = await ask(await stack.as('ADVISOR', '01', 'idp|outage-never-seen'));
    expect(unknown.status).toBe(503);
    expect(unknown.body.errors![0].extensions).toMatchObject({
      code: 'SUBGRAPH_UNAVAILABLE',
      serviceName: 'dispatch',
      messageJa: expect.stringContaining('アドバイザー名簿'),
    });
    // Others do not depend on the registry.
    expect((await ask(await stack.as('PREFECTURE_STAFF', '01'))).body.data).toEqual({ prefecture: { name: '北海道' } });
  } finally {
    await gateway.stop();
    relay.closeAllConnections();
    await new Promise((resolve) => relay.close(resolve));
  }
});
