import { ERASURE_KIND_LABELS, FORMAT_LABELS, VISIT_STATUS_LABELS } from './enums';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { ErasureRecord } from '../../../shared/erasure';
import { DateTimeScalar, LocalDateScalar } from '../../../shared/scalars';
import type { StoredNotesErasure, StoredVisit } from '../data/dispatch.store';
import { ErasureKind, PURPOSE_LABELS, VisitFormat, VisitPurpose, VisitStatus } from '../rules';
import { Municipality, Prefecture } from './federated.type';

@ObjectType({ description: "One read of a visit's notes (要配慮個人情報の閲覧記録): who, when, in which request." })
export class NotesRead {
  @Field(() => String, { description: 'Who read them: role and token subject, e.g. ADVISOR:u123.' })
  reader!: string;

  @Field(() => DateTimeScalar, { description: 'When they were read.' })
  readAt!: string;

  @Field(() => String, { description: 'The request they were read in (its x-request-id, as the logs name it).' })
  requestId!: string;
}

@ObjectType({
  description:
    'One erasure on a visit (要配慮個人情報の消去): of its notes, or of the earlier versions of its free texts; who erased them, when, why, and how many history entries held them.',
})
export class NotesErasure extends ErasureRecord {
  @Field(() => ErasureKind, { description: 'What was erased: the notes, or the earlier versions of the texts.' })
  kind!: ErasureKind;

  @Field({ description: 'What was erased, in Japanese: メモの消去 or 以前の記述の消去.' })
  kindLabel!: string;

  @Field(() => ID, { nullable: true, description: "The erasure of the prefecture's notes before a date it was part of (eraseVisitNotesBefore), if any." })
  batchId!: string | null;
}

export const toNotesErasure = (e: StoredNotesErasure): NotesErasure => ({ ...e, kindLabel: ERASURE_KIND_LABELS[e.kind] });

@ObjectType({ description: "What an erasure of a prefecture's notes before a date did (or, on a dry run, would do)." })
export class NotesErasureBatch {
  @Field(() => ID, { nullable: true, description: "Its id, which each visit's erasure names (Visit.notesErasures.batchId); null on a dry run." })
  id!: string | null;

  @Field(() => Int, { description: 'How many visits held notes, in the visit or its history, and no longer do (消去した訪問の件数).' })
  visits!: number;

  @Field(() => Int, { description: 'How many entries of the change history held notes and no longer do (履歴から消した件数).' })
  historyEntries!: number;
}

@ObjectType({ description: 'People who attended, by role (出席者).' })
export class Attendee {
  @Field({ description: 'Role, e.g. 市町村障害福祉担当, 基幹相談支援センター職員.' })
  role!: string;

  @Field(() => Int, { description: 'How many people of that role attended (参加人数).' })
  count!: number;
}

@ObjectType({ description: 'One of the six duties a visit served, with its Japanese label.' })
export class VisitPurposeLabel {
  @Field(() => VisitPurpose, { description: 'The duty (ア)–(カ).' })
  purpose!: VisitPurpose;

  @Field({ description: 'e.g. (イ) 基幹相談支援センターの設置・運営等に係る支援' })
  label!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A visit (派遣) in the advisors' log: one date, one or more advisors and municipalities." })
export class Visit {
  @Field(() => ID, { description: "The visit's id (UUID)." })
  id!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the visit (実施日).' })
  date!: string;

  @Field(() => Prefecture, { description: 'The prefecture of the visit.' })
  prefecture!: Prefecture;

  @Field(() => [Municipality], { description: 'Municipalities visited (one, or several for a regional meeting).' })
  municipalities!: Municipality[];

  @Field(() => VisitFormat, { description: 'ON_SITE, ONLINE, TRAINING or MEETING.' })
  format!: VisitFormat;

  @Field({ description: 'The format in Japanese, e.g. 訪問, オンライン, 研修, 会議 (実施形態).' })
  formatLabel!: string;

  @Field(() => [VisitPurpose], { description: 'Which of the six duties (ア)–(カ) it served.' })
  purposes!: VisitPurpose[];

  @Field(() => [VisitPurposeLabel], { description: 'The purposes with their Japanese labels.' })
  purposeLabels!: VisitPurposeLabel[];

  /**
   * topics, summary, issuesFound, attendees, notes, cancelReason, createdBy and updatedBy are read
   * through field resolvers that check who asks (free text, and the subjects of the people who wrote).
   */
  topics!: string[];
  summary!: string;
  issuesFound!: string;
  attendees!: Attendee[];
  notes!: string | null;

  @Field(() => VisitStatus, { description: 'ACTIVE, or CANCELLED (cancelled visits are left out of lists and counts).' })
  status!: VisitStatus;

  @Field({ description: 'The status in Japanese: 有効 or 取消.' })
  statusLabel!: string;

  cancelReason!: string | null;

  createdBy!: string;

  @Field(() => DateTimeScalar, { description: 'When it was recorded.' })
  createdAt!: string;

  updatedBy!: string;

  @Field(() => DateTimeScalar, { description: 'When it was last changed.' })
  updatedAt!: string;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to updates and cancels.' })
  version!: number;

  @Field({ description: 'True for the generated sample log.' })
  sample!: boolean;

  /** For the advisors field resolver. */
  advisorIds!: string[];
}

export function toVisit(v: StoredVisit): Visit {
  return {
    id: v.id,
    date: v.visitedOn,
    prefecture: { code: v.prefectureCode },
    municipalities: v.municipalityCodes.map((code) => ({ code })),
    format: v.format,
    formatLabel: FORMAT_LABELS[v.format],
    purposes: v.purposes,
    purposeLabels: v.purposes.map((purpose) => ({ purpose, label: PURPOSE_LABELS[purpose] })),
    topics: v.topics,
    summary: v.summary,
    issuesFound: v.issuesFound,
    attendees: v.attendees,
    notes: v.notes,
    status: v.status,
    statusLabel: VISIT_STATUS_LABELS[v.status],
    cancelReason: v.cancelReason,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    updatedBy: v.updatedBy,
    updatedAt: v.updatedAt,
    version: v.version,
    sample: v.sample,
    advisorIds: v.advisorIds,
  };
}
