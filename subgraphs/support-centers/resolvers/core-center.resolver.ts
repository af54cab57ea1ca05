import { randomUUID } from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture, assertCanWritePrefecture, scopePrefectures } from '../../../shared/authorization';
import { assertMunicipalityCode, assertPrefectureCode, assertUuid } from '../../../shared/codes';
import { todayInJapan } from '../../../shared/dates';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { actorOf, recordHistory } from '../../../shared/history';
import { withIdempotency } from '../../../shared/idempotency';
import { connectionPage, decodeCursor, encodeCursor, pageSize } from '../../../shared/pagination';
import { LocalDateScalar } from '../../../shared/scalars';
import type { Context } from '../context';
import { CoreCenterStore, type StoredCoreCenter } from '../data/core-center.store';
import { type CoreCenterRecord, canonicalFunctions, validateCoreCenter } from '../rules';
import { CoreCenterConnection } from '../types/core-center-connection.type';
import {
  CoreCentersArgs,
  type CoreCenterStaffInput,
  CreateCoreCenterInput,
  UpdateCoreCenterInput,
} from '../types/core-center.input';
import { CoreCenter, toCoreCenter } from '../types/core-center.type';

const WRITERS = ['PREFECTURE_STAFF'] as const;
const IDEMPOTENCY_DESCRIPTION = 'Any unique string (8–200 characters); a retry with the same key does not write twice.';

function staffOf(staff: CoreCenterStaffInput | null | undefined) {
  return {
    chiefSpecialists: staff?.chiefSpecialists ?? 0,
    specialists: staff?.specialists ?? 0,
    socialWorkers: staff?.socialWorkers ?? 0,
    psychiatricSocialWorkers: staff?.psychiatricSocialWorkers ?? 0,
    publicHealthNurses: staff?.publicHealthNurses ?? 0,
    otherStaff: staff?.otherStaff ?? 0,
  };
}

/** Refuses an invalid record with BAD_USER_INPUT naming the first bad field and listing all. */
function assertValid(record: CoreCenterRecord, prefix: string): void {
  const problems = validateCoreCenter(record).map((p) => ({ field: `${prefix}.${p.field}`, reason: p.reason }));
  if (problems.length > 0) throw badUserInput(problems[0].field, problems[0].reason, problems);
}

async function reload(ctx: Context, id: string): Promise<CoreCenter> {
  const [center] = await new CoreCenterStore(ctx.dataSource).findByIds([id]);
  return toCoreCenter(center);
}

/** Locks the center, checks the viewer may change it and that `version` is current. */
async function lockForChange(store: CoreCenterStore, ctx: Context, id: string, version: number): Promise<StoredCoreCenter> {
  const current = await store.lock(id);
  if (!current) throw notFound(`core center ${id}`);
  assertCanWritePrefecture(ctx.viewer, current.prefectureCode, WRITERS);
  if (current.version !== version) {
    throw conflict(`version ${version} is stale: the center is at version ${current.version}; reload it and try again`);
  }
  return current;
}

