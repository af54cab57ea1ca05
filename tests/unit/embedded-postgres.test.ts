/**
 * The embedded PostgreSQL of `npm start` and its data folder (EMBEDDED_POSTGRES_DIR): a first start stopped
 * halfway leaves nothing half-made, and a folder it cannot use is said in one problem naming the folder and
 * what to do — not initdb's or the server's own failure with a stack trace.
 */
import { execFile } from 'node:child_process';
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

afterAll(() => rmSync(parent, { recursive: true, force: true }));
