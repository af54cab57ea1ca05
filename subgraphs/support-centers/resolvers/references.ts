/** Resolving this subgraph's entities, and the stubs of others', for the gateway (`_entities`). */
import { assertMunicipalityCode, assertPrefectureCode, assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type ConsultationOffice, toConsultationOffice } from '../types/consultation-office.type';
import { type CoreCenter, toCoreCenter } from '../types/core-center.type';
import type { Municipality, Prefecture } from '../types/federated.type';

export async function resolveCoreCenterReference(reference: { id: string }, ctx: Context): Promise<CoreCenter | null> {
  const center = await ctx.loaders.coreCenter.load(assertUuid(reference.id, 'representations.id'));
  return center && toCoreCenter(center);
}

export async function resolveConsultationOfficeReference(reference: { id: string }, ctx: Context): Promise<ConsultationOffice | null> {
  const office = await ctx.loaders.office.load(assertUuid(reference.id, 'representations.id'));
  return office && toConsultationOffice(office);
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
