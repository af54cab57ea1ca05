import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertSignedIn } from '../../../shared/authorization';
import { type CoverageValue } from '../../../shared/coverage';
import { CoverageTable, coverageTable } from '../../../shared/coverage-table';
import { CoverageStatistics } from '../types/statistics.type';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { Context } from '../context';
import { type CoreCenterSetup, coverageOf } from '../rules';

@Resolver(() => CoverageStatistics)
export class StatisticsResolver {
  @FieldResolver(() => CoverageTable, {
    nullable: true,
    description: 'Municipalities with a core center on the date, with the setup split (単独 / 共同 / 単独＋共同); one SQL statement.',
  })
  async coreCenters(@Root() statistics: CoverageStatistics, @Ctx() ctx: Context): Promise<CoverageTable> {
    assertSignedIn(ctx.viewer);
    const codes = municipalityReferences().map((m) => m.code);
    const setups = new Map<string, CoreCenterSetup[]>();
    for (const { code, setup } of await ctx.loaders.store.activeSetupsOf(codes, statistics.asOf)) setups.set(code, [...(setups.get(code) ?? []), setup]);
    return coverageTable(new Map([...setups].map(([code, s]) => [code, coverageOf(s) as CoverageValue])));
  }
}
