/** Resolving this subgraph's own entities for the gateway (`_entities`); the stubs of others are in shared/federation.ts. */
import { assertCanReadPrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type Advisor, toAdvisor } from '../types/advisor.type';
import { type Visit, toVisit } from '../types/visit.type';

export async function resolveVisitReference(reference: { id: string }, ctx: Context): Promise<Visit | null> {
  const visit = await ctx.loaders.visit.load(assertUuid(reference.id, 'representations.id'));
  if (visit) assertCanReadPrefecture(ctx.viewer, visit.prefectureCode);
  return visit && toVisit(visit);
}

export async function resolveAdvisorReference(reference: { id: string }, ctx: Context): Promise<Advisor | null> {
  const advisor = await ctx.loaders.advisor.load(assertUuid(reference.id, 'representations.id'));
  if (advisor) assertCanReadPrefecture(ctx.viewer, advisor.prefectureCode);
  return advisor && toAdvisor(advisor);
}
