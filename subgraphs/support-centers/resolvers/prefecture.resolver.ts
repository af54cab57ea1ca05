import { Args, ArgsType, Ctx, Directive, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { asOfOrToday } from '../../../shared/dates';
import { badUserInput } from '../../../shared/errors';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CoreCenterCoverage } from '../rules';
import { Municipality, Prefecture } from '../types/federated.type';

@ArgsType()
class CoreCenterGapArgs {
  @Field(() => Int, { nullable: true, description: 'Only municipalities with fewer residents, e.g. 10000.' })
  populationBelow?: number;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Date to look at; default today in Japan.' })
  asOf?: string;
}

@Resolver(() => Prefecture)
export class PrefectureResolver {
  /**
   * The headline gap question. The gateway first fetches the prefecture's municipalities with their
   * population from the municipalities subgraph (@requires), then this subgraph keeps those with no
   * core center on `asOf`: one SQL statement for all municipalities of all prefectures asked about.
   */
  @Directive('@requires(fields: "municipalities { code population }")')
  @FieldResolver(() => [Municipality], {
    description:
      "The prefecture's municipalities with no core center (基幹相談支援センター未設置) on `asOf`, " +
      'optionally only those under `populationBelow` residents; smallest first. Ask it on `prefectures` ' +
      'for all 47 prefectures in one request.',
  })
  async coreCenterGaps(
    @Root() prefecture: Prefecture,
    @Ctx() ctx: Context,
    @Args(() => CoreCenterGapArgs) { populationBelow, asOf }: CoreCenterGapArgs,
  ): Promise<Municipality[]> {
    if (populationBelow !== undefined && populationBelow !== null && populationBelow < 1) {
      throw badUserInput('populationBelow', 'must be at least 1');
    }
    const date = asOfOrToday(asOf);
    const candidates = (prefecture.municipalities ?? []).filter(
      (m) => populationBelow === undefined || populationBelow === null || (m.population ?? 0) < populationBelow,
    );
    const coverage = await ctx.loaders.coverage.loadMany(candidates.map((m) => `${date}|${m.code}`));
    return candidates
      .filter((_, i) => {
        const c = coverage[i];
        if (c instanceof Error) throw c;
        return c === CoreCenterCoverage.NONE;
      })
      .sort((a, b) => (a.population ?? 0) - (b.population ?? 0) || a.code.localeCompare(b.code));
  }
}
