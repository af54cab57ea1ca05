/**
 * The rules of core consultation support centers (基幹相談支援センター, 障害者総合支援法 §77-2), as pure
 * functions: when a center counts, how a municipality is covered, and what makes a record valid.
 * Both the GraphQL writes and the CSV import validate with `validateCoreCenter`.
 */
import { checkPrefectureCode, municipalityCodesOfPrefectureProblems } from '../../shared/codes';
import { type CoverageValue, coverageEnum, coverageOf as sharedCoverageOf } from '../../shared/coverage';
import { isLocalDate } from '../../shared/scalars';
import type { FieldProblem } from '../../shared/problems';

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
  const add = (field: string, reason: string) => problems.push({ field, reason });

  const prefecture = checkPrefectureCode(c.prefectureCode);
  if (!prefecture.ok) add('prefectureCode', prefecture.reason);
  if (c.name.trim() === '') add('name', 'must not be blank');
  else if (c.name.length > 200) add('name', 'must be at most 200 characters');

  problems.push(...municipalityCodesOfPrefectureProblems(c.municipalityCodes, c.prefectureCode));
  if (c.setup === CoreCenterSetup.SINGLE && c.municipalityCodes.length !== 1) {
    add('municipalityCodes', `a SINGLE (単独) center covers exactly one municipality, got ${c.municipalityCodes.length}`);
  }
  if (c.setup === CoreCenterSetup.JOINT && c.municipalityCodes.length < 2) {
    add('municipalityCodes', `a JOINT (共同) center covers two or more municipalities, got ${c.municipalityCodes.length}`);
  }

  if (c.operation !== CoreCenterOperation.DIRECT && !c.operatorName?.trim()) {
    add('operatorName', `required when operation is ${c.operation} (委託先)`);
  }
  if (!isLocalDate(c.establishedOn)) add('establishedOn', 'must be a date YYYY-MM-DD');
  if (c.closedOn !== null) {
    if (!isLocalDate(c.closedOn)) add('closedOn', 'must be a date YYYY-MM-DD');
    else if (isLocalDate(c.establishedOn) && c.closedOn <= c.establishedOn) add('closedOn', 'must be after the establishment date');
  }
  if (new Set(c.functions).size !== c.functions.length) add('functions', 'lists a function twice');
  for (const field of STAFF_FIELDS) {
    const value = c[field];
    if (!Number.isInteger(value) || value < 0 || value > 999) add(field, 'must be a whole number from 0 to 999');
  }
  if (c.sourceName.trim() === '') add('sourceName', 'must not be blank');
  if (!isLocalDate(c.sourceAsOf)) add('sourceAsOf', 'must be a date YYYY-MM-DD');
  return problems;
}
