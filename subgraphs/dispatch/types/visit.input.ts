import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import { AssessmentResult, RequestStatus, VisitFormat, VisitPurpose } from '../rules';
import { FollowUpOwnerKind } from './enums';

@InputType({ description: 'People who attended in one role.' })
export class AttendeeInput {
  @Field({ description: 'Who attended, e.g. 市町村障害福祉担当, 相談支援事業所.' })
  role!: string;

  @Field(() => Int, { description: 'How many people of that role (1 or more).' })
  count!: number;
}

@InputType({ description: 'A visit to record. The date may not be in the future; municipalities must be of the prefecture.' })
export class RecordVisitInput {
  @Field(() => ID, { description: 'The prefecture of the visit, "01".."47" (the advisor\'s own).' })
  prefectureCode!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the visit (YYYY-MM-DD), not in the future.' })
  date!: string;

  @Field(() => [ID], {
    nullable: true,
    description: "Advisors who took part (ids of Advisor). Default: the caller's own advisor (the one its sign-in subject is linked to).",
  })
  advisorIds?: string[] | null;

  @Field(() => [ID], { description: 'The municipalities visited (one, or several for a regional meeting), of the prefecture.' })
  municipalityCodes!: string[];

  @Field(() => VisitFormat, { description: 'ON_SITE, ONLINE, TRAINING or MEETING.' })
  format!: VisitFormat;

  @Field(() => [VisitPurpose], { description: 'The duties (ア)–(カ) it served, at least one.' })
  purposes!: VisitPurpose[];

  @Field(() => [String], { description: 'Topics discussed (短い見出し).', defaultValue: [] })
  topics!: string[];

  @Field({ description: "What was discussed (free text, shown only to the prefecture's own staff and advisors).", defaultValue: '' })
  summary!: string;

  @Field({ description: "Issues found (free text, shown only to the prefecture's own staff and advisors).", defaultValue: '' })
  issuesFound!: string;

  @Field(() => [AttendeeInput], { description: 'Who attended, by role and number.', defaultValue: [] })
  attendees!: AttendeeInput[];

  @Field(() => String, { nullable: true, description: 'May hold sensitive personal information (要配慮個人情報); never logged.' })
  notes?: string | null;
}

@InputType({ description: 'Changes to a visit; omitted fields keep their values.' })
export class UpdateVisitInput {
  @Field(() => ID, { nullable: true, description: "The visit's id." })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is CONFLICT.' })
  version?: number | null;

  @Field(() => LocalDateScalar, { description: 'Date of the visit (YYYY-MM-DD), not in the future.', nullable: true })
  date?: string | null;

  @Field(() => [ID], { description: 'The advisors who made it (of the prefecture, active on the date).', nullable: true })
  advisorIds?: string[] | null;

  @Field(() => [ID], { description: 'The municipalities visited, of the prefecture.', nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => VisitFormat, { description: 'ON_SITE, ONLINE, TRAINING or MEETING.', nullable: true })
  format?: VisitFormat | null;

  @Field(() => [VisitPurpose], { description: 'The duties (ア)–(カ) it served, at least one.', nullable: true })
  purposes?: VisitPurpose[] | null;

  @Field(() => [String], { description: 'Topics discussed (短い見出し).', nullable: true })
  topics?: string[] | null;

  @Field(() => String, { description: "What was discussed (free text, shown only to the prefecture's own staff and advisors).", nullable: true })
  summary?: string | null;

  @Field(() => String, { description: "Issues found (free text, shown only to the prefecture's own staff and advisors).", nullable: true })
  issuesFound?: string | null;

  @Field(() => [AttendeeInput], { description: 'Who attended, by role and number.', nullable: true })
  attendees?: AttendeeInput[] | null;

  @Field(() => String, {
    description: "Notes that may identify a person (要配慮個人情報): shown only to the prefecture's advisors and staff, never logged.",
    nullable: true,
  })
  notes?: string | null;
}

@InputType({ description: 'Something agreed on a visit.' })
export class CreateFollowUpInput {
  @Field(() => ID, { nullable: true, description: 'The visit it was agreed at (required: here, or as the deprecated argument visitId).' })
  visitId?: string | null;

  @Field(() => ID, { description: "One of the visit's municipalities." })
  municipalityCode!: string;

  @Field({ description: "What is to be done (free text, shown only to the prefecture's own staff and advisors)." })
  description!: string;

  @Field(() => FollowUpOwnerKind, { description: 'Who is to do it: MUNICIPALITY or ADVISOR.' })
  ownerKind!: FollowUpOwnerKind;

  @Field(() => ID, { nullable: true, description: 'Required when ownerKind is ADVISOR.' })
  ownerAdvisorId?: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it is due (YYYY-MM-DD).' })
  dueOn!: string;
}

@InputType({ description: 'One item result of an assessment.' })
export class AssessmentItemInput {
  @Field(() => ID, { description: 'The checklist item (ChecklistItem.itemId).' })
  itemId!: string;

  @Field(() => AssessmentResult, { description: 'MET, PARTLY or NOT_MET (できている・一部できている・できていない).' })
  result!: AssessmentResult;

