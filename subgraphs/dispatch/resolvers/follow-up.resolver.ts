import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadFreeText, assertCanReadPrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import { asOfOrToday } from '../../../shared/dates';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { type FieldProblem } from '../../../shared/problems';
import { IDEMPOTENCY_KEY_DESCRIPTION, runWrite } from '../../../shared/write-path';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { DispatchStore, type StoredFollowUp, type StoredVisit } from '../data/dispatch.store';
import { FollowUpStatus, VisitStatus, followUpOnVisitProblems, isFollowUpOverdue } from '../rules';
import { FollowUpOwnerKind } from '../types/enums';
import { CompleteFollowUpInput, CreateFollowUpInput, DropFollowUpInput } from '../types/visit.input';
import { Advisor, toAdvisor } from '../types/advisor.type';
import { FollowUp, toFollowUp } from '../types/follow-up.type';
import { Visit, toVisit } from '../types/visit.type';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';

const WRITERS = ['ADVISOR'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

async function reload(ctx: Context, id: string): Promise<FollowUp> {
  const [followUp] = await new DispatchStore(ctx.dataSource).followUpsByIds([id]);
  return toFollowUp(followUp);
}

/** One change to an open follow-up through the write path: lock, permission and version checks, history. */
function changeFollowUp(
  ctx: Context,
  spec: {
    id: string;
    idField: string;
    version: number;
    idempotencyKey: string | undefined;
    operation: string;
    payload: unknown;
    validate?: () => FieldProblem[];
  },
  change: (current: StoredFollowUp, visit: StoredVisit) => StoredFollowUp,
): Promise<FollowUp> {
  const followUpId = assertUuid(spec.id, spec.idField);
  return runWrite(ctx, {
    operation: spec.operation,
    idempotencyKey: spec.idempotencyKey,
    payload: spec.payload,
    writers: WRITERS,
    validate: spec.validate,
    apply: async (tx) => {
      const store = new DispatchStore(tx.manager);
      const current = await store.lockFollowUp(followUpId);
      if (!current) throw notFound(`follow-up ${spec.id}`, `フォローアップ ${spec.id}`, spec.idField);
      const [visit] = await store.visitsByIds([current.visitId]);
      tx.authorize(visit.prefectureCode);
      tx.checkVersion('follow-up', current.version, spec.version);
      if (current.status !== FollowUpStatus.OPEN)
        throw conflict(`the follow-up is already ${current.status}`, `このフォローアップは既に ${current.status} です`);
      const next = change(current, visit);
      await store.saveFollowUps([next]);
      return { id: followUpId, prefectureCode: visit.prefectureCode, history: { entity: 'follow_up', before: current, after: next } };
    },
    reload: (id) => reload(ctx, id),
  });
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

  @FieldResolver(() => Visit, { nullable: true, description: 'The visit it was agreed on (same read rule as the visit).' })
  async visit(@Root() followUp: FollowUp, @Ctx() ctx: Context): Promise<Visit | null> {
    const visit = await ctx.loaders.visit.load(followUp.visitId);
    if (!visit) return null;
    assertCanReadPrefecture(ctx.viewer, visit.prefectureCode);
    return toVisit(visit);
  }

  @FieldResolver(() => Advisor, { nullable: true, description: 'The advisor who owns it, when ownerKind is ADVISOR.' })
  async ownerAdvisor(@Root() followUp: FollowUp, @Ctx() ctx: Context): Promise<Advisor | null> {
    if (!followUp.ownerAdvisorId) return null;
    const advisor = await ctx.loaders.advisor.load(followUp.ownerAdvisorId);
    return advisor && toAdvisor(advisor);
  }

  @FieldResolver(() => Boolean, { description: 'Still open after its due date, as of `asOf` (default today in Japan).' })
  overdue(
    @Root() followUp: FollowUp,
    @Arg('asOf', () => LocalDateScalar, { description: 'Date to look at (YYYY-MM-DD); default today in Japan.', nullable: true }) asOf?: string,
  ): boolean {
    return isFollowUpOverdue(followUp, asOfOrToday(asOf));
  }

  @Mutation(() => FollowUp, { description: 'Records something agreed on a visit, with an owner and a due date.' })
  async createFollowUp(
    @Arg('visitId', () => ID, movedArgument('visitId', 'The visit it was agreed at.'))
    visitIdArgument: string | null | undefined,
    @Arg('input', () => CreateFollowUpInput, { description: 'What is to be done, by whom, by when.' }) input: CreateFollowUpInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    const visitId = inputOrArgument('visitId', input?.visitId, visitIdArgument);
    const id = assertUuid(visitId, givenAt('visitId', input?.visitId));
    return runWrite(ctx, {
      operation: 'createFollowUp',
      idempotencyKey,
      payload: { visitId, input },
      writers: WRITERS,
      validate: () => [
        ...(input.description.trim() === '' ? [{ field: 'input.description', reason: 'must not be blank', reasonJa: '空欄にはできません' }] : []),
        ...((input.ownerKind === FollowUpOwnerKind.ADVISOR) !== Boolean(input.ownerAdvisorId)
          ? [
              {
                field: 'input.ownerAdvisorId',
                reason: 'give an advisor exactly when ownerKind is ADVISOR',
                reasonJa: 'ownerKind が ADVISOR のときだけアドバイザーを指定してください',
              },
            ]
          : []),
      ],
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const visit = await store.lockVisit(id);
        if (!visit || visit.status === VisitStatus.CANCELLED) throw notFound(`visit ${visitId}`, `訪問記録 ${visitId}`, givenAt('visitId', input?.visitId));
        tx.authorize(visit.prefectureCode);
        const [problem] = followUpOnVisitProblems(input, visit);
        if (problem) {
          const field = problem.field as 'municipalityCode' | 'dueOn';
          throw badUserInput(`input.${field}`, problem.reason, { value: input[field], reasonJa: problem.reasonJa });
        }
        if (input.ownerAdvisorId) {
          const [advisor] = await store.advisorsByIds([assertUuid(input.ownerAdvisorId, 'input.ownerAdvisorId')]);
          if (!advisor || advisor.prefectureCode !== visit.prefectureCode) {
            throw badUserInput('input.ownerAdvisorId', "not an advisor of the visit's prefecture", {
              value: input.ownerAdvisorId,
              reasonJa: '訪問の都道府県のアドバイザーではありません',
            });
          }
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
        return { id: followUp.id, prefectureCode: visit.prefectureCode, history: { entity: 'follow_up', before: null, after: followUp } };
      },
      reload: (id) => reload(ctx, id),
    });
  }

  @Mutation(() => FollowUp, { description: 'Marks an open follow-up done on a date.' })
  completeFollowUp(
    @Arg('input', () => CompleteFollowUpInput, { nullable: true, description: 'The follow-up done, and when.' })
    input: CompleteFollowUpInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The follow-up's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('completedOn', () => LocalDateScalar, movedArgument('completedOn', 'Date it was done (YYYY-MM-DD), not in the future.'))
    completedOnArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const completedOn = inputOrArgument('completedOn', input?.completedOn, completedOnArgument);
    return changeFollowUp(
      ctx,
      { id, idField: givenAt('id', input?.id), version, idempotencyKey, operation: 'completeFollowUp', payload: { id, version, completedOn } },
      (f, visit) => {
        if (completedOn < visit.visitedOn) {
          throw badUserInput(givenAt('completedOn', input?.completedOn), `must not be before the visit (${visit.visitedOn})`, {
            value: completedOn,
            reasonJa: `訪問日（${visit.visitedOn}）より前にはできません`,
          });
        }
        return { ...f, status: FollowUpStatus.DONE, completedOn };
      },
    );
  }

  @Mutation(() => FollowUp, { description: 'Drops an open follow-up, saying why.' })
  dropFollowUp(
    @Arg('input', () => DropFollowUpInput, { nullable: true, description: 'The follow-up dropped, and why.' }) input: DropFollowUpInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The follow-up's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('reason', () => String, movedArgument('reason', "Why it is dropped (free text, shown only to the prefecture's own staff and advisors)."))
    reasonArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<FollowUp> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const reason = inputOrArgument('reason', input?.reason, reasonArgument);
    return changeFollowUp(
      ctx,
      {
        id,
        idField: givenAt('id', input?.id),
        version,
        idempotencyKey,
        operation: 'dropFollowUp',
        payload: { id, version, reason },
        validate: () =>
          reason.trim() === ''
            ? [{ field: givenAt('reason', input?.reason), reason: 'say why it is dropped', reasonJa: '取りやめの理由を入力してください' }]
            : [],
      },
      (f) => ({ ...f, status: FollowUpStatus.DROPPED, dropReason: reason.trim() }),
    );
  }
}
