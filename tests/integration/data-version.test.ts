/**
 * A subgraph's data version (shared/data-version.ts) on a real PostgreSQL: a change committed by another
 * connection — another replica, the import command, an operator's SQL — is counted in the version the
 * gateway is told at once, not milliseconds later; without its notifications, there is no version.
 */
import { Client } from 'pg';
import pino from 'pino';
import { DATA_CHANGED_CHANNEL, DataVersion } from '../../shared/data-version';
import { pgbouncerTestFor, startPgBouncer } from '../helpers/pgbouncer';

const log = pino({ level: 'silent' });
let version: DataVersion;
let other: Client;
beforeAll(async () => {
  version = new DataVersion();
  await version.listen(process.env.TEST_DATABASE_URL!, log);
  other = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await other.connect();
});
afterAll(async () => {
  await other?.end();
  await version?.stop();
});

it('counts every change committed before it is asked', async () => {
  const missed: number[] = [];
  for (let i = 0; i < 200; i += 1) {
    const before = await version.settled();
    await other.query(`NOTIFY ${DATA_CHANGED_CHANNEL}`); // as the tables' triggers do, at commit
    if ((await version.settled()) === before) missed.push(i);
  }
  expect(missed).toEqual([]);
});

it('stays the same while nothing changes', async () => {
  const first = await version.settled();
  expect(first).toEqual(expect.any(String));
  expect(await version.settled()).toBe(first);
});

it('has no version once its listening connection is gone', async () => {
  const lonely = new DataVersion();
  await lonely.listen(process.env.TEST_DATABASE_URL!, log);
  expect(await lonely.settled()).toEqual(expect.any(String));
  // Its own connection cut, as a database failover would cut it.
  const { processID } = (lonely as unknown as { client: { processID: number } }).client;
  await other.query('SELECT pg_terminate_backend($1)', [processID]);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(await lonely.settled()).toBeUndefined();
  await lonely.stop();
});

describe('behind PgBouncer', () => {
  const pgbouncerIt = pgbouncerTestFor('data versions through a connection pooler');

  pgbouncerIt(
    'in transaction mode, where notifications never arrive: no version (nothing is kept), and a warning saying why',
    async () => {
      const pooler = await startPgBouncer(process.env.TEST_DATABASE_URL!, 'transaction');
      const lines: string[] = [];
      const behind = new DataVersion();
      try {
        await behind.listen(pooler.url, pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) }));
        expect(behind.current()).toBeUndefined();
        expect(await behind.settled()).toBeUndefined();
        expect(lines.map((line) => JSON.parse(line).msg)).toEqual([
          expect.stringMatching(/^change notifications sent by PostgreSQL do not arrive .* PgBouncer/),
        ]);
      } finally {
        await behind.stop();
        await pooler.stop();
      }
    },
    30_000,
  );

  pgbouncerIt(
    'in session mode, where they do: a version that counts changes committed elsewhere',
    async () => {
      const pooler = await startPgBouncer(process.env.TEST_DATABASE_URL!, 'session');
      const behind = new DataVersion();
      try {
        await behind.listen(pooler.url, log);
        const before = await behind.settled();
        expect(before).toEqual(expect.any(String));
        await other.query(`NOTIFY ${DATA_CHANGED_CHANNEL}`);
        expect(await behind.settled()).not.toBe(before);
      } finally {
        await behind.stop();
        await pooler.stop();
      }
    },
    30_000,
  );
});
