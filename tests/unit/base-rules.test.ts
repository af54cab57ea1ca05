import {
  BaseFunction,
  BaseGapKind,
  BaseModel,
  type BaseRecord,
  CoordinatorFunding,
  gapsOf,
  isReviewOverdue,
  validateBase,
  validateCoordinator,
} from '../../subgraphs/bases/rules';
import { twelveMonthsBefore } from '../../shared/dates';

const ALL = Object.values(BaseFunction);

describe('annual review', () => {
  it.each([
    ['2025-07-01', '2024-07-01'],
    ['2024-02-29', '2023-02-28'],
    ['2025-03-31', '2024-03-31'],
  ])('12 months before %s is %s', (date, before) => expect(twelveMonthsBefore(date)).toBe(before));

  it.each<[string | null, boolean]>([
    [null, true], // never reviewed
    ['2024-06-30', true], // more than 12 months before
    ['2024-07-01', false], // exactly 12 months before still counts
    ['2025-06-30', false],
  ])('last review %s → overdue on 2025-07-01: %s', (last, overdue) => expect(isReviewOverdue(last, '2025-07-01')).toBe(overdue));
});

describe('gaps of a municipality', () => {
  const good = { hasCoordinator: true, lastReviewOn: '2025-05-01', functions: ALL };
  const asOf = '2025-07-01';

  it('has NO_BASE, and every function missing, without a base', () => {
    expect(gapsOf([], asOf)).toEqual({ gaps: [BaseGapKind.NO_BASE], missingFunctions: ALL });
  });
  it('has none with one complete base', () => expect(gapsOf([good], asOf)).toEqual({ gaps: [], missingFunctions: [] }));
  it('lacks a coordinator only when all its bases lack one', () => {
    expect(gapsOf([{ ...good, hasCoordinator: false }], asOf).gaps).toEqual([BaseGapKind.NO_COORDINATOR]);
    expect(gapsOf([{ ...good, hasCoordinator: false }, good], asOf).gaps).toEqual([]);
  });
  it('is overdue only when no base was reviewed within 12 months', () => {
    expect(gapsOf([{ ...good, lastReviewOn: null }], asOf).gaps).toEqual([BaseGapKind.REVIEW_OVERDUE]);
    expect(gapsOf([{ ...good, lastReviewOn: null }, good], asOf).gaps).toEqual([]);
  });
  it('misses a function that none of its bases provides, naming it', () => {
    const noEmergency = { ...good, functions: ALL.filter((f) => f !== BaseFunction.EMERGENCY_RESPONSE) };
    expect(gapsOf([noEmergency], asOf)).toEqual({ gaps: [BaseGapKind.MISSING_FUNCTION], missingFunctions: [BaseFunction.EMERGENCY_RESPONSE] });
    expect(gapsOf([noEmergency, good], asOf).gaps).toEqual([]);
  });
});

describe('validating a base', () => {
  const valid: BaseRecord = {
    prefectureCode: '01',
    name: '札幌市地域生活支援拠点',
    model: BaseModel.NETWORKED,
    municipalityCodes: ['011002'],
    establishedOn: '2020-04-01',
    closedOn: null,
    functions: ALL,
    emergencyPreregistrations: 10,
    sourceName: '調査',
    sourceAsOf: '2025-07-01',
    sample: false,
  };
  it('accepts a valid base', () => expect(validateBase(valid)).toEqual([]));
  it.each<[Partial<BaseRecord>, string]>([
    [{ municipalityCodes: [] }, 'municipalityCodes'],
    [{ municipalityCodes: ['011003'] }, 'municipalityCodes[0]'],
    [{ municipalityCodes: ['131016'] }, 'municipalityCodes[0]'],
    [{ closedOn: '2019-01-01' }, 'closedOn'],
    [{ emergencyPreregistrations: -1 }, 'emergencyPreregistrations'],
    [{ functions: [BaseFunction.CONSULTATION, BaseFunction.CONSULTATION] }, 'functions'],
  ])('refuses %j at %s', (change, field) => {
    expect(validateBase({ ...valid, ...change }).map((p) => p.field)).toContain(field);
  });
  it('checks coordinators', () => {
    const c = { count: 1, funding: CoordinatorFunding.FEE_ADDITION, hostOrganization: 'A', startedOn: '2024-04-01', endedOn: null };
    expect(validateCoordinator(c)).toEqual([]);
    expect(validateCoordinator({ ...c, count: 0, endedOn: '2024-01-01' }).map((p) => p.field)).toEqual(['count', 'endedOn']);
  });
});
