/**
 * Coverage statistics (設置率・整備率) as every subgraph reports them: how many municipalities have
 * something on a date, nationally, by MHLW population bracket and by prefecture. The subgraphs group
 * by the shared reference list (population, prefecture), never by another subgraph's data.
 */
import { Directive, Field, Float, Int, ObjectType } from 'type-graphql';
import { INHERIT_HINT } from './cache-control';
import { BRACKETS, PopulationBracket, populationBracket } from './population-brackets';
import { PREFECTURES } from './reference/prefectures';
import { municipalityReferences } from './reference/municipalities';
import type { CoverageValue } from './coverage';
import { percentOneDecimal } from './percent';

@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'Municipalities covered in one group (national, a population bracket or a prefecture).' })
export class CoverageCount {
  @Field({ description: 'NATIONAL, a PopulationBracket value, or a prefecture code.' })
  group!: string;

  @Field({ description: 'Japanese name of the group, e.g. 1万人未満 or 北海道.' })
  label!: string;

  @Field(() => Int, { description: 'Municipalities in the group (市町村数).' })
  municipalities!: number;

  @Field(() => Int, { description: 'Of them, covered on the date.' })
  covered!: number;

  @Field(() => Float, { description: 'covered ÷ municipalities in percent, one decimal.' })
  ratePercent!: number;

  @Field(() => Int, { description: 'Covered only by their own facility (単独).' })
  single!: number;

  @Field(() => Int, { description: 'Covered only by a shared facility (共同).' })
  joint!: number;

  @Field(() => Int, { description: 'Covered by both (単独＋共同).' })
  singleAndJoint!: number;
}

@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'Coverage on a date: nationally, by population bracket (人口規模別) and by prefecture (都道府県別).' })
export class CoverageTable {
  @Field(() => CoverageCount, { description: 'All municipalities of the country (全国).' })
  national!: CoverageCount;

  @Field(() => [CoverageCount], { description: "MHLW's five brackets, smallest first." })
  byBracket!: CoverageCount[];

  @Field(() => [CoverageCount], { description: 'The 47 prefectures in code order.' })
  byPrefecture!: CoverageCount[];
}

/** Builds the table from each municipality's coverage (codes not in the map count as NONE). */
export function coverageTable(coverage: ReadonlyMap<string, CoverageValue>): CoverageTable {
  const empty = (group: string, label: string): CoverageCount => ({
    group,
    label,
    municipalities: 0,
    covered: 0,
    ratePercent: 0,
    single: 0,
    joint: 0,
    singleAndJoint: 0,
  });
  const national = empty('NATIONAL', '全国');
  const brackets = new Map(Object.values(PopulationBracket).map((b) => [b as string, empty(b, BRACKETS[b].label)]));
  const prefectures = new Map(PREFECTURES.map((p) => [p.code, empty(p.code, p.name)]));
  for (const m of municipalityReferences()) {
    const value = coverage.get(m.code) ?? 'NONE';
    for (const count of [national, brackets.get(populationBracket(m.population))!, prefectures.get(m.prefectureCode)!]) {
      count.municipalities += 1;
      if (value === 'NONE') continue;
      count.covered += 1;
      if (value === 'SINGLE') count.single += 1;
      else if (value === 'JOINT') count.joint += 1;
      else count.singleAndJoint += 1;
    }
  }
  const withRate = (c: CoverageCount) => ({ ...c, ratePercent: percentOneDecimal(c.covered, c.municipalities) ?? 0 });
  return { national: withRate(national), byBracket: [...brackets.values()].map(withRate), byPrefecture: [...prefectures.values()].map(withRate) };
}

@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'The change in one group between two dates (増減): covered before and after, and the difference.' })
export class CoverageCountChange {
  @Field({ description: 'NATIONAL, a PopulationBracket value, or a prefecture code.' })
  group!: string;

  @Field({ description: 'Japanese name of the group, e.g. 1万人未満 or 北海道.' })
  label!: string;

  @Field(() => Int, { description: 'Municipalities in the group (市町村数).' })
  municipalities!: number;

  @Field(() => Int, { description: 'Covered on the earlier date (`since`).' })
  coveredBefore!: number;

  @Field(() => Int, { description: 'Covered on the later date (the statistics’ asOf).' })
  covered!: number;

  @Field(() => Int, { description: 'covered − coveredBefore (増減; negative when coverage fell).' })
  change!: number;

  @Field(() => Float, { description: 'The rate on the earlier date, percent with one decimal.' })
  ratePercentBefore!: number;

  @Field(() => Float, { description: 'The rate on the later date, percent with one decimal.' })
  ratePercent!: number;

  @Field(() => Float, { description: 'ratePercent − ratePercentBefore, in percentage points (ポイント), one decimal.' })
  ratePointChange!: number;
}

@Directive('@shareable')
@Directive(INHERIT_HINT)
@ObjectType({ description: 'Coverage change between two dates (前年比など): nationally, by population bracket and by prefecture.' })
export class CoverageTableChange {
  @Field(() => CoverageCountChange, { description: 'All municipalities of the country (全国).' })
  national!: CoverageCountChange;

  @Field(() => [CoverageCountChange], { description: "MHLW's five brackets, smallest first." })
  byBracket!: CoverageCountChange[];

  @Field(() => [CoverageCountChange], { description: 'The 47 prefectures in code order.' })
  byPrefecture!: CoverageCountChange[];
}

/** The change from the table on an earlier date to the table on a later one, group by group. */
export function coverageTableChange(before: CoverageTable, after: CoverageTable): CoverageTableChange {
  const change = (b: CoverageCount, a: CoverageCount): CoverageCountChange => ({
    group: a.group,
    label: a.label,
    municipalities: a.municipalities,
    coveredBefore: b.covered,
    covered: a.covered,
    change: a.covered - b.covered,
    ratePercentBefore: b.ratePercent,
    ratePercent: a.ratePercent,
    ratePointChange: Math.round((a.ratePercent - b.ratePercent) * 10) / 10,
  });
  return {
    national: change(before.national, after.national),
    byBracket: after.byBracket.map((a, i) => change(before.byBracket[i], a)),
    byPrefecture: after.byPrefecture.map((a, i) => change(before.byPrefecture[i], a)),
  };
}
