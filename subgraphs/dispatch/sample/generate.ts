/**
 * The deterministic sample visit log (fixed seed; every visit says `sample: true`): about three years
 * (2022-11 to 2025-10) for every prefecture implementing the sample prefectural program (39): 北海道 and
 * the eight of the FY2025 model project (福島, 東京, 神奈川, 新潟, 福井, 島根, 高知, 沖縄) most, the others
 * within the duties of their program; with advisors, follow-ups in every state (some overdue), requests
 * and council-guideline assessments. Names, texts and dates are invented (README.md beside this).
 */
import { uuidFromKey } from '../../../shared/ids';
import { SeededRandom } from '../../../shared/random';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { StoredProgram } from '../data/program.store';
import type { StoredAdvisor, StoredAssessment, StoredFollowUp, StoredRequest, StoredVisit } from '../data/dispatch.store';
import { AssessmentResult, FollowUpStatus, PROGRAM_DUTY_OF_PURPOSE, ProgramDuty, RequestStatus, VisitFormat, VisitPurpose, VisitStatus } from '../rules';
import { samplePrograms } from './programs';
import { addDays, addMonths, daysBetween } from '../../../shared/dates';

export const SAMPLE_SEED = 20251101;
/** Bump when the generator changes, so a running database reloads the sample. */
export const SAMPLE_VERSION = 'dispatch-sample-2';
export const SAMPLE_PREFECTURES = ['01', '07', '13', '14', '15', '18', '32', '39', '47'];

/** How many sample advisors a prefecture has (none where the sample program is not implemented). */
export const sampleAdvisorCount = (prefecture: string) => sampleLog().advisors.filter((a) => a.prefectureCode === prefecture).length;
/** The sign-in subject of the n-th sample advisor of a prefecture (`npm run token -- --role advisor` mints its tokens). */
export const sampleAdvisorSubject = (prefecture: string, n: number) => `sample-advisor-${prefecture}-${n}`;
export const SAMPLE_FROM = '2022-11-01';
export const SAMPLE_UNTIL = '2025-10-31';
export const COUNCIL_TEMPLATE = 'council-guideline-2025';

const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田'];
const GIVEN = ['花子', '太郎', '恵', '健一', '由美', '誠', '陽子', '大輔', '直子', '亮'];
const QUALIFICATIONS = ['主任相談支援専門員', '相談支援専門員', '社会福祉士', '精神保健福祉士', '保健師'];
const AFFILIATIONS = ['県相談支援体制整備事業（委託先）', '基幹相談支援センター（圏域）', '社会福祉法人（相談支援事業所）'];
export const TOPICS: Record<VisitPurpose, string[]> = {
  NETWORK_BUILDING: ['関係機関の顔の見える関係づくり', '医療と福祉の連携'],
  CORE_CENTER: ['基幹相談支援センターの設置検討', '共同設置の協議', '委託仕様書の見直し'],
  COUNCIL: ['協議会の部会再編', '個別事例の検討方法', '協議会の活性化'],
  WIDE_AREA_ISSUES: ['圏域の地域移行', '医療的ケア児の支援体制'],
  STAFF_TRAINING: ['相談支援専門員のOJT', 'スーパービジョン研修'],
  PREFECTURAL_COUNCIL: ['県協議会への地域課題の報告'],
};
export const PURPOSE_WEIGHTS: Array<[VisitPurpose, number]> = [
  [VisitPurpose.CORE_CENTER, 0.3],
  [VisitPurpose.COUNCIL, 0.25],
  [VisitPurpose.NETWORK_BUILDING, 0.15],
  [VisitPurpose.STAFF_TRAINING, 0.15],
  [VisitPurpose.WIDE_AREA_ISSUES, 0.1],
  [VisitPurpose.PREFECTURAL_COUNCIL, 0.05],
];

export function weighted<T>(rng: SeededRandom, options: Array<[T, number]>): T {
  let r = rng.next() * options.reduce((s, [, w]) => s + w, 0);
  for (const [value, w] of options) if ((r -= w) < 0) return value;
  return options[options.length - 1][0];
}

export interface SampleLog {
  advisors: StoredAdvisor[];
  visits: StoredVisit[];
  followUps: StoredFollowUp[];
  requests: StoredRequest[];
  assessments: StoredAssessment[];
  /** The prefectural programs of fiscal year 2025 (programs.ts), the advisors and visits consistent with them. */
  programs: StoredProgram[];
}

/** How a prefecture's advisors work: visits a month (min, max), the formats and purposes they use, weighted. */
export interface VisitProfile {
  visitsPerMonth: [number, number];
  formats: Array<[VisitFormat, number]>;
  purposes: Array<[VisitPurpose, number]>;
}

export const FORMAT_WEIGHTS: Array<[VisitFormat, number]> = [
  [VisitFormat.ON_SITE, 0.55],
  [VisitFormat.ONLINE, 0.25],
  [VisitFormat.TRAINING, 0.1],
  [VisitFormat.MEETING, 0.1],
];

