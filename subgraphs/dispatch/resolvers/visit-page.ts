/** One page of visits of a municipality, prefecture or advisor, newest first; shared by their resolvers. */
import { badUserInput } from '../../../shared/errors';
import { assertPeriodOrder } from '../../../shared/input-rules';
import { connectionPage, decodeCursor, encodeCursor, pageSize } from '../../../shared/pagination';
import type { Context } from '../context';
import type { VisitScope } from '../data/dispatch.store';
import { pageKey } from '../data/loaders';
import type { VisitsArgs } from '../types/visit.input';
import { toVisit } from '../types/visit.type';
import { type VisitConnection } from '../types/visit-connection.type';

export async function visitPage(ctx: Context, scope: VisitScope, key: string, args: VisitsArgs): Promise<VisitConnection> {
  const first = pageSize(args.first);
  assertPeriodOrder({ name: 'since', value: args.since }, { name: 'until', value: args.until });
  if (args.purposes && args.purposes.length === 0)
    throw badUserInput('purposes', 'name at least one purpose, or leave it out', {
      value: args.purposes,
      reasonJa: '目的を1つ以上指定するか、省略してください',
    });
  const filter = { since: args.since ?? null, until: args.until ?? null, purposes: args.purposes ?? null };
  const after = args.after ? (decodeCursor(args.after, 'date-desc', ['date', 'uuid']) as [string, string]) : undefined;
  const rows = first === 0 ? [] : await ctx.loaders.visitPages[scope].load(pageKey({ ...filter, first, after }, key));
  const page = connectionPage(rows.map(toVisit), first, args.after, (v) => encodeCursor('date-desc', [v.date, v.id]));
  return { ...page, nodes: page.edges.map((e) => e.node), countKey: pageKey(filter, key), scope };
}
