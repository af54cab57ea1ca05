import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { assertSignedIn } from '../../../shared/authorization';
import type { Context } from '../context';
import { ServiceFigure, byService, toServiceFigure } from '../types/base.type';
import { DEFAULT_FISCAL_YEAR } from './prefecture.resolver';

@Resolver(() => ServiceFigure)
export class ServiceFigureResolver {
  @Query(() => [ServiceFigure], {
    description: 'National totals of designated and billing offices of the three community-life services in a fiscal year.',
  })
  async communityLifeServiceTotals(
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (only 2024 is recorded).', defaultValue: DEFAULT_FISCAL_YEAR })
    fiscalYear: number,
  ): Promise<ServiceFigure[]> {
    assertSignedIn(ctx.viewer);
    const totals = new Map<string, { designated: number; billing: number }>();
    for (const row of await ctx.loaders.store.serviceFigures(null, fiscalYear)) {
      const total = totals.get(row.service) ?? { designated: 0, billing: 0 };
      totals.set(row.service, { designated: total.designated + row.designated, billing: total.billing + row.billing });
    }
    return byService([...totals].map(([service, t]) => toServiceFigure({ service, fiscalYear, ...t })));
  }
}