/** The profile of a prefecture whose program carries out `duties`: only the purposes of those duties, trainings only with ⑤. */
export function profileOfProgram(duties: readonly ProgramDuty[]): VisitProfile {
  return {
    visitsPerMonth: [1, 2],
    formats: FORMAT_WEIGHTS.filter(([format]) => format !== VisitFormat.TRAINING || duties.includes(ProgramDuty.STAFF_TRAINING)),
    purposes: PURPOSE_WEIGHTS.filter(([purpose]) => duties.includes(PROGRAM_DUTY_OF_PURPOSE[purpose])),
  };
}

export function generateSampleLog(): SampleLog {
  const rng = new SeededRandom(SAMPLE_SEED);
  const log: Omit<SampleLog, 'programs'> = { advisors: [], visits: [], followUps: [], requests: [], assessments: [] };
  // The visit log's own prefectures first, in their fixed order and with the first generator, so their records never change.
  for (const prefecture of SAMPLE_PREFECTURES) {
    const municipalities = municipalityReferences().filter((m) => m.prefectureCode === prefecture);
    const advisors: StoredAdvisor[] = Array.from({ length: prefecture === '01' ? 5 : 3 }, (_, i) =>
      sampleAdvisor(prefecture, i + 1, rng, () => rng.shuffle(QUALIFICATIONS).slice(0, rng.int(1, 2))),
    );
    log.advisors.push(...advisors);
    const visitsPerMonth: [number, number] = prefecture === '01' ? [4, 6] : [2, 4];
    addVisits(log, rng, prefecture, advisors, { visitsPerMonth, formats: FORMAT_WEIGHTS, purposes: PURPOSE_WEIGHTS });
    addAssessments(log, rng, municipalities);
  }
  // Their programs carry out duties ①–⑥ and list the advisors above as positions; the other implementing
  // prefectures get one advisor per position, and visits for the duties of their program only.
  const programs = samplePrograms(log.advisors);
  const others = new SeededRandom(SAMPLE_SEED + 1);
  for (const program of programs) {
    if (!program.implemented || SAMPLE_PREFECTURES.includes(program.prefectureCode)) continue;
    const prefecture = program.prefectureCode;
    const occupations = program.advisorPositions.flatMap((p) => Array.from({ length: p.count }, () => p.occupation));
    const advisors = occupations.map((occupation, i) => sampleAdvisor(prefecture, i + 1, others, () => [occupation]));
    log.advisors.push(...advisors);
    const profile = profileOfProgram(program.duties);
    if (profile.purposes.length > 0) addVisits(log, others, prefecture, advisors, profile);
    addAssessments(
      log,
      others,
      municipalityReferences().filter((m) => m.prefectureCode === prefecture),
    );
  }
  return { ...log, programs };
}

/** `qualifications` is drawn between the affiliation and the subject, the order the first generator always drew in. */
function sampleAdvisor(prefecture: string, n: number, rng: SeededRandom, qualifications: () => string[]): StoredAdvisor {
  return {
    id: uuidFromKey(`sample-advisor:${prefecture}:${n}`),
    externalId: `S-ADV-${prefecture}-${n}`,
    prefectureCode: prefecture,
    name: `${rng.pick(SURNAMES)} ${rng.pick(GIVEN)}`,
    affiliation: rng.pick(AFFILIATIONS),
    qualifications: qualifications(),
    subject: sampleAdvisorSubject(prefecture, n),
    activeFrom: '2022-04-01',
    activeUntil: null,
    sample: true,
    version: 1,
  };
}

