/** The log's batching: lines held until 8 KB or a quarter of a second, and none lost when the process exits. */
import { spawnSync } from 'node:child_process';
import { LineBatch } from '../../shared/log';
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
