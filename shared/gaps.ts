/**
 * The gaps an advisor's worklist combines, one enum for the whole supergraph: every subgraph that
 * reports gaps declares the same `MunicipalityGap` enum, reports its own values on `Municipality`, and
 * the dispatch subgraph gathers them with `@requires` and adds its own.
 */
import { registerEnumType } from 'type-graphql';

export enum MunicipalityGap {
  NO_CORE_CENTER = 'NO_CORE_CENTER',
  NO_BASE = 'NO_BASE',
  BASE_WITHOUT_COORDINATOR = 'BASE_WITHOUT_COORDINATOR',
  BASE_REVIEW_OVERDUE = 'BASE_REVIEW_OVERDUE',
  BASE_MISSING_FUNCTION = 'BASE_MISSING_FUNCTION',
  NO_COUNCIL = 'NO_COUNCIL',
  NO_CASE_REVIEW = 'NO_CASE_REVIEW',
  HIGH_SELF_PLAN_RATE = 'HIGH_SELF_PLAN_RATE',
  OVERDUE_FOLLOW_UP = 'OVERDUE_FOLLOW_UP',
  NOT_VISITED_RECENTLY = 'NOT_VISITED_RECENTLY',
}

export const GAP_DESCRIPTIONS: Record<MunicipalityGap, string> = {
  NO_CORE_CENTER: 'No core center (基幹相談支援センター未設置)',
  NO_BASE: 'No community life support base (地域生活支援拠点等未整備)',
  BASE_WITHOUT_COORDINATOR: 'None of its bases has a coordinator (拠点コーディネーター未配置)',
  BASE_REVIEW_OVERDUE: 'None of its bases was reviewed in the last 12 months (運用状況の検証・検討が未実施)',
  BASE_MISSING_FUNCTION: 'Some of the five base functions is missing (拠点の機能不足)',
  NO_COUNCIL: 'No council (協議会未設置)',
  NO_CASE_REVIEW: 'The council reviews no individual cases (個別事例の検討なし)',
  HIGH_SELF_PLAN_RATE: "High self-plan rate: at least 1.5 times the rate of the municipality's class, from 10 plans or more (セルフプラン率が高い)",
  OVERDUE_FOLLOW_UP: 'A follow-up agreed on a visit is past its due date (期限超過のフォローアップ)',
  NOT_VISITED_RECENTLY: 'No visit in the 12 months before the date (12か月以上未訪問)',
};

/** The gaps in Japanese, for the worklist's `reasonLabels` and every screen that shows them. */
export const GAP_LABELS: Record<MunicipalityGap, string> = {
  NO_CORE_CENTER: '基幹相談支援センター未設置',
  NO_BASE: '地域生活支援拠点等未整備',
  BASE_WITHOUT_COORDINATOR: '拠点コーディネーター未配置',
  BASE_REVIEW_OVERDUE: '拠点の運用状況の検証・検討が未実施',
  BASE_MISSING_FUNCTION: '拠点の機能不足',
  NO_COUNCIL: '協議会未設置',
  NO_CASE_REVIEW: '協議会で個別事例の検討なし',
  HIGH_SELF_PLAN_RATE: 'セルフプラン率が高い',
  OVERDUE_FOLLOW_UP: '期限超過のフォローアップ',
  NOT_VISITED_RECENTLY: '12か月以上未訪問',
};

registerEnumType(MunicipalityGap, {
  name: 'MunicipalityGap',
  description: "A gap on an advisor's worklist (統合ワークリストの課題); each subgraph reports the ones it knows of.",
  valuesConfig: Object.fromEntries(Object.values(MunicipalityGap).map((g) => [g, { description: GAP_DESCRIPTIONS[g] }])),
});
