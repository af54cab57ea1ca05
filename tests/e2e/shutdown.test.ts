/**
 * SIGTERM on real processes: the gateway lets a request in flight finish, refuses new ones and exits 0;
 * a subgraph closes its database connections and exits 0; a request that would outlast the grace
 * period does not hold the exit up.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { databaseNameFor } from '../../shared/config';
import { linesNotJson } from '../../shared/log';
import { startProcess } from '../helpers/process';
import { postGraphQL, startTestStack, testEnv } from '../helpers/stack';

/** A proxy in front of a subgraph that holds each request for `delayMs` (or for ever) before passing it on. */
async function startSlowProxy(target: string, delayMs: number | 'never') {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received += 1;
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (delayMs === 'never') return;
      setTimeout(async () => {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<
          string,
          string
        >;
        const answer = await fetch(target, { method: 'POST', headers, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    received: () => received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it('lets a request in flight finish on SIGTERM, refuses new ones, and exits 0', async () => {
  const slow = await startSlowProxy(stack.municipalities.subgraph.url, 1500);
  const gateway = await startProcess('gateway/main.ts', { ...stack.env, GATEWAY_PORT: '0', MUNICIPALITIES_URL: slow.url }, 'gateway');
  try {
    const inFlight = postGraphQL(gateway.url, '{ municipality(code: "011002") { name } }');
    await waitFor(() => slow.received() === 1, 'the request to reach the subgraph');
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    await waitFor(() => gateway.output().includes('SIGTERM received'), 'the gateway to begin stopping');

    await expect(postGraphQL(gateway.url, '{ prefectures { code } }')).rejects.toThrow(); // no new connections
    const { status, body } = await inFlight;
    expect(status).toBe(200);
    expect(body).toEqual({ data: { municipality: { name: '札幌市' } } });
    const exit = await gateway.exit;
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeGreaterThanOrEqual(1000); // it waited for the request …
    // Everything it wrote, from ready to exit, was a JSON log line (a collector parses each).
    expect(linesNotJson(gateway.output())).toEqual([]);
    expect(gateway.output()).toMatch(/"msg":"SIGTERM received, stopping…"/);
  } finally {
    gateway.child.kill('SIGKILL');
    await slow.close();
  }
});

it('does not wait longer than the grace period for a request that will not finish', async () => {
  const silent = await startSlowProxy(stack.municipalities.subgraph.url, 'never');
  const gateway = await startProcess(
    'gateway/main.ts',
    { ...stack.env, GATEWAY_PORT: '0', MUNICIPALITIES_URL: silent.url, SHUTDOWN_GRACE_MS: '500', SUBGRAPH_TIMEOUT_MS: '60000' },
    'gateway',
  );
  try {
    const stuck = postGraphQL(gateway.url, '{ municipality(code: "011002") { name } }').catch((error: Error) => error);
    await waitFor(() => silent.received() === 1, 'the request to reach the subgraph');
    const signalledAt = Date.now();
    gateway.child.kill('SIGTERM');
    const exit = await gateway.exit;
    expect(exit.code).toBe(0);
    expect(exit.at - signalledAt).toBeLessThan(5000); // bounded by SHUTDOWN_GRACE_MS, not the 60 s subgraph timeout
    expect(await stuck).toHaveProperty('message', 'fetch failed'); // its connection was closed
  } finally {
    gateway.child.kill('SIGKILL');
    await silent.close();
  }
});

it('closes a subgraph’s database connections on SIGTERM and exits 0', async () => {
  const env = testEnv();
  const database = databaseNameFor('municipalities', env.DATABASE_PREFIX!);
  const connections = async () => {
    const admin = new Client({ connectionString: env.DATABASE_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      return rows[0].n;
    } finally {
      await admin.end();
    }
  };
  const subgraph = await startProcess('subgraphs/municipalities/main.ts', env, 'municipalities');
  try {
    expect(await connections()).toBeGreaterThan(0); // the pool, open since migrations and seeding
    subgraph.child.kill('SIGTERM');
    expect((await subgraph.exit).code).toBe(0);
    expect(linesNotJson(subgraph.output())).toEqual([]);
    // A backend leaves pg_stat_activity once it has read the pool's goodbye and ended, a moment after the client.
    let left = await connections();
    for (let tries = 0; left > 0 && tries < 50; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      left = await connections();
    }
    expect(left).toBe(0);
  } finally {
    subgraph.child.kill('SIGKILL');
  }
});
