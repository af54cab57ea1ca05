/** Partial answers when a subgraph is down or slow, and the request log. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import pino from 'pino';
import { startGateway } from '../../gateway/gateway';
import { projectPath } from '../../shared/paths';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { readCsv, writeCsv } from '../../shared/csv';
import { SAMPLE_FILES } from '../../subgraphs/bases/import';
import { loadGatewayConfig } from '../../shared/config';
import { postGraphQL, startTestStack } from '../helpers/stack';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../shared/http';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

const HEADLINE =
  '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 10000) { code name population visits(first: 5) { totalCount } lastVisit { date } } } }';

it('logs one line per request with its fetches and error codes, without variables', async () => {
  const { response } = await stack.countFetches('query Headline($p: ID!) { prefecture(code: $p) { name } }', { p: '01' });
  const requestId = response.headers.get('x-request-id');
  const lines = stack.logLines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request' && l.requestId === requestId);
  const line = lines.find((l) => 'subgraphFetches' in l); // the gateway's
  expect(line).toMatchObject({
    method: 'POST',
    path: '/graphql',
    status: 200,
    operationName: 'Headline',
    role: 'ADMIN',
    subject: 'test-admin',
    subgraphFetches: 1,
    subgraphs: ['municipalities'],
    errorCodes: [],
  });
  expect(typeof line.durationMs).toBe('number');
  expect(JSON.stringify(line)).not.toContain('"p"');
  // The subgraph logs the same request id: one trail from the gateway down.
  expect(lines.find((l) => !('subgraphFetches' in l))).toMatchObject({ operationName: 'Headline__municipalities__0', role: 'ADMIN', errorCodes: [] });
});

it('returns the gap list with visits null and an error naming dispatch when dispatch is down', async () => {
  // A gateway of its own whose dispatch URL points nowhere (the stack's subgraphs stay up for the other tests).
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: 'http://127.0.0.1:9/graphql' }));
  try {
    const { body } = await postGraphQL(gateway.url, HEADLINE, undefined, stack.asAdmin);
    const gaps = body.data!.prefecture.coreCenterGaps as Array<{ name: string; visits: unknown; lastVisit: unknown }>;
    expect(gaps.length).toBeGreaterThan(10);
    expect(gaps.every((g) => g.name && g.visits === null && g.lastVisit === null)).toBe(true);
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
    expect(body.errors![0].message).toContain('dispatch subgraph is unavailable');
    expect(JSON.stringify(body)).not.toContain('127.0.0.1'); // no internal address reaches the client
  } finally {
    await gateway.stop();
  }
});

it('names the subgraph whose host cannot be found, as for any other failed connection', async () => {
  const gateway = await startGateway(
    loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: 'http://dispatch.invalid/graphql', SUBGRAPH_TIMEOUT_MS: '3000' }),
  );
  try {
    const { body } = await postGraphQL(gateway.url, HEADLINE, undefined, stack.asAdmin);
    expect(body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(10);
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
  } finally {
    await gateway.stop();
  }
});

/**
 * A gateway whose supergraph is this release's with the bases subgraph's SDL edited — a gateway of another release
 * than the stack's bases subgraph — logging into `lines`.
 */
async function gatewayOfAnotherRelease(editBases: (sdl: string) => string) {
  const composed = composeServices(
    ['municipalities', 'support-centers', 'bases', 'dispatch'].map((name) => {
      const sdl = readFileSync(projectPath('subgraphs', name, 'schema.graphql'), 'utf8');
      return { name, url: `http://127.0.0.1/${name}`, typeDefs: parse(name === 'bases' ? editBases(sdl) : sdl) };
    }),
  );
  expect(composed.errors).toBeUndefined();
  const lines: string[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) });
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0' }), { supergraphSdl: composed.supergraphSdl, log });
  const warnings = () => lines.map((l) => JSON.parse(l)).filter((l) => l.subgraph === 'bases' && /another release/.test(l.msg));
  const metrics = async () => (await fetch(new URL('/metrics', gateway.url))).text();
  return { gateway, warnings, metrics };
}

it('says every subgraph of the same release is simply ready (what each serves is what the supergraph says it has)', async () => {
  await fetch(new URL('/ready', stack.gateway.url)); // starts the question
  await new Promise((done) => setTimeout(done, 1500));
  const ready = await fetch(new URL('/ready', stack.gateway.url));
  expect(stack.logLines.filter((l) => /another release/.test(l))).toEqual([]);
  expect(await ready.json()).toEqual({
    status: 'ready',
    detail: { municipalities: 'ready', 'support-centers': 'ready', bases: 'ready', dispatch: 'ready' },
  });
});

