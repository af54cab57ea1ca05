/**
 * The rules of the advisors' visit log (都道府県相談支援体制整備事業), as pure functions: the six duties
 * a visit serves, when a follow-up is overdue, and what makes a visit valid.
 */
import { checkPrefectureCode, municipalityCodeOfPrefectureProblems, municipalityCodesOfPrefectureProblems } from '../../shared/codes';
import { isLocalDate } from '../../shared/scalars';
import { type FieldProblem, REASONS, type Reason } from '../../shared/problems';
import type { MunicipalityGap } from '../../shared/gaps';

export enum VisitFormat {
  ON_SITE = 'ON_SITE',
  ONLINE = 'ONLINE',
  TRAINING = 'TRAINING',
  MEETING = 'MEETING',
}

/** The six duties of the prefectural program (ア)–(カ). */
export enum VisitPurpose {
  NETWORK_BUILDING = 'NETWORK_BUILDING',
  CORE_CENTER = 'CORE_CENTER',
  COUNCIL = 'COUNCIL',
  WIDE_AREA_ISSUES = 'WIDE_AREA_ISSUES',
  STAFF_TRAINING = 'STAFF_TRAINING',
  PREFECTURAL_COUNCIL = 'PREFECTURAL_COUNCIL',
}

export const PURPOSE_LABELS: Record<VisitPurpose, string> = {
  NETWORK_BUILDING: '(ア) 地域のネットワーク構築に向けた指導・調整',
  CORE_CENTER: '(イ) 基幹相談支援センターの設置・運営等に係る支援',
  COUNCIL: '(ウ) 協議会の設置・活性化に係る支援',
  WIDE_AREA_ISSUES: '(エ) 広域的課題・複数圏域にまたがる課題への支援',
  STAFF_TRAINING: '(オ) 相談支援従事者の人材育成（研修・OJT）',
  PREFECTURAL_COUNCIL: '(カ) 都道府県協議会の運営への参画',
};

/** The duties of the prefectural program (都道府県相談支援体制整備事業) as MHLW's 2025 survey lists them, ①–⑦. */
export enum ProgramDuty {
  NETWORK_BUILDING = 'NETWORK_BUILDING',
  CORE_CENTER_ADVICE = 'CORE_CENTER_ADVICE',
  COUNCIL = 'COUNCIL',
  WIDE_AREA_ISSUES = 'WIDE_AREA_ISSUES',
  STAFF_TRAINING = 'STAFF_TRAINING',
  PREFECTURAL_COUNCIL = 'PREFECTURAL_COUNCIL',
  OTHER = 'OTHER',
}

export const PROGRAM_DUTY_LABELS: Record<ProgramDuty, string> = {
  NETWORK_BUILDING: '① 地域のネットワーク構築に向けた指導・調整',
  CORE_CENTER_ADVICE: '② 基幹相談支援センターの設置・運営等に関する助言',
  COUNCIL: '③ 協議会の設置・活性化に関する支援',
  WIDE_AREA_ISSUES: '④ 広域的課題・複数圏域にまたがる課題への対応',
  STAFF_TRAINING: '⑤ 相談支援従事者の人材育成（研修・OJT）',
  PREFECTURAL_COUNCIL: '⑥ 都道府県協議会の運営への参画',
  OTHER: '⑦ その他',
};

/** The program duty (①–⑥) a visit purpose (ア)–(カ) carries out; ⑦ その他 has no purpose of its own. */
export const PROGRAM_DUTY_OF_PURPOSE: Record<VisitPurpose, ProgramDuty> = {
  NETWORK_BUILDING: ProgramDuty.NETWORK_BUILDING,
  CORE_CENTER: ProgramDuty.CORE_CENTER_ADVICE,
  COUNCIL: ProgramDuty.COUNCIL,
  WIDE_AREA_ISSUES: ProgramDuty.WIDE_AREA_ISSUES,
  STAFF_TRAINING: ProgramDuty.STAFF_TRAINING,
  PREFECTURAL_COUNCIL: ProgramDuty.PREFECTURAL_COUNCIL,
};

export interface AdvisorPosition {
  /** 職種, e.g. 主任相談支援専門員. */
  occupation: string;
  count: number;
}

