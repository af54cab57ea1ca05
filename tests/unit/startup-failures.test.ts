/**
 * How every entry point (npm start, a service alone, migrate, import, backup, restore) reports what stopped it:
 * a cause the user can act on — a setting, a port, the database, a file or folder — as its message alone;
 * anything else (a defect) with its stack. A service run on its own says the same as lines of its JSON log.
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { ConfigError } from '../../shared/config';
import { DatabaseAheadOfCode, DatabasePermissionError } from '../../shared/database';
import { PortInUseError } from '../../shared/http';
import { reportStartupFailure } from '../../shared/main';
import { projectPath } from '../../shared/paths';
import { linesNotJson } from '../../shared/log';

const printedFor = (error: unknown): unknown[] => {
  const printed: unknown[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void printed.push(...args));
  try {
    reportStartupFailure(error);
  } finally {
    spy.mockRestore();
  }
  return printed;
};
const thrownBy = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing thrown');
};

it('prints a cause the user can act on as its message alone', () => {
  expect(printedFor(new ConfigError(['TRUSTED_DOCUMENTS_FILE x.json: is not JSON']))).toEqual([
    'Invalid configuration:\n  - TRUSTED_DOCUMENTS_FILE x.json: is not JSON',
  ]);
  expect(printedFor(new DatabasePermissionError('postgres://app:pw@db.example/x', 'create database x', 'have it created'))).toEqual([
    'PostgreSQL at db.example:5432 does not let app create database x: have it created',
  ]);
  expect(printedFor(new DatabaseAheadOfCode('advisor_bases', ['Newer1790000000000']))).toEqual([
    expect.stringMatching(/^database advisor_bases has migrations this version does not know \(Newer1790000000000\)/),
  ]);
  expect(printedFor(new PortInUseError(4000, 'GATEWAY_PORT'))).toEqual([expect.stringContaining('GATEWAY_PORT')]);
});

it('prints a file or folder a command could not use as what the system said (a backup folder that cannot be made, a restore folder without its manifest)', () => {
  expect(printedFor(thrownBy(() => mkdirSync('/etc/passwd/backup', { recursive: true })))).toEqual(["ENOTDIR: not a directory, mkdir '/etc/passwd/backup'"]);
  expect(printedFor(thrownBy(() => readFileSync('/nonexistent/manifest.json')))).toEqual([
    "ENOENT: no such file or directory, open '/nonexistent/manifest.json'",
  ]);
});

it('prints anything else with its stack: a defect is reported where it happened', () => {
  const defect = new TypeError("Cannot read properties of undefined (reading 'x')");
  expect(printedFor(defect)).toEqual([defect]);
});

/** Runs `runService` in a process of its own with `start` (the body of an async function given `log`): what it wrote, how it ended. */
function runServiceWith(start: string): {
  status: number | null;
  lines: Array<{ level: number; service: string; msg: string; err?: { message: string } }>;
  output: string;
} {
  const script = [
    `require(${JSON.stringify(projectPath('tests/helpers/register-ts.js'))});`,
    `const { runService } = require(${JSON.stringify(projectPath('shared/main.ts'))});`,
    `const { ConfigError } = require(${JSON.stringify(projectPath('shared/config.ts'))});`,
    `runService('probe', async (log) => { ${start} });`,
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH, LOG_LEVEL: 'info' }, timeout: 20_000 });
  const output = run.stdout + run.stderr;
  expect(linesNotJson(output)).toEqual([]); // a collector parses every line
  return {
    status: run.status,
    output,
    lines: run.stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line)),
  };
}

it('a service on its own writes ready, a startup failure and a crash as lines of its JSON log, a crash without a stored value', () => {
  const refused = runServiceWith("throw new ConfigError(['GATEWAY_PORT abc: is not a port']);");
  expect(refused.status).toBe(1);
  expect(refused.lines).toEqual([expect.objectContaining({ level: 60, service: 'probe', msg: 'Invalid configuration:\n  - GATEWAY_PORT abc: is not a port' })]);

  const crashed = runServiceWith(
    "setTimeout(() => Promise.reject(Object.assign(new Error('invalid input syntax: \"山田さんの件\"'), { name: 'QueryFailedError', code: '22P02' })), 50);" +
      "return { name: 'probe', url: 'http://127.0.0.1:1/graphql', stop: async () => {} };",
  );
  expect(crashed.status).toBe(1);
  expect(crashed.lines).toEqual([
    expect.objectContaining({ level: 30, msg: 'probe ready at http://127.0.0.1:1/graphql' }),
    expect.objectContaining({ level: 60, msg: 'uncaught exception, exiting', err: expect.objectContaining({ message: 'database error 22P02' }) }),
  ]);
  expect(crashed.output).not.toContain('山田');
});

/** Runs a script in a process of its own with `npm start`'s stop handlers over one service that notes its stop, sent `signal` once started. */
async function withStopHandlers(then: string, signal?: NodeJS.Signals): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const script = [
    `require(${JSON.stringify(projectPath('tests/helpers/register-ts.js'))});`,
    `const { stopOnCrash, stopOnSignals } = require(${JSON.stringify(projectPath('shared/main.ts'))});`,
    "const services = () => [{ stop: async () => console.log('database stopped') }];",
    'stopOnSignals(services);',
    'stopOnCrash(services);',
    "console.log('started');",
    then,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const [stdout, stderr] = [[] as string[], [] as string[]];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk.toString());
    if (signal && stdout.join('') === 'started\n') child.kill(signal); // once: a second signal would not wait for the stop
  });
  child.stderr.on('data', (chunk: Buffer) => void stderr.push(chunk.toString()));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stdout: stdout.join(''), stderr: stderr.join('') };
}

it('npm start stops what it started — the embedded database — when it crashes, and when its terminal is closed (SIGHUP)', async () => {
  const crashed = await withStopHandlers("setTimeout(() => { throw new TypeError('a defect'); }, 50); setTimeout(() => {}, 10_000);");
  expect(crashed).toEqual({ status: 1, stdout: 'started\ndatabase stopped\n', stderr: expect.stringContaining('TypeError: a defect') });

  const hungUp = await withStopHandlers('setTimeout(() => {}, 10_000);', 'SIGHUP');
  expect(hungUp).toEqual({ status: 0, stdout: 'started\ndatabase stopped\n', stderr: 'SIGHUP received, stopping…\n' });
}, 30_000);
