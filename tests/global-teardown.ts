import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client } from 'pg';
import type { EmbeddedPostgres } from '../shared/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const embedded = (globalThis as { embeddedPostgres?: EmbeddedPostgres }).embeddedPostgres;
  if (embedded) {
    await embedded.stop(); // not persistent: its folder goes with it
    // And the folder of its log, which global setup made (one per run was left in the temporary folder).
    if (process.env.TEST_POSTGRES_LOG) rmSync(dirname(process.env.TEST_POSTGRES_LOG), { recursive: true, force: true });
    return;
  }
  // A real server: drop what this run created.
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [process.env.TEST_RUN_PREFIX]);
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
