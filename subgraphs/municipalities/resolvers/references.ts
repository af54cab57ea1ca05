/** Resolving this subgraph's own entities for the gateway (`_entities`); the loaders make a batch one query per type. */
import { assertMunicipalityCode, assertPrefectureCode } from '../../../shared/codes';
import type { Context } from '../context';
import { type Municipality, toMunicipality } from '../types/municipality.type';
import { type Prefecture, toPrefecture } from '../types/prefecture.type';

export async function resolveMunicipalityReference(reference: { code: string }, ctx: Context): Promise<Municipality | null> {
  assertMunicipalityCode(reference.code, 'representations.code');
  const row = await ctx.loaders.municipality.load(reference.code);
  return row && toMunicipality(row);
}

export async function resolvePrefectureReference(reference: { code: string }, ctx: Context): Promise<Prefecture | null> {
  assertPrefectureCode(reference.code, 'representations.code');
  const row = await ctx.loaders.prefecture.load(reference.code);
  return row && toPrefecture(row);
}