/** About `profile.visitsPerMonth` visits a month from SAMPLE_FROM to SAMPLE_UNTIL, with follow-ups and requests. */
function addVisits(log: Omit<SampleLog, 'programs'>, rng: SeededRandom, prefecture: string, advisors: StoredAdvisor[], profile: VisitProfile): void {
  const municipalities = municipalityReferences().filter((m) => m.prefectureCode === prefecture);
  let n = 0;
  // Smaller municipalities are visited more: they are the ones with gaps.
  const targets: Array<[(typeof municipalities)[number], number]> = municipalities.map((m) => [m, m.population < 10_000 ? 3 : m.population < 50_000 ? 2 : 1]);
  // SAMPLE_FROM is the first of a month: each month from it to SAMPLE_UNTIL.
  for (let monthStart = SAMPLE_FROM; monthStart <= SAMPLE_UNTIL; monthStart = addMonths(monthStart, 1)) {
    const days = daysBetween(monthStart, addMonths(monthStart, 1));
    for (let k = rng.int(...profile.visitsPerMonth); k > 0; k -= 1) {
      n += 1;
      const date = addDays(monthStart, rng.int(0, days - 1));
      const format = weighted(rng, profile.formats);
      const visited =
        format === VisitFormat.MEETING ? rng.shuffle(municipalities).slice(0, rng.int(2, Math.min(4, municipalities.length))) : [weighted(rng, targets)];
      const purposes = [...new Set([weighted(rng, profile.purposes), ...(rng.chance(0.3) ? [weighted(rng, profile.purposes)] : [])])];
      const visitAdvisors = rng.shuffle(advisors).slice(0, rng.int(1, 2));
      const id = uuidFromKey(`sample-visit:${prefecture}:${n}`);
      const codes = visited.map((m) => m.code).sort();
      log.visits.push({
        id,
        externalId: `S-VIS-${prefecture}-${n}`,
        prefectureCode: prefecture,
        visitedOn: date,
        advisorIds: visitAdvisors.map((a) => a.id).sort(),
        municipalityCodes: codes,
        format,
        purposes,
        topics: purposes.map((p) => rng.pick(TOPICS[p])),
        summary: `${visited.map((m) => m.name).join('・')}の担当者と${purposes.map((p) => rng.pick(TOPICS[p])).join('、')}について協議した。（サンプル）`,
        issuesFound: rng.pick([
          '相談支援専門員の不足',
          '協議会が形骸化している',
          '緊急時の受け入れ先が少ない',
          '基幹相談支援センター設置の財源',
          '個別事例が協議会に上がってこない',
        ]),
        attendees: [{ role: '市町村障害福祉担当', count: rng.int(1, 3) }, ...(rng.chance(0.5) ? [{ role: '相談支援事業所', count: rng.int(1, 4) }] : [])],
        notes: null,
        status: VisitStatus.ACTIVE,
        cancelReason: null,
        sample: true,
        createdBy: 'sample',
        createdAt: '',
        updatedBy: 'sample',
        updatedAt: '',
        version: 1,
      });
      for (let f = rng.int(0, 2); f > 0; f -= 1) {
        const dueOn = addDays(date, rng.int(30, 120));
        const byAdvisor = rng.chance(0.3);
        const r = rng.next();
        // Due before the end of the log: mostly settled, some still open (overdue); later ones open.
        const status = dueOn > SAMPLE_UNTIL ? FollowUpStatus.OPEN : r < 0.7 ? FollowUpStatus.DONE : r < 0.8 ? FollowUpStatus.DROPPED : FollowUpStatus.OPEN;
        log.followUps.push({
          id: uuidFromKey(`sample-follow-up:${id}:${f}`),
          visitId: id,
          municipalityCode: rng.pick(codes),
          description: rng.pick([
            '次回協議会で部会再編案を提示する',
            '基幹相談支援センターの設置案を庁内で検討する',
            '研修の日程を調整する',
            '関係機関リストを更新する',
          ]),
          ownerKind: byAdvisor ? 'ADVISOR' : 'MUNICIPALITY',
          ownerAdvisorId: byAdvisor ? rng.pick(visitAdvisors).id : null,
          dueOn,
          status,
          completedOn: status === FollowUpStatus.DONE ? addDays(dueOn, -rng.int(0, 20)) : null,
          dropReason: status === FollowUpStatus.DROPPED ? '方針変更のため' : null,
          version: 1,
        });
      }
      if (rng.chance(0.1)) {
        log.requests.push({
          id: uuidFromKey(`sample-request:${id}`),
          visitId: id,
          municipalityCode: codes[0],
          summary: rng.pick(['圏域での共同設置に向けた県の調整', '研修講師の派遣', '他市町村の好事例の紹介']),
          status: weighted(rng, [
            [RequestStatus.RECEIVED, 0.2],
            [RequestStatus.IN_PROGRESS, 0.3],
            [RequestStatus.ANSWERED, 0.3],
            [RequestStatus.CLOSED, 0.2],
          ]),
          response: null,
          raisedOn: date,
          version: 1,
        });
      }
    }
  }
}

/** Council-guideline self-checks for about a third of the municipalities, some twice. */
function addAssessments(log: Omit<SampleLog, 'programs'>, rng: SeededRandom, municipalities: ReturnType<typeof municipalityReferences>): void {
  for (const m of municipalities) {
    if (!rng.chance(0.33)) continue;
    for (let a = rng.int(1, 2); a > 0; a -= 1) {
      const assessedOn = a === 1 ? addDays('2024-06-01', rng.int(0, 300)) : addDays('2025-04-01', rng.int(0, 180));
      log.assessments.push({
        id: uuidFromKey(`sample-assessment:${m.code}:${a}`),
        templateId: COUNCIL_TEMPLATE,
        municipalityCode: m.code,
        assessedOn,
        visitId: null,
        recordedBy: 'sample',
        sample: true,
        results: Array.from({ length: 12 }, (_, i) => ({
          itemId: String(i + 1),
          result: weighted(rng, [
            [AssessmentResult.MET, 0.5],
            [AssessmentResult.PARTLY, 0.3],
            [AssessmentResult.NOT_MET, 0.2],
          ]),
          comment: '',
        })),
      });
    }
  }
}

let cached: SampleLog | undefined;
/** The sample log, generated once per process (the token script and the seeding read it). */
export function sampleLog(): SampleLog {
  cached ??= generateSampleLog();
  return cached;
}
