import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertSignedIn } from '../../../shared/authorization';
import { type CoverageValue } from '../../../shared/coverage';
import { CoverageTable, coverageTable } from '../../../shared/coverage-table';
import { CoverageStatistics } from '../types/statistics.type';
import { municipalityReferences } from '../../../shared/reference/municipalities';
import type { Context } from '../context';
import { coverageOf } from '../rules';

@Resolver(() => CoverageStatistics)
export class StatisticsResolver {
  @FieldResolver(() => CoverageTable, {
    nullable: true,
    description: 'Municipalities with a base (地域生活支援拠点等) on the date; a base of several municipalities counts as JOINT.',
  })
  async bases(@Root() statistics: CoverageStatistics, @Ctx() ctx: Context): Promise<CoverageTable> {
    assertSignedIn(ctx.viewer);
    const codes = municipalityReferences().map((m) => m.code);
    const shared = new Map<string, boolean[]>();
    for (const s of await ctx.loaders.store.statusesOf(codes, statistics.asOf)) shared.set(s.code, [...(shared.get(s.code) ?? []), s.municipalityCount > 1]);
    return coverageTable(new Map([...shared].map(([code, joint]) => [code, coverageOf(joint) as CoverageValue])));
  }
}
