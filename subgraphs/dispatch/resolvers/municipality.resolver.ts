/** The fields this subgraph adds to Municipality. */
import { Arg, Args, Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { countedPeriod } from '../../../shared/fiscal-year';
import { MunicipalityActivity, toMunicipalityActivity } from '../types/activity.type';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { todayInJapan } from '../../../shared/dates';
import { Assessment } from '../types/checklist.type';
import { FollowUp, toFollowUp } from '../types/follow-up.type';
import { MunicipalRequest, toRequest } from '../types/request.type';
import { Visit } from '../types/visit.type';
import { VisitConnection } from '../types/visit-connection.type';
import { Municipality } from '../types/federated.type';
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

  @FieldResolver(() => MunicipalityActivity, {
    nullable: true,
    description:
      "The advisors' activity in the municipality in a fiscal year: visits by duty and format, follow-ups (method and limits in the type's " +
      'description). Every municipality of a request read in one statement.',
  })
  async advisorActivity(
    @Root() m: Municipality,
    @Ctx() ctx: Context,
    @Arg('fiscalYear', () => Int, { description: 'Fiscal year, the year it starts in (2025 = 令和7年度).' }) fiscalYear: number,
  ): Promise<MunicipalityActivity> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return toMunicipalityActivity(await ctx.loaders.municipalityActivity.load(JSON.stringify([m.code, countedPeriod(fiscalYear)])));
  }

  @FieldResolver(() => Visit, { nullable: true, description: 'The most recent visit to the municipality.' })
  async lastVisit(@Root() m: Municipality, @Ctx() ctx: Context): Promise<Visit | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await visitPage(ctx, 'municipality', m.code, { first: 1 })).nodes[0] ?? null;
  }

  @FieldResolver(() => [FollowUp], {
    nullable: true,
    description: 'Follow-ups of the municipality still open (agreed on visits not cancelled), soonest due first: the same as onDate(asOf: today).',
  })
  async openFollowUps(@Root() m: Municipality, @Ctx() ctx: Context): Promise<FollowUp[]> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    return (await ctx.loaders.followUpsOpenOn.load(`${todayInJapan()}|${m.code}`)).map(toFollowUp);
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
    @Arg('templateId', () => ID, { description: 'The checklist, e.g. council-guideline-2025 (the default).', defaultValue: 'council-guideline-2025' })
    templateId: string,
  ): Promise<Assessment | null> {
    assertCanReadPrefecture(ctx.viewer, m.code.slice(0, 2));
    const assessment = await ctx.loaders.latestAssessment.load(JSON.stringify([templateId, m.code]));
    return assessment && toAssessment(assessment, ctx.viewer);
  }
}
