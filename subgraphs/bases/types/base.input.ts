import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import { BaseFunction, BaseGapKind, BaseModel, CoordinatorFunding, OrganizationKind } from '../rules';

@InputType({ description: 'A new base. Codes must be valid and of the given prefecture.' })
export class CreateBaseInput {
  @Field(() => ID)
  prefectureCode!: string;

  @Field()
  name!: string;

  @Field(() => BaseModel)
  model!: BaseModel;

  @Field(() => [ID], { description: 'One code, or several for a joint base.' })
  municipalityCodes!: string[];

  @Field(() => LocalDateScalar)
  establishedOn!: string;

  @Field(() => [BaseFunction], { description: 'The functions it provides; the others show as missing.' })
  functions!: BaseFunction[];

  @Field(() => Int, { defaultValue: 0 })
  emergencyPreregistrations!: number;

  @Field(() => String, { nullable: true, description: 'Source of the record (出典); default: 都道府県による登録.' })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date the source describes; default: today.' })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Changes to a base; omitted fields keep their values. Close it with closeBase.' })
export class UpdateBaseInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => BaseModel, { nullable: true })
  model?: BaseModel | null;

  @Field(() => [ID], { nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => LocalDateScalar, { nullable: true })
  establishedOn?: string | null;

  @Field(() => [BaseFunction], { nullable: true, description: 'A function left out loses its participants.' })
  functions?: BaseFunction[] | null;

  @Field(() => Int, { nullable: true })
  emergencyPreregistrations?: number | null;

  @Field(() => String, { nullable: true })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Coordinators assigned to a base from a date.' })
export class BaseCoordinatorInput {
  @Field(() => Int)
  count!: number;

  @Field(() => CoordinatorFunding)
  funding!: CoordinatorFunding;

  @Field()
  hostOrganization!: string;

  @Field(() => LocalDateScalar)
  startedOn!: string;

  @Field(() => LocalDateScalar, { nullable: true })
  endedOn?: string | null;
}

@InputType({ description: 'An organization taking part in a function the base provides.' })
export class BaseParticipantInput {
  @Field(() => BaseFunction)
  function!: BaseFunction;

  @Field()
  organizationName!: string;

  @Field(() => OrganizationKind)
  organizationKind!: OrganizationKind;
}

@InputType({ description: 'Conditions on bases; all given conditions must hold.' })
export class BaseFilter {
  @Field(() => [ID], { nullable: true })
  prefectureCodes?: string[];

  @Field(() => [ID], { nullable: true, description: 'Bases covering any of these municipalities.' })
  municipalityCodes?: string[];

  @Field(() => [BaseModel], { nullable: true })
  models?: BaseModel[];

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only bases that count on this date; omit for every record.' })
  activeOn?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only sample (true) or only real (false) records.' })
  sample?: boolean;
}

@ArgsType()
export class BasesArgs {
  @Field(() => BaseFilter, { nullable: true })
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
