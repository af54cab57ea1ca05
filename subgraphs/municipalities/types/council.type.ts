import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { REFERENCE_DATA_HINT } from '../../../shared/cache-control';
import { Provenance } from '../../../shared/provenance';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredCouncil, StoredSelfPlanRate } from '../data/council.store';
import { type SelfPlans, selfPlanRatePercent } from '../rules';

@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: "A municipality's council ((自立支援)協議会, 障害者総合支援法 §89-3) as a source saw it on a date." })
export class CouncilStatus {
  @Field(() => LocalDateScalar, { description: 'Date the status describes (基準日).' })
  asOf!: string;

  @Field({ description: 'A council exists (設置).' })
  established!: boolean;

  @Field({ description: 'Run jointly with other municipalities (共同設置).' })
  joint!: boolean;

  @Field(() => [String], { description: 'Specialist subcommittees (専門部会), e.g. 相談支援部会.' })
  subcommittees!: string[];

  @Field({ description: 'Secretariat run jointly with the core center (基幹相談支援センターとの共同事務局).' })
  secretariatWithCoreCenter!: boolean;

  @Field(() => Int, { description: 'Meetings in the year before `asOf` (開催回数).' })
  meetingsLastYear!: number;

  @Field({ description: 'Individual cases are reviewed (個別事例の検討を実施).' })
  caseReviewHeld!: boolean;

  @Field(() => Provenance, { description: 'Where the record comes from (出典), its date, and whether it is sample data.' })
  provenance!: Provenance;
}

export const toCouncil = (c: StoredCouncil): CouncilStatus => ({
  asOf: c.asOf,
  established: c.established,
  joint: c.joint,
  subcommittees: c.subcommittees,
  secretariatWithCoreCenter: c.secretariatWithCoreCenter,
  meetingsLastYear: c.meetingsLastYear,
  caseReviewHeld: c.caseReviewHeld,
  provenance: { sourceName: c.sourceName, asOf: c.asOf, sample: c.sample },
});

@ObjectType({ description: "One service's self-plans in a municipality: the counts, or only a rate where the source gave no counts." })
export class SelfPlanFigures {
  @Field(() => Int, { nullable: true, description: 'People with a plan (計画作成者数), self-plans included; null when only a rate was given.' })
  plans!: number | null;

  @Field(() => Int, { nullable: true, description: 'Of them, self-plans (セルフプラン作成者数); null when only a rate was given.' })
  selfPlans!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'セルフプラン率 in percent: selfPlans over plans with one decimal when counted, else the rate the source gave.',
  })
  ratePercent!: number | null;

  @Field({ description: 'True when the figures are counts; false for a rate without counts (left out of every aggregate).' })
  counted!: boolean;
}

const figures = (s: SelfPlans): SelfPlanFigures => ({
  plans: s.plans,
  selfPlans: s.selfPlans,
  ratePercent: selfPlanRatePercent(s),
  counted: s.plans !== null,
});

@Directive(REFERENCE_DATA_HINT)
@ObjectType({
  description:
    'Self-plans (セルフプラン) of a municipality on a date: of the people granted services, those whose plan the person or family wrote ' +
    'instead of a consultation specialist. Recorded as counts, the rates derived from them.',
})
export class SelfPlanRate {
  @Field(() => LocalDateScalar, { description: 'Date of the record (基準日).' })
  asOf!: string;

  @Field(() => Float, { nullable: true, description: '計画相談支援 (adults), percent: planning.ratePercent.' })
  planningRatePercent!: number | null;

  @Field(() => Float, { nullable: true, description: '障害児相談支援 (children), percent: child.ratePercent.' })
  childRatePercent!: number | null;

  @Field(() => SelfPlanFigures, { description: '計画相談支援: the counts and the rate.' })
  planning!: SelfPlanFigures;

  @Field(() => SelfPlanFigures, { description: '障害児相談支援: the counts and the rate.' })
  child!: SelfPlanFigures;

  @Field(() => Provenance, { description: 'Where the record comes from (出典), its date, and whether it is sample data.' })
  provenance!: Provenance;
}

export const toSelfPlanRate = (r: StoredSelfPlanRate): SelfPlanRate => ({
  asOf: r.asOf,
  planningRatePercent: selfPlanRatePercent(r.planning),
  childRatePercent: selfPlanRatePercent(r.child),
  planning: figures(r.planning),
  child: figures(r.child),
  provenance: { sourceName: r.sourceName, asOf: r.asOf, sample: r.sample },
});

