import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { assertMunicipalityCode } from '../../../shared/codes';
import { type CursorKey, connectionPage, decodeCursor, encodeCursor, pageSize } from '../../../shared/pagination';
import type { Context } from '../context';
import type { MunicipalityOrdering } from '../data/municipality.store';
import { MunicipalityConnection } from '../types/municipality-connection.type';
import { MunicipalitiesArgs, toCriteria, toOrdering } from '../types/municipality-filter.input';
import { Municipality, toMunicipality } from '../types/municipality.type';
import { Prefecture, toPrefecture } from '../types/prefecture.type';

/** Cursor key of a row under an ordering: the sort value, then the code that breaks ties. */
function sortKey(m: Municipality, ordering: MunicipalityOrdering): Array<string | number> {
  return ordering.field === 'code' ? [m.code] : [m[ordering.field], m.code];
}

/** The kinds of the values of `sortKey`, checked when a cursor comes back. */
function cursorKeys(ordering: MunicipalityOrdering): CursorKey[] {
  if (ordering.field === 'code') return ['text'];
  return [ordering.field === 'population' ? 'integer' : 'text', 'text'];
}

@Resolver(() => Municipality)
export class MunicipalityResolver {
  @Query(() => Municipality, {
    nullable: true,
    description: 'One municipality by its six-digit code; null when the code is valid but names no municipality.',
  })
  async municipality(
    @Arg('code', () => ID, { description: 'Six-digit code with check digit, e.g. 011002 (札幌市).' }) code: string,
    @Ctx() ctx: Context,
  ): Promise<Municipality | null> {
    assertMunicipalityCode(code, 'code');
    const row = await ctx.loaders.municipality.load(code);
    return row && toMunicipality(row);
  }

  @Query(() => MunicipalityConnection, {
    description: 'Municipalities matching a filter, one page at a time (Relay cursor connection).',
  })
  async municipalities(
    @Args(() => MunicipalitiesArgs) { filter, orderBy, first, after }: MunicipalitiesArgs,
    @Ctx() ctx: Context,
  ): Promise<MunicipalityConnection> {
    const criteria = toCriteria(filter);
    const ordering = toOrdering(orderBy);
    const orderingName = `${ordering.field}:${ordering.descending ? 'desc' : 'asc'}`;
    const limit = pageSize(first);
    const afterKey = after ? decodeCursor(after, orderingName, cursorKeys(ordering)) : undefined;
    const rows = limit === 0 ? [] : await ctx.loaders.store.search(criteria, ordering, limit + 1, afterKey);
    const page = connectionPage(rows.map(toMunicipality), limit, after, (m) => encodeCursor(orderingName, sortKey(m, ordering)));
    return { ...page, nodes: page.edges.map((e) => e.node), criteria };
  }

  @FieldResolver(() => Prefecture, { description: 'The prefecture the municipality belongs to.' })
  async prefecture(@Root() municipality: Municipality, @Ctx() ctx: Context): Promise<Prefecture> {
    const row = await ctx.loaders.prefecture.load(municipality.prefectureCode);
    if (!row) throw new Error(`prefecture ${municipality.prefectureCode} missing for ${municipality.code}`);
    return toPrefecture(row);
  }
}

@Resolver(() => MunicipalityConnection)
export class MunicipalityConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of municipalities matching the filter, over all pages.' })
  totalCount(@Root() connection: MunicipalityConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.store.count(connection.criteria);
  }
}
