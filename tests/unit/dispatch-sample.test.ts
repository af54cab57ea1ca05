/** The sample visit log agrees with the sample prefectural programs: advisors where the program runs, visits within its duties. */
import { SAMPLE_PREFECTURES, generateSampleLog } from '../../subgraphs/dispatch/sample/generate';
import { SURVEY_2025 } from '../../subgraphs/dispatch/sample/programs';
import { PROGRAM_DUTY_OF_PURPOSE, ProgramDuty, VisitFormat } from '../../subgraphs/dispatch/rules';

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
