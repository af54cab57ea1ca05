/** The sample visit log agrees with the sample prefectural programs: advisors where the program runs, visits within its duties. */
import { SAMPLE_PREFECTURES, generateSampleLog } from '../../subgraphs/dispatch/sample/generate';
import { SURVEY_2025 } from '../../subgraphs/dispatch/sample/programs';
import { PROGRAM_DUTY_OF_PURPOSE, ProgramDuty, VisitFormat } from '../../subgraphs/dispatch/rules';
import { LIVING_SAMPLE, livingSample } from '../../subgraphs/dispatch/sample/living';
import { municipalityReferences } from '../../shared/reference/municipalities';

const log = generateSampleLog();
const programOf = new Map(log.programs.map((p) => [p.prefectureCode, p]));
const implementing = log.programs.filter((p) => p.implemented).map((p) => p.prefectureCode);

it('has advisors and visits in exactly the prefectures implementing the program', () => {
  expect(implementing).toHaveLength(SURVEY_2025.implemented);
  expect([...new Set(log.advisors.map((a) => a.prefectureCode))].sort()).toEqual([...implementing].sort());
  const withVisits = new Set(log.visits.map((v) => v.prefectureCode));
  expect(implementing.filter((code) => !withVisits.has(code))).toEqual([]);
});

it("deploys as many advisors as the program's positions, of those occupations", () => {
  for (const code of implementing) {
    const advisors = log.advisors.filter((a) => a.prefectureCode === code);
    const positions = programOf.get(code)!.advisorPositions;
    expect(advisors).toHaveLength(positions.reduce((sum, p) => sum + p.count, 0));
    for (const { occupation, count } of positions) expect(advisors.filter((a) => a.qualifications[0] === occupation)).toHaveLength(count);
  }
});

it('visits only for the duties of the prefecture’s program, and holds trainings only where it carries out ⑤', () => {
  for (const visit of log.visits) {
    const { duties } = programOf.get(visit.prefectureCode)!;
    for (const purpose of visit.purposes) expect(duties).toContain(PROGRAM_DUTY_OF_PURPOSE[purpose]);
    if (visit.format === VisitFormat.TRAINING) expect(duties).toContain(ProgramDuty.STAFF_TRAINING);
  }
});

it('keeps the visit log of 北海道 and the model-project prefectures as it was (1,038 visits), whatever is added after', () => {
  expect(log.visits.filter((v) => SAMPLE_PREFECTURES.includes(v.prefectureCode))).toHaveLength(1038);
  expect(log.visits.find((v) => v.externalId === 'S-VIS-01-1')).toMatchObject({ visitedOn: expect.stringMatching(/^2022-11-/) });
});

describe('the living sample (sample/living.ts)', () => {
  const today = '2026-12-01';
  const year = livingSample('2025-12-01', '2026-11-30', today, log.programs, log.advisors);

  it('visits about the documented share of each prefecture’s municipalities in a year, within the program’s duties', () => {
    const visited = new Set(year.visits.flatMap((v) => v.municipalityCodes));
    const hokkaido = municipalityReferences().filter((m) => m.prefectureCode === '01');
    const share = hokkaido.filter((m) => visited.has(m.code)).length / hokkaido.length;
    expect(share).toBeGreaterThan(LIVING_SAMPLE.visitedShare - 0.1);
    expect(share).toBeLessThan(LIVING_SAMPLE.smallVisitedShare + 0.1);
    for (const visit of year.visits) {
      expect(implementing).toContain(visit.prefectureCode);
      expect(visit.visitedOn >= '2025-12-01' && visit.visitedOn <= '2026-11-30').toBe(true);
      for (const purpose of visit.purposes) expect(programOf.get(visit.prefectureCode)!.duties).toContain(PROGRAM_DUTY_OF_PURPOSE[purpose]);
    }
  });

  it('has follow-ups coming due, overdue and done, none done after the day', () => {
    const open = year.followUps.filter((f) => f.status === 'OPEN');
    expect(open.some((f) => f.dueOn >= today)).toBe(true);
    expect(open.some((f) => f.dueOn < today)).toBe(true);
    expect(year.followUps.filter((f) => f.status === 'DONE').every((f) => f.completedOn! <= today)).toBe(true);
  });

  it('draws each month the same whenever it is made: two halves make the whole year, and a later start adds only new days', () => {
    const first = livingSample('2025-12-01', '2026-05-20', today, log.programs, log.advisors);
    const second = livingSample('2026-05-21', '2026-11-30', today, log.programs, log.advisors);
    expect([...first.visits, ...second.visits].map((v) => v.id).sort()).toEqual(year.visits.map((v) => v.id).sort());
    expect(new Set(year.visits.map((v) => v.id)).size).toBe(year.visits.length);
    // The fixed log is untouched: no living visit shares an id with it.
    const fixed = new Set(log.visits.map((v) => v.id));
    expect(year.visits.some((v) => fixed.has(v.id))).toBe(false);
  });
});
