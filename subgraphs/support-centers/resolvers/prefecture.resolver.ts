import { Arg, Args, ArgsType, Ctx, Directive, Field, FieldResolver, Float, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { advisorImpact } from '../impact';
import { assertPeriodOrder } from '../../../shared/input-rules';
import { assertPopulationBelow } from '../../../shared/population-brackets';
import { assertCanReadPrefecture, assertSignedIn } from '../../../shared/authorization';
import { asOfOrToday, todayInJapan } from '../../../shared/dates';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CoreCenterCoverage } from '../rules';
import { Municipality, Prefecture } from '../types/federated.type';
import { countedPeriod } from '../../../shared/fiscal-year';
import type { CoverageValue } from '../../../shared/coverage';
import { CoverageChange, coverageChange } from '../../../shared/coverage-change';

@ArgsType()
class CoreCenterGapArgs {
  @Field(() => Int, { nullable: true, description: 'Only municipalities with fewer residents, e.g. 10000.' })
  populationBelow?: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date to look at; default today in Japan.' })
  asOf?: string;
}

@Resolver(() => Prefecture)
export class PrefectureResolver {
  /**
   * The headline gap question. The gateway first fetches the prefecture's municipalities with their
   * population from the municipalities subgraph (@requires), then this subgraph keeps those with no
   * core center on `asOf`: one SQL statement for all municipalities of all prefectures asked about.
   */
  @Directive('@requires(fields: "municipalities { code population }")')
  @FieldResolver(() => [Municipality], {
    nullable: true,
    description:
      "The prefecture's municipalities with no core center (基幹相談支援センター未設置) on `asOf`, " +
      'optionally only those under `populationBelow` residents; smallest first. Ask it on `prefectures` ' +
      'for all 47 prefectures in one request.',
  })
  async coreCenterGaps(
    @Root() prefecture: Prefecture,
    @Ctx() ctx: Context,
    @Args(() => CoreCenterGapArgs) { populationBelow, asOf }: CoreCenterGapArgs,
  ): Promise<Municipality[]> {
    assertCanReadPrefecture(ctx.viewer, prefecture.code);
    assertPopulationBelow(populationBelow);
    const date = asOfOrToday(asOf);
    const candidates = (prefecture.municipalities ?? []).filter(
      (m) => populationBelow === undefined || populationBelow === null || (m.population ?? 0) < populationBelow,
    );
    const coverage = await ctx.loaders.coverage.loadMany(candidates.map((m) => `${date}|${m.code}`));
    return candidates
      .filter((_, i) => {
        const c = coverage[i];
        if (c instanceof Error) throw c;
        return c === CoreCenterCoverage.NONE;
      })
      .sort((a, b) => (a.population ?? 0) - (b.population ?? 0) || a.code.localeCompare(b.code));
  }

  // The gateway hands over the prefecture's municipalities (@requires), so no municipality list is kept here.
  @Directive('@requires(fields: "municipalities { code }")')
  @FieldResolver(() => CoverageChange, {
    nullable: true,
    description:
      "Core-center coverage of the prefecture's municipalities on the first and last day of a fiscal year (基幹相談支援センター設置市町村数の年度内の変化): " +
      "the outcome beside the advisors' activity indicators. Any signed-in role; one SQL statement per date for all prefectures asked about.",
  })
  async coreCenterCoverageChange(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<CoverageChange> {
    assertSignedIn(ctx.viewer);
    const period = countedPeriod(fiscalYear);
    const { from, to } = period;
    const codes = (p.municipalities ?? []).map((m) => m.code);
    const [atStart, atEnd] = await Promise.all([from, to].map((date) => ctx.loaders.coverage.loadMany(codes.map((code) => `${date}|${code}`))));
    return coverageChange(period, atStart as CoverageValue[], atEnd as CoverageValue[]);
  }
}

@ObjectType({ description: 'Advisor impact on core centers in a period (アドバイザー派遣の効果).' })
export class AdvisorImpact {
  @Field(() => LocalDateScalar, { description: 'First day of the period of visits.' })
  from!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period of visits.' })
  to!: string;

  @Field(() => Int, {
    description:
      'Municipalities visited with purpose (イ) in the period that had no core center on their first such visit, at least 12 months ago (the outcome is known).',
  })
  visited!: number;

  @Field(() => Int, {
    description:
      'Municipalities visited so in the period less than 12 months ago (結果待ち): their outcome is not known yet, so they are left out of both shares.',
  })
  visitedAwaitingOutcome!: number;

  @Field(() => Int, { description: 'Of them, those with a core center 12 months after that visit.' })
  visitedWithCenterWithin12Months!: number;

  @Field(() => Float, { description: 'visitedWithCenterWithin12Months of visited, in percent with one decimal (null when none was visited).', nullable: true })
  visitedSharePercent!: number | null;

  @Field(() => Int, { description: 'Comparable municipalities (same prefecture and bracket, not visited, no center at the visit date).' })
  comparableMunicipalities!: number;

  @Field(() => Float, { nullable: true, description: 'Share of comparable municipalities with a core center 12 months later (see the method).' })
  comparableSharePercent!: number | null;
}

@ArgsType()
class ImpactArgs {
  @Field(() => LocalDateScalar, { description: 'First day of the period of visits.' })
  from!: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the period of visits.' })
  to!: string;
}

@Resolver(() => Prefecture)
export class AdvisorImpactResolver {
  @Directive('@requires(fields: "municipalities { code population coreCenterVisitDates }")')
  @FieldResolver(() => AdvisorImpact, {
    nullable: true,
    description:
      'Did advisor visits for core-center support help? Method: the visited group is the municipalities of the prefecture ' +
      'visited with purpose (イ) between `from` and `to` that had no core center on their first such visit; the outcome is ' +
      'having a core center 12 months after that visit, so a visit less than 12 months ago is left out (visitedAwaitingOutcome). For each visited municipality, the comparison pool is the ' +
      'municipalities of the same prefecture and population bracket not visited with (イ) in the period and without a core ' +
      'center on that date; the comparable share is the mean, over visited municipalities, of the share of their pool with a ' +
      'core center 12 months later. Small numbers: read it as a signal, not a proof.',
  })
  async advisorImpact(@Root() prefecture: Prefecture, @Ctx() ctx: Context, @Args(() => ImpactArgs) { from, to }: ImpactArgs): Promise<AdvisorImpact> {
    assertCanReadPrefecture(ctx.viewer, prefecture.code);
    assertPeriodOrder({ name: 'from', value: from }, { name: 'to', value: to });
    const municipalities = prefecture.municipalities ?? [];
    const centers = await ctx.loaders.centerDates.loadMany(municipalities.map((m) => m.code));
    const result = advisorImpact(
      municipalities.map((m, i) => {
        const c = centers[i];
        if (c instanceof Error) throw c;
        return { code: m.code, population: m.population ?? 0, visitDates: m.coreCenterVisitDates ?? [], centers: c };
      }),
      from,
      to,
      todayInJapan(),
    );
    return {
      from,
      to,
      visited: result.visited,
      visitedAwaitingOutcome: result.visitedAwaitingOutcome,
      visitedWithCenterWithin12Months: result.visitedWithCenter,
      visitedSharePercent: result.visitedSharePercent,
      comparableMunicipalities: result.comparable,
      comparableSharePercent: result.comparableSharePercent,
    };
  }
}
