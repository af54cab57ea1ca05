/**
 * The dated entities (DESIGN: "any date"): a prefecture or a municipality on a date, keyed by code and
 * date, to which every subgraph adds its answers as of that date. @requires carries the date with the key,
 * so a field that needs other subgraphs' answers (the worklist) gets them for the same day.
 */
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';

@Directive('@key(fields: "code asOf")')
@ObjectType({
  description:
    'A prefecture on a date (基準日時点の都道府県): the worklist, gaps and everything else that depends on the day, as it was (or is) on `asOf`. ' +
    'Reach it with Prefecture.onDate(asOf); ask it twice with aliases to compare two dates in one request.',
})
export class PrefectureOnDate {
  @Field(() => ID, { description: 'Prefecture code, "01" to "47".' })
  code!: string;

  @Field(() => LocalDateScalar, { description: 'The date the answers are as of (基準日).' })
  asOf!: string;
}

@Directive('@key(fields: "code asOf")')
@ObjectType({
  description:
    'A municipality on a date (基準日時点の市町村): its gaps, coverage, council, self-plan rates, last visit and follow-ups as of `asOf`. ' +
    'Reach it with Municipality.onDate(asOf) or PrefectureOnDate.municipalities.',
})
export class MunicipalityOnDate {
  @Field(() => ID, { description: 'Municipality code (全国地方公共団体コード), six digits.' })
  code!: string;

  @Field(() => LocalDateScalar, { description: 'The date the answers are as of (基準日).' })
  asOf!: string;
}
