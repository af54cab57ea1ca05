/**
 * The municipalities subgraph's entities as this subgraph sees them: their keys, the external fields
 * it needs for @requires, and the fields it adds (resolved in resolvers/).
 */
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Municipality {
  @Field(() => ID)
  code!: string;

  /** Provided by the gateway only where a @requires asks for it. */
  @Directive('@external')
  @Field(() => Int)
  population?: number;

  /** Dates of (イ) visits, from the dispatch subgraph (for the impact analysis). */
  @Directive('@external')
  @Field(() => [LocalDateScalar], { nullable: true })
  coreCenterVisitDates?: string[] | null;
}

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Prefecture {
  @Field(() => ID)
  code!: string;

  /** Provided by the gateway only where a @requires asks for it. */
  @Directive('@external')
  @Field(() => [Municipality])
  municipalities?: Municipality[];
}

@Directive('@key(fields: "code asOf")')
@ObjectType() // described by its owner, the municipalities subgraph
export class MunicipalityOnDate {
  @Field(() => ID)
  code!: string;

  @Field(() => LocalDateScalar)
  asOf!: string;
}
