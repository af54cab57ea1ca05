import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { assertPrefectureCode } from '../../../shared/codes';
import type { Region } from '../../../shared/reference/prefectures';
import type { Context } from '../context';
import { RegionEnum } from '../types/enums';
import { Municipality, toMunicipality } from '../types/municipality.type';
import { Prefecture, toPrefecture } from '../types/prefecture.type';

@Resolver(() => Prefecture)
export class PrefectureResolver {
  @Query(() => Prefecture, { nullable: true, description: 'One prefecture by its code "01".."47".' })
  async prefecture(
    @Arg('code', () => ID, { description: 'Prefecture code, e.g. "01" (北海道).' }) code: string,
    @Ctx() ctx: Context,
  ): Promise<Prefecture | null> {
    assertPrefectureCode(code, 'code');
    const row = await ctx.loaders.prefecture.load(code);
    return row && toPrefecture(row);
  }

  @Query(() => [Prefecture], { description: 'All 47 prefectures in code order, optionally of one region.' })
  async prefectures(
    @Ctx() ctx: Context,
    @Arg('region', () => RegionEnum, { description: 'Only the prefectures of this region (地方).', nullable: true }) region?: Region,
  ): Promise<Prefecture[]> {
    const rows = await ctx.loaders.store.findPrefectures();
    return rows.filter((p) => !region || p.region === region).map(toPrefecture);
  }

  @FieldResolver(() => [Municipality], { description: 'All municipalities of the prefecture, in code order.' })
  async municipalities(@Root() prefecture: Prefecture, @Ctx() ctx: Context): Promise<Municipality[]> {
    const rows = await ctx.loaders.municipalitiesOfPrefecture.load(prefecture.code);
    return rows.map(toMunicipality);
  }
}
