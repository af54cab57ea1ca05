/**
 * How a prefecture's coverage (by core centers, or by bases) changed over a fiscal year: municipalities
 * covered on its first and on its last day — today while the year is in progress. The same type in every
 * subgraph that reports coverage.
 */
import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import type { CoverageValue } from './coverage';
import { COUNTED_PERIOD_FIELDS, type CountedPeriod, countedPeriodFields } from './fiscal-year';
import { percentOneDecimal } from './percent';
import { LocalDateScalar } from './scalars';

@Directive('@shareable')
@ObjectType({ description: "A prefecture's coverage on the first and the last day of a fiscal year (年度当初と年度末の整備状況)." })
export class CoverageChange {
  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'e.g. 令和7年度' })
  fiscalYearLabel!: string;

  @Field(() => LocalDateScalar, { description: COUNTED_PERIOD_FIELDS.asOf })
  asOf!: string;

  @Field({ description: COUNTED_PERIOD_FIELDS.inProgress })
  inProgress!: boolean;

  @Field(() => Int, { description: "The prefecture's municipalities (市町村数)." })
  municipalities!: number;

  @Field(() => Int, { description: 'Municipalities covered on 1 April (by their own or a joint facility).' })
  coveredAtStart!: number;

  @Field(() => Int, { description: 'Municipalities covered on 31 March (on asOf, today, while the year is in progress).' })
  coveredAtEnd!: number;

  @Field(() => Int, { description: 'coveredAtEnd − coveredAtStart: municipalities gained (negative when lost).' })
  change!: number;

  @Field(() => Float, { nullable: true, description: 'Covered share on 1 April, percent with one decimal.' })
  ratePercentAtStart!: number | null;

  @Field(() => Float, { nullable: true, description: 'Covered share on 31 March (on asOf), percent with one decimal.' })
  ratePercentAtEnd!: number | null;
}

/** The change from each municipality's coverage on the first and the last day counted of the year. */
export function coverageChange(period: CountedPeriod, atStart: readonly CoverageValue[], atEnd: readonly CoverageValue[]): CoverageChange {
  const covered = (values: readonly CoverageValue[]) => values.filter((v) => v !== 'NONE').length;
  const start = covered(atStart);
  const end = covered(atEnd);
  return {
    ...countedPeriodFields(period),
    municipalities: atEnd.length,
    coveredAtStart: start,
    coveredAtEnd: end,
    change: end - start,
    ratePercentAtStart: percentOneDecimal(start, atStart.length),
    ratePercentAtEnd: percentOneDecimal(end, atEnd.length),
  };
}

@Directive('@shareable')
@ObjectType({ description: "One municipality's coverage on the first and the last day of a fiscal year (年度当初と年度末)." })
export class MunicipalityCoverageChange {
  @Field(() => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' })
  fiscalYear!: number;

  @Field({ description: 'e.g. 令和7年度' })
  fiscalYearLabel!: string;

  @Field(() => LocalDateScalar, { description: COUNTED_PERIOD_FIELDS.asOf })
  asOf!: string;

  @Field({ description: COUNTED_PERIOD_FIELDS.inProgress })
  inProgress!: boolean;

  @Field({ description: 'Covered on 1 April (by its own or a joint facility).' })
  coveredAtStart!: boolean;

  @Field({ description: 'Covered on 31 March (on asOf, today, while the year is in progress).' })
  coveredAtEnd!: boolean;

  @Field(() => Int, { description: '1 when it became covered in the year, −1 when it lost its coverage, 0 otherwise (for plotting).' })
  change!: number;
}

export function municipalityCoverageChange(period: CountedPeriod, atStart: CoverageValue, atEnd: CoverageValue): MunicipalityCoverageChange {
  const coveredAtStart = atStart !== 'NONE';
  const coveredAtEnd = atEnd !== 'NONE';
  return {
    ...countedPeriodFields(period),
    coveredAtStart,
    coveredAtEnd,
    change: Number(coveredAtEnd) - Number(coveredAtStart),
  };
}
