/**
 * How MHLW groups municipalities when it publishes figures: by kind, by the five population
 * brackets of its coverage tables (shared/population-brackets.ts, re-exported here), and by the
 * twelve classes of its self-plan rate publication.
 * Pure functions: the unit tests pin every boundary.
 */
import { type MunicipalityKindLabel, municipalityReferences } from '../../shared/reference/municipalities';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { percentOneDecimal } from '../../shared/percent';

export { BRACKETS, PopulationBracket, populationBracket } from '../../shared/population-brackets';

export enum MunicipalityKind {
  DESIGNATED_CITY = 'DESIGNATED_CITY',
  CORE_CITY = 'CORE_CITY',
  CITY = 'CITY',
  SPECIAL_WARD = 'SPECIAL_WARD',
  TOWN = 'TOWN',
  VILLAGE = 'VILLAGE',
}

export const KIND_LABELS: Record<MunicipalityKind, MunicipalityKindLabel> = {
  DESIGNATED_CITY: '政令指定都市',
  CORE_CITY: '中核市',
  CITY: '市',
  SPECIAL_WARD: '特別区',
  TOWN: '町',
  VILLAGE: '村',
};

export function kindFromLabel(label: string): MunicipalityKind {
  const kind = (Object.keys(KIND_LABELS) as MunicipalityKind[]).find((k) => KIND_LABELS[k] === label);
  if (!kind) throw new Error(`unknown municipality kind "${label}"`);
  return kind;
}

/** The twelve classes of the self-plan rate publication (セルフプラン率, 人口規模別). */
export enum SelfPlanClass {
  DESIGNATED_CITY = 'DESIGNATED_CITY',
  SPECIAL_WARD = 'SPECIAL_WARD',
  CORE_CITY = 'CORE_CITY',
  CITY_200K_PLUS = 'CITY_200K_PLUS',
  CITY_100K_TO_200K = 'CITY_100K_TO_200K',
  CITY_50K_TO_100K = 'CITY_50K_TO_100K',
  CITY_UNDER_50K = 'CITY_UNDER_50K',
  TOWN_VILLAGE_20K_PLUS = 'TOWN_VILLAGE_20K_PLUS',
  TOWN_VILLAGE_10K_TO_20K = 'TOWN_VILLAGE_10K_TO_20K',
  TOWN_VILLAGE_5K_TO_10K = 'TOWN_VILLAGE_5K_TO_10K',
  TOWN_VILLAGE_3K_TO_5K = 'TOWN_VILLAGE_3K_TO_5K',
  TOWN_VILLAGE_UNDER_3K = 'TOWN_VILLAGE_UNDER_3K',
}

export const SELF_PLAN_CLASS_LABELS: Record<SelfPlanClass, string> = {
  DESIGNATED_CITY: '政令指定都市',
  SPECIAL_WARD: '特別区',
  CORE_CITY: '中核市',
  CITY_200K_PLUS: '一般市（人口20万人以上）',
  CITY_100K_TO_200K: '一般市（人口10万～20万人未満）',
  CITY_50K_TO_100K: '一般市（人口5万～10万人未満）',
  CITY_UNDER_50K: '一般市（人口5万人未満）',
  TOWN_VILLAGE_20K_PLUS: '町村（人口2万人以上）',
  TOWN_VILLAGE_10K_TO_20K: '町村（人口1万～2万人未満）',
  TOWN_VILLAGE_5K_TO_10K: '町村（人口5千～1万人未満）',
  TOWN_VILLAGE_3K_TO_5K: '町村（人口3千～5千人未満）',
  TOWN_VILLAGE_UNDER_3K: '町村（人口3千人未満）',
};

export function selfPlanClass(kind: MunicipalityKind, population: number): SelfPlanClass {
  switch (kind) {
    case MunicipalityKind.DESIGNATED_CITY:
      return SelfPlanClass.DESIGNATED_CITY;
    case MunicipalityKind.SPECIAL_WARD:
      return SelfPlanClass.SPECIAL_WARD;
    case MunicipalityKind.CORE_CITY:
      return SelfPlanClass.CORE_CITY;
    case MunicipalityKind.CITY:
      if (population >= 200_000) return SelfPlanClass.CITY_200K_PLUS;
      if (population >= 100_000) return SelfPlanClass.CITY_100K_TO_200K;
      if (population >= 50_000) return SelfPlanClass.CITY_50K_TO_100K;
      return SelfPlanClass.CITY_UNDER_50K;
    case MunicipalityKind.TOWN:
    case MunicipalityKind.VILLAGE:
      if (population >= 20_000) return SelfPlanClass.TOWN_VILLAGE_20K_PLUS;
      if (population >= 10_000) return SelfPlanClass.TOWN_VILLAGE_10K_TO_20K;
      if (population >= 5_000) return SelfPlanClass.TOWN_VILLAGE_5K_TO_10K;
      if (population >= 3_000) return SelfPlanClass.TOWN_VILLAGE_3K_TO_5K;
      return SelfPlanClass.TOWN_VILLAGE_UNDER_3K;
  }
}

