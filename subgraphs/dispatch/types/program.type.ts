import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { fiscalYearLabel } from '../../../shared/fiscal-year';
import { describedValues } from '../../../shared/labels';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredProgram } from '../data/program.store';
import { PROGRAM_DUTY_LABELS, ProgramDuty } from '../rules';
import { Prefecture } from './federated.type';
import { percentOneDecimal } from '../../../shared/percent';

registerEnumType(ProgramDuty, {
  name: 'ProgramDuty',
  description: "A duty of the prefectural program (都道府県相談支援体制整備事業), ①–⑦ as in MHLW's 2025 survey.",
  valuesConfig: describedValues(PROGRAM_DUTY_LABELS, {
    NETWORK_BUILDING: 'Guidance and coordination towards local networks',
    CORE_CENTER_ADVICE: 'Advice on setting up and running core centers',
    COUNCIL: 'Support for setting up and activating councils',
    WIDE_AREA_ISSUES: 'Wide-area issues spanning welfare regions',
    STAFF_TRAINING: 'Training consultation staff (training, OJT)',
    PREFECTURAL_COUNCIL: 'Taking part in the prefectural council',
    OTHER: 'Other',
  }),
});

@ObjectType({ description: 'Advisor positions of one occupation agreed in the prefectural council (職種と人数).' })
export class AdvisorPosition {
  @Field({ description: 'Occupation (職種), e.g. 主任相談支援専門員.' })
  occupation!: string;

  @Field(() => Int, { description: 'Number of positions (人数).' })
  count!: number;
}

@ObjectType({ description: 'One duty with its Japanese label.' })
export class ProgramDutyLabel {
  @Field(() => ProgramDuty, { description: 'The duty (①–⑦).' })
  duty!: ProgramDuty;

  @Field({ description: 'e.g. ① 地域のネットワーク構築に向けた指導・調整' })
  label!: string;
}

@ObjectType({ description: "A prefecture's program (都道府県相談支援体制整備事業) in one fiscal year." })
export class PrefecturalProgram {
  @Field(() => ID, { description: "The record's id (UUID)." })
  id!: string;

  @Field(() => Prefecture, { description: 'The prefecture whose program it is.' })
  prefecture!: Prefecture;

  @Field(() => Int, { description: 'Fiscal year (年度), named by the year it starts in: 2025 = 令和7年度.' })
  fiscalYear!: number;

  @Field({ description: 'The fiscal year in Japanese, e.g. 令和7年度.' })
  fiscalYearLabel!: string;

  @Field({ description: 'Whether the prefecture runs the program that year (実施の有無).' })
  implemented!: boolean;

  @Field(() => [ProgramDuty], { description: 'Duties carried out, in the order ①–⑦.' })
  duties!: ProgramDuty[];

  @Field(() => [ProgramDutyLabel], { description: 'The same duties with their Japanese labels.' })
  dutyLabels!: ProgramDutyLabel[];

  @Field(() => [AdvisorPosition], { description: 'Advisor positions agreed in the prefectural council (協議会で合意したアドバイザーの職種・人数).' })
  advisorPositions!: AdvisorPosition[];

  @Field({ description: 'Uses the model project (基幹相談支援センター・地域生活支援拠点等整備推進事業) that year.' })
  modelProject!: boolean;

  @Field({ description: 'Where the answer comes from (出典).' })
  sourceName!: string;

  @Field(() => LocalDateScalar, { description: 'The date the source describes.' })
  sourceAsOf!: string;

  @Field({ description: 'True for invented sample records.' })
  sample!: boolean;

  @Field(() => Int, { description: 'Version for optimistic concurrency: pass it to recordPrefecturalProgram to change this record.' })
  version!: number;
}

export function toProgram(p: StoredProgram): PrefecturalProgram {
  const duties = Object.values(ProgramDuty).filter((d) => p.duties.includes(d));
  return {
    id: p.id,
    prefecture: { code: p.prefectureCode },
    fiscalYear: p.fiscalYear,
    fiscalYearLabel: fiscalYearLabel(p.fiscalYear),
    implemented: p.implemented,
    duties,
    dutyLabels: duties.map((duty) => ({ duty, label: PROGRAM_DUTY_LABELS[duty] })),
    advisorPositions: p.advisorPositions,
    modelProject: p.modelProject,
    sourceName: p.sourceName,
    sourceAsOf: p.sourceAsOf,
    sample: p.sample,
    version: p.version,
  };
}

