/** The fields this subgraph adds to Prefecture. */
import { Arg, Args, Ctx, Directive, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { assertPopulationBelow } from '../../../shared/population-brackets';
import { assertAnswersForPersonalTexts, assertCanReadPrefecture, assertSignedIn } from '../../../shared/authorization';
import { assertFiscalYear, countedPeriod, samePeriodBefore } from '../../../shared/fiscal-year';
import { PrefecturalProgram, toProgram } from '../types/program.type';
import { ActivityIndicators, ActivityIndicatorsChange, toActivityChange, toActivityIndicators } from '../types/activity.type';
import { daysBetween, todayInJapan, twelveMonthsBefore } from '../../../shared/dates';
import { badUserInput } from '../../../shared/errors';
import { GAP_LABELS, MunicipalityGap } from '../../../shared/gaps';
import { pageKey } from '../data/loaders';
import { isFollowUpOverdue, priorityRuleText, worklistPriority } from '../rules';
import { WorklistFilter, WorklistItem } from '../types/worklist.type';
import type { Context } from '../context';
import { Advisor, toAdvisor } from '../types/advisor.type';
import { toFollowUp } from '../types/follow-up.type';
import { toVisit } from '../types/visit.type';
import { VisitConnection } from '../types/visit-connection.type';
import { Prefecture } from '../types/federated.type';
import { NotesReadsArgs, VisitsArgs } from '../types/visit.input';
import { visitPage } from './visit-page';
import { assertPeriodOrder } from '../../../shared/input-rules';
import { NotesReadConnection } from '../types/notes-read-connection.type';
import { connectionPage, decodeCursor, encodeCursor, pageSize } from '../../../shared/pagination';
import { narrowAnswerScope } from '../../../shared/data-version';

/** A municipality as the worklist receives it through @requires: its population and the other subgraphs' gaps (on the same date). */
interface WorklistMunicipality {
  code: string;
  population?: number;
  coreCenterGapKinds?: MunicipalityGap[] | null;
  baseGapKinds?: MunicipalityGap[] | null;
  councilGapKinds?: MunicipalityGap[] | null;
}

/**
 * The worklist on a date: the other subgraphs' gaps on that date (handed over by @requires), and this
 * subgraph's own — follow-ups overdue on the date, no visit in the 12 months before it — with one statement
 * per kind (and date) for all municipalities asked about.
 */
export async function worklistOn(
  ctx: Context,
  municipalities: readonly WorklistMunicipality[],
  date: string,
  filter?: WorklistFilter | null,
): Promise<WorklistItem[]> {
  assertPopulationBelow(filter?.populationBelow, 'filter.populationBelow');
  const yearAgo = twelveMonthsBefore(date);
  const candidates = municipalities.filter(
    (m) =>
      (filter?.populationAtLeast === null || filter?.populationAtLeast === undefined || (m.population ?? 0) >= filter.populationAtLeast) &&
      (filter?.populationBelow === null || filter?.populationBelow === undefined || (m.population ?? 0) < filter.populationBelow),
  );
  const codes = candidates.map((m) => m.code);
  const [pages, open] = await Promise.all([
    ctx.loaders.visitPages.municipality.loadMany(codes.map((code) => pageKey({ since: null, until: date, purposes: null, first: 1 }, code))),
    ctx.loaders.followUpsOpenOn.loadMany(codes.map((code) => `${date}|${code}`)),
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
    const overdue = followUps.filter((f) => isFollowUpOverdue(f, date));
    const reasons = [...(m.coreCenterGapKinds ?? []), ...(m.baseGapKinds ?? []), ...(m.councilGapKinds ?? [])];
    if (overdue.length > 0) reasons.push(MunicipalityGap.OVERDUE_FOLLOW_UP);
    if (!last || last.visitedOn < yearAgo) reasons.push(MunicipalityGap.NOT_VISITED_RECENTLY);
    if (reasons.length === 0 || (wanted && !reasons.some((r) => wanted.has(r)))) return;
    items.push({
      municipality: { code: m.code },
      reasons,
      reasonLabels: reasons.map((r) => GAP_LABELS[r]),
      priority: worklistPriority(reasons, overdue.length, m.population ?? 0),
      lastVisit: last && toVisit(last),
      daysSinceLastVisit: last ? daysBetween(last.visitedOn, date) : null,
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

@Resolver(() => Prefecture)
export class PrefectureResolver {
  /**
   * The gateway gathers, for each municipality of the prefecture, its population and the gaps the
   * other subgraphs report (@requires); this subgraph adds its own (overdue follow-ups, no recent
   * visit) with one statement per kind for all municipalities of all prefectures asked about.
   */
  @FieldResolver(() => NotesReadConnection, {
    nullable: true,
    description:
      "Every read of the notes of the prefecture's visits (要配慮個人情報の閲覧記録), newest first: who read which visit's notes, " +
      "when and in which request, for a periodic review (by period, by reader). For the prefecture's staff and admins; anyone " +
      'else gets null with a FORBIDDEN error. Never a kept answer: a read recorded a moment ago is listed.',
  })
  async notesReads(@Root() p: Prefecture, @Args() args: NotesReadsArgs, @Ctx() ctx: Context): Promise<NotesReadConnection> {
    narrowAnswerScope(ctx.viewer, 'none'); // reads change no data version: a kept answer would miss the latest
    assertAnswersForPersonalTexts(ctx.viewer, p.code, { en: "who read the notes of a prefecture's visits", ja: 'メモの閲覧記録' });
    const first = pageSize(args.first);
    assertPeriodOrder({ name: 'since', value: args.since }, { name: 'until', value: args.until });
    const after = args.after ? String(decodeCursor(args.after, 'read-desc', ['serial'])[0]) : undefined;
    const filter = { since: args.since ?? null, until: args.until ?? null, reader: args.reader ?? null };
    const rows = first === 0 ? [] : await ctx.loaders.notesReadPages.load(JSON.stringify([{ ...filter, first, after }, p.code]));
    const page = connectionPage(rows, first, args.after, (r) => encodeCursor('read-desc', [r.id]));
    return { ...page, nodes: page.edges.map((e) => e.node) };
  }

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
    @Arg('filter', () => WorklistFilter, { description: 'Which municipalities to list: by population, gap kind, or last visit.', nullable: true })
    filter?: WorklistFilter,
  ): Promise<WorklistItem[]> {
    assertCanReadPrefecture(ctx.viewer, p.code);
    return worklistOn(ctx, p.municipalities ?? [], todayInJapan(), filter);
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

  @FieldResolver(() => PrefecturalProgram, {
    nullable: true,
    description: "The prefecture's program (都道府県相談支援体制整備事業) in a fiscal year, null when none is recorded. Any signed-in role.",
  })
  async prefecturalProgram(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<PrefecturalProgram | null> {
    assertSignedIn(ctx.viewer);
    const program = await ctx.loaders.program.load(`${assertFiscalYear(fiscalYear)}|${p.code}`);
    return program && toProgram(program);
  }

  /** The gateway hands over the prefecture's municipalities with their population (@requires), for the small-municipality figures. */
  @Directive('@requires(fields: "municipalities { code population }")')
  @FieldResolver(() => ActivityIndicators, {
    nullable: true,
    description:
      "The advisors' activity in a fiscal year (アドバイザーの活動指標): advisors deployed, visits by duty and format, trainings held, " +
      'municipalities reached (small ones too) and follow-ups. Any signed-in role (counts, no free text). All 47 prefectures in one request ' +
      'read in one statement. The outcome in the same year: coreCenterCoverageChange and baseCoverageChange beside it; per municipality: Municipality.advisorActivity.',
  })
  async activityIndicators(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<ActivityIndicators> {
    assertSignedIn(ctx.viewer);
    const activity = await ctx.loaders.activity.load(JSON.stringify([p.code, countedPeriod(fiscalYear)]));
    return toActivityIndicators(activity, p.municipalities ?? []);
  }

  @Directive('@requires(fields: "municipalities { code population }")')
  @FieldResolver(() => ActivityIndicatorsChange, {
    nullable: true,
    description:
      "The advisors' activity in a fiscal year against an earlier one (e.g. the year before): each figure before, after and the change. Any signed-in role.",
  })
  async activityIndicatorsChange(
    @Root() p: Prefecture,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'The later fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
    @Arg('sinceFiscalYear', () => Int, { description: 'The earlier fiscal year to compare with.' }) sinceFiscalYear: number,
  ): Promise<ActivityIndicatorsChange> {
    assertSignedIn(ctx.viewer);
    const period = countedPeriod(fiscalYear);
    if (assertFiscalYear(sinceFiscalYear, 'sinceFiscalYear') >= fiscalYear) {
      throw badUserInput('sinceFiscalYear', 'must be a fiscal year before fiscalYear', {
        value: sinceFiscalYear,
        reasonJa: 'fiscalYear より前の年度を指定してください',
      });
    }
    const [before, after] = await Promise.all(
      [samePeriodBefore(period, sinceFiscalYear), period].map((counted) => ctx.loaders.activity.load(JSON.stringify([p.code, counted]))),
    );
    return toActivityChange(toActivityIndicators(before, p.municipalities ?? []), toActivityIndicators(after, p.municipalities ?? []));
  }
}
