/**
 * Every command reads its arguments under one rule (shared/command-line.ts): `--help` prints its usage and does
 * nothing else — `npm run migrate -- --help` migrated, `npm start -- --help` started everything —, and an option
 * it does not take, or an argument too many, is refused with the usage and exit status 2, never a stack trace.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseCommandLine } from '../../shared/command-line';
import { projectPath } from '../../shared/paths';

const spec = { usage: 'Usage: x', options: { token: { type: 'string' }, 'dry-run': { type: 'boolean' } }, positionals: { min: 1, max: 2 } } as const;

it('reads options and arguments, and refuses what the command does not take, saying what', () => {
  expect(parseCommandLine(spec, ['core-centers', 'a.csv', '--token', 't', '--dry-run'])).toEqual({
    values: { token: 't', 'dry-run': true },
    positionals: ['core-centers', 'a.csv'],
  });
  expect(parseCommandLine(spec, ['a', '--help'])).toEqual({ help: true });
  expect(parseCommandLine(spec, ['-h'])).toEqual({ help: true });
  expect(parseCommandLine(spec, ['a', '--tokn', 't'])).toEqual({ refused: "Unknown option '--tokn'" });
  expect(parseCommandLine(spec, ['a', '--token'])).toEqual({ refused: "Option '--token <value>' argument missing" });
  expect(parseCommandLine(spec, ['a', 'b', 'c'])).toEqual({ refused: 'unexpected argument: c' });
  expect(parseCommandLine(spec, [])).toEqual({ refused: 'missing argument' });
  expect(parseCommandLine({ usage: 'Usage: y' }, ['now'])).toEqual({ refused: 'unexpected argument: now' });
});

// Each as `npm run …` runs it; a database nobody listens on: a command that tried to reach it would fail (exit 1).
const COMMANDS: Array<[string, string[]]> = [
  ['scripts/start.ts', []],
  ['scripts/migrate.ts', []],
  ['scripts/backup.ts', ['backup']],
  ['scripts/backup.ts', ['restore']],
  ['scripts/import.ts', ['core-centers', 'centers.csv']],
  ['scripts/token.ts', ['--role', 'admin']],
  ['scripts/compose.ts', []],
  ['scripts/schema-check.ts', []],
  ['bench/run.ts', []],
  ['gateway/main.ts', []],
  ['subgraphs/dispatch/main.ts', []],
];
const run = (script: string, args: string[]) =>
  promisify(execFile)(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), projectPath(script), ...args], {
    cwd: projectPath(),
    env: { PATH: process.env.PATH, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', IMPORT_URL: 'http://127.0.0.1:1' },
    timeout: 60_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );

it.each(COMMANDS)('%s %j: --help prints the usage and does nothing else; an unknown option is refused with it', async (script, args) => {
  const help = await run(script, [...args, '--help']);
  expect(help).toEqual({ code: 0, stdout: expect.stringMatching(/^Usage: (npm|node)/), stderr: '' });
  const unknown = await run(script, [...args, '--no-such-option']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^Unknown option '--no-such-option'\nUsage: /);
  expect(unknown.stderr).not.toMatch(/\n\s+at /); // no stack trace
});
