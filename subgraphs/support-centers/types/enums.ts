/** GraphQL enums of the support-centers subgraph, each value described in English and Japanese. */
import { registerEnumType } from 'type-graphql';
import { describedValues } from '../../../shared/labels';
import { CoreCenterCoverage, CoreCenterFunction, CoreCenterOperation, CoreCenterSetup } from '../rules';

export enum OfficeDesignation {
  SPECIFIED = 'SPECIFIED',
  GENERAL = 'GENERAL',
  CHILD = 'CHILD',
}

export enum FeeTier {
  NONE = 'NONE',
  I = 'I',
  II = 'II',
  III = 'III',
  IV = 'IV',
}

export const SETUP_LABELS: Record<CoreCenterSetup, string> = { SINGLE: '単独設置', JOINT: '共同設置' };
export const DESIGNATION_LABELS: Record<OfficeDesignation, string> = { SPECIFIED: '指定特定相談支援', GENERAL: '指定一般相談支援', CHILD: '障害児相談支援' };
export const FEE_TIER_LABELS: Record<FeeTier, string> = { NONE: '機能強化型なし', I: '機能強化型Ⅰ', II: '機能強化型Ⅱ', III: '機能強化型Ⅲ', IV: '機能強化型Ⅳ' };
export const OPERATION_LABELS: Record<CoreCenterOperation, string> = {
  DIRECT: '直営',
  OUTSOURCED: '委託',
  PARTLY_OUTSOURCED: '一部委託',
};
export const FUNCTION_LABELS: Record<CoreCenterFunction, string> = {
  CONSULTATION: '① 総合的・専門的な相談支援（障害者相談支援事業等）',
  OTHER_LAW_CONSULTATION: '② 他法において市町村が行う相談支援',
  STAFF_SUPPORT: '③ 地域の相談支援従事者に対する助言・指導等（支援者支援）',
  COMMUNITY_BUILDING: '④ 協議会の運営への関与を通じた関係機関の連携の緊密化（地域づくり）',
};
export const COVERAGE_LABELS: Record<CoreCenterCoverage, string> = {
  NONE: '未設置',
  SINGLE: '単独設置',
  JOINT: '共同設置',
  SINGLE_AND_JOINT: '単独＋共同',
};

registerEnumType(CoreCenterSetup, {
  name: 'CoreCenterSetup',
  description: 'How a core center is set up (設置方法).',
  valuesConfig: describedValues(SETUP_LABELS, { SINGLE: 'Run by one municipality for itself', JOINT: 'Run jointly for two or more municipalities' }),
});
registerEnumType(CoreCenterOperation, {
  name: 'CoreCenterOperation',
  description: 'Who runs a core center (運営形態).',
  valuesConfig: describedValues(OPERATION_LABELS, {
    DIRECT: 'Run by the municipality itself',
    OUTSOURCED: 'Outsourced to an operator',
    PARTLY_OUTSOURCED: 'Partly outsourced',
  }),
});
registerEnumType(CoreCenterFunction, {
  name: 'CoreCenterFunction',
  description: 'The four functions of a core center under 障害者総合支援法 §77-2.',
  valuesConfig: describedValues(FUNCTION_LABELS, {
    CONSULTATION: 'Comprehensive and specialised consultation',
    OTHER_LAW_CONSULTATION: 'Consultation the municipality provides under other laws',
    STAFF_SUPPORT: 'Advice and guidance for local consultation staff',
    COMMUNITY_BUILDING: 'Community building through the council',
  }),
});
registerEnumType(CoreCenterCoverage, {
  name: 'CoreCenterCoverage',
  description: 'Whether and how a municipality is covered by core centers on a date (基幹相談支援センターの設置状況).',
  valuesConfig: describedValues(COVERAGE_LABELS, {
    NONE: 'No core center',
    SINGLE: 'Its own center only',
    JOINT: 'A joint center only',
    SINGLE_AND_JOINT: 'Both its own and a joint center',
  }),
});
registerEnumType(OfficeDesignation, {
  name: 'OfficeDesignation',
  description: 'Designations of a consultation office (指定).',
  valuesConfig: describedValues(DESIGNATION_LABELS, {
    SPECIFIED: 'Service-use plan consultation',
    GENERAL: 'Community transition and settlement support',
    CHILD: 'Consultation for disabled children',
  }),
});
registerEnumType(FeeTier, {
  name: 'FeeTier',
  description: 'Enhanced-function fee tier (機能強化型サービス利用支援費) of a consultation office.',
  valuesConfig: describedValues(FEE_TIER_LABELS, { NONE: 'None', I: 'Tier I', II: 'Tier II', III: 'Tier III', IV: 'Tier IV' }),
});
