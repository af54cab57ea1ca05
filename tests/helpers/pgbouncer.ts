/**
 * PgBouncer (Debian's `pgbouncer`) in front of the test run's PostgreSQL, as managed services and many
 * deployments put one. Without the binary a test needing it is skipped with a warning — unless
 * REQUIRE_PGBOUNCER=1 (as in CI), which makes a missing PgBouncer a failure.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../shared/embedded-postgres';
import { firstExisting, testNeeding } from './system-tools';

const PGBOUNCER = firstExisting([process.env.PGBOUNCER_PATH, '/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']);

/** `it` when PgBouncer can be had, else `it.skip` (a failure instead when REQUIRE_PGBOUNCER is set). */
export const pgbouncerTestFor = (what: string): jest.It =>
  testNeeding({ name: 'PgBouncer', path: PGBOUNCER, install: "install Debian's pgbouncer or set PGBOUNCER_PATH", required: 'REQUIRE_PGBOUNCER' }, what);

/** Starts PgBouncer in `mode` before the server `serverUrl` names; resolves with the URL to connect to through it. */
export async function startPgBouncer(serverUrl: string, mode: 'transaction' | 'session'): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new URL(serverUrl);
  const port = await freePort();
  const folder = mkdtempSync(join(tmpdir(), 'pgbouncer-'));
  chmodSync(folder, 0o755); // PgBouncer refuses to run as root: it runs as `postgres`, which must read its files
  const password = decodeURIComponent(server.password);
  writeFileSync(
    join(folder, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432} user=${decodeURIComponent(server.username)}${password ? ` password=${password}` : ''}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'auth_type = any', // the clients are this test's; the server connections carry the user above
      `pool_mode = ${mode}`,
      'unix_socket_dir =',
      'ignore_startup_parameters = extra_float_digits',
    ].join('\n'),
  );
  chmodSync(join(folder, 'pgbouncer.ini'), 0o644);
  const args = [...(process.getuid?.() === 0 ? ['-u', 'postgres'] : []), join(folder, 'pgbouncer.ini')];
  const child: ChildProcess = spawn(PGBOUNCER!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await new Promise<void>((ready, fail) => {
    const deadline = setTimeout(() => fail(new Error(`PgBouncer did not start: ${output}`)), 10_000);
    child.once('exit', (code) => fail(new Error(`PgBouncer exited (${code}): ${output}`)));
    const check = setInterval(() => {
      if (/process up|listening on/i.test(output)) {
        clearInterval(check);
        clearTimeout(deadline);
        ready();
      }
    }, 50);
  });
  const url = new URL(serverUrl);
  url.host = `127.0.0.1:${port}`;
  return {
    url: url.toString(),
    async stop() {
      child.kill('SIGINT');
      await new Promise((exited) => child.once('exit', exited));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
