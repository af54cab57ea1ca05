/** The dated entities' entry points (Prefecture.onDate, Municipality.onDate) and what this subgraph answers on a date. */
import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { MunicipalityGap } from '../../../shared/gaps';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CouncilStatus, SelfPlanRate, toCouncil, toSelfPlanRate } from '../types/council.type';
import { Municipality, toMunicipality } from '../types/municipality.type';
import { MunicipalityOnDate, PrefectureOnDate } from '../types/on-date.type';
import { Prefecture, toPrefecture } from '../types/prefecture.type';
import { councilGapsOn } from './council.resolver';

const ON_DATE = { description: 'The date (YYYY-MM-DD): any day, past or present.' };

@Resolver(() => Prefecture)
export class PrefectureOnDateEntry {
  @FieldResolver(() => PrefectureOnDate, {
    description: 'The prefecture on a date: its worklist and gaps as they were on `asOf` (two aliases compare two dates in one request).',
  })
  onDate(@Root() prefecture: Prefecture, @Arg('asOf', () => LocalDateScalar, ON_DATE) asOf: string): PrefectureOnDate {
    return { code: prefecture.code, asOf };
  }
}

@Resolver(() => Municipality)
export class MunicipalityOnDateEntry {
  @FieldResolver(() => MunicipalityOnDate, { description: 'The municipality on a date: its gaps, coverage, last visit and follow-ups as of `asOf`.' })
  onDate(@Root() municipality: Municipality, @Arg('asOf', () => LocalDateScalar, ON_DATE) asOf: string): MunicipalityOnDate {
    return { code: municipality.code, asOf };
  }
}

@Resolver(() => PrefectureOnDate)
export class PrefectureOnDateResolver {
  @FieldResolver(() => Prefecture, { description: 'The prefecture itself.' })
  async prefecture(@Root() p: PrefectureOnDate, @Ctx() ctx: Context): Promise<Prefecture> {
    return toPrefecture((await ctx.loaders.prefecture.load(p.code))!);
  }

  @FieldResolver(() => [MunicipalityOnDate], { description: 'Every municipality of the prefecture on the same date, in code order.' })
  async municipalities(@Root() p: PrefectureOnDate, @Ctx() ctx: Context): Promise<MunicipalityOnDate[]> {
    return (await ctx.loaders.municipalitiesOfPrefecture.load(p.code)).map((m) => ({ code: m.code, asOf: p.asOf }));
  }
}

@Resolver(() => MunicipalityOnDate)
export class MunicipalityOnDateResolver {
  @FieldResolver(() => Municipality, { description: 'The municipality itself (name, population, …).' })
  async municipality(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<Municipality> {
    return toMunicipality((await ctx.loaders.municipality.load(m.code))!);
  }

  @FieldResolver(() => Int, { description: 'Population (人口) of the reference data (the same on every date).' })
  async population(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<number> {
    return (await ctx.loaders.municipality.load(m.code))!.population;
  }

  @FieldResolver(() => [MunicipalityGap], { nullable: true, description: 'Council and self-plan gaps on the date (as Municipality.councilGapKinds today).' })
  async councilGapKinds(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return councilGapsOn(ctx, toMunicipality((await ctx.loaders.municipality.load(m.code))!), m.asOf);
  }

  @FieldResolver(() => CouncilStatus, { nullable: true, description: 'Council status on the date; null when none is recorded.' })
  async council(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<CouncilStatus | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const council = await ctx.loaders.council.load(`${m.asOf}|${m.code}`);
    return council && toCouncil(council);
  }

  @FieldResolver(() => SelfPlanRate, { nullable: true, description: 'Self-plan rates on the date; null when none is recorded.' })
  async selfPlanRate(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<SelfPlanRate | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const rate = await ctx.loaders.selfPlanRate.load(`${m.asOf}|${m.code}`);
    return rate && toSelfPlanRate(rate);
  }
}
