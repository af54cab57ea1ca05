import { FUNCTION_LABELS, GAP_KIND_LABELS } from '../types/enums';
import { Arg, Args, Ctx, Directive, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { assertPopulationBelow } from '../../../shared/population-brackets';
import { assertCanReadPrefecture, assertSignedIn } from '../../../shared/authorization';
import { asOfOrToday } from '../../../shared/dates';
import { badUserInput } from '../../../shared/errors';
import type { Context } from '../context';
import { BaseGapKind, gapsOf } from '../rules';
import { BaseGapArgs } from '../types/base.input';
import { BaseGap, ServiceFigure, byService, toServiceFigure } from '../types/base.type';
import { Prefecture } from '../types/federated.type';
import { countedPeriod } from '../../../shared/fiscal-year';
import { coverageOf } from '../../../shared/coverage';
import { CoverageChange, coverageChange } from '../../../shared/coverage-change';

export const DEFAULT_FISCAL_YEAR = 2024;

@Resolver(() => Prefecture)
export class PrefectureResolver {
  /**
   * The gateway first fetches the prefecture's municipalities and population from the municipalities
   * subgraph (@requires); this subgraph then works out each one's base gaps: one SQL statement for all
   * municipalities of all prefectures asked about.
   */
  @Directive('@requires(fields: "municipalities { code population }")')
  @FieldResolver(() => [BaseGap], {
    nullable: true,
    description:
      "The prefecture's municipalities with base gaps on `asOf` (no base, no coordinator, review overdue, missing " +
      'function), each with the gaps that apply; optionally only those under `populationBelow` residents and with ' +
      'one of the `missing` kinds; smallest first. Ask it on `prefectures` for the whole country.',
  })
  async baseGaps(
    @Root() prefecture: Prefecture,
    @Ctx() ctx: Context,
    @Args(() => BaseGapArgs) { populationBelow, asOf, missing }: BaseGapArgs,
  ): Promise<BaseGap[]> {
    assertCanReadPrefecture(ctx.viewer, prefecture.code);
    assertPopulationBelow(populationBelow);
    if (missing && missing.length === 0)
      throw badUserInput('missing', 'name at least one gap kind, or leave it out for all', {
        value: missing,
        reasonJa: '未整備の種類を1つ以上指定するか、すべてを対象にするには省略してください',
      });
    const wanted = new Set(missing ?? Object.values(BaseGapKind));
    const date = asOfOrToday(asOf);
    const candidates = (prefecture.municipalities ?? [])
      .filter((m) => populationBelow === undefined || populationBelow === null || (m.population ?? 0) < populationBelow)
      .sort((a, b) => (a.population ?? 0) - (b.population ?? 0) || a.code.localeCompare(b.code));
    const statuses = await ctx.loaders.statuses.loadMany(candidates.map((m) => `${date}|${m.code}`));
    return candidates.flatMap((m, i) => {
      const status = statuses[i];
      if (status instanceof Error) throw status;
      const { gaps, missingFunctions } = gapsOf(status, date);
      return gaps.some((g) => wanted.has(g))
        ? [
            {
              municipality: { code: m.code },
              gaps,
              gapLabels: gaps.map((g) => GAP_KIND_LABELS[g]),
              missingFunctions,
              missingFunctionLabels: missingFunctions.map((f) => FUNCTION_LABELS[f]),
            },
          ]
        : [];
    });
  }

  @FieldResolver(() => [ServiceFigure], {
    nullable: true,
    description: 'Designated and billing offices of 地域移行支援, 地域定着支援 and 自立生活援助 in a fiscal year (real figures, FY2024).',
  })
  async communityLifeServices(
    @Root() prefecture: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (only 2024 is recorded).', defaultValue: DEFAULT_FISCAL_YEAR })
    fiscalYear: number,
  ): Promise<ServiceFigure[]> {
    assertSignedIn(ctx.viewer);
    return byService((await ctx.loaders.serviceFigures.load(`${fiscalYear}|${prefecture.code}`)).map(toServiceFigure));
  }

  // The gateway hands over the prefecture's municipalities (@requires), so no municipality list is kept here.
  @Directive('@requires(fields: "municipalities { code }")')
  @FieldResolver(() => CoverageChange, {
    nullable: true,
    description:
      "Base coverage of the prefecture's municipalities on the first and last day of a fiscal year (地域生活支援拠点等の整備市町村数の年度内の変化): " +
      "the outcome beside the advisors' activity indicators. Any signed-in role; one SQL statement per date for all prefectures asked about.",
  })
  async baseCoverageChange(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<CoverageChange> {
    assertSignedIn(ctx.viewer);
    const period = countedPeriod(fiscalYear);
    const { from, to } = period;
    const codes = (p.municipalities ?? []).map((m) => m.code);
    const [atStart, atEnd] = await Promise.all(
      [from, to].map(async (date) =>
        (await ctx.loaders.statuses.loadMany(codes.map((code) => `${date}|${code}`))).map((s) =>
          coverageOf((s as Array<{ municipalityCount: number }>).map((b) => b.municipalityCount > 1)),
        ),
      ),
    );
    return coverageChange(period, atStart, atEnd);
  }
}

/**
 * So that gateways built on graphql-tools' schema stitching (Hive Gateway, both runtimes) can load the
 * supergraph: stitching takes a value type returned only by @requires fields as canonical in each
 * subgraph, and CoverageChange is returned only so here and in support-centers, so it found two canonical
 * definitions and refused the whole supergraph. One plain reference to it here avoids that. @inaccessible
 * keeps the field out of the API; nothing calls it (tests/e2e/peer-gateways.test.ts).
 */
@Resolver()
export class CoverageChangeReferenceResolver {
  @Directive('@inaccessible')
  @Query(() => CoverageChange, { nullable: true, description: 'Not part of the API (for gateways built on schema stitching); always null.' })
  coverageChangeReference(): null {
    return null;
  }
}
