/**
 * Class 8 — failures read as what they are: a subgraph whose database drops its connections answers
 * SUBGRAPH_UNAVAILABLE naming itself (not a bare internal error); `/ready` answers within its timeout
 * when the database does not; while stopping, `/ready` answers 503 and requests are still served.
 */
import { Client } from 'pg';
import { READY_TIMEOUT_MS } from '../../shared/http';
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

it("answers SUBGRAPH_UNAVAILABLE with the subgraph's name when its database connections are terminated mid-query", async () => {
  const url = (stack.dispatch.subgraph.dataSource.options as { url: string }).url;
  const locker = await connect(url);
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE visit IN ACCESS EXCLUSIVE MODE'); // the subgraph's read waits on it…
    const answer = stack.query('{ municipality(code: "011002") { name visits(first: 3) { nodes { date } } } }');
    await new Promise((done) => setTimeout(done, 500));
    // …and is cut off, as when PostgreSQL restarts or an administrator terminates the sessions.
    await locker.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    const { status, body } = await answer;
    expect(status).toBe(200);
    expect(body.data!.municipality.name).toBe('札幌市'); // the rest of the answer stands
    expect(body.errors![0].extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'dispatch' });
    expect(JSON.stringify(body)).not.toMatch(/terminat|postgres|127\.0\.0\.1/i);
  } finally {
    await locker.end();
  }
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