/** One service's self-plans in a municipality: the counts, or (from a file that gives only rates) the rate alone. */
export interface SelfPlans {
  /** People with a plan (計画作成者数), self-plans included. */
  plans: number | null;
  /** Of them, self-plans (セルフプラン作成者数). */
  selfPlans: number | null;
  /** Percent, only when no counts were given. */
  rate: number | null;
}

/** セルフプラン率 in percent: self-plans over plans with one decimal when counted, else the rate given. */
export function selfPlanRatePercent(s: SelfPlans): number | null {
  if (s.plans !== null && s.selfPlans !== null) return percentOneDecimal(s.selfPlans, s.plans);
  return s.rate;
}

export interface SelfPlanAggregate {
  plans: number;
  selfPlans: number;
  /** Sum of self-plans over sum of plans, percent with one decimal (null without plans). */
  ratePercent: number | null;
  /** Municipalities whose counts are in the sums. */
  municipalitiesReporting: number;
  /** Municipalities with a rate but no counts: left out of the sums. */
  municipalitiesLeftOut: number;
}

/** MHLW's way: the share of people, so a municipality weighs by its plans. Rates without counts cannot be summed and are left out. */
export function aggregateSelfPlans(figures: Iterable<SelfPlans>): SelfPlanAggregate {
  const a = { plans: 0, selfPlans: 0, municipalitiesReporting: 0, municipalitiesLeftOut: 0 };
  for (const f of figures) {
    if (f.plans !== null && f.selfPlans !== null) {
      a.plans += f.plans;
      a.selfPlans += f.selfPlans;
      a.municipalitiesReporting += 1;
    } else if (f.rate !== null) a.municipalitiesLeftOut += 1;
  }
  return { ...a, ratePercent: percentOneDecimal(a.selfPlans, a.plans) };
}

/**
 * HIGH_SELF_PLAN_RATE in the worklist: a municipality's rate at least `ratioToClass` times the rate of
 * its class (人口規模別区分) on the same date, counted from at least `minimumPlans` plans (fewer say little).
 */
export const HIGH_SELF_PLAN = { ratioToClass: 1.5, minimumPlans: 10 };

export function isHighSelfPlan(own: SelfPlans, classRatePercent: number | null): boolean {
  const rate = selfPlanRatePercent(own);
  if (rate === null || classRatePercent === null) return false;
  if (own.plans !== null && own.plans < HIGH_SELF_PLAN.minimumPlans) return false;
  return rate > 0 && rate >= classRatePercent * HIGH_SELF_PLAN.ratioToClass;
}

/** A municipality's latest self-plan record on a date, with what its class and prefecture are read from. */
export interface SelfPlansOfMunicipality {
  municipalityCode: string;
  prefectureCode: string;
  kind: MunicipalityKind;
  population: number;
  planning: SelfPlans;
  child: SelfPlans;
}

export interface SelfPlanGroup {
  group: string;
  label: string;
  municipalities: number;
  municipalitiesRecorded: number;
  planning: SelfPlanAggregate;
  child: SelfPlanAggregate;
}

export interface SelfPlanStatistics {
  asOf: string;
  national: SelfPlanGroup;
  byClass: SelfPlanGroup[];
  byPrefecture: SelfPlanGroup[];
}

/** The statistics of every municipality's latest record on a date; the classes of each from its kind and population. */
export function selfPlanStatistics(asOf: string, rows: readonly SelfPlansOfMunicipality[]): SelfPlanStatistics {
  const group = (group: string, label: string, members: readonly SelfPlansOfMunicipality[], municipalities: number): SelfPlanGroup => ({
    group,
    label,
    municipalities,
    municipalitiesRecorded: members.length,
    planning: aggregateSelfPlans(members.map((m) => m.planning)),
    child: aggregateSelfPlans(members.map((m) => m.child)),
  });
  const references = municipalityReferences();
  return {
    asOf,
    national: group('national', '全国', rows, references.length),
    byClass: Object.values(SelfPlanClass).map((c) =>
      group(
        c,
        SELF_PLAN_CLASS_LABELS[c],
        rows.filter((r) => selfPlanClass(r.kind, r.population) === c),
        references.filter((m) => selfPlanClass(kindFromLabel(m.kind), m.population) === c).length,
      ),
    ),
    byPrefecture: PREFECTURES.map((p) =>
      group(
        p.code,
        p.name,
        rows.filter((r) => r.prefectureCode === p.code),
        references.filter((m) => m.prefectureCode === p.code).length,
      ),
    ),
  };
}
