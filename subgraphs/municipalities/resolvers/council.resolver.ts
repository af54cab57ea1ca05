import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { MunicipalityGap } from '../../../shared/gaps';
import { CoverageTable, CoverageTableChange, coverageTable, coverageTableChange } from '../../../shared/coverage-table';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import { assertCanReadPrefecture, assertSignedIn } from '../../../shared/authorization';
import { asOfOrToday, todayInJapan } from '../../../shared/dates';
import { badUserInput } from '../../../shared/errors';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CouncilStatus, CoverageStatistics, NationalSelfPlanRate, SelfPlanRate, SelfPlanStatistics, toCouncil, toSelfPlanRate } from '../types/council.type';
import { HIGH_SELF_PLAN, isHighSelfPlan } from '../rules';
import { Municipality } from '../types/municipality.type';

const AS_OF = { nullable: true, description: 'Date to look at; the latest record on or before it (default today in Japan).' };

/** The council and self-plan gaps of a municipality on a date (its class's rate on the same date). */
export async function councilGapsOn(ctx: Context, m: { code: string; selfPlanClass: string }, date: string): Promise<MunicipalityGap[]> {
  const [council, rate, statistics] = await Promise.all([
    ctx.loaders.council.load(`${date}|${m.code}`),
    ctx.loaders.selfPlanRate.load(`${date}|${m.code}`),
    ctx.loaders.selfPlanStatistics.load(date),
  ]);
  const gaps: MunicipalityGap[] = [];
  if (council && !council.established) gaps.push(MunicipalityGap.NO_COUNCIL);
  if (council?.established && !council.caseReviewHeld) gaps.push(MunicipalityGap.NO_CASE_REVIEW);
  const ofClass = statistics.byClass.find((c) => c.group === m.selfPlanClass)!;
  if (rate && (isHighSelfPlan(rate.planning, ofClass.planning.ratePercent) || isHighSelfPlan(rate.child, ofClass.child.ratePercent))) {
    gaps.push(MunicipalityGap.HIGH_SELF_PLAN_RATE);
  }
  return gaps;
}

@Resolver(() => Municipality)
export class CouncilResolver {
  @FieldResolver(() => CouncilStatus, { nullable: true, description: 'Council ((自立支援)協議会) status on `asOf`; null when none is recorded.' })
  async council(@Root() m: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<CouncilStatus | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const council = await ctx.loaders.council.load(`${asOfOrToday(asOf)}|${m.code}`);
    return council && toCouncil(council);
  }

  @FieldResolver(() => SelfPlanRate, { nullable: true, description: 'Self-plan rates (セルフプラン率) on `asOf`; null when none is recorded.' })
  async selfPlanRate(@Root() m: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<SelfPlanRate | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const rate = await ctx.loaders.selfPlanRate.load(`${asOfOrToday(asOf)}|${m.code}`);
    return rate && toSelfPlanRate(rate);
  }

  @FieldResolver(() => [MunicipalityGap], {
    nullable: true,
    description:
      'Council and self-plan gaps today (in Japan), for the worklist: NO_COUNCIL (recorded as not established), NO_CASE_REVIEW, ' +
      `HIGH_SELF_PLAN_RATE (計画相談 or 障害児相談 rate at least ${HIGH_SELF_PLAN.ratioToClass} times the rate of the municipality's class ` +
      `(selfPlanClass) on the same date, from at least ${HIGH_SELF_PLAN.minimumPlans} plans when counted). Nothing is claimed where nothing is recorded.`,
  })
  councilGapKinds(@Root() m: Municipality, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return councilGapsOn(ctx, m, todayInJapan());
  }

  @Query(() => NationalSelfPlanRate, {
    nullable: true,
    description:
      "National self-plan rates on `asOf`: all self-plans over all plans (MHLW's method; on the sample 15.8 % and 30.7 % on 2024-03-31). " +
      'selfPlanStatistics has the same by class and by prefecture.',
  })
  async nationalSelfPlanRate(@Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<NationalSelfPlanRate> {
    assertSignedIn(ctx.viewer);
    const date = asOfOrToday(asOf);
    const { national } = await ctx.loaders.selfPlanStatistics.load(date);
    return {
      asOf: date,
      planningRatePercent: national.planning.ratePercent,
      childRatePercent: national.child.ratePercent,
      planning: national.planning,
      child: national.child,
      municipalities: national.municipalitiesRecorded,
    };
  }

  @Query(() => SelfPlanStatistics, {
    description:
      'Self-plan statistics on `asOf` (default today): national, by the twelve 人口規模別区分 and by prefecture, each the sum of self-plans over ' +
      'the sum of plans with the counts beside it and the municipalities left out (rates without counts). Any signed-in role.',
  })
  async selfPlanStatistics(@Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<SelfPlanStatistics> {
    assertSignedIn(ctx.viewer);
    return ctx.loaders.selfPlanStatistics.load(asOfOrToday(asOf));
  }
}

/** The council table on a date (one SQL statement). */
async function councilTable(ctx: Context, date: string): Promise<CoverageTable> {
  const codes = municipalityReferences().map((m) => m.code);
  const councils = await ctx.loaders.councilStore.councilsOn(codes, date);
  return coverageTable(new Map(councils.filter((c) => c.established).map((c) => [c.municipalityCode, c.joint ? 'JOINT' : 'SINGLE'])));
}

@Resolver(() => CoverageStatistics)
export class CoverageStatisticsResolver {
  @Query(() => CoverageStatistics, {
    description:
      'Coverage statistics on `asOf` (default today): municipalities with a core center, a base and a council, nationally, ' +
      'by population bracket and by prefecture. For a time series ask it several times with aliases.',
  })
  coverageStatistics(@Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): CoverageStatistics {
    return { asOf: asOfOrToday(asOf) };
  }

  @Query(() => [CoverageStatistics], {
    description: 'Coverage statistics on several dates at once (a time series, e.g. every April 1), in the order given.',
  })
  coverageSeries(
    @Arg('dates', () => [LocalDateScalar], { description: 'The dates, 1 to 100 (YYYY-MM-DD), e.g. every 1 April.' }) dates: string[],
  ): CoverageStatistics[] {
    if (dates.length === 0 || dates.length > 100)
      throw badUserInput('dates', 'give 1 to 100 dates', { value: dates.length, reasonJa: `日付は1〜100件で指定してください（${dates.length}件でした）` });
    return dates.map((asOf) => ({ asOf }));
  }

  @FieldResolver(() => CoverageTable, {
    nullable: true,
    description: 'Municipalities with a council ((自立支援)協議会) on the date; joint councils count as JOINT.',
  })
  async councils(@Root() statistics: CoverageStatistics, @Ctx() ctx: Context): Promise<CoverageTable> {
    assertSignedIn(ctx.viewer);
    return councilTable(ctx, statistics.asOf);
  }

  @FieldResolver(() => CoverageTableChange, {
    nullable: true,
    description: 'Change in municipalities with a council from `since` to the date (増減), nationally, by bracket and by prefecture; two SQL statements.',
  })
  async councilsChange(
    @Root() statistics: CoverageStatistics,
    @Ctx() ctx: Context,
    @Arg('since', () => LocalDateScalar, { description: 'The earlier date to compare with (e.g. a year before asOf).' }) since: string,
  ): Promise<CoverageTableChange> {
    assertSignedIn(ctx.viewer);
    const [before, after] = await Promise.all([councilTable(ctx, since), councilTable(ctx, statistics.asOf)]);
    return coverageTableChange(before, after);
  }
}
