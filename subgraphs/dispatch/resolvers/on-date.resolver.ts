/** What this subgraph answers on a date (PrefectureOnDate, MunicipalityOnDate, owned by the municipalities subgraph). */
import { Arg, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { daysBetween } from '../../../shared/dates';
import { pageKey } from '../data/loaders';
import { isFollowUpOverdue, priorityRuleText } from '../rules';
import type { Context } from '../context';
import { MunicipalityOnDate, PrefectureOnDate } from '../types/federated.type';
import { FollowUp, toFollowUp } from '../types/follow-up.type';
import { Visit, toVisit } from '../types/visit.type';
import { WorklistFilter, WorklistItem } from '../types/worklist.type';
import { worklistOn } from './prefecture.resolver';

@Resolver(() => PrefectureOnDate)
export class PrefectureOnDateResolver {
  /** As Prefecture.advisorWorklist, on the entity's date: the other subgraphs' gaps arrive for that date (@requires). */
  @Directive('@requires(fields: "municipalities { code population coreCenterGapKinds baseGapKinds councilGapKinds }")')
  @FieldResolver(() => [WorklistItem], {
    nullable: true,
    description:
      "The advisor's worklist (訪問優先リスト) as it stood on the date: every gap on that date (no visit in the 12 months before it, " +
      `follow-ups overdue on it), highest priority first, then smallest. ${priorityRuleText()}`,
  })
  advisorWorklist(
    @Root() p: PrefectureOnDate,
    @Ctx() ctx: Context,
    @Arg('filter', () => WorklistFilter, { description: 'Which municipalities to list: by population, gap kind, or last visit.', nullable: true })
    filter?: WorklistFilter,
  ): Promise<WorklistItem[]> {
    assertCanReadPrefecture(ctx.viewer, p.code);
    return worklistOn(ctx, p.municipalities ?? [], p.asOf, filter);
  }
}

@Resolver(() => MunicipalityOnDate)
export class MunicipalityOnDateResolver {
  @FieldResolver(() => Visit, { nullable: true, description: 'The last visit on or before the date.' })
  async lastVisit(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<Visit | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const [last] = await ctx.loaders.visitPages.municipality.load(pageKey({ since: null, until: m.asOf, purposes: null, first: 1 }, m.code));
    return last ? toVisit(last) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Days from the last visit on or before the date to the date; null when none.' })
  async daysSinceLastVisit(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<number | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const [last] = await ctx.loaders.visitPages.municipality.load(pageKey({ since: null, until: m.asOf, purposes: null, first: 1 }, m.code));
    return last ? daysBetween(last.visitedOn, m.asOf) : null;
  }

  @FieldResolver(() => [FollowUp], {
    nullable: true,
    description: 'Follow-ups open on the date (agreed by then, not done by then), soonest due first; their status is as on the date.',
  })
  async openFollowUps(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<FollowUp[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.followUpsOpenOn.load(`${m.asOf}|${m.code}`)).map(toFollowUp);
  }

  @FieldResolver(() => [FollowUp], { nullable: true, description: 'Of those, the ones past their due date on the date.' })
  async overdueFollowUps(@Root() m: MunicipalityOnDate, @Ctx() ctx: Context): Promise<FollowUp[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.followUpsOpenOn.load(`${m.asOf}|${m.code}`)).filter((f) => isFollowUpOverdue(f, m.asOf)).map(toFollowUp);
  }
}
