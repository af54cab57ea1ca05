/**
 * The log's batching: lines held until 8 KB or a quarter of a second, and none lost when the process exits;
 * and what an error logged as `{ err }` keeps.
 */
import { spawnSync } from 'node:child_process';
import pino from 'pino';
import { LOG_SERIALIZERS, LineBatch } from '../../shared/log';
import { projectPath } from '../../shared/paths';

it('hands lines on in one write once they reach the batch size, and the rest when flushed', () => {
  const written: string[] = [];
  const batch = new LineBatch({ write: (text) => written.push(text) }, 100);
  for (let i = 0; i < 4; i += 1) batch.write(`${'x'.repeat(29)}\n`); // 4 × 30 characters
  expect(written).toEqual([`${'x'.repeat(29)}\n`.repeat(4)]);
  batch.write('held\n');
  expect(written).toHaveLength(1);
  const done = jest.fn();
  batch.flush(done);
  expect(written).toEqual([`${'x'.repeat(29)}\n`.repeat(4), 'held\n']);
  expect(done).toHaveBeenCalledTimes(1);
});

it('writes every line still held when the process exits', () => {
  const script = [
    `require(${JSON.stringify(projectPath('tests/helpers/register-ts.js'))});`,
    `const log = require(${JSON.stringify(projectPath('shared/log.ts'))}).createLogger('exit-test');`,
    "for (let i = 0; i < 3; i += 1) log.info({ i }, 'line');",
    'process.exit(0);',
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH, LOG_LEVEL: 'info' } });
  const lines = run.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { i: number; service: string });
  expect(lines.map((line) => line.i)).toEqual([0, 1, 2]);
  expect(lines[0].service).toBe('exit-test');
});

it('logs an error as its name, code, message and stack only: a failed statement without its parameters or its value', () => {
  const lines: string[] = [];
  const log = pino({ serializers: LOG_SERIALIZERS }, { write: (line: string) => void lines.push(line) });
  const failed = Object.assign(new Error('duplicate key value violates unique constraint: Key (summary)=(山田さんの件)'), {
    name: 'QueryFailedError',
    code: '23505',
    query: 'INSERT INTO visit (summary) VALUES ($1)',
    parameters: ['山田さんの件'],
    driverError: { detail: 'Key (summary)=(山田さんの件) already exists.' },
  });
  log.error({ err: failed }, 'import failed');
  log.error({ error: failed }, 'internal error');
  log.warn({ err: 'connection reset' }, 'notifications lost');
  expect(lines.join('')).not.toContain('山田');
  expect(lines.join('')).not.toContain('INSERT');
  const [first, second, third] = lines.map((line) => JSON.parse(line));
  expect(first.err).toMatchObject({ name: 'QueryFailedError', code: '23505', message: 'database error 23505' });
  expect(second.error).toEqual(first.err);
  expect(third.err).toEqual({ message: 'connection reset' }); // a message logged as such stays that message
});