export interface ProgramRecord {
  prefectureCode: string;
  fiscalYear: number;
  implemented: boolean;
  duties: ProgramDuty[];
  advisorPositions: AdvisorPosition[];
  modelProject: boolean;
}

/** Problems of a program record: duties only when implemented, each once; positions named and counted. */
export function validateProgram(p: ProgramRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const prefecture = checkPrefectureCode(p.prefectureCode);
  if (!prefecture.ok) problems.push({ field: 'prefectureCode', ...REASONS.code(prefecture) });
  if (!p.implemented && p.duties.length > 0)
    problems.push({ field: 'duties', reason: 'a program not implemented carries out no duties', reasonJa: '未実施の場合は実施内容を指定できません' });
  if (new Set(p.duties).size !== p.duties.length) problems.push({ field: 'duties', reason: 'lists a duty twice', reasonJa: '同じ実施内容が重複しています' });
  p.advisorPositions.forEach((position, i) => {
    if (position.occupation.trim() === '')
      problems.push({ field: `advisorPositions[${i}].occupation`, reason: 'must not be blank', reasonJa: '職種を入力してください' });
    if (!Number.isInteger(position.count) || position.count < 1 || position.count > 99) {
      problems.push({ field: `advisorPositions[${i}].count`, reason: 'must be a whole number from 1 to 99', reasonJa: '1〜99の整数にしてください' });
    }
  });
  return problems;
}

/** What an erasure on a visit erased (Visit.notesErasures). */
export enum ErasureKind {
  NOTES = 'NOTES',
  EARLIER_TEXTS = 'EARLIER_TEXTS',
}

export enum VisitStatus {
  ACTIVE = 'ACTIVE',
  CANCELLED = 'CANCELLED',
}

export enum FollowUpStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
  DROPPED = 'DROPPED',
}

export enum AssessmentResult {
  MET = 'MET',
  PARTLY = 'PARTLY',
  NOT_MET = 'NOT_MET',
}

export enum RequestStatus {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  ANSWERED = 'ANSWERED',
  CLOSED = 'CLOSED',
}

/** A follow-up is overdue when still open after its due date. */
export function isFollowUpOverdue(f: { status: FollowUpStatus; dueOn: string }, asOf: string): boolean {
  return f.status === FollowUpStatus.OPEN && f.dueOn < asOf;
}

export interface Attendee {
  role: string;
  count: number;
}

export interface VisitRecord {
  prefectureCode: string;
  visitedOn: string;
  advisorIds: string[];
  municipalityCodes: string[];
  format: VisitFormat;
  purposes: VisitPurpose[];
  topics: string[];
  summary: string;
  issuesFound: string;
  attendees: Attendee[];
  notes: string | null;
}

export interface AdvisorRecord {
  prefectureCode: string;
  name: string;
  affiliation: string;
  qualifications: string[];
  activeFrom: string;
  activeUntil: string | null;
}

/**
 * An advisor is active from `activeFrom` through `activeUntil`, both days included: the term (委嘱期間) as a
 * prefecture writes it, 2026-04-01 to 2027-03-31 (委嘱開始日, 委嘱終了日).
 */
export function isAdvisorActiveOn(a: { activeFrom: string; activeUntil: string | null }, date: string): boolean {
  return a.activeFrom <= date && (a.activeUntil === null || a.activeUntil >= date);
}

/**
 * Why a sign-in as ADVISOR of `prefectureCode` may not act today, or null. The registry (アドバイザー名簿)
 * outranks the identity provider's token: a sign-in linked to an advisor acts only while that advisor is
 * active, and only for the advisor's own prefecture. A sign-in linked to no advisor acts on its token alone
 * (a prefecture that has not linked its advisors' sign-ins yet).
 */
