/** What this subgraph answers about a municipality on a date (MunicipalityOnDate, owned by the municipalities subgraph). */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { MunicipalityGap } from '../../../shared/gaps';
import type { Context } from '../context';
import { coverageOf } from '../rules';
import { Base, toBase } from '../types/base.type';
import { BASE_COVERAGE_LABELS, BaseCoverage } from '../types/enums';
import { MunicipalityOnDate } from '../types/federated.type';
import { baseGapsOn } from './municipality.resolver';

@Resolver(() => MunicipalityOnDate)
export class MunicipalityOnDateResolver {
  @FieldResolver(() => [MunicipalityGap], {
    nullable: true,
    description: 'Base gaps on the date: no base, no coordinator, review overdue (none in the year before the date), missing function.',
  })
  baseGapKinds(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return baseGapsOn(ctx, m.code, m.asOf);
  }

  @FieldResolver(() => BaseCoverage, { nullable: true, description: 'Base coverage on the date: NONE, SINGLE, JOINT or SINGLE_AND_JOINT.' })
  async baseCoverage(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<BaseCoverage> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return coverageOf((await ctx.loaders.statuses.load(`${m.asOf}|${m.code}`)).map((s) => s.municipalityCount > 1)) as BaseCoverage;
  }

  @FieldResolver(() => String, { nullable: true, description: 'baseCoverage in Japanese (整備状況), e.g. 単独整備 or 未整備.' })
  async baseCoverageLabel(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<string> {
    return BASE_COVERAGE_LABELS[await this.baseCoverage(m, ctx)];
  }

  @FieldResolver(() => [Base], {
    nullable: true,
    description: 'Bases covering the municipality on the date (ask reviewOverdue(asOf) of each for the same date).',
  })
  async bases(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<Base[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.activeBases.load(`${m.asOf}|${m.code}`)).map(toBase);
  }
}
