/** Resolving this subgraph's own entities for the gateway (`_entities`); the stubs of others are in shared/federation.ts. */
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type Base, toBase } from '../types/base.type';

export async function resolveBaseReference(reference: { id: string }, ctx: Context): Promise<Base | null> {
  const base = await ctx.loaders.base.load(assertUuid(reference.id, 'representations.id'));
  if (base) assertCanReadPrefecture(ctx.viewer, base.prefectureCode);
  return base && toBase(base);
}