it("answers a subgraph of another release (a field the gateway expects and it lacks) as SUBGRAPH_UNAVAILABLE naming it, never as the caller's invalid query, and tells the operators what it lacks", async () => {
  // The bases subgraph lacks a root field and a Municipality field of the gateway's supergraph: the gateway of the
  // next release, deployed before the subgraph.
  const { gateway, warnings, metrics } = await gatewayOfAnotherRelease((sdl) =>
    sdl
      .replace(/^type Query \{/m, (m) => `${m}\n  """new"""\n  nextReleaseField: String\n`)
      .replace(/^(type Municipality\n[^{]*)\{/m, (m) => `${m}\n  """new"""\n  nextReleaseCoverage: String\n`),
  );
  try {
    // Before any caller meets it: the gateway's readiness names what the subgraph lacks (ready all the same: a rollout
    // passes through this state), and the log says it once.
    // (The first probe starts the question; a later one reads the answer.)
    let detail: Record<string, string> = {};
    for (let i = 0; i < 50 && !detail.bases?.startsWith('ready, but'); i += 1) {
      const ready = await fetch(new URL('/ready', gateway.url));
      expect(ready.status).toBe(200);
      detail = ((await ready.json()) as { detail: Record<string, string> }).detail;
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(detail).toEqual({
      municipalities: 'ready',
      'support-centers': 'ready',
      bases:
        'ready, but runs another release than the gateway: lacks Municipality.nextReleaseCoverage, Query.nextReleaseField (what the gateway asks of it there is answered SUBGRAPH_UNAVAILABLE)',
      dispatch: 'ready',
    });
    expect(warnings()).toEqual([expect.objectContaining({ level: 40, lacks: ['Municipality.nextReleaseCoverage', 'Query.nextReleaseField'] })]);
    const asked = '{ municipality(code: "011002") { name population baseCoverage nextReleaseCoverage } }';
    for (const query of [asked, asked, '{ nextReleaseField }']) {
      const { status, body } = await postGraphQL(gateway.url, query, undefined, { ...stack.asAdmin, 'accept-language': 'ja' });
      expect(status).toBe(200);
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'bases' });
      expect(body.errors![0].message).toContain('異なるリリース');
    }
    // What the other subgraphs hold is answered.
    const { body } = await postGraphQL(gateway.url, asked, undefined, stack.asAdmin);
    expect(body.data!.municipality).toMatchObject({ name: '札幌市', population: 1955678, nextReleaseCoverage: null });
    expect(body.errors![0].message).toBe(
      'The bases subgraph is unavailable: it runs another release than the gateway, and cannot answer this part until the deployment finishes',
    );
    // The operators are told once a minute, with what the subgraph lacks.
    expect(warnings()).toHaveLength(1); // once a minute, however many callers meet it
    expect(await metrics()).toMatch(/^gateway_subgraph_release_mismatches_total\{subgraph="bases",service="gateway"\} 4$/m);
    // The subgraphs of this release are answered as before through the same gateway.
    expect((await postGraphQL(gateway.url, '{ municipality(code: "011002") { baseCoverage } }', undefined, stack.asAdmin)).body).toEqual({
      data: { municipality: { baseCoverage: expect.any(String) } },
    });
  } finally {
    await gateway.stop();
  }
});

it('answers a value a subgraph of a later release gives and the gateway does not know (an enum value added) as SUBGRAPH_UNAVAILABLE at its path, never a silent null, and keeps no such answer', async () => {
  // The gateway's supergraph lacks BaseCoverage.NONE, which the stack's bases subgraph answers: a gateway of the
  // release before, the subgraph deployed first.
  const [none] = (
    await stack.query('{ municipalities(filter: { prefectureCodes: ["01"] }, first: 100) { nodes { code baseCoverage } } }')
  ).body.data!.municipalities.nodes.filter((m: { baseCoverage: string }) => m.baseCoverage === 'NONE');
  expect(none).toBeDefined();
  const { gateway, warnings, metrics } = await gatewayOfAnotherRelease((sdl) => sdl.replace(/"""No base \(未整備\)"""\n\s*NONE\n/, ''));
  try {
    const asked = `{ municipality(code: "${none.code}") { name baseCoverage baseCoverageLabel } }`;
    for (const headers of [{ ...stack.asAdmin, 'accept-language': 'ja' }, stack.asAdmin]) {
      const { status, body } = await postGraphQL(gateway.url, asked, undefined, headers);
      expect(status).toBe(200);
      expect(body.data!.municipality).toMatchObject({ baseCoverage: null, baseCoverageLabel: '未整備' });
      expect(body.errors).toEqual([
        expect.objectContaining({
          path: ['municipality', 'baseCoverage'],
          extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'bases' }),
        }),
      ]);
      expect(JSON.stringify(body)).not.toContain('valueCompletion');
    }
    expect(warnings()).toEqual([expect.objectContaining({ lacks: ['Municipality.baseCoverage (a value of it)'] })]);
    const counted = await metrics();
    expect(counted).toMatch(/^gateway_subgraph_release_mismatches_total\{subgraph="bases",service="gateway"\} 2$/m);
    expect(counted).not.toMatch(/^gateway_answers_kept_total\{how="kept"/m);
  } finally {
    await gateway.stop();
  }
});

it('gives up on a subgraph that does not answer within its timeout', async () => {
  const silent: Server = createServer(() => undefined); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: url, SUBGRAPH_TIMEOUT_MS: '300' }));
  try {
    const started = Date.now();
    const { body } = await postGraphQL(gateway.url, HEADLINE, undefined, stack.asAdmin);
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the timeout, not hanging
    expect(body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(10);
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
    expect(body.errors![0].message).toContain('no answer within 300 ms');
  } finally {
    await gateway.stop();
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

it('serves Prometheus metrics on every service, by operation name, without note text', async () => {
  await stack.query('query HeadlineMetrics { prefecture(code: "01") { coreCenterGaps(populationBelow: 2000) { code visits(first: 1) { totalCount } } } }');
  const origin = (url: string) => new URL(url).origin;
  const gatewayMetrics = await (await fetch(`${origin(stack.gateway.url)}/metrics`)).text();
  expect(gatewayMetrics).toMatch(/graphql_requests_total\{[^}]*operation="HeadlineMetrics"[^}]*\} \d+/);
  expect(gatewayMetrics).toMatch(/gateway_subgraph_fetch_duration_seconds_count\{[^}]*subgraph="dispatch",outcome="ok"[^}]*\} \d+/);
  expect(gatewayMetrics).toContain('graphql_request_duration_seconds_bucket');
  for (const subgraph of [stack.municipalities, stack.supportCenters, stack.bases, stack.dispatch]) {
    const text = await (await fetch(`${origin(subgraph.subgraph.url)}/metrics`)).text();
    expect(text).toContain('db_pool_connections_in_use');
    expect(text).toContain('graphql_requests_total');
  }
  expect(gatewayMetrics).not.toContain('PLANTED');
});

