/**
 * One PostgreSQL for the whole run: the server DATABASE_URL points to, or an embedded one in a
 * temporary folder. Every database the tests create carries this run's prefix and is dropped after.
 */
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedPostgres } from '../shared/embedded-postgres';

export default async function globalSetup(): Promise<void> {
  process.env.LOG_LEVEL ??= 'silent';
  process.env.TEST_RUN_PREFIX = `test_${Date.now().toString(36)}_${process.pid}_`;
  if (process.env.DATABASE_URL) {
    // A real server's log is read when TEST_POSTGRES_LOG names its file (.ci/run does for the machine's).
    process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
    return;
  }
  // PostgreSQL's own log, so the security tests can check that nothing protected reaches it.
  const logFile = join(mkdtempSync(join(tmpdir(), 'advisor-test-pg-log-')), 'postgres.log');
  process.env.TEST_POSTGRES_LOG = logFile;
  const postgres = await startEmbeddedPostgres({
    onLog: (line) => appendFileSync(logFile, line.endsWith('\n') ? line : `${line}\n`),
    dataDir: mkdtempSync(join(tmpdir(), 'advisor-test-pg-')),
    port: await freePort(),
    portSetting: 'EMBEDDED_POSTGRES_PORT',
    persistent: false,
  });
  (globalThis as { embeddedPostgres?: unknown }).embeddedPostgres = postgres;
  process.env.TEST_DATABASE_URL = postgres.url;
}
