import { FORMAT_LABELS } from './enums';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { COUNTED_PERIOD_FIELDS, countedPeriodFields } from '../../../shared/fiscal-year';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredActivity, StoredMunicipalityActivity } from '../data/activity.store';
import { PURPOSE_LABELS, VisitFormat, VisitPurpose } from '../rules';
import { percentOneDecimal } from '../../../shared/percent';

@ObjectType({ description: 'Advisors holding one qualification.' })
export class QualificationCount {
  @Field({ description: 'Qualification (資格), e.g. 主任相談支援専門員.' })
  qualification!: string;

  @Field(() => Int, { description: 'Advisors holding it.' })
  advisors!: number;
}

@ObjectType({ description: 'Visits that served one of the six duties (ア)–(カ).' })
export class PurposeCount {
  @Field(() => VisitPurpose, { description: 'The duty (ア)–(カ) the visits served.' })
  purpose!: VisitPurpose;

  @Field({ description: 'Its Japanese label, e.g. (イ) 基幹相談支援センターの設置・運営に関する助言.' })
  label!: string;

  @Field(() => Int, { description: 'Visits that served it.' })
  visits!: number;
}

@ObjectType({ description: 'Visits of one format.' })
export class FormatCount {
  @Field(() => VisitFormat, { description: 'The format of the visits counted.' })
  format!: VisitFormat;

  @Field({ description: 'The format in Japanese, e.g. 研修.' })
  label!: string;

  @Field(() => Int, { description: 'Visits of that format.' })
  visits!: number;
}

@ObjectType({
  description:
    "A prefecture's advisor activity in a fiscal year (アドバイザーの活動指標), the indicators MHLW proposes for the next " +
    '障害福祉計画 and their context. Counted from the visit log: cancelled visits never count; a visit counts in the fiscal year of its date.',
})
export class ActivityIndicators {
  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'The fiscal year in the Japanese calendar, e.g. 令和7年度.' })
  fiscalYearLabel!: string;

  @Field(() => LocalDateScalar, { description: COUNTED_PERIOD_FIELDS.asOf })
  asOf!: string;

  @Field({ description: COUNTED_PERIOD_FIELDS.inProgress })
  inProgress!: boolean;

  @Field(() => Int, { description: 'Advisors deployed (アドバイザーの配置状況): registered advisors active on at least one day of the year.' })
  advisorsDeployed!: number;

  @Field(() => [QualificationCount], { description: 'The deployed advisors by qualification (an advisor with two counts under both), most first.' })
  advisorsByQualification!: QualificationCount[];

  @Field(() => Int, { description: 'Visits recorded in the year (派遣回数).' })
  visits!: number;

  @Field(() => [PurposeCount], { description: 'Visits by duty (ア)–(カ); a visit serving several counts under each.' })
  visitsByPurpose!: PurposeCount[];

  @Field(() => [FormatCount], { description: 'Visits by format.' })
  visitsByFormat!: FormatCount[];

  @Field(() => Int, {
    description:
      'Trainings held for municipal staff and others (都道府県が市町村職員等に実施する相談支援体制に関する研修等の開催回数): visits of format TRAINING.',
  })
  trainingsHeld!: number;

  @Field(() => Int, { description: 'Distinct municipalities visited at least once.' })
  municipalitiesReached!: number;

  @Field(() => Int, { description: 'Municipalities of the prefecture under 10,000 residents.' })
  smallMunicipalities!: number;

  @Field(() => Int, { description: 'Of them, those visited at least once.' })
  smallMunicipalitiesReached!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'smallMunicipalitiesReached of smallMunicipalities, in percent with one decimal (null without small municipalities).',
  })
  smallMunicipalitiesReachedPercent!: number | null;

  @Field(() => Int, { description: 'Follow-ups agreed on visits of the year.' })
  followUpsOpened!: number;

  @Field(() => Int, { description: 'Follow-ups completed in the year (whatever year they were agreed in).' })
  followUpsCompleted!: number;

  @Field(() => Int, {
    description:
      'Follow-ups overdue at the end of the year (31 March; asOf, today, while the year is in progress): agreed by then, due before it, not completed ' +
      'by then. A dropped follow-up never counts ' +
      '(its drop date is not recorded).',
  })
  followUpsOverdueAtYearEnd!: number;
}

