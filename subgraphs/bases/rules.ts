/**
 * The rules of community life support bases (地域生活支援拠点等, 障害者総合支援法 §77(3)) as pure
 * functions: the five functions, when a base counts, when its annual review is overdue, and which
 * gaps a municipality has. Writes and the CSV import validate with `validateBase`.
 */
import { checkPrefectureCode, municipalityCodesOfPrefectureProblems } from '../../shared/codes';
import { isLocalDate } from '../../shared/scalars';
import { type FieldProblem, REASONS, type Reason } from '../../shared/problems';
import { twelveMonthsBefore } from '../../shared/dates';

export { coverageOf, isActiveOn } from '../../shared/coverage';

export enum BaseModel {
  MULTIFUNCTIONAL = 'MULTIFUNCTIONAL',
  NETWORKED = 'NETWORKED',
  HYBRID = 'HYBRID',
}

/** The five functions a base is to have. */
export enum BaseFunction {
  CONSULTATION = 'CONSULTATION',
  EMERGENCY_RESPONSE = 'EMERGENCY_RESPONSE',
  EXPERIENCE_OPPORTUNITIES = 'EXPERIENCE_OPPORTUNITIES',
  SPECIALIST_DEVELOPMENT = 'SPECIALIST_DEVELOPMENT',
  COMMUNITY_COORDINATION = 'COMMUNITY_COORDINATION',
}

export enum OrganizationKind {
  SHORT_STAY = 'SHORT_STAY',
  GROUP_HOME = 'GROUP_HOME',
  CONSULTATION_OFFICE = 'CONSULTATION_OFFICE',
  MEDICAL_INSTITUTION = 'MEDICAL_INSTITUTION',
  DAY_ACTIVITY = 'DAY_ACTIVITY',
  HOME_HELP = 'HOME_HELP',
  OTHER = 'OTHER',
}

export enum CoordinatorFunding {
  FEE_ADDITION = 'FEE_ADDITION',
  COMMUNITY_LIFE_SUPPORT_PROGRAM = 'COMMUNITY_LIFE_SUPPORT_PROGRAM',
  OTHER = 'OTHER',
}

export enum BaseGapKind {
  NO_BASE = 'NO_BASE',
  NO_COORDINATOR = 'NO_COORDINATOR',
  REVIEW_OVERDUE = 'REVIEW_OVERDUE',
  MISSING_FUNCTION = 'MISSING_FUNCTION',
}

/** Functions in their usual order, without repeats: how they are stored. */
export function canonicalFunctions(functions: readonly BaseFunction[]): BaseFunction[] {
  return Object.values(BaseFunction).filter((f) => functions.includes(f));
}

/**
 * The annual operational review (年1回以上の運用状況の検証・検討) is overdue on `asOf` when the last one
 * on or before that date is more than 12 months earlier, or there has been none.
 */
export function isReviewOverdue(lastReviewOn: string | null, asOf: string): boolean {
  return lastReviewOn === null || lastReviewOn < twelveMonthsBefore(asOf);
}

/** What the gap rules need to know of one base active on a date. */
export interface BaseStatus {
  hasCoordinator: boolean;
  lastReviewOn: string | null;
  functions: BaseFunction[];
}

/** A coordinator works from `startedOn` through `endedOn` (the last day of the assignment), both days included. */
export function isCoordinatorWorkingOn(c: { startedOn: string; endedOn: string | null }, date: string): boolean {
  return c.startedOn <= date && (c.endedOn === null || c.endedOn >= date);
}

/**
 * The gaps of a municipality on `asOf`, from the bases active then that cover it: no base at all; or
 * none of its bases has a coordinator; or none has had a review in the last 12 months; or some of the
 * five functions is provided by none of them.
 */
export function gapsOf(bases: readonly BaseStatus[], asOf: string): { gaps: BaseGapKind[]; missingFunctions: BaseFunction[] } {
  if (bases.length === 0) return { gaps: [BaseGapKind.NO_BASE], missingFunctions: Object.values(BaseFunction) };
  const gaps: BaseGapKind[] = [];
  if (!bases.some((b) => b.hasCoordinator)) gaps.push(BaseGapKind.NO_COORDINATOR);
  if (bases.every((b) => isReviewOverdue(b.lastReviewOn, asOf))) gaps.push(BaseGapKind.REVIEW_OVERDUE);
  const provided = new Set(bases.flatMap((b) => b.functions));
  const missingFunctions = Object.values(BaseFunction).filter((f) => !provided.has(f));
  if (missingFunctions.length > 0) gaps.push(BaseGapKind.MISSING_FUNCTION);
  return { gaps, missingFunctions };
}

export interface BaseRecord {
  prefectureCode: string;
  name: string;
  model: BaseModel;
  municipalityCodes: string[];
  establishedOn: string;
  closedOn: string | null;
  functions: BaseFunction[];
  emergencyPreregistrations: number;
  sourceName: string;
  sourceAsOf: string;
  sample: boolean;
}

export function validateBase(b: BaseRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, reason: Reason) => problems.push({ field, ...reason });
  const prefecture = checkPrefectureCode(b.prefectureCode);
  if (!prefecture.ok) add('prefectureCode', REASONS.code(prefecture));
  if (b.name.trim() === '') add('name', REASONS.blank);
  else if (b.name.length > 200) add('name', REASONS.atMostCharacters(200));
  if (b.municipalityCodes.length === 0) {
    add('municipalityCodes', { reason: 'a base covers at least one municipality', reasonJa: '対象市町村を1つ以上指定してください' });
  }
  problems.push(...municipalityCodesOfPrefectureProblems(b.municipalityCodes, b.prefectureCode));
  if (!isLocalDate(b.establishedOn)) add('establishedOn', REASONS.date);
  if (b.closedOn !== null) {
    if (!isLocalDate(b.closedOn)) add('closedOn', REASONS.date);
    else if (isLocalDate(b.establishedOn) && b.closedOn <= b.establishedOn) add('closedOn', REASONS.afterEstablished);
  }
  if (new Set(b.functions).size !== b.functions.length) add('functions', REASONS.twice('function', '機能'));
  if (!Number.isInteger(b.emergencyPreregistrations) || b.emergencyPreregistrations < 0 || b.emergencyPreregistrations > 100_000) {
    add('emergencyPreregistrations', REASONS.wholeNumber(0, 100_000));
  }
  if (b.sourceName.trim() === '') add('sourceName', REASONS.blank);
  if (!isLocalDate(b.sourceAsOf)) add('sourceAsOf', REASONS.date);
  return problems;
}

export interface CoordinatorRecord {
  count: number;
  funding: CoordinatorFunding;
  hostOrganization: string;
  startedOn: string;
  endedOn: string | null;
}

export function validateCoordinator(c: CoordinatorRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(c.count) || c.count < 1 || c.count > 99) problems.push({ field: 'count', ...REASONS.wholeNumber(1, 99) });
  if (c.hostOrganization.trim() === '') problems.push({ field: 'hostOrganization', ...REASONS.blank });
  if (!isLocalDate(c.startedOn)) problems.push({ field: 'startedOn', ...REASONS.date });
  if (c.endedOn !== null && (!isLocalDate(c.endedOn) || c.endedOn <= c.startedOn)) {
    problems.push({ field: 'endedOn', reason: 'must be a date after startedOn', reasonJa: '配置開始日より後の日付にしてください' });
  }
  return problems;
}
