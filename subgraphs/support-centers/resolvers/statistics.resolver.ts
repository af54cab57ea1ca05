import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import { assertSignedIn } from '../../../shared/authorization';
import { type CoverageValue } from '../../../shared/coverage';
import { CoverageTable, CoverageTableChange, coverageTable, coverageTableChange } from '../../../shared/coverage-table';
import { CoverageStatistics } from '../types/statistics.type';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { Context } from '../context';
import { type CoreCenterSetup, coverageOf } from '../rules';

/** The core-center table on a date (one SQL statement). */
async function coreCenterTable(ctx: Context, date: string): Promise<CoverageTable> {
  const codes = municipalityReferences().map((m) => m.code);
  const setups = new Map<string, CoreCenterSetup[]>();
  for (const { code, setup } of await ctx.loaders.store.activeSetupsOf(codes, date)) setups.set(code, [...(setups.get(code) ?? []), setup]);
  return coverageTable(new Map([...setups].map(([code, s]) => [code, coverageOf(s) as CoverageValue])));
}

@Resolver(() => CoverageStatistics)
export class StatisticsResolver {
  @FieldResolver(() => CoverageTable, {
    nullable: true,
    description: 'Municipalities with a core center on the date, with the setup split (単独 / 共同 / 単独＋共同); one SQL statement.',
  })
  async coreCenters(@Root() statistics: CoverageStatistics, @Ctx() ctx: Context): Promise<CoverageTable> {
    assertSignedIn(ctx.viewer);
    return coreCenterTable(ctx, statistics.asOf);
  }

  @FieldResolver(() => CoverageTableChange, {
    nullable: true,
    description: 'Change in municipalities with a core center from `since` to the date (増減), nationally, by bracket and by prefecture; two SQL statements.',
  })
  async coreCentersChange(
    @Root() statistics: CoverageStatistics,
    @Ctx() ctx: Context,
    @Arg('since', () => LocalDateScalar, { description: 'The earlier date to compare with (e.g. a year before asOf).' }) since: string,
  ): Promise<CoverageTableChange> {
    assertSignedIn(ctx.viewer);
    const [before, after] = await Promise.all([coreCenterTable(ctx, since), coreCenterTable(ctx, statistics.asOf)]);
    return coverageTableChange(before, after);
  }
}
