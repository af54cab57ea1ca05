import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { REFERENCE_DATA_HINT } from '../../../shared/cache-control';
import { Provenance } from '../../../shared/provenance';
import { LocalDateScalar } from '../../../shared/scalars';
import type { StoredCouncil, StoredSelfPlanRate } from '../data/council.store';

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

  @Field(() => Provenance)
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

@Directive(REFERENCE_DATA_HINT)
@ObjectType({
  description:
    'Self-plan rates (セルフプラン率): the share of service users whose plan the user or family wrote instead of a ' + 'consultation specialist, in percent.',
})
export class SelfPlanRate {
  @Field(() => LocalDateScalar)
  asOf!: string;

  @Field(() => Float, { nullable: true, description: '計画相談支援 (adults), percent.' })
  planningRatePercent!: number | null;

  @Field(() => Float, { nullable: true, description: '障害児相談支援 (children), percent.' })
  childRatePercent!: number | null;

  @Field(() => Provenance)
  provenance!: Provenance;
}

export const toSelfPlanRate = (r: StoredSelfPlanRate): SelfPlanRate => ({
  asOf: r.asOf,
  planningRatePercent: r.planningRate,
  childRatePercent: r.childRate,
  provenance: { sourceName: r.sourceName, asOf: r.asOf, sample: r.sample },
});

@Directive(REFERENCE_DATA_HINT)
@ObjectType({ description: "National self-plan rates: the population-weighted mean of the municipalities' latest rates on `asOf`." })
export class NationalSelfPlanRate {
  @Field(() => LocalDateScalar)
  asOf!: string;

  @Field(() => Float, { nullable: true })
  planningRatePercent!: number | null;

  @Field(() => Float, { nullable: true })
  childRatePercent!: number | null;

  @Field(() => Int, { description: 'Municipalities with a rate on or before `asOf`.' })
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
  @Field(() => String, { description: 'The date (YYYY-MM-DD).' })
  asOf!: string;
}
