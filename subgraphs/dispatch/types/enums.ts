/** GraphQL enums of the dispatch subgraph, each value described in English and Japanese. */
import { registerEnumType } from 'type-graphql';
import { describedValues } from '../../../shared/labels';
import { AssessmentResult, ErasureKind, FollowUpStatus, PURPOSE_LABELS, RequestStatus, VisitFormat, VisitPurpose, VisitStatus } from '../rules';

export enum FollowUpOwnerKind {
  MUNICIPALITY = 'MUNICIPALITY',
  ADVISOR = 'ADVISOR',
}

/** Japanese labels of the enums people read (the `…Label` fields and the values' descriptions). */
export const FORMAT_LABELS: Record<VisitFormat, string> = { ON_SITE: '訪問', ONLINE: 'オンライン', TRAINING: '研修', MEETING: '会議' };
export const VISIT_STATUS_LABELS: Record<VisitStatus, string> = { ACTIVE: '有効', CANCELLED: '取消' };
export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = { OPEN: '対応中', DONE: '完了', DROPPED: '取りやめ' };
export const OWNER_KIND_LABELS: Record<FollowUpOwnerKind, string> = { MUNICIPALITY: '市町村', ADVISOR: 'アドバイザー' };
export const ASSESSMENT_RESULT_LABELS: Record<AssessmentResult, string> = { MET: 'できている', PARTLY: '一部できている', NOT_MET: 'できていない' };
export const ERASURE_KIND_LABELS: Record<ErasureKind, string> = { NOTES: 'メモの消去', EARLIER_TEXTS: '以前の記述の消去' };
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = { RECEIVED: '受付', IN_PROGRESS: '対応中', ANSWERED: '回答済', CLOSED: '終了' };

registerEnumType(VisitFormat, {
  name: 'VisitFormat',
  description: 'How a visit took place (実施形態).',
  valuesConfig: describedValues(FORMAT_LABELS, {
    ON_SITE: 'On site',
    ONLINE: 'Online',
    TRAINING: 'A training session',
    MEETING: 'A meeting (e.g. a regional meeting of several municipalities)',
  }),
});
registerEnumType(VisitPurpose, {
  name: 'VisitPurpose',
  description: 'The six duties of the prefectural program (都道府県相談支援体制整備事業 (ア)–(カ)) a visit serves.',
  valuesConfig: describedValues(PURPOSE_LABELS, {
    NETWORK_BUILDING: 'Building the local network',
    CORE_CENTER: 'Setting up and running the core center',
    COUNCIL: 'Setting up and activating the council',
    WIDE_AREA_ISSUES: 'Wide-area issues',
    STAFF_TRAINING: 'Training of consultation staff, OJT',
    PREFECTURAL_COUNCIL: 'The prefectural council',
  }),
});
registerEnumType(VisitStatus, {
  name: 'VisitStatus',
  description: 'Whether a visit stands (有効) or was cancelled (取消).',
  valuesConfig: describedValues(VISIT_STATUS_LABELS, { ACTIVE: 'Recorded', CANCELLED: 'Cancelled (kept in the history)' }),
});
registerEnumType(FollowUpStatus, {
  name: 'FollowUpStatus',
  description: 'Where a follow-up stands (フォローアップの状況).',
  valuesConfig: describedValues(FOLLOW_UP_STATUS_LABELS, { OPEN: 'Open', DONE: 'Done', DROPPED: 'Dropped' }),
});
registerEnumType(FollowUpOwnerKind, {
  name: 'FollowUpOwnerKind',
  description: 'Who is to do a follow-up (担当).',
  valuesConfig: describedValues(OWNER_KIND_LABELS, { MUNICIPALITY: 'The municipality', ADVISOR: 'An advisor' }),
});
registerEnumType(AssessmentResult, {
  name: 'AssessmentResult',
  description: 'The answer to one check item of a self-check (自己点検の結果).',
  valuesConfig: describedValues(ASSESSMENT_RESULT_LABELS, { MET: 'Met', PARTLY: 'Partly met', NOT_MET: 'Not met' }),
});
registerEnumType(RequestStatus, {
  name: 'RequestStatus',
  description: "Where a municipality's request to the prefecture stands (要望の対応状況).",
  valuesConfig: describedValues(REQUEST_STATUS_LABELS, {
    RECEIVED: 'Received',
    IN_PROGRESS: 'Being handled',
    ANSWERED: 'Answered',
    CLOSED: 'Closed',
  }),
});
registerEnumType(ErasureKind, {
  name: 'ErasureKind',
  description: 'What an erasure on a visit erased (消去の種類).',
  valuesConfig: describedValues(ERASURE_KIND_LABELS, {
    NOTES: "The visit's notes, from the visit and its history (eraseVisitNotes, eraseVisitNotesBefore)",
    EARLIER_TEXTS: 'The earlier versions of the texts of the visit, its follow-ups and requests, from the history (eraseEarlierVisitTexts)',
  }),
});
