import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredAdvisor, StoredFollowUp, StoredRequest, StoredVisit } from '../data/dispatch.store';
import { AssessmentResult, FollowUpStatus, PURPOSE_LABELS, RequestStatus, VisitFormat, VisitPurpose, VisitStatus } from '../rules';
import { FollowUpOwnerKind } from './enums';
import { Municipality, Prefecture } from './federated.type';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A prefectural advisor (相談支援体制整備アドバイザー).' })
export class Advisor {
  @Field(() => ID)
  id!: string;

  @Field(() => Prefecture)
  prefecture!: Prefecture;

  @Field({ description: 'Name (氏名).' })
  name!: string;

  @Field({ description: 'Affiliation (所属).' })
  affiliation!: string;

  @Field(() => [String], { description: 'Qualifications (資格), e.g. 主任相談支援専門員, 社会福祉士.' })
  qualifications!: string[];

  @Field(() => LocalDateScalar)
  activeFrom!: string;

  @Field(() => LocalDateScalar, { nullable: true })
  activeUntil!: string | null;
}

export const toAdvisor = (a: StoredAdvisor): Advisor => ({
  id: a.id,
  prefecture: { code: a.prefectureCode },
  name: a.name,
  affiliation: a.affiliation,
  qualifications: a.qualifications,
  activeFrom: a.activeFrom,
  activeUntil: a.activeUntil,
});

@ObjectType({ description: 'People who attended, by role (出席者).' })
export class Attendee {
  @Field({ description: 'Role, e.g. 市町村障害福祉担当, 基幹相談支援センター職員.' })
  role!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'One of the six duties a visit served, with its Japanese label.' })
export class VisitPurposeLabel {
  @Field(() => VisitPurpose)
  purpose!: VisitPurpose;

  @Field({ description: 'e.g. (イ) 基幹相談支援センターの設置・運営等に係る支援' })
  label!: string;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A visit (派遣) in the advisors' log: one date, one or more advisors and municipalities." })
export class Visit {
  @Field(() => ID)
  id!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the visit (実施日).' })
  date!: string;

  @Field(() => Prefecture)
  prefecture!: Prefecture;

  @Field(() => [Municipality], { description: 'Municipalities visited (one, or several for a regional meeting).' })
  municipalities!: Municipality[];

  @Field(() => VisitFormat)
  format!: VisitFormat;

  @Field(() => [VisitPurpose], { description: 'Which of the six duties (ア)–(カ) it served.' })
  purposes!: VisitPurpose[];

  @Field(() => [VisitPurposeLabel])
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

  @Field(() => VisitStatus)
  status!: VisitStatus;

  cancelReason!: string | null;

  createdBy!: string;

  @Field({ description: 'When it was recorded (ISO 8601 timestamp).' })
  createdAt!: string;

  updatedBy!: string;

  @Field()
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
    purposes: v.purposes,
    purposeLabels: v.purposes.map((purpose) => ({ purpose, label: PURPOSE_LABELS[purpose] })),
    topics: v.topics,
    summary: v.summary,
    issuesFound: v.issuesFound,
    attendees: v.attendees,
    notes: v.notes,
    status: v.status,
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

@ObjectType({ description: 'A visit in a page, with its cursor.' })
export class VisitEdge {
  @Field()
  cursor!: string;

  @Field(() => Visit)
  node!: Visit;
}

@ObjectType({ description: 'A page of visits, newest first (Relay connection).' })
export class VisitConnection {
  @Field(() => [VisitEdge])
  edges!: VisitEdge[];

  @Field(() => [Visit])
  nodes!: Visit[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  /** For the lazily counted `totalCount`: whose visits, and the filter; not GraphQL fields. */
  countKey!: string;
  scope!: 'municipality' | 'prefecture' | 'advisor';
}

@ObjectType({ description: 'Something agreed on a visit, with an owner and a due date (フォローアップ).' })
export class FollowUp {
  @Field(() => ID)
  id!: string;

  @Field(() => Municipality)
  municipality!: Municipality;

  /** description and dropReason are read through field resolvers that check who asks. */
  description!: string;

  @Field(() => FollowUpOwnerKind)
  ownerKind!: FollowUpOwnerKind;

  /** For the ownerAdvisor field resolver. */
  ownerAdvisorId!: string | null;

  @Field(() => LocalDateScalar)
  dueOn!: string;

  @Field(() => FollowUpStatus)
  status!: FollowUpStatus;

  @Field(() => LocalDateScalar, { nullable: true })
  completedOn!: string | null;

  dropReason!: string | null;

  @Field(() => Int)
  version!: number;

  /** For the visit field resolver. */
  visitId!: string;
}

export const toFollowUp = (f: StoredFollowUp): FollowUp => ({
  id: f.id,
  visitId: f.visitId,
  municipality: { code: f.municipalityCode },
  description: f.description,
  ownerKind: f.ownerKind as FollowUpOwnerKind,
  ownerAdvisorId: f.ownerAdvisorId,
  dueOn: f.dueOn,
  status: f.status,
  completedOn: f.completedOn,
  dropReason: f.dropReason,
  version: f.version,
});

@ObjectType({ description: 'A request a municipality raised to the prefecture (要望).' })
export class MunicipalRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => Municipality)
  municipality!: Municipality;

  /** summary and response are read through field resolvers that check who asks. */
  summary!: string;

  @Field(() => RequestStatus)
  status!: RequestStatus;

  response!: string | null;

  @Field(() => LocalDateScalar)
  raisedOn!: string;

  @Field(() => Int)
  version!: number;

  /** The visit it was raised on, if any. */
  visitId!: string | null;
}

export const toRequest = (r: StoredRequest): MunicipalRequest => ({
  id: r.id,
  municipality: { code: r.municipalityCode },
  summary: r.summary,
  status: r.status,
  response: r.response,
  raisedOn: r.raisedOn,
  version: r.version,
  visitId: r.visitId,
});

@ObjectType({ description: 'One check item of a template (チェック項目).' })
export class ChecklistItem {
  @Field(() => ID)
  itemId!: string;

  @Field()
  section!: string;

  @Field()
  text!: string;
}

@ObjectType({ description: 'A checklist template, e.g. the council-guideline self-check (セルフチェック).' })
export class ChecklistTemplate {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'Where the items come from (出典).' })
  source!: string;
}

@ObjectType({ description: 'The result of one item in an assessment.' })
export class AssessmentItemResult {
  @Field(() => ID)
  itemId!: string;

  @Field(() => AssessmentResult)
  result!: AssessmentResult;

  @Field(() => String, { nullable: true, description: 'Comment (free text); null for analysts.' })
  comment!: string | null;
}

@ObjectType({ description: 'A checklist assessment of a municipality on a date.' })
export class Assessment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  templateId!: string;

  @Field(() => Municipality)
  municipality!: Municipality;

  @Field(() => LocalDateScalar)
  assessedOn!: string;

  @Field(() => [AssessmentItemResult])
  results!: AssessmentItemResult[];

  @Field(() => Int, { description: 'Items met.' })
  metCount!: number;

  @Field(() => Int, { description: 'Items partly met.' })
  partlyCount!: number;

  @Field(() => Int, { description: 'Items not met.' })
  notMetCount!: number;
}
