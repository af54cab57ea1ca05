import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { MunicipalityCoverageChange, municipalityCoverageChange } from '../../../shared/coverage-change';
import { countedPeriod } from '../../../shared/fiscal-year';
import { MunicipalityGap } from '../../../shared/gaps';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { asOfOrToday, todayInJapan } from '../../../shared/dates';
import { PageArgs, connectionPage, decodeCursor, encodeCursor, pageSize } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CoreCenterCoverage } from '../rules';
import type { CoverageValue } from '../../../shared/coverage';
import { ConsultationOfficeConnection, toConsultationOffice } from '../types/consultation-office.type';
import { CoreCenter, toCoreCenter } from '../types/core-center.type';
import { COVERAGE_LABELS } from '../types/enums';
import { Municipality } from '../types/federated.type';

const AS_OF = 'Date to look at (YYYY-MM-DD); default today in Japan.';

/** NO_CORE_CENTER when no core center covers the municipality on the date. */
export async function coreCenterGapsOn(ctx: Context, code: string, date: string): Promise<MunicipalityGap[]> {
  const coverage = await ctx.loaders.coverage.load(`${date}|${code}`);
  return coverage === CoreCenterCoverage.NONE ? [MunicipalityGap.NO_CORE_CENTER] : [];
}

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => [CoreCenter], { nullable: true, description: 'Core centers covering the municipality on `asOf`, oldest first.' })
  async coreCenters(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Arg('asOf', () => LocalDateScalar, { nullable: true, description: AS_OF }) asOf?: string,
  ): Promise<CoreCenter[]> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    const centers = await ctx.loaders.activeCenters.load(`${asOfOrToday(asOf)}|${municipality.code}`);
    return centers.map(toCoreCenter);
  }

  @FieldResolver(() => CoreCenterCoverage, {
    nullable: true,
    description: 'Core-center coverage on `asOf`: NONE, SINGLE (its own center), JOINT, or SINGLE_AND_JOINT.',
  })
  coreCenterCoverage(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Arg('asOf', () => LocalDateScalar, { nullable: true, description: AS_OF }) asOf?: string,
  ): Promise<CoreCenterCoverage> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    return ctx.loaders.coverage.load(`${asOfOrToday(asOf)}|${municipality.code}`);
  }

  @FieldResolver(() => String, { nullable: true, description: 'coreCenterCoverage in Japanese (設置状況), e.g. 単独設置 or 未設置.' })
  async coreCenterCoverageLabel(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Arg('asOf', () => LocalDateScalar, { nullable: true, description: AS_OF }) asOf?: string,
  ): Promise<string> {
    return COVERAGE_LABELS[await this.coreCenterCoverage(municipality, ctx, asOf)];
  }

  @FieldResolver(() => MunicipalityCoverageChange, {
    nullable: true,
    description: 'Core-center coverage on the first and the last day of a fiscal year, to set beside Municipality.advisorActivity of the same year.',
  })
  async coreCenterCoverageChange(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<MunicipalityCoverageChange> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    const period = countedPeriod(fiscalYear);
    const { from, to } = period;
    const [atStart, atEnd] = await Promise.all([from, to].map((date) => ctx.loaders.coverage.load(`${date}|${municipality.code}`)));
    return municipalityCoverageChange(period, atStart as CoverageValue, atEnd as CoverageValue);
  }

  @FieldResolver(() => [MunicipalityGap], {
    nullable: true,
    description: 'NO_CORE_CENTER when no core center covers the municipality today (in Japan); for the worklist.',
  })
  coreCenterGapKinds(@Root() municipality: Municipality, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    return coreCenterGapsOn(ctx, municipality.code, todayInJapan());
  }

  @FieldResolver(() => ConsultationOfficeConnection, { nullable: true, description: 'Consultation offices located in the municipality, by name.' })
  async consultationOffices(
    @Root() municipality: Municipality,
    @Ctx() ctx: Context,
    @Args(() => PageArgs) { first, after }: PageArgs,
  ): Promise<ConsultationOfficeConnection> {
    assertCanReadPrefecture(ctx.viewer, municipality.code.slice(0, 2));
    const limit = pageSize(first);
    const afterKey = after ? (decodeCursor(after, 'name', ['text', 'uuid']) as [string, string]) : [null, null];
    const rows = limit === 0 ? [] : await ctx.loaders.officePage.load(JSON.stringify([limit, ...afterKey, municipality.code]));
    const page = connectionPage(rows.map(toConsultationOffice), limit, after, (o) => encodeCursor('name', [o.name, o.id]));
    return { ...page, nodes: page.edges.map((e) => e.node), municipalityCode: municipality.code };
  }
}

@Resolver(() => ConsultationOfficeConnection)
export class ConsultationOfficeConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of offices in the municipality, over all pages.' })
  totalCount(@Root() connection: ConsultationOfficeConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.officeCount.load(connection.municipalityCode);
  }
}