type CountedVisit = { format: string; purposes: string[] };
const byPurpose = (visits: readonly CountedVisit[]): PurposeCount[] =>
  Object.values(VisitPurpose).map((purpose) => ({
    purpose,
    label: PURPOSE_LABELS[purpose],
    visits: visits.filter((v) => v.purposes.includes(purpose)).length,
  }));
const byFormat = (visits: readonly CountedVisit[]): FormatCount[] =>
  Object.values(VisitFormat).map((format) => ({ format, label: FORMAT_LABELS[format], visits: visits.filter((v) => v.format === format).length }));

/** The indicators from the stored activity and the prefecture's municipalities with their population. */
export function toActivityIndicators(a: StoredActivity, municipalities: ReadonlyArray<{ code: string; population?: number }>): ActivityIndicators {
  const qualifications = new Map<string, number>();
  for (const advisor of a.advisors) for (const q of new Set(advisor.qualifications)) qualifications.set(q, (qualifications.get(q) ?? 0) + 1);
  const reached = new Set(a.visits.flatMap((v) => v.municipalities));
  const small = municipalities.filter((m) => (m.population ?? 0) < 10_000);
  const smallReached = small.filter((m) => reached.has(m.code)).length;
  return {
    ...countedPeriodFields(a.period),
    advisorsDeployed: a.advisors.length,
    advisorsByQualification: [...qualifications]
      .map(([qualification, advisors]) => ({ qualification, advisors }))
      .sort((x, y) => y.advisors - x.advisors || x.qualification.localeCompare(y.qualification)),
    visits: a.visits.length,
    visitsByPurpose: byPurpose(a.visits),
    visitsByFormat: byFormat(a.visits),
    trainingsHeld: a.visits.filter((v) => v.format === VisitFormat.TRAINING).length,
    municipalitiesReached: reached.size,
    smallMunicipalities: small.length,
    smallMunicipalitiesReached: smallReached,
    smallMunicipalitiesReachedPercent: percentOneDecimal(smallReached, small.length),
    followUpsOpened: a.followUps.opened,
    followUpsCompleted: a.followUps.completed,
    followUpsOverdueAtYearEnd: a.followUps.overdue,
  };
}

@ObjectType({
  description:
    "Advisor activity in one municipality in a fiscal year (市町村別のアドバイザー活動), to set beside the municipality's coverage change of the " +
    "same year (Municipality.coreCenterCoverageChange, baseCoverageChange) when looking at MHLW's statement that support systems are fuller " +
    'where advisors are more active. Method: visits are those of the log dated in the year (cancelled ones left out; a regional meeting counts ' +
    'for each municipality at it); follow-ups are those agreed for the municipality. Limits: the numbers per municipality are small (most are ' +
    'visited a few times a year or not at all, and coverage rarely changes within a year), so differences between single municipalities mean ' +
    'little; advisors visit where the gaps are, so more visits go with less coverage at the start (confounding); and a center opens years ' +
    'after the work that led to it. A description of association, not a causal estimate: see Prefecture.advisorImpact for a comparison with ' +
    'similar unvisited municipalities.',
})
export class MunicipalityActivity {
  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'e.g. 令和7年度' })
  fiscalYearLabel!: string;

  @Field(() => LocalDateScalar, { description: COUNTED_PERIOD_FIELDS.asOf })
  asOf!: string;

  @Field({ description: COUNTED_PERIOD_FIELDS.inProgress })
  inProgress!: boolean;

  @Field(() => Int, { description: 'Visits to the municipality in the year (派遣回数), regional meetings included.' })
  visits!: number;

  @Field(() => [PurposeCount], { description: 'The visits by duty (ア)–(カ); a visit serving several counts under each.' })
  visitsByPurpose!: PurposeCount[];

  @Field(() => [FormatCount], { description: 'The visits by format (a TRAINING visit is a training the municipality took part in).' })
  visitsByFormat!: FormatCount[];

  @Field(() => Int, { description: 'Follow-ups for the municipality agreed on visits of the year.' })
  followUpsOpened!: number;

  @Field(() => Int, { description: 'Follow-ups for the municipality completed in the year.' })
  followUpsCompleted!: number;

  @Field(() => Int, {
    description:
      'Follow-ups for the municipality overdue on 31 March (on asOf while the year is in progress), counted as in ActivityIndicators.followUpsOverdueAtYearEnd.',
  })
  followUpsOverdueAtYearEnd!: number;
}

