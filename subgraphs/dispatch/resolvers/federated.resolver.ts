/** The fields this subgraph adds to Municipality, Prefecture and its own Advisor. */
import { Arg, Args, Ctx, Directive, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { daysBetween, todayInJapan, twelveMonthsBefore } from '../../../shared/dates';
import { LocalDateScalar } from '../../../shared/scalars';
import { badUserInput } from '../../../shared/errors';
import { MunicipalityGap } from '../../../shared/gaps';
import { pageKey } from '../data/loaders';
import { isFollowUpOverdue, priorityRuleText, worklistPriority } from '../rules';
import { WorklistFilter, WorklistItem } from '../types/worklist.type';
import type { Context } from '../context';
import { FollowUp, Assessment, Advisor, MunicipalRequest, Visit, VisitConnection, toAdvisor, toFollowUp, toRequest, toVisit } from '../types/visit.type';
import { Municipality, Prefecture } from '../types/federated.type';
import { VisitsArgs } from '../types/visit.input';
import { visitPage } from './visit-page';
import { toAssessment } from './checklist.resolver';

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => VisitConnection, { nullable: true, description: 'Visits to the municipality, newest first (cancelled ones left out).' })
  visits(@Root() m: Municipality, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return visitPage(ctx, 'municipality', m.code, args);
  }

  @FieldResolver(() => [LocalDateScalar], {
    nullable: true,
    description: 'Dates of visits with purpose (イ) core-center support, oldest first (for the impact analysis).',
  })
  coreCenterVisitDates(@Root() m: Municipality, @Ctx() ctx: Context): Promise<string[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return ctx.loaders.coreCenterVisitDates.load(m.code);
  }

  @FieldResolver(() => Visit, { nullable: true, description: 'The most recent visit to the municipality.' })
  async lastVisit(@Root() m: Municipality, @Ctx() ctx: Context): Promise<Visit | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await visitPage(ctx, 'municipality', m.code, { first: 1 })).nodes[0] ?? null;
  }

  @FieldResolver(() => [FollowUp], { nullable: true, description: 'Follow-ups of the municipality still open, soonest due first.' })
  async openFollowUps(@Root() m: Municipality, @Ctx() ctx: Context): Promise<FollowUp[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.openFollowUps.load(m.code)).map(toFollowUp);
  }

  @FieldResolver(() => [MunicipalRequest], { nullable: true, description: 'Requests the municipality raised to the prefecture (要望), newest first.' })
  async requests(@Root() m: Municipality, @Ctx() ctx: Context): Promise<MunicipalRequest[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.requestsOfMunicipality.load(m.code)).map(toRequest);
  }

  @FieldResolver(() => Assessment, { nullable: true, description: 'The latest checklist assessment with a template.' })
  async latestAssessment(
    @Root() m: Municipality,
    @Ctx() ctx: Context,
    @Arg('templateId', () => ID, { defaultValue: 'council-guideline-2025' }) templateId: string,
  ): Promise<Assessment | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const assessment = await ctx.loaders.latestAssessment.load(JSON.stringify([templateId, m.code]));
    return assessment && toAssessment(assessment, ctx.viewer);
  }
}

