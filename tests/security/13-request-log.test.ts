/**
 * Class 13 — a request answered without a trace: refusals at the door (a bad token, a sign-in the advisor
 * registry no longer backs, a query over a limit, a body that is not JSON), exports and imports, unknown
 * paths and callers of a subgraph without the gateway's secret went unlogged — or, for an export, were
 * logged once per internal operation — and exports and imports answered without the `x-request-id` a
 * caller quotes when reporting a problem. Every request now gets its id and exactly one log line per
 * service, saying who asked (role and subject), what (method and path, never the query string), how it
 * ended (status, error codes, the refusal's reason) and how long it took.
 */
import { connect } from 'node:net';
import { addDays, todayInJapan } from '../../shared/dates';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let origin: string;
beforeAll(async () => {
  stack = await startTestStack();
  origin = new URL(stack.gateway.url).origin;
});
afterAll(() => stack?.stop());

interface Line {
  service: string;
  msg: string;
  requestId: string;
  method: string;
  path: string;
  status: number;
  role: string | null;
  subject?: string;
  operationName: string | null;
  errorCodes: unknown[];
  subgraphFetches?: number;
  refusal?: string;
  durationMs: number;
}

/** The request lines logged for `requestId`, by service; the log is written once the answer has gone out. */
async function linesOf(requestId: string, service = 'gateway'): Promise<Line[]> {
  await new Promise((done) => setTimeout(done, 50));
  return stack.logLines.map((l) => JSON.parse(l) as Line).filter((l) => l.msg === 'request' && l.requestId === requestId && l.service === service);
}