it('labels metrics by operation for the saved questions and signed-in callers: made-up names from anyone anonymous take no label', async () => {
  const origin = (url: string) => new URL(url).origin;
  const labelled = async (url: string) =>
    new Set([...(await (await fetch(`${origin(url)}/metrics`)).text()).matchAll(/^graphql_requests_total\{[^}]*operation="(\w+)"/gm)].map((m) => m[1]));
  // More made-up names than there are labels, each asked anonymously (of the gateway, and through it of a subgraph).
  for (let i = 0; i < 60; i += 1) await postGraphQL(stack.gateway.url, `query Flood${i} { prefectures { code } }`);
  await postGraphQL(stack.gateway.url, 'query SignedInAfterTheFlood { prefectures { code } }', undefined, await stack.as('ANALYST'));
  await postGraphQL(stack.gateway.url, 'query HeadlineGaps { prefectures { code } }'); // a saved question's name: labelled whoever asks
  const gateway = await labelled(stack.gateway.url);
  expect([...gateway].filter((name) => name.startsWith('Flood'))).toEqual([]);
  expect(gateway).toContain('SignedInAfterTheFlood');
  expect(gateway).toContain('HeadlineGaps');
  expect(gateway).toContain('other');
  const subgraph = await labelled(stack.municipalities.subgraph.url);
  expect([...subgraph].filter((name) => name.startsWith('Flood'))).toEqual([]);
  expect([...subgraph].some((name) => name.startsWith('SignedInAfterTheFlood'))).toBe(true);
});

