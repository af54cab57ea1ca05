import {
  CoreCenterCoverage,
  CoreCenterFunction,
  CoreCenterOperation,
  type CoreCenterRecord,
  CoreCenterSetup,
  canonicalFunctions,
  coverageOf,
  isActiveOn,
  validateCoreCenter,
} from '../../subgraphs/support-centers/rules';

/** A reason in Japanese: kana or kanji (not an English one repeated). */
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;

const valid: CoreCenterRecord = {
  prefectureCode: '01',
  name: '札幌市基幹相談支援センター',
  setup: CoreCenterSetup.SINGLE,
  municipalityCodes: ['011002'],
  operation: CoreCenterOperation.DIRECT,
  operatorName: null,
  establishedOn: '2020-04-01',
  closedOn: null,
  functions: [CoreCenterFunction.CONSULTATION],
  chiefSpecialists: 1,
  specialists: 2,
  socialWorkers: 0,
  psychiatricSocialWorkers: 0,
  publicHealthNurses: 0,
  otherStaff: 0,
  alsoFunctionsAsBase: false,
  runsAbusePreventionCenter: false,
  hasMedicalCareChildCoordinator: false,
  sourceName: '調査',
  sourceAsOf: '2025-04-01',
  sample: false,
};

describe('when a center counts', () => {
  const center = { establishedOn: '2020-04-01', closedOn: '2023-04-01' };
  it.each([
    ['2020-03-31', false],
    ['2020-04-01', true], // counts from the day it is established
    ['2023-03-31', true],
    ['2023-04-01', false], // and no longer on the day it closes
  ])('on %s: %s', (date, active) => expect(isActiveOn(center, date)).toBe(active));
  it('counts an open center forever after', () => expect(isActiveOn({ establishedOn: '2020-04-01', closedOn: null }, '2099-01-01')).toBe(true));
});

describe('coverage of a municipality', () => {
  it.each([
    [[], CoreCenterCoverage.NONE],
    [[CoreCenterSetup.SINGLE], CoreCenterCoverage.SINGLE],
    [[CoreCenterSetup.SINGLE, CoreCenterSetup.SINGLE], CoreCenterCoverage.SINGLE],
    [[CoreCenterSetup.JOINT], CoreCenterCoverage.JOINT],
    [[CoreCenterSetup.JOINT, CoreCenterSetup.SINGLE], CoreCenterCoverage.SINGLE_AND_JOINT],
  ])('%j → %s', (setups, coverage) => expect(coverageOf(setups)).toBe(coverage));
});

describe('validating a center', () => {
  const problems = (change: Partial<CoreCenterRecord>) => validateCoreCenter({ ...valid, ...change });

  it('accepts a valid center', () => expect(problems({})).toEqual([]));

  it.each<[Partial<CoreCenterRecord>, string, string]>([
    [{ setup: CoreCenterSetup.JOINT }, 'municipalityCodes', 'two or more'],
    [{ municipalityCodes: ['011002', '012025'] }, 'municipalityCodes', 'exactly one'],
    [{ municipalityCodes: ['011003'] }, 'municipalityCodes[0]', 'check digit should be 2'],
    [{ municipalityCodes: ['016951'] }, 'municipalityCodes[0]', 'no municipality has code'],
    [{ municipalityCodes: ['131016'] }, 'municipalityCodes[0]', 'not in prefecture 01'],
    [{ closedOn: '2020-04-01' }, 'closedOn', 'after the establishment date'],
    [{ establishedOn: '2020-02-30' }, 'establishedOn', 'YYYY-MM-DD'],
    [{ specialists: -1 }, 'specialists', '0 to 999'],
    [{ operation: CoreCenterOperation.OUTSOURCED }, 'operatorName', 'required'],
    [{ name: '  ' }, 'name', 'blank'],
    [{ prefectureCode: '48' }, 'prefectureCode', '"01" to "47"'],
  ])('refuses %j at %s', (change, field, reason) => {
    expect(problems(change)).toEqual(expect.arrayContaining([{ field, reason: expect.stringContaining(reason), reasonJa: expect.stringMatching(JAPANESE) }]));
  });

  it('reports every problem at once', () => {
    expect(problems({ setup: CoreCenterSetup.JOINT, specialists: -1, closedOn: '2019-01-01' }).map((p) => p.field)).toEqual([
      'municipalityCodes',
      'closedOn',
      'specialists',
    ]);
  });

  it('stores functions in the order of §77-2 without repeats', () => {
    expect(canonicalFunctions([CoreCenterFunction.COMMUNITY_BUILDING, CoreCenterFunction.CONSULTATION, CoreCenterFunction.CONSULTATION])).toEqual([
      CoreCenterFunction.CONSULTATION,
      CoreCenterFunction.COMMUNITY_BUILDING,
    ]);
  });
});
