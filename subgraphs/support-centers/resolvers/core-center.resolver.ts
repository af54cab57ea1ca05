import { randomUUID } from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertCanReadPrefecture, scopePrefectures } from '../../../shared/authorization';
import { assertMunicipalityCode, assertPrefectureCode, assertUuid } from '../../../shared/codes';
import { todayInJapan } from '../../../shared/dates';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { connectionPage, pageSize } from '../../../shared/pagination';
import { prefixed } from '../../../shared/problems';
import { LocalDateScalar } from '../../../shared/scalars';
import { IDEMPOTENCY_KEY_DESCRIPTION, type WriteTransaction, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { CoreCenterStore, type StoredCoreCenter } from '../data/core-center.store';
import { type CoreCenterRecord, canonicalFunctions, validateCoreCenter } from '../rules';
import { CoreCenterConnection } from '../types/core-center-connection.type';
import {
  CORE_CENTER_ORDER_COLUMN,
  CloseCoreCenterInput,
  CoreCenterOrderField,
  CoreCentersArgs,
  CreateCoreCenterInput,
  UpdateCoreCenterInput,
  type CoreCenterStaffInput,
} from '../types/core-center.input';
import { CoreCenter, toCoreCenter } from '../types/core-center.type';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';
import { keysetCursor, keysetOrdering } from '../../../shared/ordering';

const WRITERS = ['PREFECTURE_STAFF'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

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

/** The center as stored: codes sorted, functions in their canonical order. */
const canonical = <T extends CoreCenterRecord>(c: T): T => ({
  ...c,
  municipalityCodes: [...c.municipalityCodes].sort(),
  functions: canonicalFunctions(c.functions),
});

async function reload(ctx: Context, id: string): Promise<CoreCenter> {
  const [center] = await new CoreCenterStore(ctx.dataSource).findByIds([id]);
  return toCoreCenter(center);
}

/** Locks the center, checks the viewer may change it and that `version` is current. */
async function lockForChange(tx: WriteTransaction, id: string, field: string, version: number): Promise<StoredCoreCenter> {
  const current = await new CoreCenterStore(tx.manager).lock(id);
  if (!current) throw notFound(`core center ${id}`, `基幹相談支援センター ${id}`, field);
  tx.authorize(current.prefectureCode);
  tx.checkVersion('center', current.version, version);
  return current;
}

@Resolver(() => CoreCenter)
export class CoreCenterResolver {
  @Query(() => CoreCenter, { nullable: true, description: 'One core center by id.' })
  async coreCenter(@Arg('id', () => ID, { description: "The center's id." }) id: string, @Ctx() ctx: Context): Promise<CoreCenter | null> {
    const center = await ctx.loaders.coreCenter.load(assertUuid(id, 'id'));
    if (center) assertCanReadPrefecture(ctx.viewer, center.prefectureCode);
    return center && toCoreCenter(center);
  }

  @Query(() => CoreCenterConnection, { description: 'Core centers matching a filter, a page at a time (in id order unless `orderBy` says otherwise).' })
  async coreCenters(@Args(() => CoreCentersArgs) { filter, orderBy, first, after }: CoreCentersArgs, @Ctx() ctx: Context): Promise<CoreCenterConnection> {
    const criteria = {
      prefectureCodes: scopePrefectures(
        ctx.viewer,
        filter?.prefectureCodes?.map((c, i) => assertPrefectureCode(c, `filter.prefectureCodes[${i}]`)),
      ),
      municipalityCodes: filter?.municipalityCodes?.map((c, i) => assertMunicipalityCode(c, `filter.municipalityCodes[${i}]`)),
      setups: filter?.setups,
      activeOn: filter?.activeOn,
      sample: filter?.sample ?? undefined,
    };
    const limit = pageSize(first);
    const field = orderBy?.field ?? CoreCenterOrderField.ID;
    const ordering = keysetOrdering(field, CORE_CENTER_ORDER_COLUMN[field], 'c.id', orderBy?.direction);
    const rows = limit === 0 ? [] : await ctx.loaders.store.search(criteria, ordering, limit + 1, after);
    const stored = new Map(rows.map((r) => [r.id, r]));
    const sortValue = (r: StoredCoreCenter) => ({ ID: r.id, NAME: r.name, ESTABLISHED_ON: r.establishedOn, PREFECTURE_CODE: r.prefectureCode })[field];
    const page = connectionPage(rows.map(toCoreCenter), limit, after, (c) => keysetCursor(ordering, sortValue(stored.get(c.id)!), c.id));
    return { ...page, nodes: page.edges.map((e) => e.node), criteria };
  }

  @Mutation(() => CoreCenter, { description: 'Registers a core center (prefectural staff of its prefecture, or admin).' })
  async createCoreCenter(
    @Arg('input', () => CreateCoreCenterInput, { description: 'The center to register.' }) input: CreateCoreCenterInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
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
    return runWrite(ctx, {
      operation: 'createCoreCenter',
      idempotencyKey,
      payload: { input },
      writers: WRITERS,
      prefectureCode: input.prefectureCode,
      validate: () => prefixed(validateCoreCenter(record), 'input'),
      apply: async ({ manager }) => {
        // Its id is also its key in files (center_id), so a downloaded file sent back updates it.
        const id = randomUUID();
        const created = { ...canonical(record), id, externalId: id, version: 1 };
        await new CoreCenterStore(manager).insert([created]);
        return { id: created.id, prefectureCode: created.prefectureCode, history: { entity: 'core_center', before: null, after: created } };
      },
      reload: (id) => reload(ctx, id),
    });
  }

  @Mutation(() => CoreCenter, { description: 'Changes a core center; `version` must be its current version (else CONFLICT).' })
  async updateCoreCenter(
    @Arg('id', () => ID, movedArgument('id', "The center's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('input', () => UpdateCoreCenterInput, { description: 'The new values; fields left out keep theirs.' }) input: UpdateCoreCenterInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<CoreCenter> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const centerId = assertUuid(id, givenAt('id', input?.id));
    return runWrite(ctx, {
      operation: 'updateCoreCenter',
      idempotencyKey,
      payload: { id, version, input },
      writers: WRITERS,
      apply: async (tx) => {
        const current = await lockForChange(tx, centerId, givenAt('id', input?.id), version);
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
        tx.assertValid(prefixed(validateCoreCenter(next), 'input'));
        const stored = canonical(next);
        await new CoreCenterStore(tx.manager).update([stored]);
        return { id: centerId, prefectureCode: stored.prefectureCode, history: { entity: 'core_center', before: current, after: stored } };
      },
      reload: (centerId) => reload(ctx, centerId),
    });
  }

  @Mutation(() => CoreCenter, { description: 'Closes a core center on a date (nothing is deleted); from that date it no longer counts.' })
  async closeCoreCenter(
    @Arg('input', () => CloseCoreCenterInput, { nullable: true, description: 'The center to close, and the date.' })
    input: CloseCoreCenterInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The center's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('closedOn', () => LocalDateScalar, movedArgument('closedOn', 'Date it closed (YYYY-MM-DD); from this date on it no longer counts.'))
    closedOnArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<CoreCenter> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const closedOn = inputOrArgument('closedOn', input?.closedOn, closedOnArgument);
    const centerId = assertUuid(id, givenAt('id', input?.id));
    return runWrite(ctx, {
      operation: 'closeCoreCenter',
      idempotencyKey,
      payload: { id, version, closedOn },
      writers: WRITERS,
      apply: async (tx) => {
        const current = await lockForChange(tx, centerId, givenAt('id', input?.id), version);
        if (current.closedOn)
          throw conflict(`the center is already closed (on ${current.closedOn})`, `このセンターは既に廃止されています（${current.closedOn}）`);
        if (closedOn <= current.establishedOn)
          throw badUserInput(givenAt('closedOn', input?.closedOn), `must be after establishedOn (${current.establishedOn})`, {
            value: closedOn,
            reasonJa: `設置日（${current.establishedOn}）より後の日付にしてください`,
          });
        const after = { ...current, closedOn };
        await new CoreCenterStore(tx.manager).update([after]);
        return { id: centerId, prefectureCode: current.prefectureCode, history: { entity: 'core_center', before: current, after } };
      },
      reload: (centerId) => reload(ctx, centerId),
    });
  }
}

@Resolver(() => CoreCenterConnection)
export class CoreCenterConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of core centers matching the filter, over all pages.' })
  totalCount(@Root() connection: CoreCenterConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.store.count(connection.criteria);
  }
}
