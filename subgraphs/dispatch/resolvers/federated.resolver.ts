/** The fields this subgraph adds to Municipality, Prefecture and its own Advisor. */
import { Arg, Args, Ctx, FieldResolver, ID, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { FollowUp, Assessment, Advisor, MunicipalRequest, Visit, VisitConnection, toAdvisor, toFollowUp, toRequest, toVisit } from '../types/visit.type';
import { Municipality, Prefecture } from '../types/federated.type';
import { VisitsArgs } from '../types/visit.input';
import { visitPage } from './visit-page';
import { toAssessment } from './checklist.resolver';

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => VisitConnection, { description: 'Visits to the municipality, newest first (cancelled ones left out).' })
  visits(@Root() m: Municipality, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    return visitPage(ctx, 'municipality', m.code, args);
  }

  @FieldResolver(() => Visit, { nullable: true, description: 'The most recent visit to the municipality.' })
  async lastVisit(@Root() m: Municipality, @Ctx() ctx: Context): Promise<Visit | null> {
    return (await visitPage(ctx, 'municipality', m.code, { first: 1 })).nodes[0] ?? null;
  }

  @FieldResolver(() => [FollowUp], { description: 'Follow-ups of the municipality still open, soonest due first.' })
  async openFollowUps(@Root() m: Municipality, @Ctx() ctx: Context): Promise<FollowUp[]> {
    return (await ctx.loaders.openFollowUps.load(m.code)).map(toFollowUp);
  }

  @FieldResolver(() => [MunicipalRequest], { description: 'Requests the municipality raised to the prefecture (要望), newest first.' })
  async requests(@Root() m: Municipality, @Ctx() ctx: Context): Promise<MunicipalRequest[]> {
    return (await ctx.loaders.requestsOfMunicipality.load(m.code)).map(toRequest);
  }

  @FieldResolver(() => Assessment, { nullable: true, description: 'The latest checklist assessment with a template.' })
  async latestAssessment(
    @Root() m: Municipality,
    @Ctx() ctx: Context,
    @Arg('templateId', () => ID, { defaultValue: 'council-guideline-2025' }) templateId: string,
  ): Promise<Assessment | null> {
    const assessment = await ctx.loaders.latestAssessment.load(JSON.stringify([templateId, m.code]));
    return assessment && toAssessment(assessment);
  }
}

@Resolver(() => Prefecture)
export class PrefectureResolver {
  @FieldResolver(() => VisitConnection, { description: "Visits in the prefecture's log, newest first." })
  visits(@Root() p: Prefecture, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    return visitPage(ctx, 'prefecture', p.code, args);
  }

  @FieldResolver(() => [Advisor], { description: "The prefecture's advisors." })
  async advisors(@Root() p: Prefecture, @Ctx() ctx: Context): Promise<Advisor[]> {
    return (await ctx.loaders.advisorsOfPrefecture.load(p.code)).map(toAdvisor);
  }
}

@Resolver(() => Advisor)
export class AdvisorResolver {
  @FieldResolver(() => VisitConnection, { description: 'Visits the advisor took part in, newest first.' })
  visits(@Root() a: Advisor, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    return visitPage(ctx, 'advisor', a.id, args);
  }
}
