import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Prefecture, toPrefecture } from '../types/prefecture.type';
import { Viewer } from '../types/viewer.type';
import { ROLE_LABELS } from '../types/enums';

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'The viewer of this request: anonymous, or the subject and role of the token.' })
  viewer(@Ctx() ctx: Context): Viewer {
    const { subject, role, prefectureCode, apiKeyId } = ctx.viewer;
    return { anonymous: subject === null, subject, role, roleLabel: role && ROLE_LABELS[role], apiKeyId: apiKeyId ?? null, prefectureCode };
  }

  @FieldResolver(() => Prefecture, { nullable: true, description: 'The prefecture a prefecture-bound role works for.' })
  async prefecture(@Root() viewer: Viewer, @Ctx() ctx: Context): Promise<Prefecture | null> {
    if (!viewer.prefectureCode) return null;
    const row = await ctx.loaders.prefecture.load(viewer.prefectureCode);
    return row && toPrefecture(row);
  }
}
