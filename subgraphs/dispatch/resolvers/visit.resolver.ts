import { randomUUID } from 'node:crypto';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { assertAnswersForPersonalTexts, assertCanReadFreeText, assertCanReadPrefecture, assertCanWritePrefecture } from '../../../shared/authorization';
import { narrowAnswerScope } from '../../../shared/data-version';
import { assertPrefectureCode, assertUuid, isUuid } from '../../../shared/codes';
import type { Viewer } from '../../../shared/context';
import { todayInJapan } from '../../../shared/dates';
import { badUserInput, conflict, forbidden, notFound } from '../../../shared/errors';
import { actorOf, actorParts } from '../../../shared/history';
import { type FieldProblem, assertNoProblems, erasureReasonProblems, prefixed } from '../../../shared/problems';
import { IDEMPOTENCY_KEY_DESCRIPTION, type WriteTransaction, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { DispatchStore, type StoredNotesRead, type StoredVisit } from '../data/dispatch.store';
import { NOTES_READS_PER_VISIT } from '../data/loaders';
import { type VisitRecord, VisitStatus, onChangedVisitProblems, validateVisit, visitAdvisorProblem } from '../rules';
import {
  CancelVisitInput,
  EraseEarlierVisitTextsInput,
  EraseVisitNotesBeforeInput,
  EraseVisitNotesInput,
  RecordVisitInput,
  UpdateVisitInput,
} from '../types/visit.input';
import { Advisor, toAdvisor } from '../types/advisor.type';
import { FollowUp, toFollowUp } from '../types/follow-up.type';
import { MunicipalRequest, toRequest } from '../types/request.type';
import { Attendee, NotesErasure, NotesErasureBatch, NotesRead, Visit, toNotesErasure, toVisit } from '../types/visit.type';
import { VisitConnection } from '../types/visit-connection.type';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';

const WRITERS = ['ADVISOR'] as const;
/** Who erases notes: the prefecture's staff, who answer for them (and admins, who always may). */
const NOTES_ERASERS = ['PREFECTURE_STAFF'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

/**
 * An erasure on one visit — its notes, or its earlier texts —: by the prefecture's staff and admins, at the version
 * they read, saying why; `erase` does it on the locked visit and answers the visit as it then stands (the history's
 * entry, before and after alike: what was erased is in neither).
 */
function eraseOnVisit(
  ctx: Context,
  operation: string,
  input: { id: string; version: number; reason: string },
  idempotencyKey: string | undefined,
  erase: (store: DispatchStore, visit: StoredVisit, actor: string, reason: string) => Promise<StoredVisit>,
): Promise<Visit> {
  const visitId = assertUuid(input.id, 'input.id');
  return runWrite(ctx, {
    operation,
    idempotencyKey,
    payload: { input },
    writers: NOTES_ERASERS,
    validate: () => erasureReasonProblems(input.reason),
    apply: async (tx) => {
      const store = new DispatchStore(tx.manager);
      const current = await store.lockVisit(visitId);
      if (!current) throw notFound(`visit ${visitId}`, `訪問記録 ${visitId}`, 'input.id');
      tx.authorize(current.prefectureCode);
      tx.checkVersion('visit', current.version, input.version);
      const erased = await erase(store, current, tx.actor, input.reason.trim());
      return { id: visitId, prefectureCode: current.prefectureCode, history: { entity: 'visit', before: erased, after: erased } };
    },
    reload: (id) => reload(ctx, id),
  });
}

/** Who may read visit notes: advisors and staff of the visit's prefecture, and admins; never an API key. */
export function canReadNotes(viewer: Viewer, prefectureCode: string): boolean {
  if (viewer.apiKeyId) return false;
  if (viewer.role === 'ADMIN') return true;
  return (viewer.role === 'ADVISOR' || viewer.role === 'PREFECTURE_STAFF') && viewer.prefectureCode === prefectureCode;
}

/**
 * Rule problems, then the advisors (they must exist, be of the prefecture and active on the date).
 * Runs only after the viewer is known to write this prefecture, so advisor names reach only its writers.
 */
async function visitProblems(store: DispatchStore, visit: VisitRecord, prefix: string): Promise<FieldProblem[]> {
  const problems = prefixed(validateVisit(visit, todayInJapan()), prefix);
  const advisors = new Map((await store.advisorsByIds(visit.advisorIds.filter((id) => isUuid(id)))).map((a) => [a.id, a]));
  visit.advisorIds.forEach((id, i) => {
    const problem = visitAdvisorProblem(advisors.get(id), id, visit);
    if (problem) problems.push({ field: `${prefix}.advisorIds[${i}]`, ...problem });
  });
  return problems;
}

/** The advisor the caller's sign-in subject is linked to, for a visit that names no advisors. */
async function callersAdvisor(store: DispatchStore, viewer: Viewer): Promise<string[]> {
  const advisor = viewer.subject ? await store.advisorBySubject(viewer.subject) : undefined;
  if (!advisor) {
    throw badUserInput('input.advisorIds', 'name the advisors: your sign-in is linked to no advisor (prefectural staff link it with linkAdvisorSubject)', {
      reasonJa: 'アドバイザーを指定してください。このサインインはどのアドバイザーにも紐付いていません（都道府県職員が linkAdvisorSubject で紐付けます）',
    });
  }
  return [advisor.id];
}

/** A problem of the advisor taken from the caller's sign-in (none given), on `input.advisorIds` and saying so. */
function asDefaultedAdvisorProblem(problem: FieldProblem): FieldProblem {
  if (problem.field !== 'input.advisorIds[0]') return problem;
  return {
    field: 'input.advisorIds',
    reason: `name the advisors: the advisor your sign-in is linked to cannot be on this visit (${problem.reason})`,
    reasonJa: `アドバイザーを指定してください。このサインインに紐付くアドバイザーはこの訪問に入れません（${problem.reasonJa}）`,
  };
}

async function reload(ctx: Context, id: string): Promise<Visit> {
  const [visit] = await new DispatchStore(ctx.dataSource).visitsByIds([id]);
  return toVisit(visit);
}

/** Locks a visit for a change by the viewer, checking that `version` is current. */
async function lockForChange(tx: WriteTransaction, store: DispatchStore, id: string, field: string, version: number): Promise<StoredVisit> {
  const current = await store.lockVisit(id);
  if (!current) throw notFound(`visit ${id}`, `訪問記録 ${id}`, field);
  tx.authorize(current.prefectureCode);
  if (tx.viewer.role === 'ADVISOR') {
    // An advisor edits only the visits they took part in.
    const advisor = tx.viewer.subject ? await store.advisorBySubject(tx.viewer.subject) : undefined;
    if (!advisor || !current.advisorIds.includes(advisor.id))
      throw forbidden('advisors edit only the visits they took part in', 'アドバイザーが編集できるのは自分が参加した訪問だけです');
  }
  tx.checkVersion('visit', current.version, version);
  if (current.status === VisitStatus.CANCELLED) throw conflict('the visit is cancelled', 'この訪問は取り消されています');
  return current;
}

@Resolver(() => Visit)
export class VisitResolver {
  @Query(() => Visit, { nullable: true, description: 'One visit by id.' })
  async visit(@Arg('id', () => ID, { description: "The visit's id." }) id: string, @Ctx() ctx: Context): Promise<Visit | null> {
    const visit = await ctx.loaders.visit.load(assertUuid(id, 'id'));
    if (visit) assertCanReadPrefecture(ctx.viewer, visit.prefectureCode);
    return visit && toVisit(visit);
  }

  @Query(() => [Advisor], { nullable: true, description: "A prefecture's advisors, by name." })
  async advisors(
    @Arg('prefectureCode', () => ID, { description: 'The prefecture, "01".."47".' }) prefectureCode: string,
    @Ctx() ctx: Context,
  ): Promise<Advisor[]> {
    assertCanReadPrefecture(ctx.viewer, assertPrefectureCode(prefectureCode, 'prefectureCode'));
    return (await ctx.loaders.advisorsOfPrefecture.load(prefectureCode)).map(toAdvisor);
  }

  @FieldResolver(() => [String], { nullable: true, description: 'Topics (テーマ). Not for analysts (free text: names have been found in it).' })
  topics(@Root() visit: Visit, @Ctx() ctx: Context): string[] {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.topics;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who recorded it (role and token subject, e.g. ADVISOR:u123). Not for analysts.' })
  createdBy(@Root() visit: Visit, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.createdBy;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Who changed it last (role and token subject). Not for analysts.' })
  updatedBy(@Root() visit: Visit, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.updatedBy;
  }

  @FieldResolver(() => String, { nullable: true, description: 'What was done and agreed (概要). Not for analysts (free text).' })
  summary(@Root() visit: Visit, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.summary;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Issues found (把握した課題). Not for analysts (free text).' })
  issuesFound(@Root() visit: Visit, @Ctx() ctx: Context): string {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.issuesFound;
  }

  @FieldResolver(() => [Attendee], { nullable: true, description: 'People who attended, by role (出席者). Not for analysts.' })
  attendees(@Root() visit: Visit, @Ctx() ctx: Context): Attendee[] {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.attendees;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the visit was cancelled. Not for analysts (free text).' })
  cancelReason(@Root() visit: Visit, @Ctx() ctx: Context): string | null {
    assertCanReadFreeText(ctx.viewer, visit.prefecture.code);
    return visit.cancelReason;
  }

  @Query(() => Advisor, { nullable: true, description: "The advisor whose token is asking (the token's subject), if any." })
  async currentAdvisor(@Ctx() ctx: Context): Promise<Advisor | null> {
    if (!ctx.viewer.subject) return null;
    const advisor = await ctx.loaders.store.advisorBySubject(ctx.viewer.subject);
    return advisor ? toAdvisor(advisor) : null;
  }

  @FieldResolver(() => [Advisor], { name: 'advisors', description: 'The advisors who took part.' })
  async visitAdvisors(@Root() visit: Visit, @Ctx() ctx: Context): Promise<Advisor[]> {
    const advisors = await ctx.loaders.advisor.loadMany(visit.advisorIds);
    return advisors.flatMap((a) => (a && !(a instanceof Error) ? [toAdvisor(a)] : []));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'Notes that may hold sensitive personal information (要配慮個人情報). Only advisors and staff of the ' +
      "visit's prefecture (and admins) read them; anyone else gets null with a FORBIDDEN error. Every read is recorded " +
      '(notes_read_audit); never logged.',
  })
  async notes(@Root() visit: Visit, @Ctx() ctx: Context): Promise<string | null> {
    narrowAnswerScope(ctx.viewer, 'none'); // every read is audited: an answer with notes is never kept
    if (!canReadNotes(ctx.viewer, visit.prefecture.code))
      throw forbidden("notes are readable only by the visit's prefecture", 'メモを読めるのは訪問先の都道府県の人だけです');
    if (visit.notes === null) return null;
    // Every read of notes is recorded (who, when, which visit) before they are returned.
    await ctx.loaders.noteReads.load(JSON.stringify([visit.id, actorOf(ctx.viewer), ctx.requestId]));
    return visit.notes;
  }

  @FieldResolver(() => [NotesRead], {
    nullable: true,
    description:
      "Who read the visit's notes and when (要配慮個人情報の閲覧記録), newest first, the latest " +
      `${NOTES_READS_PER_VISIT}: for the prefecture's staff and admins, who answer for the notes; anyone else gets null with a FORBIDDEN error.`,
  })
  async notesReads(@Root() visit: Visit, @Ctx() ctx: Context): Promise<NotesRead[]> {
    narrowAnswerScope(ctx.viewer, 'none'); // reads are not data changes: a kept answer would miss the latest
    assertAnswersForPersonalTexts(ctx.viewer, visit.prefecture.code, { en: "who read a visit's notes", ja: 'メモの閲覧記録' });
    return ctx.loaders.notesReadsOfVisit.load(visit.id);
  }

  @FieldResolver(() => [NotesErasure], {
    nullable: true,
    description:
      "Every erasure on the visit — of its notes, or of its earlier texts — (要配慮個人情報の消去の記録), newest first: for the prefecture's staff and admins; " +
      'anyone else gets null with a FORBIDDEN error.',
  })
  async notesErasures(@Root() visit: Visit, @Ctx() ctx: Context): Promise<NotesErasure[]> {
    assertAnswersForPersonalTexts(ctx.viewer, visit.prefecture.code, { en: "the record of a visit's erasures", ja: 'メモの消去の記録' });
    narrowAnswerScope(ctx.viewer, 'viewer'); // the reason is free text: kept for this reader only, never shared
    return (await ctx.loaders.notesErasuresOfVisit.load(visit.id)).map(toNotesErasure);
  }

  @FieldResolver(() => [FollowUp], { description: 'What was agreed on the visit, by due date.' })
  async followUps(@Root() visit: Visit, @Ctx() ctx: Context): Promise<FollowUp[]> {
    return (await ctx.loaders.followUpsOfVisit.load(visit.id)).map(toFollowUp);
  }

  @FieldResolver(() => [MunicipalRequest], { description: 'Requests raised on the visit.' })
  async requests(@Root() visit: Visit, @Ctx() ctx: Context): Promise<MunicipalRequest[]> {
    return (await ctx.loaders.requestsOfVisit.load(visit.id)).map(toRequest);
  }

  @Mutation(() => Visit, {
    description:
      "Records a visit (an advisor of the visit's prefecture, or admin). With an idempotencyKey, replaying the same " +
      'key and payload returns the first visit and writes nothing; the same key with another payload is CONFLICT.',
  })
  async recordVisit(
    @Arg('input', () => RecordVisitInput, { description: 'The visit.' }) input: RecordVisitInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Visit> {
    const record: VisitRecord = {
      prefectureCode: input.prefectureCode,
      visitedOn: input.date,
      advisorIds: [...new Set((input.advisorIds ?? []).map((id) => id.toLowerCase()))].sort(),
      municipalityCodes: [...input.municipalityCodes],
      format: input.format,
      purposes: [...new Set(input.purposes)],
      topics: input.topics.map((t) => t.trim()),
      summary: input.summary.trim(),
      issuesFound: input.issuesFound.trim(),
      attendees: input.attendees.map((a) => ({ role: a.role.trim(), count: a.count })),
      notes: input.notes?.trim() || null,
    };
    return runWrite(ctx, {
      operation: 'recordVisit',
      idempotencyKey,
      payload: { input },
      writers: WRITERS,
      prefectureCode: input.prefectureCode,
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        if (!input.advisorIds) record.advisorIds = await callersAdvisor(store, tx.viewer);
        const problems = await visitProblems(store, record, 'input');
        // The advisor was not given but taken from the sign-in: the problem is named on what the caller can change.
        tx.assertValid(input.advisorIds ? problems : problems.map(asDefaultedAdvisorProblem));
        const id = randomUUID();
        const visit: StoredVisit = {
          ...record,
          municipalityCodes: [...record.municipalityCodes].sort(),
          id,
          // Keyed by its id in files (GET /import/visits.xlsx), so an edited row updates it.
          externalId: id,
          status: VisitStatus.ACTIVE,
          cancelReason: null,
          sample: false,
          createdBy: tx.actor,
          createdAt: '',
          updatedBy: tx.actor,
          updatedAt: '',
          version: 1,
        };
        await store.insertVisit(visit);
        return { id: visit.id, prefectureCode: visit.prefectureCode, history: { entity: 'visit', before: null, after: record } };
      },
      reload: (id) => reload(ctx, id),
    });
  }

  @Mutation(() => Visit, { description: 'Changes a visit; `version` must be its current version (else CONFLICT).' })
  async updateVisit(
    @Arg('id', () => ID, movedArgument('id', "The visit's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('input', () => UpdateVisitInput, { description: 'The new values; every field is replaced.' }) input: UpdateVisitInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Visit> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const visitId = assertUuid(id, givenAt('id', input?.id));
    return runWrite(ctx, {
      operation: 'updateVisit',
      idempotencyKey,
      payload: { id, version, input },
      writers: WRITERS,
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const current = await lockForChange(tx, store, visitId, givenAt('id', input?.id), version);
        const next: StoredVisit = {
          ...current,
          visitedOn: input.date ?? current.visitedOn,
          advisorIds: input.advisorIds ? [...new Set(input.advisorIds.map((a) => a.toLowerCase()))].sort() : current.advisorIds,
          municipalityCodes: input.municipalityCodes ? [...input.municipalityCodes] : current.municipalityCodes,
          format: input.format ?? current.format,
          purposes: input.purposes ? [...new Set(input.purposes)] : current.purposes,
          topics: input.topics?.map((t) => t.trim()) ?? current.topics,
          summary: input.summary?.trim() ?? current.summary,
          issuesFound: input.issuesFound?.trim() ?? current.issuesFound,
          attendees: input.attendees?.map((a) => ({ role: a.role.trim(), count: a.count })) ?? current.attendees,
          notes: input.notes === undefined ? current.notes : input.notes?.trim() || null,
        };
        tx.assertValid([
          ...(await visitProblems(store, next, 'input')),
          ...prefixed(onChangedVisitProblems(next, await store.recordsOnVisits([visitId])), 'input'),
        ]);
        await store.updateVisit({ ...next, municipalityCodes: [...next.municipalityCodes].sort() }, tx.actor);
        return { id: visitId, prefectureCode: current.prefectureCode, history: { entity: 'visit', before: current, after: next } };
      },
      reload: (visitId) => reload(ctx, visitId),
    });
  }

  @Mutation(() => Visit, { description: 'Cancels a visit recorded in error; it stays in the history (nothing is deleted).' })
  async cancelVisit(
    @Arg('input', () => CancelVisitInput, { nullable: true, description: 'The visit to cancel, and why.' }) input: CancelVisitInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The visit's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('reason', () => String, movedArgument('reason', "Why it is cancelled (free text, shown only to the prefecture's own staff and advisors)."))
    reasonArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Visit> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const reason = inputOrArgument('reason', input?.reason, reasonArgument);
    const visitId = assertUuid(id, givenAt('id', input?.id));
    return runWrite(ctx, {
      operation: 'cancelVisit',
      idempotencyKey,
      payload: { id, version, reason },
      writers: WRITERS,
      validate: () =>
        reason.trim() === ''
          ? [{ field: givenAt('reason', input?.reason), reason: 'say why the visit is cancelled', reasonJa: '取消の理由を入力してください' }]
          : [],
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const current = await lockForChange(tx, store, visitId, givenAt('id', input?.id), version);
        const next = { ...current, status: VisitStatus.CANCELLED, cancelReason: reason.trim() };
        await store.updateVisit(next, tx.actor);
        return { id: visitId, prefectureCode: current.prefectureCode, history: { entity: 'visit', before: current, after: next } };
      },
      reload: (visitId) => reload(ctx, visitId),
    });
  }

  @Mutation(() => Visit, {
    description:
      "Erases a visit's notes (メモの消去), e.g. on a person's request: from the visit and from every entry of " +
      'the change history that held them, in one transaction, also on a cancelled visit. For staff of the ' +
      "visit's prefecture and admins. The erasure is recorded without the notes (Visit.notesErasures). PostgreSQL " +
      "keeps the old row's bytes until VACUUM reclaims them, and backups until they are rotated (README: Security).",
  })
  async eraseVisitNotes(
    @Arg('input', () => EraseVisitNotesInput, { description: 'The visit, and why.' }) input: EraseVisitNotesInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Visit> {
    // A cancelled visit is erased too: it can no longer be changed, and its notes would otherwise stay for good.
    return eraseOnVisit(ctx, 'eraseVisitNotes', input, idempotencyKey, async (store, visit, actor, reason) => {
      await store.eraseNotes([visit.id], actor, reason);
      return { ...visit, notes: null };
    });
  }

  @Mutation(() => Visit, {
    description:
      'Erases the earlier versions of the texts of a visit and of its follow-ups and requests (以前の記述の消去), e.g. ' +
      "after a correction made on a person's request: every value of a topic, summary, issues found, attendees, cancel " +
      'reason, notes, follow-up description or drop reason, request summary or response that an entry of the change history ' +
      'holds and the record no longer does, in one transaction. What the records hold now stays: correct it first ' +
      "(updateVisit, …; eraseVisitNotes for the notes themselves). For staff of the visit's prefecture and admins. The " +
      'erasure is recorded without the texts (Visit.notesErasures, kind EARLIER_TEXTS); the visit, and each follow-up and ' +
      'request whose history held such texts, moves to its next version.',
  })
  async eraseEarlierVisitTexts(
    @Arg('input', () => EraseEarlierVisitTextsInput, { description: 'The visit, and why.' }) input: EraseEarlierVisitTextsInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Visit> {
    return eraseOnVisit(ctx, 'eraseEarlierVisitTexts', input, idempotencyKey, async (store, visit, actor, reason) => {
      await store.eraseEarlierTexts(visit, actor, reason);
      return visit;
    });
  }

  @Mutation(() => NotesErasureBatch, {
    description:
      'Erases the notes of every visit of a prefecture dated before a day (メモの一括消去), as a retention period (保存期間) asks: ' +
      'from the visits and from every history entry that held them, in one transaction, as eraseVisitNotes does for one. ' +
      "For the prefecture's staff and admins. With dryRun it counts and erases nothing. Each visit's erasure is recorded " +
      '(Visit.notesErasures, naming this one by batchId).',
  })
  async eraseVisitNotesBefore(
    @Arg('input', () => EraseVisitNotesBeforeInput, { description: 'The prefecture, the day, and why.' }) input: EraseVisitNotesBeforeInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<NotesErasureBatch> {
    const prefectureCode = assertPrefectureCode(input.prefectureCode, 'input.prefectureCode');
    const reason = input.reason.trim();
    const problems = erasureReasonProblems(reason);
    if (input.dryRun) {
      // Counted for who could erase them, as the erasure itself would be authorized; nothing is written.
      assertCanWritePrefecture(ctx.viewer, prefectureCode, NOTES_ERASERS);
      assertNoProblems(problems);
      const store = new DispatchStore(ctx.dataSource);
      const visits = await store.visitsHoldingNotes(prefectureCode, input.visitedBefore, false);
      return { id: null, visits: visits.length, historyEntries: await store.historyEntriesHoldingNotes(visits) };
    }
    return runWrite(ctx, {
      operation: 'eraseVisitNotesBefore',
      idempotencyKey,
      payload: { input },
      writers: NOTES_ERASERS,
      prefectureCode,
      validate: () => problems,
      apply: async (tx) => {
        const store = new DispatchStore(tx.manager);
        const visits = await store.visitsHoldingNotes(prefectureCode, input.visitedBefore, true);
        const batchId = randomUUID();
        const erased = await store.eraseNotes(visits, tx.actor, reason, batchId);
        const summary = {
          prefectureCode,
          visitedBefore: input.visitedBefore,
          visits: visits.length,
          historyEntries: erased.reduce((n, e) => n + e.historyEntries, 0),
        };
        return { id: batchId, prefectureCode, history: { entity: 'notes_erasure_batch', before: null, after: summary } };
      },
      reload: async (id) => ({ id, ...(await new DispatchStore(ctx.dataSource).erasureBatch(id)) }),
    });
  }
}

@Resolver(() => NotesRead)
export class NotesReadResolver {
  @FieldResolver(() => Advisor, {
    nullable: true,
    description:
      'The advisor of the registry (アドバイザー名簿) who read them, when the reader signed in as an advisor whose sign-in is linked to it (linkAdvisorSubject): the name a periodic review reads. Null for staff, admins and unlinked sign-ins.',
  })
  async readerAdvisor(@Root() read: StoredNotesRead, @Ctx() ctx: Context): Promise<Advisor | null> {
    const reader = actorParts(read.reader);
    if (reader?.role !== 'ADVISOR') return null;
    const advisor = await ctx.loaders.advisorBySubject.load(reader.subject);
    return advisor && toAdvisor(advisor);
  }

  @FieldResolver(() => Visit, { description: 'The visit whose notes were read.' })
  async visit(@Root() read: StoredNotesRead, @Ctx() ctx: Context): Promise<Visit> {
    const visit = await ctx.loaders.visit.load(read.visitId);
    if (!visit) throw notFound(`visit ${read.visitId}`, `訪問記録 ${read.visitId}`, 'visit');
    assertCanReadPrefecture(ctx.viewer, visit.prefectureCode);
    return toVisit(visit);
  }
}

@Resolver(() => VisitConnection)
export class VisitConnectionResolver {
  @FieldResolver(() => Int, { description: 'Number of visits matching, over all pages.' })
  totalCount(@Root() connection: VisitConnection, @Ctx() ctx: Context): Promise<number> {
    return ctx.loaders.visitCounts[connection.scope].load(connection.countKey);
  }
}
