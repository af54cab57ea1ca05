import { assertMunicipalityCode } from '../../../shared/codes';
import type { Context } from '../context';
import { type Municipality, toMunicipality } from '../types/municipality.type';

/** Resolves `Municipality` representations for other subgraphs; the loader makes a batch one query. */
export async function resolveMunicipalityReference(reference: { code: string }, ctx: Context): Promise<Municipality | null> {
  assertMunicipalityCode(reference.code, 'representations.code');
  const row = await ctx.loaders.municipality.load(reference.code);
  return row && toMunicipality(row);
}
