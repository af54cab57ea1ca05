/** Resolving this subgraph's own entities for the gateway (`_entities`); the stubs of others are in shared/federation.ts. */
import { assertUuid } from '../../../shared/codes';
import type { Context } from '../context';
import { type Advisor, type Visit, toAdvisor, toVisit } from '../types/visit.type';

export async function resolveVisitReference(reference: { id: string }, ctx: Context): Promise<Visit | null> {
  const visit = await ctx.loaders.visit.load(assertUuid(reference.id, 'representations.id'));
  return visit && toVisit(visit);
}

export async function resolveAdvisorReference(reference: { id: string }, ctx: Context): Promise<Advisor | null> {
  const advisor = await ctx.loaders.advisor.load(assertUuid(reference.id, 'representations.id'));
  return advisor && toAdvisor(advisor);
}
