/**
 * The rules of core consultation support centers (基幹相談支援センター, 障害者総合支援法 §77-2), as pure
 * functions: when a center counts, how a municipality is covered, and what makes a record valid.
 * Both the GraphQL writes and the CSV import validate with `validateCoreCenter`.
 */
import { checkPrefectureCode, municipalityCodesOfPrefectureProblems } from '../../shared/codes';
import { type CoverageValue, coverageEnum, coverageOf as sharedCoverageOf } from '../../shared/coverage';
import { isLocalDate } from '../../shared/scalars';
import { type FieldProblem, REASONS, type Reason } from '../../shared/problems';

export enum CoreCenterSetup {
  SINGLE = 'SINGLE',
  JOINT = 'JOINT',
}

export enum CoreCenterOperation {
  DIRECT = 'DIRECT',
  OUTSOURCED = 'OUTSOURCED',
  PARTLY_OUTSOURCED = 'PARTLY_OUTSOURCED',
}

/** The four functions of §77-2. */
export enum CoreCenterFunction {
  CONSULTATION = 'CONSULTATION',
  OTHER_LAW_CONSULTATION = 'OTHER_LAW_CONSULTATION',
  STAFF_SUPPORT = 'STAFF_SUPPORT',
  COMMUNITY_BUILDING = 'COMMUNITY_BUILDING',
}

/** Functions in the order of §77-2 (① to ④), without repeats: how they are stored. */
export function canonicalFunctions(functions: readonly CoreCenterFunction[]): CoreCenterFunction[] {
  return Object.values(CoreCenterFunction).filter((f) => functions.includes(f));
}

/** Core-center coverage of a municipality on a date (the values of shared/coverage.ts). */
export const CoreCenterCoverage = coverageEnum();
export type CoreCenterCoverage = CoverageValue;

export interface CoreCenterStaff {
  chiefSpecialists: number;
  specialists: number;
  socialWorkers: number;
  psychiatricSocialWorkers: number;
  publicHealthNurses: number;
  otherStaff: number;
}

export const STAFF_FIELDS: ReadonlyArray<keyof CoreCenterStaff> = [
  'chiefSpecialists',
  'specialists',
  'socialWorkers',
  'psychiatricSocialWorkers',
  'publicHealthNurses',
  'otherStaff',
];

/** A center as the rules see it (database rows, inputs and CSV rows are all turned into this). */
export interface CoreCenterRecord extends CoreCenterStaff {
  prefectureCode: string;
  name: string;
  setup: CoreCenterSetup;
  municipalityCodes: string[];
  operation: CoreCenterOperation;
  operatorName: string | null;
  establishedOn: string;
  closedOn: string | null;
  functions: CoreCenterFunction[];
  alsoFunctionsAsBase: boolean;
  runsAbusePreventionCenter: boolean;
  hasMedicalCareChildCoordinator: boolean;
  sourceName: string;
  sourceAsOf: string;
  sample: boolean;
}

/** A center counts on `date` when established on or before it and not closed by then. */
export { isActiveOn } from '../../shared/coverage';

/** How a municipality is covered by the centers active on the date that cover it. */
export function coverageOf(setups: Iterable<CoreCenterSetup>): CoreCenterCoverage {
  return sharedCoverageOf([...setups].map((s) => s === CoreCenterSetup.JOINT)) as CoreCenterCoverage;
}

/** Every problem with a center record; empty when it is valid. */
export function validateCoreCenter(c: CoreCenterRecord): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, reason: Reason) => problems.push({ field, ...reason });

  const prefecture = checkPrefectureCode(c.prefectureCode);
  if (!prefecture.ok) add('prefectureCode', REASONS.code(prefecture));
  if (c.name.trim() === '') add('name', REASONS.blank);
  else if (c.name.length > 200) add('name', REASONS.atMostCharacters(200));

  problems.push(...municipalityCodesOfPrefectureProblems(c.municipalityCodes, c.prefectureCode));
  if (c.setup === CoreCenterSetup.SINGLE && c.municipalityCodes.length !== 1) {
    add('municipalityCodes', {
      reason: `a SINGLE (単独) center covers exactly one municipality, got ${c.municipalityCodes.length}`,
      reasonJa: `単独設置のセンターの対象市町村は1つです（${c.municipalityCodes.length}件でした）`,
    });
  }
  if (c.setup === CoreCenterSetup.JOINT && c.municipalityCodes.length < 2) {
    add('municipalityCodes', {
      reason: `a JOINT (共同) center covers two or more municipalities, got ${c.municipalityCodes.length}`,
      reasonJa: `共同設置のセンターの対象市町村は2つ以上です（${c.municipalityCodes.length}件でした）`,
    });
  }

  if (c.operation !== CoreCenterOperation.DIRECT && !c.operatorName?.trim()) {
    add('operatorName', { reason: `required when operation is ${c.operation} (委託先)`, reasonJa: '直営でない場合は委託先を入力してください' });
  }
  if (!isLocalDate(c.establishedOn)) add('establishedOn', REASONS.date);
  if (c.closedOn !== null) {
    if (!isLocalDate(c.closedOn)) add('closedOn', REASONS.date);
    else if (isLocalDate(c.establishedOn) && c.closedOn <= c.establishedOn) add('closedOn', REASONS.afterEstablished);
  }
  if (new Set(c.functions).size !== c.functions.length) add('functions', REASONS.twice('function', '機能'));
  for (const field of STAFF_FIELDS) {
    const value = c[field];
    if (!Number.isInteger(value) || value < 0 || value > 999) add(field, REASONS.wholeNumber(0, 999));
  }
  if (c.sourceName.trim() === '') add('sourceName', REASONS.blank);
  if (!isLocalDate(c.sourceAsOf)) add('sourceAsOf', REASONS.date);
  return problems;
}
