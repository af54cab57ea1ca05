/** GraphQL enums of the bases subgraph, each value described in English and Japanese. */
import { registerEnumType } from 'type-graphql';
import { type CoverageValue, coverageEnum } from '../../../shared/coverage';
import { describedValues } from '../../../shared/labels';
import { BaseFunction, BaseGapKind, BaseModel, CoordinatorFunding, OrganizationKind } from '../rules';

/** Base coverage of a municipality on a date (the values of shared/coverage.ts). */
export const BaseCoverage = coverageEnum();
export type BaseCoverage = CoverageValue;

export enum CommunityLifeService {
  COMMUNITY_TRANSITION = 'COMMUNITY_TRANSITION',
  COMMUNITY_SETTLEMENT = 'COMMUNITY_SETTLEMENT',
  INDEPENDENT_LIVING = 'INDEPENDENT_LIVING',
}

export const MODEL_LABELS: Record<BaseModel, string> = {
  MULTIFUNCTIONAL: '多機能拠点整備型',
  NETWORKED: '面的整備型',
  HYBRID: '多機能拠点整備型＋面的整備型（併用）',
};
export const FUNCTION_LABELS: Record<BaseFunction, string> = {
  CONSULTATION: '相談',
  EMERGENCY_RESPONSE: '緊急時の受け入れ・対応',
  EXPERIENCE_OPPORTUNITIES: '体験の機会・場',
  SPECIALIST_DEVELOPMENT: '専門的人材の確保・養成',
  COMMUNITY_COORDINATION: '地域の体制づくり',
};
export const ORGANIZATION_KIND_LABELS: Record<OrganizationKind, string> = {
  SHORT_STAY: '短期入所',
  GROUP_HOME: '共同生活援助',
  CONSULTATION_OFFICE: '相談支援事業所',
  MEDICAL_INSTITUTION: '医療機関',
  DAY_ACTIVITY: '生活介護・日中活動',
  HOME_HELP: '居宅介護',
  OTHER: 'その他',
};
export const FUNDING_LABELS: Record<CoordinatorFunding, string> = {
  FEE_ADDITION: '地域生活支援拠点等機能強化加算',
  COMMUNITY_LIFE_SUPPORT_PROGRAM: '地域生活支援事業',
  OTHER: 'その他',
};
export const SERVICE_LABELS: Record<CommunityLifeService, string> = {
  COMMUNITY_TRANSITION: '地域移行支援',
  COMMUNITY_SETTLEMENT: '地域定着支援',
  INDEPENDENT_LIVING: '自立生活援助',
};

registerEnumType(BaseModel, {
  name: 'BaseModel',
  description: 'How a base is organized (整備類型).',
  valuesConfig: describedValues(MODEL_LABELS, {
    MULTIFUNCTIONAL: 'One facility gathering the functions',
    NETWORKED: 'A network of organizations sharing the functions',
    HYBRID: 'Both together',
  }),
});
registerEnumType(BaseFunction, {
  name: 'BaseFunction',
  description: 'The five functions of a community life support base (地域生活支援拠点等の５つの機能).',
  valuesConfig: describedValues(FUNCTION_LABELS, {
    CONSULTATION: 'Consultation',
    EMERGENCY_RESPONSE: 'Emergency acceptance and response',
    EXPERIENCE_OPPORTUNITIES: 'Opportunities and places to try living independently',
    SPECIALIST_DEVELOPMENT: 'Securing and training specialists',
    COMMUNITY_COORDINATION: 'Building the community system',
  }),
});
registerEnumType(OrganizationKind, {
  name: 'OrganizationKind',
  description: 'Kind of an organization taking part in a base function.',
  valuesConfig: describedValues(ORGANIZATION_KIND_LABELS, {
    SHORT_STAY: 'Short stay',
    GROUP_HOME: 'Group home',
    CONSULTATION_OFFICE: 'Consultation office',
    MEDICAL_INSTITUTION: 'Medical institution',
    DAY_ACTIVITY: 'Day activity',
    HOME_HELP: 'Home help',
    OTHER: 'Other',
  }),
});
registerEnumType(CoordinatorFunding, {
  name: 'CoordinatorFunding',
  description: 'How base coordinators (拠点コーディネーター) are funded.',
  valuesConfig: describedValues(FUNDING_LABELS, {
    FEE_ADDITION: 'The enhanced-function fee addition',
    COMMUNITY_LIFE_SUPPORT_PROGRAM: 'The community life support program',
    OTHER: 'Other funding',
  }),
});
/** The base gaps in Japanese (BaseGap.gapLabels). */
export const GAP_KIND_LABELS: Record<BaseGapKind, string> = {
  NO_BASE: '拠点等未整備',
  NO_COORDINATOR: '拠点コーディネーター未配置',
  REVIEW_OVERDUE: '運用状況の検証・検討が未実施',
  MISSING_FUNCTION: '機能の不足',
};

registerEnumType(BaseGapKind, {
  name: 'BaseGapKind',
  description: 'What a municipality lacks about bases on a date.',
  valuesConfig: {
    NO_BASE: { description: 'No base covers it (未整備)' },
    NO_COORDINATOR: { description: 'None of its bases has a coordinator (拠点コーディネーター未配置)' },
    REVIEW_OVERDUE: { description: 'None of its bases was reviewed in the last 12 months (運用状況の検証・検討が未実施)' },
    MISSING_FUNCTION: { description: 'Some of the five functions is provided by none of its bases (機能の不足)' },
  },
});
export const BASE_COVERAGE_LABELS: Record<BaseCoverage, string> = {
  NONE: '未整備',
  SINGLE: '単独整備',
  JOINT: '圏域・共同整備',
  SINGLE_AND_JOINT: '単独＋共同',
};
registerEnumType(BaseCoverage, {
  name: 'BaseCoverage',
  description: 'Whether and how a municipality is covered by bases on a date (地域生活支援拠点等の整備状況).',
  valuesConfig: describedValues(BASE_COVERAGE_LABELS, {
    NONE: 'No base',
    SINGLE: 'A base of its own',
    JOINT: 'A base shared with other municipalities only',
    SINGLE_AND_JOINT: 'Both',
  }),
});
registerEnumType(CommunityLifeService, {
  name: 'CommunityLifeService',
  description: 'Services for moving to and living in the community (地域移行・地域定着・自立生活援助).',
  valuesConfig: describedValues(SERVICE_LABELS, {
    COMMUNITY_TRANSITION: 'Community transition support',
    COMMUNITY_SETTLEMENT: 'Community settlement support',
    INDEPENDENT_LIVING: 'Independent living assistance',
  }),
});
