import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { LocalDateScalar } from '../../../shared/scalars';
import { assertSignedIn } from '../../../shared/authorization';
import { type CoverageValue } from '../../../shared/coverage';
import { CoverageTable, CoverageTableChange, coverageTable, coverageTableChange } from '../../../shared/coverage-table';
import { CoverageStatistics } from '../types/statistics.type';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { Context } from '../context';
import { coverageOf } from '../rules';

/** The base table on a date (one SQL statement). */
async function baseTable(ctx: Context, date: string): Promise<CoverageTable> {
  const codes = municipalityReferences().map((m) => m.code);
  const shared = new Map<string, boolean[]>();
  for (const s of await ctx.loaders.store.statusesOf(codes, date)) shared.set(s.code, [...(shared.get(s.code) ?? []), s.municipalityCount > 1]);
  return coverageTable(new Map([...shared].map(([code, joint]) => [code, coverageOf(joint) as CoverageValue])));
}

@Resolver(() => CoverageStatistics)
export class StatisticsResolver {
  @FieldResolver(() => CoverageTable, {
    nullable: true,
    description: 'Municipalities with a base (地域生活支援拠点等) on the date; a base of several municipalities counts as JOINT.',
  })
  async bases(@Root() statistics: CoverageStatistics, @Ctx() ctx: Context): Promise<CoverageTable> {
    assertSignedIn(ctx.viewer);
    return baseTable(ctx, statistics.asOf);
  }

  @FieldResolver(() => CoverageTableChange, {
    nullable: true,
    description: 'Change in municipalities with a base from `since` to the date (増減), nationally, by bracket and by prefecture; two SQL statements.',
  })
  async basesChange(
    @Root() statistics: CoverageStatistics,
    @Ctx() ctx: Context,
    @Arg('since', () => LocalDateScalar, { description: 'The earlier date to compare with (e.g. a year before asOf).' }) since: string,
  ): Promise<CoverageTableChange> {
    assertSignedIn(ctx.viewer);
    const [before, after] = await Promise.all([baseTable(ctx, since), baseTable(ctx, statistics.asOf)]);
    return coverageTableChange(before, after);
  }
}
