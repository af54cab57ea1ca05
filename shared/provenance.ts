import { Directive, Field, ObjectType } from 'type-graphql';
import { INHERIT_HINT } from './cache-control';
import { LocalDateScalar } from './scalars';

/** Where a status record came from, so BI users can tell survey answers from sample data. */
@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'Where a record came from (出典): source, as-of date, and whether it is sample data.' })
export class Provenance {
  @Field({ description: 'Name of the source (出典), e.g. a survey or サンプルデータ.' })
  sourceName!: string;

  @Field(() => LocalDateScalar, { description: 'Date the source describes (基準日).' })
  asOf!: string;

  @Field({ description: 'True for the generated sample dataset (架空のサンプル), false for real records.' })
  sample!: boolean;
}