export function advisorSignInRefusal(
  advisor: Pick<AdvisorRecord, 'prefectureCode' | 'activeFrom' | 'activeUntil'> | undefined,
  prefectureCode: string,
  today: string,
): Reason | null {
  if (!advisor) return null;
  const ask = { en: "ask your prefecture's staff", ja: '都道府県の担当職員にお問い合わせください' };
  if (advisor.prefectureCode !== prefectureCode) {
    return {
      reason: `your sign-in is linked to an advisor of prefecture ${advisor.prefectureCode} in the advisor registry, not of prefecture ${prefectureCode} as the token says; ${ask.en}`,
      reasonJa: `このサインインはアドバイザー名簿で都道府県 ${advisor.prefectureCode} のアドバイザーに紐付いており、トークンの都道府県 ${prefectureCode} と一致しません。${ask.ja}`,
    };
  }
  if (isAdvisorActiveOn(advisor, today)) return null;
  if (advisor.activeFrom > today) {
    return {
      reason: `your term as an advisor in the advisor registry begins on ${advisor.activeFrom}; until then this sign-in reads and changes nothing; ${ask.en}`,
      reasonJa: `アドバイザー名簿での委嘱期間は ${advisor.activeFrom} からです。それまではこのサインインで閲覧・変更はできません。${ask.ja}`,
    };
  }
  return {
    reason: `your term as an advisor in the advisor registry ended on ${advisor.activeUntil}; this sign-in no longer reads or changes anything; ${ask.en}`,
    reasonJa: `アドバイザー名簿での委嘱期間は ${advisor.activeUntil} に終了しています。このサインインではもう閲覧・変更はできません。${ask.ja}`,
  };
}

/** Problems of an advisor record (アドバイザーの登録内容). */
export function validateAdvisor(a: AdvisorRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const prefecture = checkPrefectureCode(a.prefectureCode);
  if (!prefecture.ok) problems.push({ field: 'prefectureCode', ...REASONS.code(prefecture) });
  if (a.name.trim() === '') problems.push({ field: 'name', reason: 'must not be blank', reasonJa: '氏名を入力してください' });
  a.qualifications.forEach((q, i) => {
    if (q.trim() === '') problems.push({ field: `qualifications[${i}]`, reason: 'must not be blank', reasonJa: '空の資格は登録できません' });
  });
  if (new Set(a.qualifications).size !== a.qualifications.length)
    problems.push({ field: 'qualifications', reason: 'lists a qualification twice', reasonJa: '同じ資格が重複しています' });
  if (a.activeUntil !== null && a.activeUntil < a.activeFrom) {
    problems.push({
      field: 'activeUntil',
      reason: `the last day of the term must not be before activeFrom (${a.activeFrom})`,
      reasonJa: `委嘱終了日は委嘱開始日（${a.activeFrom}）以降の日付にしてください`,
    });
  }
  return problems;
}

/**
 * Why an advisor cannot be named on a visit, or null: not an advisor of the visit's prefecture (`named` as
 * the caller wrote the advisor), or not active on the visit's date. An advisor of another prefecture gets the
 * same answer as none at all: the caller may not read that prefecture's advisors, so no name and no "exists".
 * The API and the visits import give the same reasons.
 */
export function visitAdvisorProblem(
  advisor: (AdvisorRecord & { name: string }) | undefined,
  named: string,
  visit: { prefectureCode: string; visitedOn: string },
): Reason | null {
  if (!advisor || advisor.prefectureCode !== visit.prefectureCode) {
    return {
      reason: `no advisor of prefecture ${visit.prefectureCode} has id ${named}`,
      reasonJa: `都道府県 ${visit.prefectureCode} のアドバイザーに ID ${named} は登録されていません`,
    };
  }
  if (!isAdvisorActiveOn(advisor, visit.visitedOn)) {
    return { reason: `advisor ${advisor.name} was not active on ${visit.visitedOn}`, reasonJa: `${advisor.name} は ${visit.visitedOn} に活動期間外です` };
  }
  return null;
}

/**
 * Problems of a record on a visit — a follow-up agreed at it, a request raised at it: for one of the visit's
 * municipalities, and dated (due, done, raised) no earlier than the visit. The API (createFollowUp,
 * createRequest) and the imports give the same reasons.
 */