@ObjectType({
  description:
    "Self-plans of a group of municipalities for one service, summed the way MHLW computes its rates: the group's self-plans over its plans " +
    '(a share of people, so a municipality weighs by its plans). Municipalities with a rate but no counts cannot be summed: they are left out, and counted.',
})
export class SelfPlanAggregate {
  @Field(() => Int, { description: 'Sum of plans (計画作成者数) of the reporting municipalities.' })
  plans!: number;

  @Field(() => Int, { description: 'Sum of their self-plans (セルフプラン作成者数).' })
  selfPlans!: number;

  @Field(() => Float, { nullable: true, description: 'selfPlans over plans, percent with one decimal (null without plans).' })
  ratePercent!: number | null;

  @Field(() => Int, { description: 'Municipalities whose counts are in the sums.' })
  municipalitiesReporting!: number;

  @Field(() => Int, { description: 'Municipalities with only a rate recorded: left out of the sums.' })
  municipalitiesLeftOut!: number;
}

@ObjectType({ description: 'Self-plans of one group (national, a class of the twelve 人口規模別区分, or a prefecture) on a date.' })
export class SelfPlanGroup {
  @Field({ description: '"national", the SelfPlanClass value, or the prefecture code.' })
  group!: string;

  @Field({ description: 'e.g. 全国, 町村（人口3千人未満）, 北海道' })
  label!: string;

  @Field(() => Int, { description: 'Municipalities in the group (市区町村数), recorded or not.' })
  municipalities!: number;

  @Field(() => Int, { description: 'Of them, those with a record (counts or a rate, for either service) on or before the date.' })
  municipalitiesRecorded!: number;

  @Field(() => SelfPlanAggregate, { description: '計画相談支援.' })
  planning!: SelfPlanAggregate;

  @Field(() => SelfPlanAggregate, { description: '障害児相談支援.' })
  child!: SelfPlanAggregate;
}

@Directive(REFERENCE_DATA_HINT)
@ObjectType({
  description:
    "Self-plan statistics on a date (セルフプラン率の集計), from each municipality's latest record on or before it: nationally, by the twelve " +
    "classes under which MHLW publishes every municipality's rate (人口規模別区分), and by prefecture. All read in one SQL statement.",
})
export class SelfPlanStatistics {
  @Field(() => LocalDateScalar, { description: 'The date asked about.' })
  asOf!: string;

  @Field(() => SelfPlanGroup, { description: 'All municipalities of the country (全国).' })
  national!: SelfPlanGroup;

  @Field(() => [SelfPlanGroup], { description: "The twelve classes in MHLW's order, each listed even when empty." })
  byClass!: SelfPlanGroup[];

  @Field(() => [SelfPlanGroup], { description: 'The 47 prefectures in code order.' })
  byPrefecture!: SelfPlanGroup[];
}

@Directive(REFERENCE_DATA_HINT)
@ObjectType({
  description:
    "National self-plan rates on `asOf`: all self-plans over all plans of the municipalities with counts (MHLW's method); " +
    'municipalities with only a rate are left out and counted in planning/child.municipalitiesLeftOut.',
})
export class NationalSelfPlanRate {
  @Field(() => LocalDateScalar, { description: 'The date asked about.' })
  asOf!: string;

  @Field(() => Float, { nullable: true, description: '計画相談支援, percent: planning.ratePercent.' })
  planningRatePercent!: number | null;

  @Field(() => Float, { nullable: true, description: '障害児相談支援, percent: child.ratePercent.' })
  childRatePercent!: number | null;

  @Field(() => SelfPlanAggregate, { description: '計画相談支援: the sums and the municipalities counted and left out.' })
  planning!: SelfPlanAggregate;

  @Field(() => SelfPlanAggregate, { description: '障害児相談支援: the sums and the municipalities counted and left out.' })
  child!: SelfPlanAggregate;

  @Field(() => Int, { description: 'Municipalities with a record (counts or a rate) on or before `asOf`.' })
  municipalities!: number;
}

/**
 * The statistics entity (keyed by its date) that each subgraph adds its table to. Every subgraph
 * declares its own class: type-graphql attaches field resolvers to a class, so sharing one would
 * hand each subgraph the others' fields.
 */
@Directive('@key(fields: "asOf")')
@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: 'Coverage statistics on a date (設置・整備状況の統計): each subgraph adds its table.' })
export class CoverageStatistics {
  @Field(() => LocalDateScalar, { description: 'The date the statistics are as of (基準日).' })
  asOf!: string;
}
