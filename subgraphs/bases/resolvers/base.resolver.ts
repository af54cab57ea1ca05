import { randomUUID } from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertAnswersForPersonalTexts, assertCanReadFreeText, assertCanReadPrefecture, scopePrefectures } from '../../../shared/authorization';
import { assertMunicipalityCode, assertPrefectureCode, assertUuid } from '../../../shared/codes';
import { asOfOrToday, todayInJapan } from '../../../shared/dates';
import { badUserInput, conflict, notFound } from '../../../shared/errors';
import { connectionPage, pageSize } from '../../../shared/pagination';
import { type FieldProblem, erasureReasonProblems, prefixed } from '../../../shared/problems';
import { LocalDateScalar } from '../../../shared/scalars';
import { IDEMPOTENCY_KEY_DESCRIPTION, type WriteTransaction, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { BaseStore, type StoredBase } from '../data/base.store';
import { type BaseRecord, canonicalFunctions, isCoordinatorWorkingOn, isReviewOverdue, validateBase, validateCoordinator } from '../rules';
import { BaseConnection } from '../types/base-connection.type';
import {
  AddBaseParticipantInput,
  BASE_ORDER_COLUMN,
  BaseOrderField,
  BasesArgs,
  CloseBaseInput,
  CreateBaseInput,
  EraseEarlierBaseTextsInput,
  RecordBaseCoordinatorInput,
  RecordBaseReviewInput,
  RemoveBaseParticipantInput,
  UpdateBaseInput,
} from '../types/base.input';
import {
  Base,
  BaseCoordinator,
  BaseFunctionStatus,
  BaseReview,
  BaseTextErasure,
  functionStatuses,
  toBase,
  toCoordinator,
  toReview,
  toTextErasure,
} from '../types/base.type';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';
import { keysetCursor, keysetOrdering } from '../../../shared/ordering';
import { narrowAnswerScope } from '../../../shared/data-version';

const WRITERS = ['PREFECTURE_STAFF'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };
const AS_OF = { nullable: true, description: 'Date to look at (YYYY-MM-DD); default today in Japan.' };

/** Locks the base for a change by the viewer (`field`: the argument that named it); with `version`, also checks it is current. */
async function lockForChange(tx: WriteTransaction, store: BaseStore, id: string, field: string, version?: number): Promise<StoredBase> {
  const current = await store.lock(id);
  if (!current) throw notFound(`base ${id}`, `拠点 ${id}`, field);
  tx.authorize(current.prefectureCode);
  if (version !== undefined) tx.checkVersion('base', current.version, version);
  return current;
}

interface BaseChange {
  operation: string;
  idempotencyKey: string | undefined;
  payload: unknown;
  /** For a create: the prefecture named by the input. */
  prefectureCode?: string;
  validate?: () => FieldProblem[];
  /** Inside the transaction: the base changed and how it was before (null for a create). */
  change(tx: WriteTransaction, store: BaseStore): Promise<{ id: string; before: StoredBase | null }>;
}

/** A change to one base through the write path; the history keeps the base after it and the request. */
function writeBase(ctx: Context, { change, ...spec }: BaseChange): Promise<Base> {
  return runWrite(ctx, {
    ...spec,
    writers: WRITERS,
    apply: async (tx) => {
      const store = new BaseStore(tx.manager);
      const { id, before } = await change(tx, store);
      const [after] = await store.findByIds([id]);
      return { id, prefectureCode: after.prefectureCode, history: { entity: 'base', before, after: { base: after, request: spec.payload } } };
    },
    reload: async (id) => toBase((await new BaseStore(ctx.dataSource).findByIds([id]))[0]),
  });
}

@Resolver(() => Base)
export class BaseResolver {
  @Query(() => Base, { nullable: true, description: 'One base by id.' })
  async base(@Arg('id', () => ID, { description: "The base's id." }) id: string, @Ctx() ctx: Context): Promise<Base | null> {
    const base = await ctx.loaders.base.load(assertUuid(id, 'id'));
    if (base) assertCanReadPrefecture(ctx.viewer, base.prefectureCode);
    return base && toBase(base);
  }

  @Query(() => BaseConnection, { description: 'Bases matching a filter, a page at a time (in id order unless `orderBy` says otherwise).' })
  async bases(@Args(() => BasesArgs) { filter, orderBy, first, after }: BasesArgs, @Ctx() ctx: Context): Promise<BaseConnection> {
    const criteria = {
      prefectureCodes: scopePrefectures(
        ctx.viewer,
        filter?.prefectureCodes?.map((c, i) => assertPrefectureCode(c, `filter.prefectureCodes[${i}]`)),
      ),
      municipalityCodes: filter?.municipalityCodes?.map((c, i) => assertMunicipalityCode(c, `filter.municipalityCodes[${i}]`)),
      models: filter?.models,
      activeOn: filter?.activeOn,
      sample: filter?.sample ?? undefined,
    };
    const limit = pageSize(first);
    const field = orderBy?.field ?? BaseOrderField.ID;
    const ordering = keysetOrdering(field, BASE_ORDER_COLUMN[field], 'b.id', orderBy?.direction);
    const rows = limit === 0 ? [] : await ctx.loaders.store.search(criteria, ordering, limit + 1, after);
    const stored = new Map(rows.map((r) => [r.id, r]));
    const sortValue = (r: StoredBase) => ({ ID: r.id, NAME: r.name, ESTABLISHED_ON: r.establishedOn, PREFECTURE_CODE: r.prefectureCode })[field];
    const page = connectionPage(rows.map(toBase), limit, after, (b) => keysetCursor(ordering, sortValue(stored.get(b.id)!), b.id));
    return { ...page, nodes: page.edges.map((e) => e.node), criteria };
  }

  @FieldResolver(() => [BaseFunctionStatus], { description: 'All five functions, each saying whether it is provided and who takes part.' })
  async functions(@Root() base: Base, @Ctx() ctx: Context): Promise<BaseFunctionStatus[]> {
    return functionStatuses(base, await ctx.loaders.participants.load(base.id));
  }

  @FieldResolver(() => [BaseCoordinator], { description: 'Coordinator assignments, oldest first (ended ones included).' })
  async coordinators(@Root() base: Base, @Ctx() ctx: Context): Promise<BaseCoordinator[]> {
    return (await ctx.loaders.coordinators.load(base.id)).map(toCoordinator);
  }

  @FieldResolver(() => Int, { description: 'Coordinators working on `asOf` (拠点コーディネーター配置人数).' })
  async coordinatorCount(@Root() base: Base, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<number> {
    const date = asOfOrToday(asOf);
    return (await ctx.loaders.coordinators.load(base.id)).filter((c) => isCoordinatorWorkingOn(c, date)).reduce((sum, c) => sum + c.count, 0);
  }

  @FieldResolver(() => [BaseTextErasure], {
    nullable: true,
    description:
      "Every erasure of the base's earlier texts (以前の記述の消去の記録), newest first: for the prefecture's staff and admins; anyone else gets null with a FORBIDDEN error.",
  })
  async textErasures(@Root() base: Base, @Ctx() ctx: Context): Promise<BaseTextErasure[]> {
    assertAnswersForPersonalTexts(ctx.viewer, base.prefecture.code, { en: "the record of a base's erasures", ja: '記述の消去の記録' });
    narrowAnswerScope(ctx.viewer, 'viewer'); // the reason is free text: kept for this reader only, never shared
    return (await ctx.loaders.textErasures.load(base.id)).map(toTextErasure);
  }

  @FieldResolver(() => [BaseReview], { description: 'Annual operational reviews, newest first.' })
  async reviews(@Root() base: Base, @Ctx() ctx: Context): Promise<BaseReview[]> {
    return (await ctx.loaders.reviews.load(base.id)).map((r) => toReview(r, base.prefecture.code));
  }

  @FieldResolver(() => LocalDateScalar, { nullable: true, description: 'Date of the last review on or before `asOf`.' })
  async lastReviewOn(@Root() base: Base, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<string | null> {
    const date = asOfOrToday(asOf);
    return (await ctx.loaders.reviews.load(base.id)).find((r) => r.reviewedOn <= date)?.reviewedOn ?? null;
  }

  @FieldResolver(() => Boolean, {
    description: 'True when the last review on or before `asOf` is more than 12 months earlier, or there was none (年1回以上の検証・検討が未実施).',
  })
  async reviewOverdue(@Root() base: Base, @Ctx() ctx: Context, @Arg('asOf', () => LocalDateScalar, AS_OF) asOf?: string): Promise<boolean> {
    const date = asOfOrToday(asOf);
    return isReviewOverdue((await ctx.loaders.reviews.load(base.id)).find((r) => r.reviewedOn <= date)?.reviewedOn ?? null, date);
  }

  @Mutation(() => Base, { description: 'Registers a base (prefectural staff of its prefecture, or admin).' })
  async createBase(
    @Arg('input', () => CreateBaseInput, { description: 'The base to register.' }) input: CreateBaseInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const record: BaseRecord = {
      prefectureCode: input.prefectureCode,
      name: input.name.trim(),
      model: input.model,
      municipalityCodes: [...input.municipalityCodes],
      establishedOn: input.establishedOn,
      closedOn: null,
      functions: input.functions,
      emergencyPreregistrations: input.emergencyPreregistrations,
      sourceName: input.sourceName?.trim() || '都道府県による登録',
      sourceAsOf: input.sourceAsOf ?? todayInJapan(),
      sample: false,
    };
    return writeBase(ctx, {
      operation: 'createBase',
      idempotencyKey,
      payload: { input },
      prefectureCode: input.prefectureCode,
      validate: () => prefixed(validateBase(record), 'input'),
      change: async (_tx, store) => {
        const id = randomUUID();
        await store.save([
          {
            ...record,
            municipalityCodes: [...record.municipalityCodes].sort(),
            functions: canonicalFunctions(record.functions),
            id,
            externalId: id, // its key in files (base_id), so a downloaded file sent back updates it
            version: 1,
          },
        ]);
        return { id, before: null };
      },
    });
  }

  @Mutation(() => Base, { description: 'Changes a base; `version` must be its current version (else CONFLICT).' })
  async updateBase(
    @Arg('id', () => ID, movedArgument('id', "The base's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('input', () => UpdateBaseInput, { description: 'The new values; every field is replaced.' }) input: UpdateBaseInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const baseId = assertUuid(id, givenAt('id', input?.id));
    return writeBase(ctx, {
      operation: 'updateBase',
      idempotencyKey,
      payload: { id, version, input },
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, baseId, givenAt('id', input?.id), version);
        const next: StoredBase = {
          ...current,
          name: input.name?.trim() ?? current.name,
          model: input.model ?? current.model,
          municipalityCodes: input.municipalityCodes ? [...input.municipalityCodes] : current.municipalityCodes,
          establishedOn: input.establishedOn ?? current.establishedOn,
          functions: input.functions ?? current.functions,
          emergencyPreregistrations: input.emergencyPreregistrations ?? current.emergencyPreregistrations,
          sourceName: input.sourceName?.trim() || current.sourceName,
          sourceAsOf: input.sourceAsOf ?? current.sourceAsOf,
          sample: false, // an edited record is no longer pure sample data
        };
        tx.assertValid(prefixed(validateBase(next), 'input'));
        await store.save([{ ...next, municipalityCodes: [...next.municipalityCodes].sort(), functions: canonicalFunctions(next.functions) }]);
        return { id: baseId, before: current };
      },
    });
  }

  @Mutation(() => Base, { description: 'Closes a base on a date (nothing is deleted); from that date it no longer counts.' })
  async closeBase(
    @Arg('input', () => CloseBaseInput, { nullable: true, description: 'The base to close, and the date.' }) input: CloseBaseInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The base's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('closedOn', () => LocalDateScalar, movedArgument('closedOn', 'Date it closed (YYYY-MM-DD); from this date on it no longer counts.'))
    closedOnArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const closedOn = inputOrArgument('closedOn', input?.closedOn, closedOnArgument);
    const baseId = assertUuid(id, givenAt('id', input?.id));
    return writeBase(ctx, {
      operation: 'closeBase',
      idempotencyKey,
      payload: { id, version, closedOn },
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, baseId, givenAt('id', input?.id), version);
        if (current.closedOn) throw conflict(`the base is already closed (on ${current.closedOn})`, `この拠点は既に廃止されています（${current.closedOn}）`);
        if (closedOn <= current.establishedOn) {
          throw badUserInput(givenAt('closedOn', input?.closedOn), `must be after establishedOn (${current.establishedOn})`, {
            value: closedOn,
            reasonJa: `設置日（${current.establishedOn}）より後の日付にしてください`,
          });
        }
        await store.save([{ ...current, closedOn }]);
        return { id: baseId, before: current };
      },
    });
  }

  @Mutation(() => Base, { description: 'Adds an organization to a function the base provides (参加事業所の追加).' })
  async addBaseParticipant(
    @Arg('baseId', () => ID, movedArgument('baseId', "The base's id."))
    baseIdArgument: string | null | undefined,
    @Arg('input', () => AddBaseParticipantInput, { description: 'The organisation and the function it takes part in.' }) input: AddBaseParticipantInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const baseId = inputOrArgument('baseId', input?.baseId, baseIdArgument);
    const id = assertUuid(baseId, givenAt('baseId', input?.baseId));
    const organizationName = input.organizationName.trim();
    return writeBase(ctx, {
      operation: 'addBaseParticipant',
      idempotencyKey,
      payload: { baseId, input },
      validate: () => (organizationName === '' ? [{ field: 'input.organizationName', reason: 'must not be blank', reasonJa: '空欄にはできません' }] : []),
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, id, givenAt('baseId', input?.baseId));
        if (!current.functions.includes(input.function)) {
          throw badUserInput('input.function', `the base does not provide ${input.function}; add the function with updateBase first`, {
            value: input.function,
            reasonJa: 'この拠点が担っていない機能です。先に updateBase で機能を追加してください',
          });
        }
        await store.saveParticipants([{ id: randomUUID(), baseId: id, function: input.function, organizationName, organizationKind: input.organizationKind }]);
        await store.touch(id);
        return { id, before: current };
      },
    });
  }

  @Mutation(() => Base, { description: 'Removes an organization from a base function.' })
  async removeBaseParticipant(
    @Arg('input', () => RemoveBaseParticipantInput, { nullable: true, description: 'The participant to remove.' })
    input: RemoveBaseParticipantInput | null | undefined,
    @Arg('participantId', () => ID, movedArgument('participantId', "The participant's id (BaseParticipant.id)."))
    participantIdArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const participantId = inputOrArgument('participantId', input?.participantId, participantIdArgument);
    const id = assertUuid(participantId, givenAt('participantId', input?.participantId));
    return writeBase(ctx, {
      operation: 'removeBaseParticipant',
      idempotencyKey,
      payload: { participantId },
      change: async (tx, store) => {
        const participant = await store.findParticipant(id);
        if (!participant) throw notFound(`participant ${id}`, `参加事業所・機関 ${id}`, givenAt('participantId', input?.participantId));
        const current = await lockForChange(tx, store, participant.baseId, givenAt('participantId', input?.participantId));
        await store.removeParticipant(id);
        await store.touch(participant.baseId);
        return { id: participant.baseId, before: current };
      },
    });
  }

  @Mutation(() => Base, { description: 'Records coordinators assigned to a base (拠点コーディネーターの配置).' })
  async recordBaseCoordinator(
    @Arg('baseId', () => ID, movedArgument('baseId', "The base's id."))
    baseIdArgument: string | null | undefined,
    @Arg('input', () => RecordBaseCoordinatorInput, { description: 'The assignment.' }) input: RecordBaseCoordinatorInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const baseId = inputOrArgument('baseId', input?.baseId, baseIdArgument);
    const id = assertUuid(baseId, givenAt('baseId', input?.baseId));
    const { baseId: _baseId, ...assignment } = input;
    const coordinator = { ...assignment, hostOrganization: input.hostOrganization.trim(), endedOn: input.endedOn ?? null };
    return writeBase(ctx, {
      operation: 'recordBaseCoordinator',
      idempotencyKey,
      payload: { baseId, input },
      validate: () => prefixed(validateCoordinator(coordinator), 'input'),
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, id, givenAt('baseId', input?.baseId));
        await store.saveCoordinators([{ ...coordinator, id: randomUUID(), externalId: null, baseId: id }]);
        await store.touch(id);
        return { id, before: current };
      },
    });
  }

  @Mutation(() => Base, {
    description:
      "Erases the earlier versions of the texts of a base's reviews (以前の記述の消去), e.g. after a correction made on a person's request: every summary of a review " +
      'that an entry of the change history holds (a request, an import row) and no review of the base holds now — a summary replaced by recording the ' +
      "review again on its date —, in one transaction. What the reviews hold now stays: correct it first (recordBaseReview). For staff of the base's " +
      'prefecture and admins, also on a closed base. The erasure is recorded without the texts (Base.textErasures); the base moves to its next version.',
  })
  async eraseEarlierBaseTexts(
    @Arg('input', () => EraseEarlierBaseTextsInput, { description: 'The base, and why.' }) input: EraseEarlierBaseTextsInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const id = assertUuid(input.id, 'input.id');
    return writeBase(ctx, {
      operation: 'eraseEarlierBaseTexts',
      idempotencyKey,
      payload: { input },
      validate: () => erasureReasonProblems(input.reason),
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, id, 'input.id', input.version);
        await store.eraseEarlierTexts(id, tx.actor, input.reason.trim());
        return { id, before: current };
      },
    });
  }

  @Mutation(() => Base, { description: 'Records an annual operational review (運用状況の検証・検討); a second one on the same date replaces its summary.' })
  async recordBaseReview(
    @Arg('input', () => RecordBaseReviewInput, { nullable: true, description: 'The base, the date and what the review found.' })
    input: RecordBaseReviewInput | null | undefined,
    @Arg('baseId', () => ID, movedArgument('baseId', "The base's id."))
    baseIdArgument: string | null | undefined,
    @Arg('reviewedOn', () => LocalDateScalar, movedArgument('reviewedOn', 'Date of the review (YYYY-MM-DD), not in the future.'))
    reviewedOnArgument: string | null | undefined,
    @Arg('summary', () => String, movedArgument('summary', "What the review found (free text, shown only to the prefecture's own staff and advisors)."))
    summaryArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Base> {
    const baseId = inputOrArgument('baseId', input?.baseId, baseIdArgument);
    const reviewedOn = inputOrArgument('reviewedOn', input?.reviewedOn, reviewedOnArgument);
    const summary = inputOrArgument('summary', input?.summary, summaryArgument);
    const id = assertUuid(baseId, givenAt('baseId', input?.baseId));
    return writeBase(ctx, {
      operation: 'recordBaseReview',
      idempotencyKey,
      payload: { baseId, reviewedOn, summary },
      validate: () =>
        summary.trim() === '' ? [{ field: givenAt('summary', input?.summary), reason: 'must not be blank', reasonJa: '空欄にはできません' }] : [],
      change: async (tx, store) => {
        const current = await lockForChange(tx, store, id, givenAt('baseId', input?.baseId));
        if (reviewedOn < current.establishedOn) {
          throw badUserInput(givenAt('reviewedOn', input?.reviewedOn), `must not be before the base started (${current.establishedOn})`, {
            value: reviewedOn,
            reasonJa: `拠点の設置日（${current.establishedOn}）より前にはできません`,
          });
        }
        await store.saveReviews([{ id: randomUUID(), baseId: id, reviewedOn, summary: summary.trim() }]);
        await store.touch(id);
        return { id, before: current };
      },
    });
  }
}

@Resolver(() => BaseConnection)
export class BaseConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of bases matching the filter, over all pages.' })
  totalCount(@Root() connection: BaseConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.store.count(connection.criteria);
  }
}

@Resolver(() => BaseReview)
export class BaseReviewResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "What was reviewed and concluded (概要). Not for analysts or API keys (free text, shown only to the prefecture's own staff and advisors).",
  })
  summary(@Root() review: BaseReview, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, review.prefectureCode);
    return review.summary;
  }
}
