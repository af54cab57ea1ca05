import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { OrderDirection } from '../../../shared/ordering';
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
  @Field(() => ID, { description: 'The prefecture, "01".."47" (prefectural staff: their own).' })
  prefectureCode!: string;

  @Field({ description: "The center's name (名称)." })
  name!: string;

  @Field(() => CoreCenterSetup, { description: 'SINGLE (one municipality, 単独設置) or JOINT (two or more, 共同設置).' })
  setup!: CoreCenterSetup;

  @Field(() => [ID], { description: 'Exactly one code for SINGLE, two or more for JOINT.' })
  municipalityCodes!: string[];

  @Field(() => CoreCenterOperation, { description: 'Run by the municipality (直営), outsourced (委託) or partly outsourced (一部委託).' })
  operation!: CoreCenterOperation;

  @Field(() => String, { nullable: true, description: 'Required unless operation is DIRECT.' })
  operatorName?: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it opened (設置日), YYYY-MM-DD.' })
  establishedOn!: string;

  @Field(() => [CoreCenterFunction], { description: 'The functions it carries out (機能).' })
  functions!: CoreCenterFunction[];

  @Field(() => CoreCenterStaffInput, { description: 'Staff by profession (職員配置); omitted professions count 0.', nullable: true })
  staff?: CoreCenterStaffInput | null;

  @Field({ description: 'Whether it also works as a community life support base (拠点等を兼ねる).', defaultValue: false })
  alsoFunctionsAsBase!: boolean;

  @Field({ description: 'Whether it also runs the abuse prevention center (虐待防止センター).', defaultValue: false })
  runsAbusePreventionCenter!: boolean;

  @Field({ description: 'Whether it has a coordinator for children needing medical care (医療的ケア児等コーディネーター).', defaultValue: false })
  hasMedicalCareChildCoordinator!: boolean;

  @Field(() => String, { nullable: true, description: 'Source of the record (出典); default: 都道府県による登録.' })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date the source describes; default: today.' })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Changes to a core center; omitted fields keep their values. Close it with closeCoreCenter.' })
export class UpdateCoreCenterInput {
  @Field(() => ID, { nullable: true, description: "The center's id." })
  id?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you last read; a stale one is CONFLICT.' })
  version?: number | null;

  @Field(() => String, { description: "The center's name (名称).", nullable: true })
  name?: string | null;

  @Field(() => CoreCenterSetup, { description: 'SINGLE (単独設置) or JOINT (共同設置).', nullable: true })
  setup?: CoreCenterSetup | null;

  @Field(() => [ID], { description: 'The municipalities it covers: one for SINGLE, two or more for JOINT.', nullable: true })
  municipalityCodes?: string[] | null;

  @Field(() => CoreCenterOperation, { description: 'Run by the municipality (直営), outsourced (委託) or partly outsourced (一部委託).', nullable: true })
  operation?: CoreCenterOperation | null;

  @Field(() => String, { description: 'Who runs it when outsourced (委託先).', nullable: true })
  operatorName?: string | null;

  @Field(() => LocalDateScalar, { description: 'Date it opened (設置日), YYYY-MM-DD.', nullable: true })
  establishedOn?: string | null;

  @Field(() => [CoreCenterFunction], { description: 'The functions it carries out (機能).', nullable: true })
  functions?: CoreCenterFunction[] | null;

  @Field(() => CoreCenterStaffInput, { description: 'Staff by profession (職員配置).', nullable: true })
  staff?: CoreCenterStaffInput | null;

  @Field(() => Boolean, { description: 'Whether it also works as a community life support base (拠点等を兼ねる).', nullable: true })
  alsoFunctionsAsBase?: boolean | null;

  @Field(() => Boolean, { description: 'Whether it also runs the abuse prevention center (虐待防止センター).', nullable: true })
  runsAbusePreventionCenter?: boolean | null;

  @Field(() => Boolean, { description: 'Whether it has a coordinator for children needing medical care (医療的ケア児等コーディネーター).', nullable: true })
  hasMedicalCareChildCoordinator?: boolean | null;

  @Field(() => String, { description: 'Where the new values come from (出典).', nullable: true })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { description: 'The date the source describes (YYYY-MM-DD).', nullable: true })
  sourceAsOf?: string | null;
}

@InputType({ description: 'Conditions on core centers; all given conditions must hold.' })
export class CoreCenterFilter {
  @Field(() => [ID], { description: 'Only centers of these prefectures (codes "01".."47"); default all the caller may read.', nullable: true })
  prefectureCodes?: string[];

  @Field(() => [ID], { nullable: true, description: 'Centers covering any of these municipalities.' })
  municipalityCodes?: string[];

  @Field(() => [CoreCenterSetup], { description: 'Only centers set up this way (単独設置・共同設置).', nullable: true })
  setups?: CoreCenterSetup[];

  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Only centers that count on this date; omit it for every record, closed ones included.',
  })
  activeOn?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only sample (true) or only real (false) records.' })
  sample?: boolean;
}

export enum CoreCenterOrderField {
  ID = 'ID',
  NAME = 'NAME',
  ESTABLISHED_ON = 'ESTABLISHED_ON',
  PREFECTURE_CODE = 'PREFECTURE_CODE',
}
registerEnumType(CoreCenterOrderField, {
  name: 'CoreCenterOrderField',
  description: 'What to sort core centers by; ties are broken by id.',
  valuesConfig: {
    ID: { description: 'Id, stable: the default (ID順)' },
    NAME: { description: 'Name as written (名称, Unicode order)' },
    ESTABLISHED_ON: { description: 'Date it was set up (設置日)' },
    PREFECTURE_CODE: { description: 'Prefecture code (都道府県コード)' },
  },
});

@InputType({ description: 'How to sort core centers (並び順).' })
export class CoreCenterOrder {
  @Field(() => CoreCenterOrderField, { description: 'What to sort by.', defaultValue: CoreCenterOrderField.ID })
  field!: CoreCenterOrderField;

  @Field(() => OrderDirection, { description: 'ASC (smallest first) or DESC.', defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}

/** The SQL column of each sort field (text, so a cursor compares as it sorts). */
export const CORE_CENTER_ORDER_COLUMN: Record<CoreCenterOrderField, string | null> = {
  ID: null,
  NAME: 'c.name',
  ESTABLISHED_ON: 'c.established_on::text',
  PREFECTURE_CODE: 'c.prefecture_code::text',
};

@ArgsType()
export class CoreCentersArgs {
  @Field(() => CoreCenterOrder, { nullable: true, description: 'Default: by id, ascending.' })
  orderBy?: CoreCenterOrder;

  @Field(() => CoreCenterFilter, { nullable: true, description: 'Which centers to list; default all the caller may read.' })
  filter?: CoreCenterFilter;

  @Field(() => Int, { nullable: true, description: `Page size, 0 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item of the previous page.' })
  after?: string;
}

@InputType({ description: 'A core center to close, and the date.' })
export class CloseCoreCenterInput {
  @Field(() => ID, { description: "The center's id." })
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale one is CONFLICT.' })
  version!: number;

  @Field(() => LocalDateScalar, { description: 'Date it closed (YYYY-MM-DD); from this date on it no longer counts.' })
  closedOn!: string;
}
