import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadFreeText, assertCanWritePrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import { asOfOrToday } from '../../../shared/dates';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { actorOf, recordHistory } from '../../../shared/history';
import { withIdempotency } from '../../../shared/idempotency';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { DispatchStore, type StoredFollowUp } from '../data/dispatch.store';
import { FollowUpStatus, VisitStatus, isFollowUpOverdue } from '../rules';
import { FollowUpOwnerKind } from '../types/enums';
import { FollowUpInput } from '../types/visit.input';
import { Advisor, FollowUp, Visit, toAdvisor, toFollowUp, toVisit } from '../types/visit.type';

const WRITERS = ['ADVISOR'] as const;
const IDEMPOTENCY = { nullable: true, description: 'Any unique string (8–200 characters); a retry with the same key does not write twice.' };

async function reload(ctx: Context, id: string): Promise<FollowUp> {
  const [followUp] = await new DispatchStore(ctx.dataSource).followUpsByIds([id]);
  return toFollowUp(followUp);
}

/** Runs one follow-up change in a transaction: lock, permission and version checks, history. */
async function changeFollowUp(
  ctx: Context,
  id: string,
  version: number,
  key: string | undefined,
  operation: string,
  change: (current: StoredFollowUp) => StoredFollowUp,
): Promise<FollowUp> {
  const followUpId = assertUuid(id, 'id');
  const actor = actorOf(ctx.viewer);
  await ctx.dataSource.transaction((manager) =>
    withIdempotency(manager, key, operation, { id, version }, async () => {
      const store = new DispatchStore(manager);
      const current = await store.lockFollowUp(followUpId);
      if (!current) throw notFound(`follow-up ${id}`);
      const [visit] = await store.visitsByIds([current.visitId]);
      assertCanWritePrefecture(ctx.viewer, visit.prefectureCode, WRITERS);
      if (current.version !== version) throw conflict(`version ${version} is stale: the follow-up is at version ${current.version}`);
      if (current.status !== FollowUpStatus.OPEN) throw conflict(`the follow-up is already ${current.status}`);
      const next = change(current);
      await store.saveFollowUps([next]);
      await recordHistory(manager, { entity: 'follow_up', entityId: followUpId, action: operation, actor, before: current, after: next });
      return followUpId;
    }),
  );
  return reload(ctx, followUpId);
}

@Resolver(() => FollowUp)
export class FollowUpResolver {
  @FieldResolver(() => String, { nullable: true, description: 'What was agreed (合意事項). Not for analysts (free text).' })
  description(@Root() followUp: FollowUp, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, followUp.municipality.code.slice(0, 2));
    return followUp.description;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why it was dropped. Not for analysts (free text).' })
  dropReason(@Root() followUp: FollowUp, @Ctx() ctx: Context): string | null {
    assertCanReadFreeText(ctx.viewer, followUp.municipality.code.slice(0, 2));
    return followUp.dropReason;
  }

  @FieldResolver(() => Visit)
  async visit(@Root() followUp: FollowUp, @Ctx() ctx: Context): Promise<Visit> {
    return toVisit((await ctx.loaders.visit.load(followUp.visitId))!);
  }

  @FieldResolver(() => Advisor, { nullable: true, description: 'The advisor who owns it, when ownerKind is ADVISOR.' })
  async ownerAdvisor(@Root() followUp: FollowUp, @Ctx() ctx: Context): Promise<Advisor | null> {
    if (!followUp.ownerAdvisorId) return null;
    const advisor = await ctx.loaders.advisor.load(followUp.ownerAdvisorId);
    return advisor && toAdvisor(advisor);
  }

  @FieldResolver(() => Boolean, { description: 'Still open after its due date, as of `asOf` (default today in Japan).' })
  overdue(@Root() followUp: FollowUp, @Arg('asOf', () => LocalDateScalar, { nullable: true }) asOf?: string): boolean {
    return isFollowUpOverdue(followUp, asOfOrToday(asOf));
  }

  @Mutation(() => FollowUp, { description: 'Records something agreed on a visit, with an owner and a due date.' })
  async createFollowUp(
    @Arg('visitId', () => ID) visitId: string,
    @Arg('input', () => FollowUpInput) input: FollowUpInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    const id = assertUuid(visitId, 'visitId');
    if (input.description.trim() === '') throw badUserInput('input.description', 'must not be blank');
    if ((input.ownerKind === FollowUpOwnerKind.ADVISOR) !== Boolean(input.ownerAdvisorId)) {
      throw badUserInput('input.ownerAdvisorId', 'give an advisor exactly when ownerKind is ADVISOR');
    }
    const actor = actorOf(ctx.viewer);
    const { entityId } = await ctx.dataSource.transaction((manager) =>
      withIdempotency(manager, idempotencyKey, 'createFollowUp', { visitId, input }, async () => {
        const store = new DispatchStore(manager);
        const visit = await store.lockVisit(id);
        if (!visit || visit.status === VisitStatus.CANCELLED) throw notFound(`visit ${visitId}`);
        assertCanWritePrefecture(ctx.viewer, visit.prefectureCode, WRITERS);
        if (!visit.municipalityCodes.includes(input.municipalityCode)) {
          throw badUserInput('input.municipalityCode', `must be one of the visit's municipalities (${visit.municipalityCodes.join(', ')})`);
        }
        if (input.dueOn < visit.visitedOn) throw badUserInput('input.dueOn', 'must not be before the visit');
        if (input.ownerAdvisorId) {
          const [advisor] = await store.advisorsByIds([assertUuid(input.ownerAdvisorId, 'input.ownerAdvisorId')]);
          if (!advisor || advisor.prefectureCode !== visit.prefectureCode) throw badUserInput('input.ownerAdvisorId', "not an advisor of the visit's prefecture");
        }
        const followUp: StoredFollowUp = {
          id: randomUUID(),
          visitId: id,
          municipalityCode: input.municipalityCode,
          description: input.description.trim(),
          ownerKind: input.ownerKind,
          ownerAdvisorId: input.ownerAdvisorId ?? null,
          dueOn: input.dueOn,
          status: FollowUpStatus.OPEN,
          completedOn: null,
          dropReason: null,
          version: 1,
        };
        await store.saveFollowUps([followUp]);
        await recordHistory(manager, { entity: 'follow_up', entityId: followUp.id, action: 'create', actor, before: null, after: followUp });
        return followUp.id;
      }),
    );
    return reload(ctx, entityId);
  }

  @Mutation(() => FollowUp, { description: 'Marks an open follow-up done on a date.' })
  completeFollowUp(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('completedOn', () => LocalDateScalar) completedOn: string,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    return changeFollowUp(ctx, id, version, idempotencyKey, 'completeFollowUp', (f) => ({ ...f, status: FollowUpStatus.DONE, completedOn }));
  }

  @Mutation(() => FollowUp, { description: 'Drops an open follow-up, saying why.' })
  dropFollowUp(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason') reason: string,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    if (reason.trim() === '') throw badUserInput('reason', 'say why it is dropped');
    return changeFollowUp(ctx, id, version, idempotencyKey, 'dropFollowUp', (f) => ({ ...f, status: FollowUpStatus.DROPPED, dropReason: reason.trim() }));
  }
}
