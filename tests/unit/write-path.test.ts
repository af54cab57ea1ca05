/**
 * The write path's answer to two writes that met in PostgreSQL: the rolled-back transaction runs again
 * (it sees what the other committed), and after three meetings the caller gets CONFLICT, never an
 * internal error. Other errors pass through at once.
 */
import { retriedOnRace } from '../../shared/write-path';

const met = (code: string) => Object.assign(new Error('duplicate key value violates unique constraint'), { code });

it.each(['23505', '40P01', '40001'])('runs a transaction that met another (%s) again, and answers as the later run does', async (code) => {
  let runs = 0;
  const answer = await retriedOnRace(async () => {
    runs += 1;
    if (runs === 1) throw met(code);
    return 'second run';
  });
  expect({ answer, runs }).toEqual({ answer: 'second run', runs: 2 });
});

it('gives up after three runs with CONFLICT in both languages', async () => {
  let runs = 0;
  const refusal = await retriedOnRace(async () => {
    runs += 1;
    throw met('23505');
  }).catch((error: unknown) => error);
  expect(runs).toBe(3);
  expect(refusal).toMatchObject({ extensions: { code: 'CONFLICT', reasonJa: expect.stringContaining('同時') } });
});

it('passes any other error through at once', async () => {
  let runs = 0;
  const other = Object.assign(new Error('not null violation'), { code: '23502' });
  await expect(
    retriedOnRace(async () => {
      runs += 1;
      throw other;
    }),
  ).rejects.toBe(other);
  expect(runs).toBe(1);
});
