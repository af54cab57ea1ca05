/** The fields this subgraph adds to Advisor. */
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture } from '../../../shared/authorization';
import type { Context } from '../context';
import { Advisor } from '../types/advisor.type';
import { VisitConnection } from '../types/visit-connection.type';
import { VisitsArgs } from '../types/visit.input';
import { visitPage } from './visit-page';

@Resolver(() => Advisor)
export class AdvisorResolver {
  @FieldResolver(() => VisitConnection, { nullable: true, description: 'Visits the advisor took part in, newest first.' })
  visits(@Root() a: Advisor, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    assertCanReadPrefecture(ctx.viewer, a.prefecture.code);
    return visitPage(ctx, 'advisor', a.id, args);
  }
}
