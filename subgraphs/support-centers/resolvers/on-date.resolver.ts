/** What this subgraph answers about a municipality on a date (MunicipalityOnDate, owned by the municipalities subgraph). */
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { MunicipalityGap } from '../../../shared/gaps';
import type { Context } from '../context';
import { CoreCenterCoverage } from '../rules';
import { CoreCenter, toCoreCenter } from '../types/core-center.type';
import { COVERAGE_LABELS } from '../types/enums';
import { MunicipalityOnDate } from '../types/federated.type';
import { coreCenterGapsOn } from './municipality.resolver';

@Resolver(() => MunicipalityOnDate)
export class MunicipalityOnDateResolver {
  @FieldResolver(() => [MunicipalityGap], { nullable: true, description: 'NO_CORE_CENTER when no core center covered the municipality on the date.' })
  coreCenterGapKinds(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<MunicipalityGap[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return coreCenterGapsOn(ctx, m.code, m.asOf);
  }

  @FieldResolver(() => CoreCenterCoverage, { nullable: true, description: 'Core-center coverage on the date: NONE, SINGLE, JOINT or SINGLE_AND_JOINT.' })
  coreCenterCoverage(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<CoreCenterCoverage> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return ctx.loaders.coverage.load(`${m.asOf}|${m.code}`);
  }

  @FieldResolver(() => String, { nullable: true, description: 'coreCenterCoverage in Japanese (設置状況), e.g. 単独設置 or 未設置.' })
  async coreCenterCoverageLabel(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<string> {
    return COVERAGE_LABELS[await this.coreCenterCoverage(m, ctx)];
  }

  @FieldResolver(() => [CoreCenter], { nullable: true, description: 'Core centers covering the municipality on the date, oldest first.' })
  async coreCenters(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<CoreCenter[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.activeCenters.load(`${m.asOf}|${m.code}`)).map(toCoreCenter);
  }
}