@Resolver(() => CoreCenter)
export class CoreCenterResolver {
  @Query(() => CoreCenter, { nullable: true, description: 'One core center by id.' })
  async coreCenter(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CoreCenter | null> {
    const center = await ctx.loaders.coreCenter.load(assertUuid(id, 'id'));
    if (center) assertCanReadPrefecture(ctx.viewer, center.prefectureCode);
    return center && toCoreCenter(center);
  }

  @Query(() => CoreCenterConnection, { description: 'Core centers matching a filter, a page at a time (in id order).' })
  async coreCenters(@Args(() => CoreCentersArgs) { filter, first, after }: CoreCentersArgs, @Ctx() ctx: Context): Promise<CoreCenterConnection> {
    const criteria = {
      prefectureCodes: scopePrefectures(ctx.viewer, filter?.prefectureCodes?.map((c, i) => assertPrefectureCode(c, `filter.prefectureCodes[${i}]`))),
      municipalityCodes: filter?.municipalityCodes?.map((c, i) => assertMunicipalityCode(c, `filter.municipalityCodes[${i}]`)),
      setups: filter?.setups,
      activeOn: filter?.activeOn,
      sample: filter?.sample ?? undefined,
    };
    const limit = pageSize(first);
    const afterId = after ? String(decodeCursor(after, 'id')[0]) : undefined;
    const rows = limit === 0 ? [] : await ctx.loaders.store.search(criteria, limit + 1, afterId);
    const page = connectionPage(rows.map(toCoreCenter), limit, after, (c) => encodeCursor('id', [c.id]));
    return { ...page, nodes: page.edges.map((e) => e.node), criteria };
  }

  @Mutation(() => CoreCenter, { description: 'Registers a core center (prefectural staff of its prefecture, or admin).' })
  async createCoreCenter(
    @Arg('input', () => CreateCoreCenterInput) input: CreateCoreCenterInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<CoreCenter> {
    const record: CoreCenterRecord = {
      prefectureCode: input.prefectureCode,
      name: input.name.trim(),
      setup: input.setup,
      municipalityCodes: [...input.municipalityCodes],
      operation: input.operation,
      operatorName: input.operatorName?.trim() || null,
      establishedOn: input.establishedOn,
      closedOn: null,
      functions: input.functions,
      ...staffOf(input.staff),
      alsoFunctionsAsBase: input.alsoFunctionsAsBase,
      runsAbusePreventionCenter: input.runsAbusePreventionCenter,
      hasMedicalCareChildCoordinator: input.hasMedicalCareChildCoordinator,
      sourceName: input.sourceName?.trim() || '都道府県による登録',
      sourceAsOf: input.sourceAsOf ?? todayInJapan(),
      sample: false,
    };
    assertValid(record, 'input');
    assertCanWritePrefecture(ctx.viewer, record.prefectureCode, WRITERS);
    const { entityId } = await ctx.dataSource.transaction((manager) =>
      withIdempotency(manager, idempotencyKey, 'createCoreCenter', input, async () => {
        const id = randomUUID();
        const created = { ...record, municipalityCodes: [...record.municipalityCodes].sort(), functions: canonicalFunctions(record.functions), id, externalId: null, version: 1 };
        await new CoreCenterStore(manager).insert([created]);
        await recordHistory(manager, { entity: 'core_center', entityId: id, action: 'create', actor: actorOf(ctx.viewer), before: null, after: created });
        return id;
      }),
    );
    return reload(ctx, entityId);
  }

  @Mutation(() => CoreCenter, { description: 'Changes a core center; `version` must be its current version (else CONFLICT).' })
  async updateCoreCenter(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateCoreCenterInput) input: UpdateCoreCenterInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<CoreCenter> {
    const centerId = assertUuid(id, 'id');
    await ctx.dataSource.transaction((manager) =>
      withIdempotency(manager, idempotencyKey, 'updateCoreCenter', { id, version, input }, async () => {
        const store = new CoreCenterStore(manager);
        const current = await lockForChange(store, ctx, centerId, version);
        const next: StoredCoreCenter = {
          ...current,
          name: input.name?.trim() ?? current.name,
          setup: input.setup ?? current.setup,
          municipalityCodes: input.municipalityCodes ? [...input.municipalityCodes] : current.municipalityCodes,
          operation: input.operation ?? current.operation,
          operatorName: input.operatorName === undefined ? current.operatorName : input.operatorName?.trim() || null,
          establishedOn: input.establishedOn ?? current.establishedOn,
          functions: input.functions ?? current.functions,
          ...(input.staff ? staffOf(input.staff) : {}),
          alsoFunctionsAsBase: input.alsoFunctionsAsBase ?? current.alsoFunctionsAsBase,
          runsAbusePreventionCenter: input.runsAbusePreventionCenter ?? current.runsAbusePreventionCenter,
          hasMedicalCareChildCoordinator: input.hasMedicalCareChildCoordinator ?? current.hasMedicalCareChildCoordinator,
          sourceName: input.sourceName?.trim() || current.sourceName,
          sourceAsOf: input.sourceAsOf ?? current.sourceAsOf,
          // An edited record is no longer pure sample data.
          sample: false,
        };
        assertValid(next, 'input');
        const stored = { ...next, municipalityCodes: [...next.municipalityCodes].sort(), functions: canonicalFunctions(next.functions) };
        await store.update([stored]);
        await recordHistory(manager, { entity: 'core_center', entityId: centerId, action: 'update', actor: actorOf(ctx.viewer), before: current, after: stored });
        return centerId;
      }),
    );
    return reload(ctx, centerId);
  }

  @Mutation(() => CoreCenter, { description: 'Closes a core center on a date (nothing is deleted); from that date it no longer counts.' })
  async closeCoreCenter(
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('closedOn', () => LocalDateScalar) closedOn: string,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_DESCRIPTION }) idempotencyKey?: string,
  ): Promise<CoreCenter> {
    const centerId = assertUuid(id, 'id');
    await ctx.dataSource.transaction((manager) =>
      withIdempotency(manager, idempotencyKey, 'closeCoreCenter', { id, version, closedOn }, async () => {
        const store = new CoreCenterStore(manager);
        const current = await lockForChange(store, ctx, centerId, version);
        if (current.closedOn) throw conflict(`the center is already closed (on ${current.closedOn})`);
        if (closedOn <= current.establishedOn) throw badUserInput('closedOn', `must be after establishedOn (${current.establishedOn})`);
        await store.update([{ ...current, closedOn }]);
        await recordHistory(manager, { entity: 'core_center', entityId: centerId, action: 'close', actor: actorOf(ctx.viewer), before: current, after: { ...current, closedOn } });
        return centerId;
      }),
    );
    return reload(ctx, centerId);
  }
}

@Resolver(() => CoreCenterConnection)
export class CoreCenterConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of core centers matching the filter, over all pages.' })
  totalCount(@Root() connection: CoreCenterConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.store.count(connection.criteria);
  }
}