  @Field({ description: "A note on the item (optional; free text, shown only to the prefecture's own staff and advisors).", defaultValue: '' })
  comment!: string;
}

@InputType({ description: 'A checklist assessment: every item of the template, once.' })
export class RecordAssessmentInput {
  @Field(() => ID, { description: 'The checklist answered, e.g. council-guideline-2025 (checklistTemplates lists them).' })
  templateId!: string;

  @Field(() => ID, { description: 'The municipality assessed: six-digit code, e.g. 014702.' })
  municipalityCode!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the self-check (YYYY-MM-DD), not in the future.' })
  assessedOn!: string;

  @Field(() => ID, { description: 'The visit it was done at, if any (its prefecture and municipality must match).', nullable: true })
  visitId?: string | null;

  @Field(() => [AssessmentItemInput], { description: 'One answer per item of the checklist.' })
  results!: AssessmentItemInput[];
}

@InputType({ description: 'A request a municipality raised.' })
export class CreateRequestInput {
  @Field(() => ID, { description: 'The municipality that raised it: six-digit code.' })
  municipalityCode!: string;

  @Field(() => ID, { description: 'The visit it was raised at (its prefecture and municipality must match).', nullable: true })
  visitId?: string | null;

  @Field({ description: "What was asked (free text, shown only to the prefecture's own staff and advisors)." })
  summary!: string;

  @Field(() => LocalDateScalar, { description: 'Date it was raised (YYYY-MM-DD), not in the future.' })
  raisedOn!: string;
}

@InputType({ description: 'Changes to a request.' })
export class UpdateRequestInput {
  @Field(() => ID, { nullable: true, description: "The request's id." })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is CONFLICT.' })
  version?: number | null;

  @Field(() => String, { description: "What was asked (free text, shown only to the prefecture's own staff and advisors).", nullable: true })
  summary?: string | null;

  @Field(() => RequestStatus, { description: 'RECEIVED, IN_PROGRESS, ANSWERED or CLOSED.', nullable: true })
  status?: RequestStatus | null;

  @Field(() => String, { description: "The prefecture's answer (free text, shown only to the prefecture's own staff and advisors).", nullable: true })
  response?: string | null;
}

@ArgsType()
export class VisitsArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only visits on or after this date.' })
  since?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only visits on or before this date.' })
  until?: string;

  @Field(() => [VisitPurpose], { nullable: true, description: 'Only visits that served one of these duties.' })
  purposes?: VisitPurpose[];
}

@ArgsType()
export class NotesReadsArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only reads on or after this day (in Japan).' })
  since?: string;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only reads on or before this day (in Japan).' })
  until?: string;

  @Field(() => String, { nullable: true, description: 'Only the reads of this reader: role and token subject, as `reader` gives it (e.g. ADVISOR:u123).' })
  reader?: string;
}

@InputType({ description: 'A visit to cancel, and why.' })
export class CancelVisitInput {
  @Field(() => ID, { description: "The visit's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field({ description: "Why it is cancelled (free text, shown only to the prefecture's own staff and advisors)." })
  reason!: string;
}

/** The fields of an erasure on one visit: which visit, at which version, and why (a type no argument takes: not in the schema). */
@InputType()
abstract class VisitErasureInput {
  @Field(() => ID, { description: "The visit's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field({ description: "Why they are erased, e.g. the request it answers (free text, shown only to the prefecture's staff and admins)." })
  reason!: string;
}

@InputType({ description: 'A visit whose notes to erase, and why (メモの消去).' })
export class EraseVisitNotesInput extends VisitErasureInput {}

@InputType({ description: 'A visit whose earlier texts to erase from the history, and why (以前の記述の消去).' })
export class EraseEarlierVisitTextsInput extends VisitErasureInput {}

@InputType({ description: 'A self-check whose earlier comments to erase from the history, and why (以前の記述の消去).' })
export class EraseEarlierAssessmentTextsInput {
  @Field(() => ID, { description: "The assessment's id." })
  id!: string;

  @Field({ description: "Why they are erased, e.g. the request it answers (free text, shown only to the prefecture's staff and admins)." })
  reason!: string;
}

@InputType({
  description: "A prefecture's visits whose notes to erase at once — every visit before a date, as a retention period (保存期間) asks — and why.",
})
export class EraseVisitNotesBeforeInput {
  @Field(() => ID, { description: 'The prefecture, "01".."47".' })
  prefectureCode!: string;

  @Field(() => LocalDateScalar, {
    description: 'Erase the notes of every visit dated before this day (not on it), e.g. five years ago for a five-year retention period; not after today.',
  })
  visitedBefore!: string;

  @Field({ description: "Why, e.g. the retention rule applied (free text, shown only to the prefecture's staff and admins)." })
  reason!: string;

  @Field(() => Boolean, { nullable: true, description: 'true: count the visits and history entries it would erase, and erase nothing (default false).' })
  dryRun?: boolean;
}

@InputType({ description: 'A follow-up done, and when.' })
export class CompleteFollowUpInput {
  @Field(() => ID, { description: "The follow-up's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field(() => LocalDateScalar, { description: 'Date it was done (YYYY-MM-DD), not in the future.' })
  completedOn!: string;
}

@InputType({ description: 'A follow-up no longer pursued, and why.' })
export class DropFollowUpInput {
  @Field(() => ID, { description: "The follow-up's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field({ description: "Why it is dropped (free text, shown only to the prefecture's own staff and advisors)." })
  reason!: string;
}
