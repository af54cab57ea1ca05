/** Resolving this subgraph's own entities for the gateway (`_entities`); the stubs of others are in shared/federation.ts. */
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type ConsultationOffice, toConsultationOffice } from '../types/consultation-office.type';
import { type CoreCenter, toCoreCenter } from '../types/core-center.type';

export async function resolveCoreCenterReference(reference: { id: string }, ctx: Context): Promise<CoreCenter | null> {
  const center = await ctx.loaders.coreCenter.load(assertUuid(reference.id, 'representations.id'));
  if (center) assertCanReadPrefecture(ctx.viewer, center.prefectureCode);
  return center && toCoreCenter(center);
}

export async function resolveConsultationOfficeReference(reference: { id: string }, ctx: Context): Promise<ConsultationOffice | null> {
  const office = await ctx.loaders.office.load(assertUuid(reference.id, 'representations.id'));
  if (office) assertCanReadPrefecture(ctx.viewer, office.municipalityCode.slice(0, 2));
  return office && toConsultationOffice(office);
}
