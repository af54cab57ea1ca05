/**
 * The database the command-line tools (import, migrate) work on: DATABASE_URL when set, else the
 * embedded PostgreSQL of `npm start` — reused when it is running, started for the command when not.
 */
import { Client } from 'pg';
import { type Env, loadEmbeddedPostgresConfig } from '../shared/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '../shared/embedded-postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs `use` with an environment whose DATABASE_URL points at a running server. */
export async function withDatabaseUrl<T>(use: (env: Env) => Promise<T>): Promise<T> {
  const env: Env = { ...process.env };
  let embedded: EmbeddedPostgres | undefined;
  if (!env.DATABASE_URL) {
    const config = loadEmbeddedPostgresConfig(env);
    const url = `postgres://postgres:postgres@127.0.0.1:${config.port}/postgres`;
    if (!(await reachable(url))) embedded = await startEmbeddedPostgres({ ...config, persistent: true });
    env.DATABASE_URL = embedded?.url ?? url;
  }
  try {
    return await use(env);
  } finally {
    await embedded?.stop();
  }
}
