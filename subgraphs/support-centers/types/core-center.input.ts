import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import { CoreCenterFunction, CoreCenterOperation, CoreCenterSetup } from '../rules';

@InputType({ description: 'Staff counts by qualification; omitted counts are 0.' })
export class CoreCenterStaffInput {
  @Field(() => Int, { defaultValue: 0, description: '主任相談支援専門員' })
  chiefSpecialists!: number;

  @Field(() => Int, { defaultValue: 0, description: '相談支援専門員' })
  specialists!: number;

  @Field(() => Int, { defaultValue: 0, description: '社会福祉士' })
  socialWorkers!: number;

  @Field(() => Int, { defaultValue: 0, description: '精神保健福祉士' })
  psychiatricSocialWorkers!: number;

  @Field(() => Int, { defaultValue: 0, description: '保健師' })
  publicHealthNurses!: number;

  @Field(() => Int, { defaultValue: 0, description: 'その他' })
  otherStaff!: number;
}

@InputType({ description: 'A new core center. Codes must be valid and of the given prefecture.' })
export class CreateCoreCenterInput {
  @Field(() => ID)
  prefectureCode!: string;

  @Field()
  name!: string;

  @Field(() => CoreCenterSetup)
  setup!: CoreCenterSetup;

  @Field(() => [ID], { description: 'Exactly one code for SINGLE, two or more for JOINT.' })
  municipalityCodes!: string[];

  @Field(() => CoreCenterOperation)
  operation!: CoreCenterOperation;

  @Field(() => String, { nullable: true, description: 'Required unless operation is DIRECT.' })
  operatorName?: string | null;

  @Field(() => LocalDateScalar)
  establishedOn!: string;

  @Field(() => [CoreCenterFunction])
  functions!: CoreCenterFunction[];

  @Field(() => CoreCenterStaffInput, { nullable: true })
  staff?: CoreCenterStaffInput | null;

  @Field({ defaultValue: false })
  alsoFunctionsAsBase!: boolean;

  @Field({ defaultValue: false })
  runsAbusePreventionCenter!: boolean;

  @Field({ defaultValue: false })
  hasMedicalCareChildCoordinator!: boolean;

  @Field(() => String, { nullable: true, description: 'Source of the record (出典); default: 都道府県による登録.' })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date the source describes; default: today.' })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Changes to a core center; omitted fields keep their values. Close it with closeCoreCenter.' })
export class UpdateCoreCenterInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => CoreCenterSetup, { nullable: true })
  setup?: CoreCenterSetup | null;

  @Field(() => [ID], { nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => CoreCenterOperation, { nullable: true })
  operation?: CoreCenterOperation | null;

  @Field(() => String, { nullable: true })
  operatorName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  establishedOn?: string | null;

  @Field(() => [CoreCenterFunction], { nullable: true })
  functions?: CoreCenterFunction[] | null;

  @Field(() => CoreCenterStaffInput, { nullable: true })
  staff?: CoreCenterStaffInput | null;

  @Field(() => Boolean, { nullable: true })
  alsoFunctionsAsBase?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  runsAbusePreventionCenter?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  hasMedicalCareChildCoordinator?: boolean | null;

  @Field(() => String, { nullable: true })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Conditions on core centers; all given conditions must hold.' })
export class CoreCenterFilter {
  @Field(() => [ID], { nullable: true })
  prefectureCodes?: string[];

  @Field(() => [ID], { nullable: true, description: 'Centers covering any of these municipalities.' })
  municipalityCodes?: string[];

  @Field(() => [CoreCenterSetup], { nullable: true })
  setups?: CoreCenterSetup[];

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Only centers that count on this date; omit it for every record, closed ones included.',
  })
  activeOn?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only sample (true) or only real (false) records.' })
  sample?: boolean;
}

@ArgsType()
export class CoreCentersArgs {
  @Field(() => CoreCenterFilter, { nullable: true })
  filter?: CoreCenterFilter;

  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}
