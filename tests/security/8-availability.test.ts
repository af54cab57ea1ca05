/**
 * Class 8 — failures read as what they are: a subgraph whose database drops its connections answers
 * SUBGRAPH_UNAVAILABLE naming itself (not a bare internal error); `/ready` answers within its timeout
 * when the database does not; while stopping, `/ready` answers 503 and requests are still served; imports run
 * a few per person and per subgraph at once, the others in turn, a flood refused with 429.
 */
import { request as httpRequest } from 'node:http';
import { Client } from 'pg';
import { GATEWAY_SECRET_HEADER, VIEWER_HEADER, type Viewer, encodeViewer } from '../../shared/context';
import { IMPORTS_WAITING } from '../../shared/import-routes';
import { IMPORTS_PER_PERSON } from '../../gateway/imports';
import { READY_TIMEOUT_MS, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../../shared/http';
import { municipalitiesSubgraph } from '../../subgraphs/municipalities';
import { startTestStack, startTestSubgraph, testEnv } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

/** A connection of the test's own to a subgraph's database. */
async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

/**
 * What `request` answers when the subgraph's database sessions are cut off while it waits on a locked table, as
 * when PostgreSQL restarts or an administrator terminates the sessions.
 */
async function cutOffMidRequest<T>(subgraph: { dataSource: { options: unknown } }, table: string, request: () => Promise<T>): Promise<T> {
  const locker = await connect((subgraph.dataSource.options as { url: string }).url);
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`); // the subgraph's read waits on it…
    const answer = request();
    await new Promise((done) => setTimeout(done, 500));
    await locker.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    return await answer;
  } finally {
    await locker.end();
  }
}

it("answers SUBGRAPH_UNAVAILABLE with the subgraph's name when its database connections are terminated mid-query", async () => {
  const { status, body } = await cutOffMidRequest(stack.dispatch.subgraph, 'visit', () =>
    stack.query('{ municipality(code: "011002") { name visits(first: 3) { nodes { date } } } }'),
  );
  expect(status).toBe(200);
  expect(body.data!.municipality.name).toBe('札幌市'); // the rest of the answer stands
  expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
  expect(JSON.stringify(body)).not.toMatch(/terminat|postgres|127\.0\.0\.1/i);
});

it('answers /ready with 503 within its timeout when the database does not answer, and 503 while stopping', async () => {
  const subgraph = await startTestSubgraph(municipalitiesSubgraph, testEnv({ DATABASE_POOL_SIZE: '1', SHUTDOWN_DELAY_MS: '1500' }));
  const base = new URL('/', subgraph.subgraph.url);
  const locker = await connect((subgraph.subgraph.dataSource.options as { url: string }).url);
  try {
    expect((await fetch(new URL('/ready', base))).status).toBe(200);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE municipality IN ACCESS EXCLUSIVE MODE');
    // The only connection of the pool waits on the lock: the database "does not answer" the probe.
    const held = subgraph.execute('{ municipality(code: "011002") { name } }');
    await new Promise((done) => setTimeout(done, 200));
    const started = Date.now();
    const ready = await fetch(new URL('/ready', base));
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 1500);
    expect(await ready.json()).toMatchObject({ status: 'not ready', detail: `no answer within ${READY_TIMEOUT_MS} ms` });
    await locker.query('ROLLBACK');
    await held;
    const stopping = subgraph.subgraph.stop();
    await new Promise((done) => setTimeout(done, 200));
    const during = await fetch(new URL('/ready', base));
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ detail: 'stopping' });
    expect((await fetch(new URL('/health', base))).status).toBe(200); // still serving while the load balancer notices
    await stopping;
  } finally {
    await locker.end();
    await subgraph.subgraph.stop();
  }
});

/** A POST of `file` whose last line is held back until `finish()`: an upload still on its way. */
function slowUpload(target: string, headers: Record<string, string>, file: string) {
  const request = httpRequest(target, { method: 'POST', headers: { 'content-type': 'text/csv', ...headers } });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    request.on('response', (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, body }));
    });
    request.on('error', reject);
  });
  const cut = file.lastIndexOf('\n', file.length - 2) + 1;
  request.write(file.slice(0, cut));
  return {
    finish: () => {
      request.end(file.slice(cut));
      return answer;
    },
  };
}

describe('imports at once: one person cannot take a subgraph down with them', () => {
  const gatewayUrl = (path: string) => `${new URL(stack.gateway.url).origin}${path}`;
  let csv: string; // the import's own file of two of 北海道's core centers, as stored: a dry run of it is all unchanged
  beforeAll(async () => {
    const download = await (await fetch(gatewayUrl('/import/core-centers.csv?prefecture=01'), { headers: stack.asAdmin })).text();
    csv = `${download.split('\r\n').slice(0, 3).join('\n')}\n`;
  });
  const importAs = (headers: Record<string, string>) =>
    fetch(gatewayUrl('/import/core-centers?dryRun=true'), { method: 'POST', body: csv, headers: { 'content-type': 'text/csv', ...headers } });

  it("refuses a person's fifth import or download while their four imports are still running (429, Retry-After), and no one else's", async () => {
    const staff = await stack.as('PREFECTURE_STAFF', '01', 'busy-staff');
    const four = Array.from({ length: IMPORTS_PER_PERSON }, () => slowUpload(gatewayUrl('/import/core-centers?dryRun=true'), staff, csv));
    await new Promise((done) => setTimeout(done, 300));
    const fifth = await importAs(staff);
    expect(fifth.status).toBe(429);
    expect(fifth.headers.get('retry-after')).toBe('30');
    expect(await fifth.json()).toMatchObject({
      code: 'QUERY_LIMIT_EXCEEDED',
      limit: 'concurrentImports',
      max: IMPORTS_PER_PERSON,
      messageJa: expect.stringContaining('何も書き込んでいません'),
    });
    expect((await importAs(await stack.as('PREFECTURE_STAFF', '01', 'other-staff'))).status).toBe(200);
    // A download of an import's file (up to 50,000 rows, built whole) counts with them.
    const download = (headers: Record<string, string>) => fetch(gatewayUrl('/import/core-centers.xlsx?prefecture=01'), { headers });
    const busyDownload = await download(staff);
    expect([busyDownload.status, busyDownload.headers.get('retry-after')]).toEqual([429, '30']);
    expect(await busyDownload.json()).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'concurrentImports', error: expect.stringContaining('downloads') });
    expect((await download(await stack.as('PREFECTURE_STAFF', '01', 'other-staff'))).status).toBe(200);
    for (const upload of four) expect((await upload.finish()).status).toBe(200);
    expect((await download(staff)).status).toBe(200);
    expect((await importAs(staff)).status).toBe(200); // once they are done
  });

  it('answers an import cut off from its database with 503 SUBGRAPH_UNAVAILABLE, never an internal error', async () => {
    const staff = await stack.as('PREFECTURE_STAFF', '01', 'cut-off-staff');
    const response = await cutOffMidRequest(stack.supportCenters.subgraph, 'core_center', () => importAs(staff));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe(String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    expect(await response.json()).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', messageJa: expect.stringContaining('何も書き込んでいません') });
  });

  it('runs IMPORT_CONCURRENCY imports at once in a subgraph, whoever sends them; the others wait their turn, up to IMPORTS_WAITING', async () => {
    const internal = `${stack.supportCenters.subgraph.url.replace(/\/graphql$/, '')}/internal/imports/core-centers?dryRun=true`;
    const viewer = (subject: string) => ({
      [GATEWAY_SECRET_HEADER]: stack.gatewayConfig.gatewaySecret,
      [VIEWER_HEADER]: encodeViewer({ role: 'PREFECTURE_STAFF', prefectureCode: '01', subject } as Viewer),
    });
    // Without the gateway's secret no upload holds a slot or a place in line: refused before either.
    const strangers = Array.from({ length: 1 + IMPORTS_WAITING }, () => slowUpload(internal, {}, csv));
    await new Promise((done) => setTimeout(done, 300));
    expect((await importAs(await stack.as('PREFECTURE_STAFF', '01', 'third-staff'))).status).toBe(200);
    for (const upload of strangers) expect((await upload.finish()).status).toBe(401);
    // Uploads still arriving (from other gateway replicas, say) hold the subgraph's slot (IMPORT_CONCURRENCY: 1) and fill its line.
    const held = Array.from({ length: 1 + IMPORTS_WAITING }, (_, i) => slowUpload(internal, viewer(`held-${i}`), csv));
    await new Promise((done) => setTimeout(done, 500));
    const refused = await importAs(await stack.as('PREFECTURE_STAFF', '01', 'third-staff'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(await refused.json()).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'concurrentImports', max: 1 });
    // Reads go on meanwhile; every one waiting is run in turn, and the slots are free again after.
    expect((await stack.query('{ coreCenters(first: 1) { totalCount } }')).body.errors).toBeUndefined();
    const statuses = await Promise.all(held.map((upload) => upload.finish().then((a) => a.status)));
    expect(statuses).toEqual(held.map(() => 200));
    expect((await importAs(await stack.as('PREFECTURE_STAFF', '01', 'third-staff'))).status).toBe(200);
  });
});
