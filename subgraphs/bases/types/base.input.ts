import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { OrderDirection } from '../../../shared/ordering';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import { BaseFunction, BaseGapKind, BaseModel, CoordinatorFunding, OrganizationKind } from '../rules';

@InputType({ description: 'A new base. Codes must be valid and of the given prefecture.' })
export class CreateBaseInput {
  @Field(() => ID, { description: 'The prefecture, "01".."47" (prefectural staff: their own).' })
  prefectureCode!: string;

  @Field({ description: "The base's name (名称)." })
  name!: string;

  @Field(() => BaseModel, { description: 'How it is organised (整備類型).' })
  model!: BaseModel;

  @Field(() => [ID], { description: 'One code, or several for a joint base.' })
  municipalityCodes!: string[];

  @Field(() => LocalDateScalar, { description: 'Date it started (整備日), YYYY-MM-DD.' })
  establishedOn!: string;

  @Field(() => [BaseFunction], { description: 'The functions it provides; the others show as missing.' })
  functions!: BaseFunction[];

  @Field(() => Int, { description: 'People pre-registered for emergencies (緊急時の事前登録者数), 0 or more.', defaultValue: 0 })
  emergencyPreregistrations!: number;

  @Field(() => String, { nullable: true, description: 'Source of the record (出典); default: 都道府県による登録.' })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date the source describes; default: today.' })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Changes to a base; omitted fields keep their values. Close it with closeBase.' })
export class UpdateBaseInput {
  @Field(() => ID, { nullable: true, description: "The base's id." })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is CONFLICT.' })
  version?: number | null;

  @Field(() => String, { description: "The base's name (名称).", nullable: true })
  name?: string | null;

  @Field(() => BaseModel, { description: 'How it is organised (整備類型).', nullable: true })
  model?: BaseModel | null;

  @Field(() => [ID], { description: 'The municipalities it covers (one, or several for a joint base).', nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => LocalDateScalar, { description: 'Date it started (整備日), YYYY-MM-DD.', nullable: true })
  establishedOn?: string | null;

  @Field(() => [BaseFunction], { nullable: true, description: 'A function left out loses its participants.' })
  functions?: BaseFunction[] | null;

  @Field(() => Int, { description: 'People pre-registered for emergencies (緊急時の事前登録者数).', nullable: true })
  emergencyPreregistrations?: number | null;

  @Field(() => String, { description: 'Where the new values come from (出典).', nullable: true })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { description: 'The date the source describes (YYYY-MM-DD).', nullable: true })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Coordinators assigned to a base from a date.' })
export class RecordBaseCoordinatorInput {
  @Field(() => ID, { nullable: true, description: "The base's id (required: here, or as the deprecated argument baseId)." })
  baseId?: string | null;

  @Field(() => Int, { description: 'Coordinators assigned (配置人数), 1 or more.' })
  count!: number;

  @Field(() => CoordinatorFunding, { description: 'How they are funded (配置の財源).' })
  funding!: CoordinatorFunding;

  @Field({ description: 'The organisation they work at (配置先).' })
  hostOrganization!: string;

  @Field(() => LocalDateScalar, { description: 'First day of the assignment (YYYY-MM-DD).' })
  startedOn!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the assignment, if it has ended.', nullable: true })
  endedOn?: string | null;
}

@InputType({ description: 'An organization taking part in a function the base provides.' })
export class AddBaseParticipantInput {
  @Field(() => ID, { nullable: true, description: "The base's id (required: here, or as the deprecated argument baseId)." })
  baseId?: string | null;

  @Field(() => BaseFunction, { description: 'The function it takes part in.' })
  function!: BaseFunction;

  @Field({ description: "The organisation's name (事業所名)." })
  organizationName!: string;

  @Field(() => OrganizationKind, { description: 'What kind of organisation it is (事業所の種別).' })
  organizationKind!: OrganizationKind;
}

@InputType({ description: 'Conditions on bases; all given conditions must hold.' })
export class BaseFilter {
  @Field(() => [ID], { description: 'Only bases of these prefectures (codes "01".. "47"); default all the caller may read.', nullable: true })
  prefectureCodes?: string[];

