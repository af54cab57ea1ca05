import { LocalDateScalar } from '../../../shared/scalars';
import { Directive, Field, ObjectType } from 'type-graphql';

/**
 * The statistics entity (keyed by its date) that each subgraph adds its table to. Every subgraph
 * declares its own class: type-graphql attaches field resolvers to a class, so sharing one would
 * hand each subgraph the others' fields.
 */
@Directive('@key(fields: "asOf")')
@ObjectType({ description: 'Coverage statistics on a date (設置・整備状況の統計): each subgraph adds its table.' })
export class CoverageStatistics {
  @Field(() => LocalDateScalar, { description: 'The date the statistics are as of (基準日).' })
  asOf!: string;
}