it('lets a request in flight finish when the gateway stops, and says it is not ready meanwhile', async () => {
  let release!: () => void;
  const slow: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      release = () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { _entities: JSON.parse(body).variables.representations.map(() => ({ lastVisit: null })) } }));
      };
    });
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/graphql`;
  // A delay before the listener closes, as in production, so that /ready can be seen answering 503.
  const gateway = await startGateway(loadGatewayConfig({ ...stack.env, GATEWAY_PORT: '0', DISPATCH_URL: url, SHUTDOWN_DELAY_MS: '500' }));
  try {
    const inFlight = postGraphQL(
      gateway.url,
      '{ prefecture(code: "01") { coreCenterGaps(populationBelow: 2000) { code lastVisit { date } } } }',
      undefined,
      stack.asAdmin,
    );
    while (!release) await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = gateway.stop();
    const ready = await fetch(`${new URL(gateway.url).origin}/ready`);
    expect(ready.status).toBe(503); // still listening while stopping: not ready
    release();
    const { body } = await inFlight;
    expect(body.errors).toBeUndefined();
    expect(body.data!.prefecture.coreCenterGaps.length).toBeGreaterThan(0);
    await stopped;
  } finally {
    await gateway.stop();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  }
});

it('answers a statement the database cancelled — stuck behind a lock, ended by statement_timeout or an operator — as SUBGRAPH_UNAVAILABLE, not an internal error', async () => {
  const { url } = stack.municipalities.subgraph.dataSource.options as { url: string };
  const [locker, operator] = [new Client({ connectionString: url }), new Client({ connectionString: url })];
  await Promise.all([locker.connect(), operator.connect()]);
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE municipality IN ACCESS EXCLUSIVE MODE'); // a migration, a DBA's maintenance
    const answer = stack.query('{ municipalities(first: 3, filter: { populationBelow: 4321 }) { nodes { code } } }', undefined, {
      ...stack.asAdmin,
      'cache-control': 'no-cache',
    });
    // The subgraph's statement waits on the lock; the operator cancels it (as statement_timeout would).
    let cancelled = 0;
    for (let tries = 0; cancelled === 0 && tries < 200; tries += 1) {
      const { rows } = await operator.query(
        "SELECT count(pg_cancel_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1",
        [(locker as unknown as { processID: number }).processID],
      );
      cancelled = rows[0].n;
      if (cancelled === 0) await new Promise((done) => setTimeout(done, 25));
    }
    expect(cancelled).toBeGreaterThan(0);
    const { body } = await answer;
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(body.errors![0].message).toMatch(/did not answer in time/);
    expect(body.errors![0].extensions?.messageJa).toMatch(/応答が時間内にありませんでした/);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    await Promise.all([locker.end(), operator.end()]);
  }
});

it('answers a change while the database takes none (read-only: a standby after a failover, maintenance) as SUBGRAPH_UNAVAILABLE saying so, and reads as usual', async () => {
  const { url } = stack.bases.subgraph.dataSource.options as { url: string };
  const operator = new Client({ connectionString: url });
  await operator.connect();
  // New connections are read-only, and the subgraph's open ones are closed (as a failover closes them).
  const readOnly = async (on: boolean) => {
    const database = (await operator.query('SELECT current_database() AS name')).rows[0].name as string;
    await operator.query(`ALTER DATABASE "${database}" ${on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only'}`);
    await operator.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  };
  const staff = await stack.as('PREFECTURE_STAFF', '01');
  const [base] = await stack.bases.subgraph.dataSource.query(`SELECT id, version FROM base WHERE prefecture_code = '01' AND closed_on IS NULL LIMIT 1`);
  const close = `mutation($i: CloseBaseInput!) { closeBase(input: $i) { id } }`;
  try {
    await readOnly(true);
    let answer = await stack.query(close, { i: { id: base.id, version: base.version, closedOn: '2025-01-01' } }, staff);
    // The first try may meet a connection the failover closed; the next meets the read-only database.
    if (/cannot reach/.test(answer.body.errors?.[0]?.message ?? '')) {
      answer = await stack.query(close, { i: { id: base.id, version: base.version, closedOn: '2025-01-01' } }, staff);
    }
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['SUBGRAPH_UNAVAILABLE']);
    expect(answer.body.errors![0].message).toMatch(/takes no changes now \(read-only/);
    expect(answer.body.errors![0].extensions?.messageJa).toMatch(/読み取り専用/);
    // An import likewise: nothing written, 503 saying why.
    const { columns, rows } = readCsv(readFileSync(SAMPLE_FILES.bases, 'utf8'));
    const file = writeCsv(columns, [{ ...rows.find((r) => r.values.prefecture_code === '01')!.values, name: '読み取り専用の確認' }]);
    const imported = await fetch(new URL('/import/bases', stack.gateway.url), {
      method: 'POST',
      body: file,
      headers: { ...staff, 'content-type': 'text/csv' },
    });
    expect(imported.status).toBe(503);
    expect(imported.headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(await imported.json()).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', messageJa: expect.stringMatching(/読み取り専用.*何も書き込んでいません/) });
    const read = await stack.query('{ bases(filter: { prefectureCodes: ["01"] }, first: 1) { totalCount } }', undefined, {
      ...staff,
      'cache-control': 'no-cache',
    });
    expect(read.body.errors).toBeUndefined();
  } finally {
    await readOnly(false);
    await operator.end();
  }
  // Writable again: the change goes through.
  const after = await stack.query(close, { i: { id: base.id, version: base.version, closedOn: '2025-01-01' } }, staff);
  expect(after.body.errors?.[0]?.message ?? '').not.toMatch(/read-only/);
});
