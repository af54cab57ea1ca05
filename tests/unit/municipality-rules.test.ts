import {
  KIND_LABELS,
  MunicipalityKind,
  PopulationBracket,
  SelfPlanClass,
  kindFromLabel,
  populationBracket,
  selfPlanClass,
  HIGH_SELF_PLAN,
  aggregateSelfPlans,
  isHighSelfPlan,
  selfPlanRatePercent,
} from '../../subgraphs/municipalities/rules';
import { municipalityReferences } from '../../shared/reference/municipalities';

describe('population brackets (MHLW five bands)', () => {
  it.each([
    [0, PopulationBracket.UNDER_10K],
    [9_999, PopulationBracket.UNDER_10K],
    [10_000, PopulationBracket.FROM_10K_TO_50K],
    [49_999, PopulationBracket.FROM_10K_TO_50K],
    [50_000, PopulationBracket.FROM_50K_TO_100K],
    [99_999, PopulationBracket.FROM_50K_TO_100K],
    [100_000, PopulationBracket.FROM_100K_TO_500K],
    [499_999, PopulationBracket.FROM_100K_TO_500K],
    [500_000, PopulationBracket.FROM_500K],
    [3_753_398, PopulationBracket.FROM_500K],
  ])('%d residents → %s', (population, bracket) => {
    expect(populationBracket(population)).toBe(bracket);
  });

  it('rejects a negative population', () => {
    expect(() => populationBracket(-1)).toThrow();
  });

  it("reproduces MHLW's 2025 table on the reference data: 543 / 684 / 237 / 242 / 35", () => {
    const counts: Record<string, number> = {};
    for (const m of municipalityReferences()) {
      const b = populationBracket(m.population);
      counts[b] = (counts[b] ?? 0) + 1;
    }
    expect(counts).toEqual({
      UNDER_10K: 543,
      FROM_10K_TO_50K: 684,
      FROM_50K_TO_100K: 237,
      FROM_100K_TO_500K: 242,
      FROM_500K: 35,
    });
  });
});

describe('self-plan publication classes (twelve)', () => {
  it.each([
    [MunicipalityKind.DESIGNATED_CITY, 700_000, SelfPlanClass.DESIGNATED_CITY],
    [MunicipalityKind.SPECIAL_WARD, 60_000, SelfPlanClass.SPECIAL_WARD],
    [MunicipalityKind.CORE_CITY, 300_000, SelfPlanClass.CORE_CITY],
    [MunicipalityKind.CITY, 200_000, SelfPlanClass.CITY_200K_PLUS],
    [MunicipalityKind.CITY, 199_999, SelfPlanClass.CITY_100K_TO_200K],
    [MunicipalityKind.CITY, 100_000, SelfPlanClass.CITY_100K_TO_200K],
    [MunicipalityKind.CITY, 99_999, SelfPlanClass.CITY_50K_TO_100K],
    [MunicipalityKind.CITY, 50_000, SelfPlanClass.CITY_50K_TO_100K],
    [MunicipalityKind.CITY, 49_999, SelfPlanClass.CITY_UNDER_50K],
    [MunicipalityKind.TOWN, 20_000, SelfPlanClass.TOWN_VILLAGE_20K_PLUS],
    [MunicipalityKind.TOWN, 19_999, SelfPlanClass.TOWN_VILLAGE_10K_TO_20K],
    [MunicipalityKind.VILLAGE, 10_000, SelfPlanClass.TOWN_VILLAGE_10K_TO_20K],
    [MunicipalityKind.VILLAGE, 9_999, SelfPlanClass.TOWN_VILLAGE_5K_TO_10K],
    [MunicipalityKind.TOWN, 5_000, SelfPlanClass.TOWN_VILLAGE_5K_TO_10K],
    [MunicipalityKind.TOWN, 4_999, SelfPlanClass.TOWN_VILLAGE_3K_TO_5K],
    [MunicipalityKind.VILLAGE, 3_000, SelfPlanClass.TOWN_VILLAGE_3K_TO_5K],
    [MunicipalityKind.VILLAGE, 2_999, SelfPlanClass.TOWN_VILLAGE_UNDER_3K],
    [MunicipalityKind.VILLAGE, 160, SelfPlanClass.TOWN_VILLAGE_UNDER_3K],
  ])('%s of %d → %s', (kind, population, expected) => {
    expect(selfPlanClass(kind, population)).toBe(expected);
  });

  it('puts every reference municipality in exactly one of the twelve classes, all of them used', () => {
    const used = new Set(municipalityReferences().map((m) => selfPlanClass(kindFromLabel(m.kind), m.population)));
    expect([...used].sort()).toEqual(Object.values(SelfPlanClass).sort());
  });
});

describe('municipality kinds', () => {
  it('maps the data file labels and counts 20 / 62 / 23 / 710 / 743 / 183', () => {
    const counts: Record<string, number> = {};
    for (const m of municipalityReferences()) {
      const kind = kindFromLabel(m.kind);
      counts[kind] = (counts[kind] ?? 0) + 1;
    }
    expect(counts).toEqual({ DESIGNATED_CITY: 20, CORE_CITY: 62, SPECIAL_WARD: 23, CITY: 710, TOWN: 743, VILLAGE: 183 });
    expect(KIND_LABELS.DESIGNATED_CITY).toBe('政令指定都市');
    expect(() => kindFromLabel('郡')).toThrow('unknown municipality kind');
  });
});

describe('self-plan rates from counts', () => {
  const counted = (plans: number, selfPlans: number) => ({ plans, selfPlans, rate: null });
  const rateOnly = (rate: number) => ({ plans: null, selfPlans: null, rate });

  it('derives a rate from the counts (one decimal) and keeps a rate given alone', () => {
    expect(selfPlanRatePercent(counted(3, 1))).toBe(33.3);
    expect(selfPlanRatePercent(counted(0, 0))).toBeNull();
    expect(selfPlanRatePercent(rateOnly(12.34))).toBe(12.34);
  });

  it('sums people, not rates: a large city weighs by its plans; rates without counts are left out and counted', () => {
    // Mean of the two rates would be 50 %; the share of people is 110 of 1,010.
    expect(aggregateSelfPlans([counted(1000, 100), counted(10, 10), rateOnly(90), { plans: null, selfPlans: null, rate: null }])).toEqual({
      plans: 1010,
      selfPlans: 110,
      ratePercent: 10.9,
      municipalitiesReporting: 2,
      municipalitiesLeftOut: 1,
    });
  });

  it(`flags HIGH_SELF_PLAN_RATE at ${HIGH_SELF_PLAN.ratioToClass} times the class's rate, from at least ${HIGH_SELF_PLAN.minimumPlans} plans`, () => {
    expect(isHighSelfPlan(counted(100, 30), 20)).toBe(true); // 30 % against 20 %
    expect(isHighSelfPlan(counted(100, 29), 20)).toBe(false);
    expect(isHighSelfPlan(counted(9, 9), 20)).toBe(false); // too few plans to say
    expect(isHighSelfPlan(rateOnly(45), 20)).toBe(true);
    expect(isHighSelfPlan(counted(100, 30), null)).toBe(false);
  });
});
