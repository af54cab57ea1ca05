/**
 * The embedded PostgreSQL of `npm start` and its data folder (EMBEDDED_POSTGRES_DIR): a first start stopped
 * halfway leaves nothing half-made, and a folder it cannot use is said in one problem naming the folder and
 * what to do — not initdb's or the server's own failure with a stack trace.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../shared/config';
import { freePort, startEmbeddedPostgres } from '../../shared/embedded-postgres';
import { projectPath } from '../../shared/paths';

const parent = mkdtempSync(join(tmpdir(), 'embedded-dir-'));
chmodSync(parent, 0o755); // as a project folder is: PostgreSQL, run as its own user when we are root, must reach its folder
const start = async (dataDir: string) => startEmbeddedPostgres({ dataDir, port: await freePort(), portSetting: 'EMBEDDED_POSTGRES_PORT', persistent: false });

it('refuses a folder with files but no PostgreSQL data, naming it', async () => {
  const folder = join(parent, 'documents');
  mkdirSync(folder);
  writeFileSync(join(folder, 'notes.txt'), 'not a database');
  const refused = await start(folder).catch((error: unknown) => error);
  expect(refused).toBeInstanceOf(ConfigError);
  expect((refused as ConfigError).problems).toEqual([
    `EMBEDDED_POSTGRES_DIR ${folder} holds files but no PostgreSQL data: move it away (or delete it, if nothing in it is yours), or set EMBEDDED_POSTGRES_DIR to a new folder`,
  ]);
  expect(readFileSync(join(folder, 'notes.txt'), 'utf8')).toBe('not a database'); // untouched
});

it('refuses the data of another PostgreSQL major version, saying how to keep it', async () => {
  const folder = join(parent, 'older');
  mkdirSync(folder);
  writeFileSync(join(folder, 'PG_VERSION'), '9\n');
  const refused = (await start(folder).catch((error: unknown) => error)) as ConfigError;
  expect(refused).toBeInstanceOf(ConfigError);
  expect(refused.problems[0]).toMatch(
    new RegExp(`^EMBEDDED_POSTGRES_DIR ${folder} holds the data of PostgreSQL 9, and the embedded server is now PostgreSQL \\d+: .*npm run backup`),
  );
});

it('makes a new folder beside it and renames it when complete, replacing what a start stopped halfway left', async () => {
  const folder = join(parent, 'data');
  mkdirSync(`${folder}.initialising`);
  writeFileSync(join(`${folder}.initialising`, 'half-made'), '');
  // In a process of its own: the package is ESM-only, loaded by a native import() that Jest's sandbox does not do.
  const script = `
    const { startEmbeddedPostgres, freePort } = require(${JSON.stringify(projectPath('shared/embedded-postgres.ts'))});
    const { Client } = require('pg');
    (async () => {
      const postgres = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(folder)}, port: await freePort(), portSetting: 'P', persistent: true });
      const client = new Client({ connectionString: postgres.url });
      await client.connect();
      const { rows } = await client.query('SELECT 1 AS one');
      await client.end();
      await postgres.stop();
      console.log(JSON.stringify(rows));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), '-e', script], { cwd: projectPath() });
  expect(stdout.trim().split('\n').pop()).toBe('[{"one":1}]');
  expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true);
  expect(existsSync(`${folder}.initialising`)).toBe(false);
}, 90_000);

/** Starts the embedded server on `folder` and `port` in a process of its own that stays up, printing `ready` (and a server it stopped first). */
function startingProcess(folder: string, port: number) {
  const script = `
    const { startEmbeddedPostgres } = require(${JSON.stringify(projectPath('shared/embedded-postgres.ts'))});
    const { Client } = require('pg');
    (async () => {
      const postgres = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(folder)}, port: ${port}, portSetting: 'P', persistent: true,
        onStoppedLeftRunning: (pid) => console.log('stopped left running ' + pid) });
      const client = new Client({ connectionString: postgres.url });
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      console.log('ready');
      process.on('SIGINT', () => postgres.stop().then(() => process.exit(0)));
      setInterval(() => {}, 1000);
    })().catch((error) => { console.error(String(error.problems ?? error)); process.exit(1); });`;
  const child = spawn(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), '-e', script], {
    cwd: projectPath(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  const ended = once(child, 'close').then(([status]) => status as number | null);
  const ready = new Promise<void>((done, fail) => {
    const check = setInterval(() => {
      if (output.includes('ready')) done();
      else return;
      clearInterval(check);
    }, 50);
    void ended.then(() => {
      clearInterval(check);
      if (!output.includes('ready')) fail(new Error(output));
    });
  });
  return { child, ready, ended, output: () => output };
}

const serverPid = (folder: string) => Number(readFileSync(join(folder, 'postmaster.pid'), 'utf8').split('\n')[0]);
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

it('stops the server an earlier start left running on the folder (its process killed) and starts on the same folder and port', async () => {
  const folder = join(parent, 'left-running');
  const port = await freePort();
  const first = startingProcess(folder, port);
  await first.ready;
  const orphan = serverPid(folder);
  first.child.kill('SIGKILL'); // as a crash, a closed terminal or kill -9 leaves it: the server runs on without its process
  await first.ended;
  try {
    expect(running(orphan)).toBe(true);
    const second = startingProcess(folder, port);
    await second.ready;
    expect(second.output()).toContain(`stopped left running ${orphan}`);
    expect(running(orphan)).toBe(false);
    second.child.kill('SIGINT');
    expect(await second.ended).toBe(0);
  } finally {
    if (running(orphan)) process.kill(orphan, 'SIGINT');
  }
}, 120_000);

it('refuses a folder whose server another running start holds, naming that process, and leaves that server be', async () => {
  const folder = join(parent, 'held');
  const first = startingProcess(folder, await freePort());
  await first.ready;
  try {
    const second = startingProcess(folder, await freePort());
    await expect(second.ready).rejects.toThrow(
      new RegExp(
        `^EMBEDDED_POSTGRES_DIR ${folder} is in use by the embedded PostgreSQL of another running process \\(pid ${first.child.pid}: [^\\n]*\\): stop it first`,
      ),
    );
    expect(running(serverPid(folder))).toBe(true);
  } finally {
    first.child.kill('SIGINT');
  }
  expect(await first.ended).toBe(0);
}, 120_000);

afterAll(() => rmSync(parent, { recursive: true, force: true }));
