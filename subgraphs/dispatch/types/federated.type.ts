/**
 * The other subgraphs' entities as this subgraph sees them: their keys, and the external fields the
 * worklist needs through @requires (population from municipalities; the gaps each subgraph reports).
 */
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { MunicipalityGap } from '../../../shared/gaps';
import { LocalDateScalar } from '../../../shared/scalars';

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Municipality {
  @Field(() => ID)
  code!: string;

  /** The fields below arrive only where a @requires asks for them. */
  @Directive('@external')
  @Field(() => Int)
  population?: number;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  coreCenterGapKinds?: MunicipalityGap[] | null;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  baseGapKinds?: MunicipalityGap[] | null;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  councilGapKinds?: MunicipalityGap[] | null;
}

@Directive('@key(fields: "code")')
@ObjectType() // described by its owner, the municipalities subgraph
export class Prefecture {
  @Field(() => ID)
  code!: string;

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

  /** The fields below arrive only where a @requires asks for them: the other subgraphs' answers on the same date. */
  @Directive('@external')
  @Field(() => Int)
  population?: number;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  coreCenterGapKinds?: MunicipalityGap[] | null;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  baseGapKinds?: MunicipalityGap[] | null;

  @Directive('@external')
  @Field(() => [MunicipalityGap], { nullable: true })
  councilGapKinds?: MunicipalityGap[] | null;
}

@Directive('@key(fields: "code asOf")')
@ObjectType() // described by its owner, the municipalities subgraph
export class PrefectureOnDate {
  @Field(() => ID)
  code!: string;

  @Field(() => LocalDateScalar)
  asOf!: string;

  @Directive('@external')
  @Field(() => [MunicipalityOnDate])
  municipalities?: MunicipalityOnDate[];
}
