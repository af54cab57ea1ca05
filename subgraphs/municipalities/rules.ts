/**
 * How MHLW groups municipalities when it publishes figures: by kind, by the five population
 * brackets of its coverage tables (shared/population-brackets.ts, re-exported here), and by the
 * twelve classes of its self-plan rate publication.
 * Pure functions: the unit tests pin every boundary.
 */
import type { MunicipalityKindLabel } from '../../shared/reference/municipalities';

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
