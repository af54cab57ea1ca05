import { assertPrefectureCode } from '../../../shared/codes';
import type { Context } from '../context';
import { type Prefecture, toPrefecture } from '../types/prefecture.type';

/** Resolves `Prefecture` representations for other subgraphs; the loader makes a batch one query. */
export async function resolvePrefectureReference(reference: { code: string }, ctx: Context): Promise<Prefecture | null> {
  assertPrefectureCode(reference.code, 'representations.code');
  const row = await ctx.loaders.prefecture.load(reference.code);
  return row && toPrefecture(row);
}
