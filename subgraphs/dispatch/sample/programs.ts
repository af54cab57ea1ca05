/**
 * Sample prefectural programs (都道府県相談支援体制整備事業) for fiscal year 2025 that reproduce MHLW's
 * 2025 survey exactly: 39 of 47 prefectures implement it (83.0 %), and of those 39, duties ①–⑦ are
 * carried out by 37, 34, 31, 29, 32, 26 and 12. Which prefectures those are is invented (fixed seed);
 * the eight prefectures using the model project (基幹相談支援センター・地域生活支援拠点等整備推進事業) in
 * 2025 are the real ones. The sample advisors and visits follow the programs (generate.ts). See sample/README.md.
 */
import { PREFECTURES } from '../../../shared/reference/prefectures';
import { SeededRandom } from '../../../shared/random';
import { type StoredProgram, programId } from '../data/program.store';
import type { StoredAdvisor } from '../data/dispatch.store';
import { ProgramDuty } from '../rules';

export const SAMPLE_PROGRAM_YEAR = 2025;
export const SAMPLE_PROGRAMS_VERSION = 'programs-2025-v3';
/** 福島県, 東京都, 神奈川県, 新潟県, 福井県, 島根県, 高知県, 沖縄県: the model project's users in 2025 (real). */
export const MODEL_PROJECT_PREFECTURES = ['07', '13', '14', '15', '18', '32', '39', '47'];
/** The survey's figures: implementing prefectures, and per duty how many of them carry it out. */
export const SURVEY_2025 = {
  implemented: 39,
  duties: {
    NETWORK_BUILDING: 37,
    CORE_CENTER_ADVICE: 34,
    COUNCIL: 31,
    WIDE_AREA_ISSUES: 29,
    STAFF_TRAINING: 32,
    PREFECTURAL_COUNCIL: 26,
    OTHER: 12,
  } satisfies Record<ProgramDuty, number>,
};

const OCCUPATIONS = ['主任相談支援専門員', '社会福祉士', '精神保健福祉士', '保健師'];

/**
 * `visitLogAdvisors` are the advisors of the sample visit log's own prefectures: those prefectures
 * implement the program with duties ①–⑥ (their visits serve all six purposes) and their advisors as its
 * positions. The rest is drawn.
 */
export function samplePrograms(visitLogAdvisors: ReadonlyArray<Pick<StoredAdvisor, 'prefectureCode' | 'qualifications'>>): StoredProgram[] {
  const rng = new SeededRandom(2025_07);
  const withVisits = [...new Set([...visitLogAdvisors.map((a) => a.prefectureCode), ...MODEL_PROJECT_PREFECTURES])];
  const others = rng.shuffle(PREFECTURES.map((p) => p.code).filter((code) => !withVisits.includes(code)));
  const implementing = new Set([...withVisits, ...others.slice(0, SURVEY_2025.implemented - withVisits.length)]);
  const drawn = [...implementing].filter((code) => !withVisits.includes(code));
  const withDuty = new Map(
    (Object.entries(SURVEY_2025.duties) as Array<[ProgramDuty, number]>).map(([duty, count]) =>
      duty === ProgramDuty.OTHER
        ? [duty, new Set(rng.shuffle([...implementing]).slice(0, count))]
        : [duty, new Set([...withVisits, ...rng.shuffle(drawn).slice(0, count - withVisits.length)])],
    ),
  );
  const positionsOf = (code: string) => {
    const advisors = visitLogAdvisors.filter((a) => a.prefectureCode === code);
    if (advisors.length === 0)
      return rng
        .shuffle(OCCUPATIONS)
        .slice(0, rng.int(1, 2))
        .map((occupation) => ({ occupation, count: rng.int(1, 4) }));
    const byOccupation = new Map<string, number>();
    for (const a of advisors) byOccupation.set(a.qualifications[0], (byOccupation.get(a.qualifications[0]) ?? 0) + 1);
    return [...byOccupation].map(([occupation, count]) => ({ occupation, count }));
  };
  return PREFECTURES.map(({ code }) => {
    const implemented = implementing.has(code);
    return {
      id: programId(code, SAMPLE_PROGRAM_YEAR),
      prefectureCode: code,
      fiscalYear: SAMPLE_PROGRAM_YEAR,
      implemented,
      duties: implemented ? Object.values(ProgramDuty).filter((d) => withDuty.get(d)!.has(code)) : [],
      advisorPositions: implemented ? positionsOf(code) : [],
      modelProject: MODEL_PROJECT_PREFECTURES.includes(code),
      sourceName: '見本: 令和7年度 都道府県相談支援体制整備事業の実施状況（厚生労働省調査）の集計値に合わせたもの（モデル事業の利用のみ実データ）',
      sourceAsOf: '2025-07-01',
      sample: true,
      version: 1,
    };
  });
}
