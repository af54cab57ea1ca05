/** GraphQL enums of the municipalities subgraph, each value described in English and Japanese. */
import { registerEnumType } from 'type-graphql';
import { ROLES, type Role } from '../../../shared/context';
import { REGIONS, type Region } from '../../../shared/reference/prefectures';
import { BRACKETS, KIND_LABELS, MunicipalityKind, PopulationBracket, SELF_PLAN_CLASS_LABELS, SelfPlanClass } from '../rules';

const KIND_ENGLISH: Record<MunicipalityKind, string> = {
  DESIGNATED_CITY: 'Designated city',
  CORE_CITY: 'Core city',
  CITY: 'City',
  SPECIAL_WARD: 'Special ward of Tokyo',
  TOWN: 'Town',
  VILLAGE: 'Village',
};

registerEnumType(MunicipalityKind, {
  name: 'MunicipalityKind',
  description: 'Kind of municipality (市区町村の種別).',
  valuesConfig: Object.fromEntries(Object.values(MunicipalityKind).map((k) => [k, { description: `${KIND_ENGLISH[k]} (${KIND_LABELS[k]})` }])),
});

registerEnumType(PopulationBracket, {
  name: 'PopulationBracket',
  description: "MHLW's five population bands (人口規模) used in its coverage tables.",
  valuesConfig: Object.fromEntries(Object.values(PopulationBracket).map((b) => [b, { description: BRACKETS[b].label }])),
});

registerEnumType(SelfPlanClass, {
  name: 'SelfPlanClass',
  description: 'The twelve classes MHLW uses when it publishes self-plan rates per municipality (セルフプラン率の人口規模別区分).',
  valuesConfig: Object.fromEntries(Object.values(SelfPlanClass).map((c) => [c, { description: SELF_PLAN_CLASS_LABELS[c] }])),
});

/** Region as a GraphQL enum object: { HOKKAIDO: 'HOKKAIDO', … }. */
export const RegionEnum = Object.fromEntries(Object.keys(REGIONS).map((r) => [r, r])) as { [K in Region]: K };
registerEnumType(RegionEnum, {
  name: 'Region',
  description: 'The usual eight-region division of Japan (八地方区分).',
  valuesConfig: Object.fromEntries(Object.entries(REGIONS).map(([r, label]) => [r, { description: label }])),
});

/** The roles in Japanese (Viewer.roleLabel). */
export const ROLE_LABELS: Record<Role, string> = {
  ADVISOR: '相談支援体制整備アドバイザー',
  PREFECTURE_STAFF: '都道府県職員',
  ANALYST: '分析担当',
  ADMIN: '管理者',
};

export const RoleEnum = Object.fromEntries(ROLES.map((r) => [r, r])) as { [K in Role]: K };
registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'Role of the viewer, from the verified token.',
  valuesConfig: {
    ADVISOR: { description: 'Prefectural advisor (相談支援体制整備アドバイザー), bound to one prefecture' },
    PREFECTURE_STAFF: { description: 'Prefectural staff (都道府県職員), bound to one prefecture' },
    ANALYST: { description: 'National read-only analyst (分析担当)' },
    ADMIN: { description: 'Administrator (管理者)' },
  },
});

export { OrderDirection } from '../../../shared/ordering';

export enum MunicipalityOrderField {
  CODE = 'CODE',
  POPULATION = 'POPULATION',
  KANA = 'KANA',
  NAME = 'NAME',
}
registerEnumType(MunicipalityOrderField, {
  name: 'MunicipalityOrderField',
  description: 'What to sort municipalities by; ties are broken by code.',
  valuesConfig: {
    CODE: { description: 'Municipality code (団体コード)' },
    POPULATION: { description: 'Population (人口)' },
    KANA: { description: 'Reading in hiragana (よみがな), i.e. gojūon order' },
    NAME: { description: 'Name as written (名称, Unicode order)' },
  },
});