@ObjectType({ description: 'How many implementing prefectures carried out one duty.' })
export class ProgramDutyCount {
  @Field(() => ProgramDuty, { description: 'The duty (①–⑦).' })
  duty!: ProgramDuty;

  @Field({ description: 'Its Japanese label, e.g. ① 地域のネットワーク構築に向けた指導・調整.' })
  label!: string;

  @Field(() => Int, { description: 'Implementing prefectures that carried it out.' })
  prefectures!: number;

  @Field(() => Float, { nullable: true, description: 'Their share of the implementing prefectures, in percent with one decimal (null when none implement).' })
  percentOfImplemented!: number | null;
}

@ObjectType({ description: 'The prefectural program nationally in one fiscal year, as MHLW tabulates its survey.' })
export class PrefecturalProgramTable {
  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'The fiscal year in the Japanese calendar, e.g. 令和7年度.' })
  fiscalYearLabel!: string;

  @Field(() => Int, { description: 'Prefectures with an answer for the year (of 47).' })
  answered!: number;

  @Field(() => Int, { description: 'Prefectures implementing the program (実施都道府県数).' })
  implemented!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Implementing prefectures as a share of all 47, in percent with one decimal; null while no prefecture has answered for the year (no answer is not 0 %).',
  })
  implementedPercent!: number | null;

  @Field(() => [ProgramDutyCount], { description: 'Each duty ①–⑦: implementing prefectures that carried it out.' })
  duties!: ProgramDutyCount[];

  @Field(() => [Prefecture], { description: 'Prefectures using the model project that year.' })
  modelProjectPrefectures!: Prefecture[];

  @Field(() => [PrefecturalProgram], { description: 'Every prefecture’s answer, in code order.' })
  programs!: PrefecturalProgram[];
}

/** The national table from the year's programs: counts over the implementing prefectures. */
export function programTable(fiscalYear: number, programs: readonly StoredProgram[]): PrefecturalProgramTable {
  const implemented = programs.filter((p) => p.implemented);
  return {
    fiscalYear,
    fiscalYearLabel: fiscalYearLabel(fiscalYear),
    answered: programs.length,
    implemented: implemented.length,
    implementedPercent: programs.length === 0 ? null : percentOneDecimal(implemented.length, 47),
    duties: Object.values(ProgramDuty).map((duty) => {
      const count = implemented.filter((p) => p.duties.includes(duty)).length;
      return { duty, label: PROGRAM_DUTY_LABELS[duty], prefectures: count, percentOfImplemented: percentOneDecimal(count, implemented.length) };
    }),
    modelProjectPrefectures: programs.filter((p) => p.modelProject).map((p) => ({ code: p.prefectureCode })),
    programs: programs.map(toProgram),
  };
}

@InputType({ description: 'Advisor positions of one occupation.' })
export class AdvisorPositionInput {
  @Field({ description: 'Occupation (職種).' })
  occupation!: string;

  @Field(() => Int, { description: 'Number of positions, 1–99.' })
  count!: number;
}

@InputType({ description: "A prefecture's program in one fiscal year (prefectural staff of the prefecture, or admin)." })
export class RecordPrefecturalProgramInput {
  @Field(() => Int, {
    nullable: true,
    description: "The program's current version when changing a recorded year (else CONFLICT); none for a year not recorded yet.",
  })
  version?: number | null;

  @Field(() => ID, { description: 'The prefecture, "01".."47" (prefectural staff: their own).' })
  prefectureCode!: string;

  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'Whether the prefecture implements the program in the year (実施の有無).' })
  implemented!: boolean;

  @Field(() => [ProgramDuty], { description: 'The duties ①–⑦ carried out (only when implemented).', defaultValue: [] })
  duties!: ProgramDuty[];

  @Field(() => [AdvisorPositionInput], { description: 'The advisor positions agreed in the prefectural council (職種と人数).', defaultValue: [] })
  advisorPositions!: AdvisorPositionInput[];

  @Field({ description: 'Whether it uses the model project (基幹相談支援センター・地域生活支援拠点等整備推進事業).', defaultValue: false })
  modelProject!: boolean;

  @Field(() => String, { nullable: true, description: 'Where the answer comes from; default 都道府県による登録.' })
  sourceName?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The date the answer describes; default today.' })
  sourceAsOf?: string | null;
}
