import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadFreeText, assertCanReadPrefecture } from '../../../shared/authorization';
import { assertKnownMunicipalityCode, assertUuid } from '../../../shared/codes';
import { badUserInput, notFound } from '../../../shared/errors';
import { IDEMPOTENCY_KEY_DESCRIPTION, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { DispatchStore, type StoredRequest } from '../data/dispatch.store';
import { RequestStatus, VisitStatus, onVisitProblems, requestSummaryProblems } from '../rules';
import { CreateRequestInput, UpdateRequestInput } from '../types/visit.input';
import { MunicipalRequest, toRequest } from '../types/request.type';
import { Visit, toVisit } from '../types/visit.type';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';

const WRITERS = ['ADVISOR'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

async function reload(ctx: Context, id: string): Promise<MunicipalRequest> {
  const [request] = await new DispatchStore(ctx.dataSource).requestsByIds([id]);
  return toRequest(request);
}

@Resolver(() => MunicipalRequest)
export class RequestResolver {
  @FieldResolver(() => String, { nullable: true, description: 'What the municipality asked for. Not for analysts (free text).' })
  summary(@Root() request: MunicipalRequest, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, request.municipality.code.slice(0, 2));
    return request.summary;
  }

  @FieldResolver(() => String, { nullable: true, description: "The prefecture's answer. Not for analysts (free text)." })
  response(@Root() request: MunicipalRequest, @Ctx() ctx: Context): string | null {
    assertCanReadFreeText(ctx.viewer, request.municipality.code.slice(0, 2));
    return request.response;
  }

  @FieldResolver(() => Visit, { nullable: true, description: 'The visit it was raised on.' })
  async visit(@Root() request: MunicipalRequest, @Ctx() ctx: Context): Promise<Visit | null> {
    if (!request.visitId) return null;
    const visit = await ctx.loaders.visit.load(request.visitId);
    if (!visit) return null;
    assertCanReadPrefecture(ctx.viewer, visit.prefectureCode);
    return toVisit(visit);
  }

  @Mutation(() => MunicipalRequest, { description: 'Records a request a municipality raised to the prefecture (要望).' })
  async createRequest(
    @Arg('input', () => CreateRequestInput, { description: 'The request the municipality raised.' }) input: CreateRequestInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<MunicipalRequest> {
    const code = assertKnownMunicipalityCode(input.municipalityCode, 'input.municipalityCode');
    const visitId = input.visitId ? assertUuid(input.visitId, 'input.visitId') : null;
    return runWrite(ctx, {
      operation: 'createRequest',
      idempotencyKey,
      payload: { input },
      writers: WRITERS,
      prefectureCode: code.slice(0, 2),
      validate: () => requestSummaryProblems(input.summary, 'input.summary'),
      apply: async ({ manager }) => {
        const store = new DispatchStore(manager);
        if (visitId) {
          // Locked: a change to the visit (updateVisit) checks the requests on it, and waits for this one.
          const visit = await store.lockVisit(visitId);
          // Another prefecture's visit is answered as none: the refusal below would list its municipalities.
          if (!visit || visit.status === VisitStatus.CANCELLED || visit.prefectureCode !== code.slice(0, 2)) {
            throw notFound(`visit ${visitId}`, `訪問記録 ${visitId}`, 'input.visitId');
          }
          const [problem] = onVisitProblems({ municipalityCode: code }, [['raisedOn', input.raisedOn]], visit);
          if (problem) {
            const field = problem.field as 'municipalityCode' | 'raisedOn';
            throw badUserInput(`input.${field}`, problem.reason, { value: input[field], reasonJa: problem.reasonJa });
          }
        }
        const request: StoredRequest = {
          id: randomUUID(),
          visitId,
          municipalityCode: code,
          summary: input.summary.trim(),
          status: RequestStatus.RECEIVED,
          response: null,
          raisedOn: input.raisedOn,
          version: 1,
        };
        await store.saveRequests([request]);
        return { id: request.id, prefectureCode: code.slice(0, 2), history: { entity: 'municipal_request', before: null, after: request } };
      },
      reload: (id) => reload(ctx, id),
    });
  }

  @Mutation(() => MunicipalRequest, { description: 'Changes a request (e.g. answers it); `version` must be current.' })
  async updateRequest(
    @Arg('id', () => ID, movedArgument('id', "The request's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('input', () => UpdateRequestInput, { description: 'The new status and answer.' }) input: UpdateRequestInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<MunicipalRequest> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const requestId = assertUuid(id, givenAt('id', input?.id));
    return runWrite(ctx, {
      operation: 'updateRequest',
      idempotencyKey,
      payload: { id, version, input },
      writers: WRITERS,
      // Left out, the summary stays; blank, it is refused (it used to be ignored silently).
      validate: () => (input.summary === undefined || input.summary === null ? [] : requestSummaryProblems(input.summary, 'input.summary')),
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const current = await store.lockRequest(requestId);
        if (!current) throw notFound(`request ${id}`, `要望 ${id}`, givenAt('id', input?.id));
        tx.authorize(current.municipalityCode.slice(0, 2));
        tx.checkVersion('request', current.version, version);
        const next = {
          ...current,
          summary: input.summary?.trim() ?? current.summary,
          status: input.status ?? current.status,
          response: input.response ?? current.response,
        };
        await store.saveRequests([next]);
        return { id: requestId, prefectureCode: current.municipalityCode.slice(0, 2), history: { entity: 'municipal_request', before: current, after: next } };
      },
      reload: (id) => reload(ctx, id),
    });
  }
}