export function onVisitProblems(
  record: { municipalityCode: string },
  dates: ReadonlyArray<readonly [field: string, date: string | null | undefined]>,
  visit: { visitedOn: string; municipalityCodes: readonly string[] },
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!visit.municipalityCodes.includes(record.municipalityCode)) {
    problems.push({
      field: 'municipalityCode',
      reason: `must be one of the visit's municipalities (${visit.municipalityCodes.join(', ')})`,
      reasonJa: `訪問先の市町村（${visit.municipalityCodes.join('、')}）のいずれかにしてください`,
    });
  }
  for (const [field, date] of dates) {
    if (date && date < visit.visitedOn) {
      problems.push({ field, reason: `must not be before the visit (${visit.visitedOn})`, reasonJa: `訪問日（${visit.visitedOn}）より前にはできません` });
    }
  }
  return problems;
}

/** A follow-up on its visit (onVisitProblems): due, and done if done, no earlier than the visit. */
export const followUpOnVisitProblems = (
  f: { municipalityCode: string; dueOn: string; completedOn?: string | null },
  visit: { visitedOn: string; municipalityCodes: readonly string[] },
): FieldProblem[] =>
  onVisitProblems(
    f,
    [
      ['dueOn', f.dueOn],
      ['completedOn', f.completedOn],
    ],
    visit,
  );

/** A record made at a visit, as a change to the visit must keep it true: its id, municipality and dates (due, done, raised). */
export interface RecordOnVisit {
  kind: 'follow-up' | 'request' | 'assessment';
  id: string;
  municipalityCode: string;
  dates: readonly string[];
}

const RECORD_ON_VISIT: Record<RecordOnVisit['kind'], { en: string; ja: string }> = {
  'follow-up': { en: 'the follow-up', ja: 'フォローアップ' },
  request: { en: 'the request', ja: '要望' },
  assessment: { en: 'the checklist assessment', ja: 'チェックリスト評価' },
};

/**
 * What a change to a visit would leave wrong in the records made at it (onVisitProblems): one for a
 * municipality no longer visited, or dated before the (new) visit date. Each is named by its kind and the id
 * its reader knows it by (the API's, or a file's), never by its text (free text stays out of messages).
 */
export function onChangedVisitProblems(visit: { visitedOn: string; municipalityCodes: readonly string[] }, records: readonly RecordOnVisit[]): FieldProblem[] {
  return records.flatMap((r) => {
    const { en, ja } = RECORD_ON_VISIT[r.kind];
    const problems: FieldProblem[] = [];
    if (!visit.municipalityCodes.includes(r.municipalityCode)) {
      problems.push({
        field: 'municipalityCodes',
        reason: `${en} ${r.id} is for municipality ${r.municipalityCode}: keep ${r.municipalityCode} among the visit's municipalities (what was recorded at a visit stays with it)`,
        reasonJa: `${ja} ${r.id} は市町村 ${r.municipalityCode} のものです。訪問先に ${r.municipalityCode} を残してください（訪問で記録したものは訪問から外せません）`,
      });
    }
    const early = r.dates.find((date) => date < visit.visitedOn);
    if (early) {
      problems.push({
        field: 'date',
        reason: `${en} ${r.id} is dated ${early}, before ${visit.visitedOn}`,
        reasonJa: `${ja} ${r.id} の日付（${early}）が訪問日（${visit.visitedOn}）より前になります`,
      });
    }
    return problems;
  });
}

/** What a request asks must say something, on creation and on change (`field`: where the caller gave it). */
export const requestSummaryProblems = (summary: string, field = 'summary'): FieldProblem[] => (summary.trim() === '' ? [{ field, ...REASONS.blank }] : []);

/**
 * Problems of a municipality's request (要望) as a file gives it: a municipality of the row's prefecture, and
 * something asked (the API takes the prefecture from the municipality, and checks the same summary rule).
 */
export function validateRequest(q: { prefectureCode: string; municipalityCode: string; summary: string }): FieldProblem[] {
  return [...municipalityCodeOfPrefectureProblems(q.municipalityCode, q.prefectureCode), ...requestSummaryProblems(q.summary)];
}

