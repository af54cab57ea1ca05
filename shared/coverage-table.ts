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