/** Sends a request with a request id of its own; answers the response and the gateway's one line for it. */
async function traced(path: string, init: RequestInit = {}): Promise<{ response: Response; line: Line }> {
  const requestId = `log-${Math.random().toString(36).slice(2)}`;
  const response = await fetch(`${origin}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': requestId } });
  await response.arrayBuffer();
  expect(response.headers.get('x-request-id')).toBe(requestId);
  const lines = await linesOf(requestId);
  expect(lines).toHaveLength(1); // one line: not none, not one per internal operation
  return { response, line: lines[0] };
}

const post = (query: string, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify({ query }),
});

it('logs a refusal at the door once, with its code, its reason and who was refused', async () => {
  const bad = await traced('/graphql', post('{ prefectures { code } }', { authorization: 'Bearer not.a.token' }));
  expect(bad.response.status).toBe(401);
  expect(bad.line).toMatchObject({ method: 'POST', path: '/graphql', status: 401, role: null, errorCodes: ['UNAUTHENTICATED'] });
  expect(bad.line.refusal).toContain('the token is invalid');

  // A sign-in the advisor registry no longer backs: the line names the subject, so the attempt can be followed up.
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'log-staff');
  const created = await stack.query(
    'mutation($i: CreateAdvisorInput!) { createAdvisor(input: $i) { id version } }',
    { i: { prefectureCode: '01', name: '記録 花子', activeFrom: '2024-04-01', subject: 'idp|log-departed' } },
    staff,
  );
  const { id, version } = created.body.data!.createAdvisor;
  const ended = addDays(todayInJapan(), -1);
  await stack.query(`mutation { deactivateAdvisor(id: "${id}", version: ${version}, activeUntil: "${ended}") { active } }`, undefined, staff);
  const departed = await stack.as('ADVISOR', '01', 'idp|log-departed');
  for (const [path, init] of [
    ['/graphql', post('{ prefecture(code: "01") { name } }', departed)],
    ['/export/visits.csv?prefecture=01', { headers: departed }],
  ] as const) {
    const { response, line } = await traced(path, init);
    expect(response.status).toBe(403);
    expect(line).toMatchObject({ status: 403, role: 'ADVISOR', subject: 'idp|log-departed', errorCodes: ['FORBIDDEN'] });
    expect(line.refusal).toContain(`ended on ${ended}`);
  }

  // Refused before Apollo Server: a batch, a body that is not JSON.
  const batch = await traced('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ __typename }"}]' });
  expect(batch.line).toMatchObject({ status: 400, errorCodes: ['QUERY_LIMIT_EXCEEDED'] });
  const broken = await traced('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
  expect(broken.line).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  // Refused by Apollo Server before any plugin runs: a form post (CSRF), a method it does not take, a body with no query.
  const form = await traced('/graphql', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ __typename }"}' });
  expect(form.line).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  const put = await traced('/graphql', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
  expect(put.line).toMatchObject({ status: 405, errorCodes: ['BAD_REQUEST'] });
  const empty = await traced('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(empty.line).toMatchObject({ status: 400, errorCodes: ['BAD_REQUEST'] });
  // An answer with errors from the operation itself names each once, not again from their formatting.
  const invalid = await traced('/graphql', post('{ prefecture(code: "01") { nope } }'));
  expect(invalid.line).toMatchObject({ status: 400, errorCodes: ['GRAPHQL_VALIDATION_FAILED'] });
});

it('logs an export, an import download, a kept answer and an unknown path once each, without the query string', async () => {
  const staff = await stack.as('PREFECTURE_STAFF', '01', 'log-exporter');
  const exported = await traced('/export/municipality-status.csv?prefecture=01&asOf=2025-04-01', { headers: staff });
  expect(exported.response.status).toBe(200);
  expect(exported.line).toMatchObject({ method: 'GET', path: '/export/municipality-status.csv', status: 200, subject: 'log-exporter', errorCodes: [] });
  expect(exported.line.subgraphFetches).toBeGreaterThanOrEqual(4); // all of the export's operations, on its one line
  expect(JSON.stringify(exported.line)).not.toContain('2025-04-01');

  const refused = await traced('/export/visits.csv?prefecture=02', { headers: staff });
  expect(refused.line).toMatchObject({ status: 403, errorCodes: ['FORBIDDEN'], subject: 'log-exporter' });

  const download = await traced('/import/advisors.xlsx?prefecture=01', { headers: staff });
  expect(download.line).toMatchObject({ path: '/import/advisors.xlsx', status: 200, role: 'PREFECTURE_STAFF' });
  // The subgraph that wrote the file logs the same request id, and who it was for.
  expect(await linesOf(download.line.requestId, 'dispatch')).toEqual([
    expect.objectContaining({ path: '/internal/imports/advisors/download', status: 200, subject: 'log-exporter' }),
  ]);

  const towns = post('query LogTowns { prefecture(code: "01") { municipalities { code } } }', staff);
  await traced('/graphql', towns);
  const kept = await traced('/graphql', towns); // answered from what the gateway kept, before express
  expect(kept.line).toMatchObject({ operationName: 'LogTowns', status: 200, subgraphFetches: 0, subject: 'log-exporter' });

  // A GET's query string (a document, variables) stays out of the log.
  const get = await traced(`/graphql?query=${encodeURIComponent('query LogGet { prefectures { name } }')}`, {
    headers: { 'apollo-require-preflight': 'true' },
  });
  expect(get.line).toMatchObject({ method: 'GET', path: '/graphql', status: 200, operationName: 'LogGet' });
  expect(JSON.stringify(get.line)).not.toContain('prefectures');

  const unknown = await traced('/no-such-path');
  expect(unknown.line).toMatchObject({ status: 404, errorCodes: ['NOT_FOUND'], role: null });
});

it('logs a call to a subgraph without the gateway’s secret, and keeps probes out of the log', async () => {
  const requestId = `log-direct-${Date.now()}`;
  const direct = await fetch(stack.dispatch.subgraph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(direct.status).toBe(401);
  expect(await linesOf(requestId, 'dispatch')).toEqual([expect.objectContaining({ status: 401, errorCodes: ['UNAUTHENTICATED'], role: null })]);

  const probe = `log-probe-${Date.now()}`;
  for (const path of ['/health', '/ready']) expect((await fetch(`${origin}${path}`, { headers: { 'x-request-id': probe } })).status).toBe(200);
  expect(await linesOf(probe)).toEqual([]);
});

it('logs a request HTTP cannot read — refused before any route saw it — with an id it answers with, never its bytes', async () => {
  const { hostname, port } = new URL(origin);
  const raw = (bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(bytes, 'utf8')));
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
  for (const [bytes, status] of [
    ['GET /export/worklist.csv?prefecture=北海道 HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    [`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'秘'.repeat(7_000)}\r\n\r\n`, 431],
  ] as const) {
    const answer = await raw(bytes);
    const requestId = /\r\nx-request-id: ([0-9a-f-]{36})\r\n/.exec(answer)?.[1];
    expect(requestId).toBeDefined();
    const lines = await linesOf(requestId!);
    expect(lines).toEqual([expect.objectContaining({ status, method: null, path: null, errorCodes: ['BAD_REQUEST'], refusal: expect.any(String) })]);
    expect(JSON.stringify(lines)).not.toMatch(/北海道|秘/);
  }
});

it("writes Apollo Server's and Apollo Gateway's own messages as lines of the service's JSON log, not the console", async () => {
  const lines = () => stack.logLines.map((l) => JSON.parse(l) as { service: string; component?: string; msg: string; level: number });
  // Apollo Gateway says so when it has loaded the supergraph.
  expect(lines().some((l) => l.service === 'gateway' && l.component === 'apollo' && l.msg.startsWith('Gateway successfully loaded schema'))).toBe(true);
  // Apollo Server's logger, on the gateway and on a subgraph.
  stack.gateway.apollo.logger.warn('a warning of Apollo Server');
  stack.municipalities.subgraph.apollo.logger.error(Object.assign(new Error('value "山田" rejected'), { name: 'QueryFailedError', code: '22P02' }));
  expect(lines()).toContainEqual(expect.objectContaining({ service: 'gateway', component: 'apollo', level: 40, msg: 'a warning of Apollo Server' }));
  expect(lines()).toContainEqual(expect.objectContaining({ service: 'municipalities', component: 'apollo', level: 50, msg: 'database error 22P02' }));
  expect(stack.logLines.join('')).not.toContain('山田'); // a database error's message may quote a stored value
});