/** Problems of a visit record; `today` is the date in Japan (a recorded visit cannot be in the future). */
export function validateVisit(v: VisitRecord, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, reason: Reason) => problems.push({ field, ...reason });
  const prefecture = checkPrefectureCode(v.prefectureCode);
  if (!prefecture.ok) add('prefectureCode', REASONS.code(prefecture));
  if (!isLocalDate(v.visitedOn)) add('date', REASONS.date);
  else if (v.visitedOn > today) {
    add('date', { reason: `a recorded visit cannot be in the future (today is ${today})`, reasonJa: `未来の訪問は記録できません（今日は ${today}）` });
  }
  if (v.advisorIds.length === 0) add('advisorIds', { reason: 'name at least one advisor', reasonJa: 'アドバイザーを1人以上指定してください' });
  if (v.municipalityCodes.length === 0) add('municipalityCodes', { reason: 'name at least one municipality', reasonJa: '市町村を1つ以上指定してください' });
  problems.push(...municipalityCodesOfPrefectureProblems(v.municipalityCodes, v.prefectureCode));
  if (v.purposes.length === 0) {
    add('purposes', { reason: 'name at least one of the six duties (ア)–(カ)', reasonJa: '6つの業務（ア）〜（カ）のうち1つ以上を指定してください' });
  }
  if (v.summary.length > 20_000) add('summary', REASONS.atMostCharacters(20_000));
  if (v.issuesFound.length > 20_000) add('issuesFound', REASONS.atMostCharacters(20_000));
  if ((v.notes ?? '').length > 20_000) add('notes', REASONS.atMostCharacters(20_000));
  v.topics.forEach((t, i) => {
    if (t.trim() === '' || t.length > 200) add(`topics[${i}]`, { reason: 'must be 1 to 200 characters', reasonJa: '1〜200文字にしてください' });
  });
  v.attendees.forEach((a, i) => {
    if (a.role.trim() === '') add(`attendees[${i}].role`, REASONS.blank);
    if (!Number.isInteger(a.count) || a.count < 1 || a.count > 999) add(`attendees[${i}].count`, REASONS.wholeNumber(1, 999));
  });
  return problems;
}

/** Weights of the worklist priority; the schema's description of Prefecture.advisorWorklist is written from this table. */
export const GAP_WEIGHTS: Readonly<Record<MunicipalityGap, number>> = {
  NO_CORE_CENTER: 3,
  NO_BASE: 3,
  NO_COUNCIL: 3,
  BASE_WITHOUT_COORDINATOR: 2,
  HIGH_SELF_PLAN_RATE: 2,
  NOT_VISITED_RECENTLY: 2,
  BASE_REVIEW_OVERDUE: 1,
  BASE_MISSING_FUNCTION: 1,
  NO_CASE_REVIEW: 1,
  OVERDUE_FOLLOW_UP: 0, // counted per follow-up instead: OVERDUE_FOLLOW_UP_POINTS
};
/** Each overdue follow-up adds a point, up to this many. */
export const MAX_OVERDUE_FOLLOW_UP_POINTS = 3;
/** Municipalities below this population get a point: small towns lag most. */
export const SMALL_MUNICIPALITY = 10_000;

/** The priority rule in words, from the tables above (the schema description says it). */
export function priorityRuleText(): string {
  const byWeight = new Map<number, MunicipalityGap[]>();
  for (const [gap, weight] of Object.entries(GAP_WEIGHTS) as Array<[MunicipalityGap, number]>) {
    if (weight > 0) byWeight.set(weight, [...(byWeight.get(weight) ?? []), gap]);
  }
  const weights = [...byWeight.entries()]
    .sort(([a], [b]) => b - a)
    .map(([w, gaps]) => `${w}: ${gaps.join(', ')}`)
    .join('; ');
  return `Priority = sum of weights (${weights}) + 1 per overdue follow-up (at most ${MAX_OVERDUE_FOLLOW_UP_POINTS}) + 1 under ${SMALL_MUNICIPALITY.toLocaleString('en-US')} residents.`;
}

/**
 * Priority of a worklist item: the sum of its gaps' weights, plus 1 per overdue follow-up (at most 3),
 * plus 1 for a municipality under 10,000 residents (small towns lag most). Higher comes first.
 */
export function worklistPriority(reasons: readonly MunicipalityGap[], overdueFollowUps: number, population: number): number {
  return (
    reasons.reduce((sum, r) => sum + GAP_WEIGHTS[r], 0) + Math.min(overdueFollowUps, MAX_OVERDUE_FOLLOW_UP_POINTS) + (population < SMALL_MUNICIPALITY ? 1 : 0)
  );
}