@Resolver(() => Prefecture)
export class PrefectureResolver {
  /**
   * The gateway gathers, for each municipality of the prefecture, its population and the gaps the
   * other subgraphs report (@requires); this subgraph adds its own (overdue follow-ups, no recent
   * visit) with one statement per kind for all municipalities of all prefectures asked about.
   */
  @Directive('@requires(fields: "municipalities { code population coreCenterGapKinds baseGapKinds councilGapKinds }")')
  @FieldResolver(() => [WorklistItem], {
    nullable: true,
    description:
      "The advisor's worklist (アドバイザーの訪問優先リスト) today: every municipality of the prefecture with at least one gap " +
      '(from all subgraphs: no core center, no base, base without coordinator, base review overdue, missing base function, ' +
      'no council, no case review, high self-plan rate; and overdue follow-ups, no visit in 12 months), highest priority ' +
      `first, then smallest. ${priorityRuleText()}`,
  })
  async advisorWorklist(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('filter', () => WorklistFilter, { nullable: true }) filter?: WorklistFilter,
  ): Promise<WorklistItem[]> {
    assertCanReadPrefecture(ctx.viewer, p.code);
    if (filter?.populationBelow !== undefined && filter.populationBelow !== null && filter.populationBelow < 1) {
      throw badUserInput('filter.populationBelow', 'must be at least 1');
    }
    const today = todayInJapan();
    const yearAgo = twelveMonthsBefore(today);
    const candidates = (p.municipalities ?? []).filter(
      (m) =>
        (filter?.populationAtLeast === null || filter?.populationAtLeast === undefined || (m.population ?? 0) >= filter.populationAtLeast) &&
        (filter?.populationBelow === null || filter?.populationBelow === undefined || (m.population ?? 0) < filter.populationBelow),
    );
    const codes = candidates.map((m) => m.code);
    const [pages, open] = await Promise.all([
      ctx.loaders.visitPages.municipality.loadMany(codes.map((code) => pageKey({ since: null, until: null, purposes: null, first: 1 }, code))),
      ctx.loaders.openFollowUps.loadMany(codes),
    ]);
    const wanted = filter?.gaps?.length ? new Set(filter.gaps) : null;
    const items: WorklistItem[] = [];
    candidates.forEach((m, i) => {
      const page = pages[i];
      const followUps = open[i];
      if (page instanceof Error) throw page;
      if (followUps instanceof Error) throw followUps;
      const last = page[0] ?? null;
      if (filter?.notVisitedSince && last && last.visitedOn >= filter.notVisitedSince) return;
      const overdue = followUps.filter((f) => isFollowUpOverdue(f, today));
      const reasons = [...(m.coreCenterGapKinds ?? []), ...(m.baseGapKinds ?? []), ...(m.councilGapKinds ?? [])];
      if (overdue.length > 0) reasons.push(MunicipalityGap.OVERDUE_FOLLOW_UP);
      if (!last || last.visitedOn < yearAgo) reasons.push(MunicipalityGap.NOT_VISITED_RECENTLY);
      if (reasons.length === 0 || (wanted && !reasons.some((r) => wanted.has(r)))) return;
      items.push({
        municipality: { code: m.code },
        reasons,
        priority: worklistPriority(reasons, overdue.length, m.population ?? 0),
        lastVisit: last && toVisit(last),
        daysSinceLastVisit: last ? daysBetween(last.visitedOn, today) : null,
        overdueFollowUps: overdue.map(toFollowUp),
      });
    });
    const population = new Map(candidates.map((m) => [m.code, m.population ?? 0]));
    return items.sort(
      (a, b) =>
        b.priority - a.priority ||
        population.get(a.municipality.code)! - population.get(b.municipality.code)! ||
        a.municipality.code.localeCompare(b.municipality.code),
    );
  }

  @FieldResolver(() => VisitConnection, { nullable: true, description: "Visits in the prefecture's log, newest first." })
  visits(@Root() p: Prefecture, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    assertCanReadPrefecture(ctx.viewer, p.code);
    return visitPage(ctx, 'prefecture', p.code, args);
  }

  @FieldResolver(() => [Advisor], { nullable: true, description: "The prefecture's advisors." })
  async advisors(@Root() p: Prefecture, @Ctx() ctx: Context): Promise<Advisor[]> {
    assertCanReadPrefecture(ctx.viewer, p.code);
    return (await ctx.loaders.advisorsOfPrefecture.load(p.code)).map(toAdvisor);
  }
}

@Resolver(() => Advisor)
export class AdvisorResolver {
  @FieldResolver(() => VisitConnection, { nullable: true, description: 'Visits the advisor took part in, newest first.' })
  visits(@Root() a: Advisor, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    assertCanReadPrefecture(ctx.viewer, a.prefecture.code);
    return visitPage(ctx, 'advisor', a.id, args);
  }
}