  @Field(() => [ID], { nullable: true, description: 'Bases covering any of these municipalities.' })
  municipalityCodes?: string[];

  @Field(() => [BaseModel], { description: 'Only bases of these models (整備類型).', nullable: true })
  models?: BaseModel[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only bases that count on this date; omit for every record.' })
  activeOn?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only sample (true) or only real (false) records.' })
  sample?: boolean;
}

export enum BaseOrderField {
  ID = 'ID',
  NAME = 'NAME',
  ESTABLISHED_ON = 'ESTABLISHED_ON',
  PREFECTURE_CODE = 'PREFECTURE_CODE',
}
registerEnumType(BaseOrderField, {
  name: 'BaseOrderField',
  description: 'What to sort bases by; ties are broken by id.',
  valuesConfig: {
    ID: { description: 'Id, stable: the default (ID順)' },
    NAME: { description: 'Name as written (名称, Unicode order)' },
    ESTABLISHED_ON: { description: 'Date it was set up (整備日)' },
    PREFECTURE_CODE: { description: 'Prefecture code (都道府県コード)' },
  },
});

@InputType({ description: 'How to sort bases (並び順).' })
export class BaseOrder {
  @Field(() => BaseOrderField, { description: 'What to sort by.', defaultValue: BaseOrderField.ID })
  field!: BaseOrderField;

  @Field(() => OrderDirection, { description: 'ASC (smallest first) or DESC.', defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/** The SQL column of each sort field (text, so a cursor compares as it sorts). */
export const BASE_ORDER_COLUMN: Record<BaseOrderField, string | null> = {
  ID: null,
  NAME: 'b.name',
  ESTABLISHED_ON: 'b.established_on::text',
  PREFECTURE_CODE: 'b.prefecture_code::text',
};

@ArgsType()
export class BasesArgs {
  @Field(() => BaseOrder, { nullable: true, description: 'Default: by id, ascending.' })
  orderBy?: BaseOrder;

  @Field(() => BaseFilter, { nullable: true, description: 'Which bases to list; default all the caller may read.' })
  filter?: BaseFilter;

  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

@ArgsType()
export class BaseGapArgs {
  @Field(() => Int, { nullable: true, description: 'Only municipalities with fewer residents, e.g. 10000.' })
  populationBelow?: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date to look at; default today in Japan.' })
  asOf?: string;

  @Field(() => [BaseGapKind], { nullable: true, description: 'Only municipalities with at least one of these gaps; default all kinds.' })
  missing?: BaseGapKind[];
}

@InputType({ description: 'A base to close, and the date.' })
export class CloseBaseInput {
  @Field(() => ID, { description: "The base's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field(() => LocalDateScalar, { description: 'Date it closed (YYYY-MM-DD); from this date on it no longer counts.' })
  closedOn!: string;
}

@InputType({ description: "A base whose reviews' earlier summaries to erase from the history, and why (以前の記述の消去)." })
export class EraseEarlierBaseTextsInput {
  @Field(() => ID, { description: "The base's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field({ description: "Why they are erased, e.g. the request it answers (free text, shown only to the prefecture's staff and admins)." })
  reason!: string;
}

@InputType({ description: 'A participant to remove from its base function.' })
export class RemoveBaseParticipantInput {
  @Field(() => ID, { description: "The participant's id (BaseParticipant.id)." })
  participantId!: string;
}

@InputType({ description: 'An annual operational review of a base (運用状況の検証・検討).' })
export class RecordBaseReviewInput {
  @Field(() => ID, { description: "The base's id." })
  baseId!: string;

  @Field(() => LocalDateScalar, { description: 'Date of the review (YYYY-MM-DD), not in the future.' })
  reviewedOn!: string;

  @Field({ description: "What the review found (free text, shown only to the prefecture's own staff and advisors)." })
  summary!: string;
}
