import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import { AssessmentResult, RequestStatus, VisitFormat, VisitPurpose } from '../rules';
import { FollowUpOwnerKind } from './enums';

@InputType({ description: 'People who attended in one role.' })
export class AttendeeInput {
  @Field()
  role!: string;

  @Field(() => Int)
  count!: number;
}

@InputType({ description: 'A visit to record. The date may not be in the future; municipalities must be of the prefecture.' })
export class RecordVisitInput {
  @Field(() => ID)
  prefectureCode!: string;

  @Field(() => LocalDateScalar)
  date!: string;

  @Field(() => [ID], {
    nullable: true,
    description: "Advisors who took part (ids of Advisor). Default: the caller's own advisor (the one its sign-in subject is linked to).",
  })
  advisorIds?: string[] | null;

  @Field(() => [ID])
  municipalityCodes!: string[];

  @Field(() => VisitFormat)
  format!: VisitFormat;

  @Field(() => [VisitPurpose])
  purposes!: VisitPurpose[];

  @Field(() => [String], { defaultValue: [] })
  topics!: string[];

  @Field({ defaultValue: '' })
  summary!: string;

  @Field({ defaultValue: '' })
  issuesFound!: string;

  @Field(() => [AttendeeInput], { defaultValue: [] })
  attendees!: AttendeeInput[];

  @Field(() => String, { nullable: true, description: 'May hold sensitive personal information (要配慮個人情報); never logged.' })
  notes?: string | null;
}

@InputType({ description: 'Changes to a visit; omitted fields keep their values.' })
export class UpdateVisitInput {
  @Field(() => LocalDateScalar, { nullable: true })
  date?: string | null;

  @Field(() => [ID], { nullable: true })
  advisorIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => VisitFormat, { nullable: true })
  format?: VisitFormat | null;

  @Field(() => [VisitPurpose], { nullable: true })
  purposes?: VisitPurpose[] | null;

  @Field(() => [String], { nullable: true })
  topics?: string[] | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  issuesFound?: string | null;

  @Field(() => [AttendeeInput], { nullable: true })
  attendees?: AttendeeInput[] | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}

@InputType({ description: 'Something agreed on a visit.' })
export class FollowUpInput {
  @Field(() => ID, { description: "One of the visit's municipalities." })
  municipalityCode!: string;

  @Field()
  description!: string;

  @Field(() => FollowUpOwnerKind)
  ownerKind!: FollowUpOwnerKind;

  @Field(() => ID, { nullable: true, description: 'Required when ownerKind is ADVISOR.' })
  ownerAdvisorId?: string | null;

  @Field(() => LocalDateScalar)
  dueOn!: string;
}

@InputType({ description: 'One item result of an assessment.' })
export class AssessmentItemInput {
  @Field(() => ID)
  itemId!: string;

  @Field(() => AssessmentResult)
  result!: AssessmentResult;

  @Field({ defaultValue: '' })
  comment!: string;
}

@InputType({ description: 'A checklist assessment: every item of the template, once.' })
export class AssessmentInput {
  @Field(() => ID)
  templateId!: string;

  @Field(() => ID)
  municipalityCode!: string;

  @Field(() => LocalDateScalar)
  assessedOn!: string;

  @Field(() => ID, { nullable: true })
  visitId?: string | null;

  @Field(() => [AssessmentItemInput])
  results!: AssessmentItemInput[];
}

@InputType({ description: 'A request a municipality raised.' })
export class RequestInput {
  @Field(() => ID)
  municipalityCode!: string;

  @Field(() => ID, { nullable: true })
  visitId?: string | null;

  @Field()
  summary!: string;

  @Field(() => LocalDateScalar)
  raisedOn!: string;
}

@InputType({ description: 'Changes to a request.' })
export class UpdateRequestInput {
  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => RequestStatus, { nullable: true })
  status?: RequestStatus | null;

  @Field(() => String, { nullable: true })
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
