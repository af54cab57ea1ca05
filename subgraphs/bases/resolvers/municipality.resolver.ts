import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { asOfOrToday } from '../../../shared/dates';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { coverageOf } from '../rules';
import { Base, toBase } from '../types/base.type';
import { BaseCoverage } from '../types/enums';
import { Municipality } from '../types/federated.type';

const AS_OF = { nullable: true, description: 'Date to look at (YYYY-MM-DD); default today in Japan.' };

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @FieldResolver(() => [Base], { description: 'Bases (地域生活支援拠点等) covering the municipality on `asOf`, oldest first.' })
  async bases(@Root() municipality: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<Base[]> {
    return (await ctx.loaders.activeBases.load(`${asOfOrToday(asOf)}|${municipality.code}`)).map(toBase);
  }

  @FieldResolver(() => BaseCoverage, { description: 'Base coverage on `asOf`: NONE, SINGLE (its own), JOINT (shared), or both.' })
  async baseCoverage(@Root() municipality: Municipality, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<BaseCoverage> {
    const statuses = await ctx.loaders.statuses.load(`${asOfOrToday(asOf)}|${municipality.code}`);
    return coverageOf(statuses.map((s) => s.municipalityCount > 1)) as BaseCoverage;
  }
}
