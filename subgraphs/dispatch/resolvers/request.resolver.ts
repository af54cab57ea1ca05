import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadFreeText, assertCanWritePrefecture } from '../../../shared/authorization';
import { assertMunicipalityCode, assertUuid } from '../../../shared/codes';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { actorOf, recordHistory } from '../../../shared/history';
import type { Context } from '../context';
import { DispatchStore, type StoredRequest } from '../data/dispatch.store';
import { RequestStatus } from '../rules';
import { RequestInput, UpdateRequestInput } from '../types/visit.input';
import { MunicipalRequest, Visit, toRequest, toVisit } from '../types/visit.type';

const WRITERS = ['ADVISOR'] as const;

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
    return visit && toVisit(visit);
  }

  @Mutation(() => MunicipalRequest, { description: 'Records a request a municipality raised to the prefecture (要望).' })
  async createRequest(@Arg('input', () => RequestInput) input: RequestInput, @Ctx() ctx: Context): Promise<MunicipalRequest> {
    const code = assertMunicipalityCode(input.municipalityCode, 'input.municipalityCode');
    if (input.summary.trim() === '') throw badUserInput('input.summary', 'must not be blank');
    assertCanWritePrefecture(ctx.viewer, code.slice(0, 2), WRITERS);
    const request: StoredRequest = {
      id: randomUUID(),
      visitId: input.visitId ? assertUuid(input.visitId, 'input.visitId') : null,
      municipalityCode: code,
      summary: input.summary.trim(),
      status: RequestStatus.RECEIVED,
      response: null,
      raisedOn: input.raisedOn,
      version: 1,
    };
    await ctx.dataSource.transaction(async (manager) => {
      const store = new DispatchStore(manager);
      if (request.visitId) {
        const [visit] = await store.visitsByIds([request.visitId]);
        if (!visit || !visit.municipalityCodes.includes(code)) throw badUserInput('input.visitId', 'not a visit to this municipality');
      }
      await store.saveRequests([request]);
      await recordHistory(manager, { entity: 'municipal_request', entityId: request.id, action: 'create', actor: actorOf(ctx.viewer), before: null, after: request });
    });
    return reload(ctx, request.id);
  }

  @Mutation(() => MunicipalRequest, { description: 'Changes a request (e.g. answers it); `version` must be current.' })
  async updateRequest(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateRequestInput) input: UpdateRequestInput,
    @Ctx() ctx: Context,
  ): Promise<MunicipalRequest> {
    const requestId = assertUuid(id, 'id');
    await ctx.dataSource.transaction(async (manager) => {
      const store = new DispatchStore(manager);
      const current = await store.lockRequest(requestId);
      if (!current) throw notFound(`request ${id}`);
      assertCanWritePrefecture(ctx.viewer, current.municipalityCode.slice(0, 2), WRITERS);
      if (current.version !== version) throw conflict(`version ${version} is stale: the request is at version ${current.version}`);
      const next = { ...current, summary: input.summary?.trim() || current.summary, status: input.status ?? current.status, response: input.response ?? current.response };
      await store.saveRequests([next]);
      await recordHistory(manager, { entity: 'municipal_request', entityId: requestId, action: 'update', actor: actorOf(ctx.viewer), before: current, after: next });
    });
    return reload(ctx, requestId);
  }
}
