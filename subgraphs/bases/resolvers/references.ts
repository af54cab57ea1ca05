/** Resolving this subgraph's entities, and the stubs of others', for the gateway (`_entities`). */
import { assertMunicipalityCode, assertPrefectureCode, assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type Base, toBase } from '../types/base.type';
import type { Municipality, Prefecture } from '../types/federated.type';

export async function resolveBaseReference(reference: { id: string }, ctx: Context): Promise<Base | null> {
  const base = await ctx.loaders.base.load(assertUuid(reference.id, 'representations.id'));
  return base && toBase(base);
}

/** A municipality is its representation (code, and population when a @requires sent it). */
export function resolveMunicipalityReference(reference: Municipality): Municipality {
  assertMunicipalityCode(reference.code, 'representations.code');
  return reference;
}

export function resolvePrefectureReference(reference: Prefecture): Prefecture {
  assertPrefectureCode(reference.code, 'representations.code');
  return reference;
}