export function toMunicipalityActivity(a: StoredMunicipalityActivity): MunicipalityActivity {
  return {
    ...countedPeriodFields(a.period),
    visits: a.visits.length,
    visitsByPurpose: byPurpose(a.visits),
    visitsByFormat: byFormat(a.visits),
    followUpsOpened: a.followUps.opened,
    followUpsCompleted: a.followUps.completed,
    followUpsOverdueAtYearEnd: a.followUps.overdue,
  };
}

@ObjectType({ description: 'One activity figure in two fiscal years and the difference (増減).' })
export class FigureChange {
  @Field(() => Int, { description: 'In the earlier year (`sinceFiscalYear`).' })
  before!: number;

  @Field(() => Int, { description: 'In the later year.' })
  after!: number;

  @Field(() => Int, { description: 'after − before (negative when it fell).' })
  change!: number;
}

@ObjectType({
  description:
    "The advisors' activity of a prefecture in one fiscal year compared with an earlier one (前年度比など). While the later year is in progress, " +
    'the earlier is counted over the same days (前年同期比: 1 April to the same date), so eight months are not set against twelve.',
})
export class ActivityIndicatorsChange {
  @Field(() => Int, { description: 'The later fiscal year (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field(() => Int, { description: 'The earlier fiscal year it is compared with.' })
  sinceFiscalYear!: number;

  @Field(() => LocalDateScalar, { description: "The later year's last day counted: 31 March, or today while it is in progress." })
  asOf!: string;

  @Field(() => LocalDateScalar, { description: "The earlier year's last day counted: 31 March, or the same date as asOf while the later year is in progress." })
  sinceAsOf!: string;

  @Field({ description: 'True while the later year is in progress: both years are counted from 1 April to the same date.' })
  inProgress!: boolean;

  @Field(() => FigureChange, { description: 'Advisors deployed.' })
  advisorsDeployed!: FigureChange;

  @Field(() => FigureChange, { description: 'Visits (派遣回数).' })
  visits!: FigureChange;

  @Field(() => FigureChange, { description: 'Trainings held for municipal staff.' })
  trainingsHeld!: FigureChange;

  @Field(() => FigureChange, { description: 'Distinct municipalities visited.' })
  municipalitiesReached!: FigureChange;

  @Field(() => FigureChange, { description: 'Municipalities under 10,000 residents visited.' })
  smallMunicipalitiesReached!: FigureChange;

  @Field(() => FigureChange, { description: 'Follow-ups agreed.' })
  followUpsOpened!: FigureChange;

  @Field(() => FigureChange, { description: 'Follow-ups completed.' })
  followUpsCompleted!: FigureChange;
}

/** The change of each figure from the earlier year's indicators to the later year's. */
export function toActivityChange(before: ActivityIndicators, after: ActivityIndicators): ActivityIndicatorsChange {
  const figure = (
    key: 'advisorsDeployed' | 'visits' | 'trainingsHeld' | 'municipalitiesReached' | 'smallMunicipalitiesReached' | 'followUpsOpened' | 'followUpsCompleted',
  ) => ({
    before: before[key],
    after: after[key],
    change: after[key] - before[key],
  });
  return {
    fiscalYear: after.fiscalYear,
    sinceFiscalYear: before.fiscalYear,
    asOf: after.asOf,
    sinceAsOf: before.asOf,
    inProgress: after.inProgress,
    advisorsDeployed: figure('advisorsDeployed'),
    visits: figure('visits'),
    trainingsHeld: figure('trainingsHeld'),
    municipalitiesReached: figure('municipalitiesReached'),
    smallMunicipalitiesReached: figure('smallMunicipalitiesReached'),
    followUpsOpened: figure('followUpsOpened'),
    followUpsCompleted: figure('followUpsCompleted'),
  };
}
