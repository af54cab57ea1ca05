import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MunicipalityCoverageChange, municipalityCoverageChange } from '../../../shared/coverage-change';
import { countedPeriod } from '../../../shared/fiscal-year';
import { MunicipalityGap } from '../../../shared/gaps';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { asOfOrToday, todayInJapan } from '../../../shared/dates';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { BaseGapKind, coverageOf, gapsOf } from '../rules';
import { Base, toBase } from '../types/base.type';
import { BASE_COVERAGE_LABELS, BaseCoverage } from '../types/enums';
import { Municipality } from '../types/federated.type';

const AS_OF = { nullable: true, description: 'Date to look at (YYYY-MM-DD); default today in Japan.' };

/** The worklist gaps this subgraph reports (see shared/gaps.ts), from its own gap kinds. */
const WORKLIST_GAP: Record<BaseGapKind, MunicipalityGap> = {
  NO_BASE: MunicipalityGap.NO_BASE,
  NO_COORDINATOR: MunicipalityGap.BASE_WITHOUT_COORDINATOR,
  REVIEW_OVERDUE: MunicipalityGap.BASE_REVIEW_OVERDUE,
  MISSING_FUNCTION: MunicipalityGap.BASE_MISSING_FUNCTION,
};

/** The base gaps of a municipality on a date, named as on the worklist (a review is overdue when older than a year on that date). */
export async function baseGapsOn(ctx: Context, code: string, date: string): Promise<MunicipalityGap[]> {
  return gapsOf(await ctx.loaders.statuses.load(`${date}|${code}`), date).gaps.map((g) => WORKLIST_GAP[g]);
}

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => [Base], { nullable: true, description: 'Bases (地域生活支援拠点等) covering the municipality on `asOf`, oldest first.' })
  async bases(@Root() municipality: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<Base[]> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    return (await ctx.loaders.activeBases.load(`${asOfOrToday(asOf)}|${municipality.code}`)).map(toBase);
  }

  @FieldResolver(() => [MunicipalityGap], {
    nullable: true,
    description: 'The base gaps of the municipality today (in Japan), named as on the worklist (see Prefecture.baseGaps for any date).',
  })
  baseGapKinds(@Root() municipality: Municipality, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    return baseGapsOn(ctx, municipality.code, todayInJapan());
  }

  @FieldResolver(() => BaseCoverage, { nullable: true, description: 'Base coverage on `asOf`: NONE, SINGLE (its own), JOINT (shared), or both.' })
  async baseCoverage(@Root() municipality: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<BaseCoverage> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    const statuses = await ctx.loaders.statuses.load(`${asOfOrToday(asOf)}|${municipality.code}`);
    return coverageOf(statuses.map((s) => s.municipalityCount > 1)) as BaseCoverage;
  }

  @FieldResolver(() => String, { nullable: true, description: 'baseCoverage in Japanese (整備状況), e.g. 単独整備 or 未整備.' })
  async baseCoverageLabel(@Root() municipality: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<string> {
    return BASE_COVERAGE_LABELS[await this.baseCoverage(municipality, ctx, asOf)];
  }

  @FieldResolver(() => MunicipalityCoverageChange, {
    nullable: true,
    description: 'Base coverage on the first and the last day of a fiscal year, to set beside Municipality.advisorActivity of the same year.',
  })
  async baseCoverageChange(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<MunicipalityCoverageChange> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    const period = countedPeriod(fiscalYear);
    const { from, to } = period;
    const [atStart, atEnd] = await Promise.all(
      [from, to].map(async (date) => coverageOf((await ctx.loaders.statuses.load(`${date}|${municipality.code}`)).map((s) => s.municipalityCount > 1))),
    );
    return municipalityCoverageChange(period, atStart, atEnd);
  }
}
