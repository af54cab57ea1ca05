/**
 * Advisors (相談支援体制整備アドバイザー): their fields, and the registry — prefectural staff of the
 * advisor's prefecture (or an admin) register, change and deactivate advisors and link each to the
 * sign-in subject of its tokens, through the write path.
 */
import { randomUUID } from 'node:crypto';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { assertCanReadFreeText, assertCanReadPrefecture } from '../../../shared/authorization';
import { assertUuid } from '../../../shared/codes';
import { asOfOrToday } from '../../../shared/dates';
import { conflict, notFound } from '../../../shared/errors';
import { prefixed } from '../../../shared/problems';
import { LocalDateScalar } from '../../../shared/scalars';
import { IDEMPOTENCY_KEY_DESCRIPTION, type WriteTransaction, runWrite } from '../../../shared/write-path';
import type { Context } from '../context';
import { DispatchStore, type StoredAdvisor } from '../data/dispatch.store';
import { isAdvisorActiveOn, validateAdvisor } from '../rules';
import { CreateAdvisorInput, DeactivateAdvisorInput, LinkAdvisorSubjectInput, UnlinkAdvisorSubjectInput, UpdateAdvisorInput } from '../types/advisor.input';
import { Advisor, toAdvisor } from '../types/advisor.type';
import { VisitConnection } from '../types/visit-connection.type';
import { VisitsArgs } from '../types/visit.input';
import { visitPage } from './visit-page';
import { inputOrArgument, movedArgument, VERSION_DESCRIPTION, givenAt } from '../../../shared/mutation-args';

const WRITERS = ['PREFECTURE_STAFF'] as const;
const IDEMPOTENCY = { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION };

async function reload(ctx: Context, id: string): Promise<Advisor> {
  const [advisor] = await new DispatchStore(ctx.dataSource).advisorsByIds([id]);
  return toAdvisor(advisor);
}

async function lockForChange(tx: WriteTransaction, store: DispatchStore, id: string, field: string, version: number): Promise<StoredAdvisor> {
  const current = await store.lockAdvisor(id);
  if (!current) throw notFound(`advisor ${id}`, `アドバイザー ${id}`, field);
  tx.authorize(current.prefectureCode);
  tx.checkVersion('advisor', current.version, version);
  return current;
}

/** A subject belongs to one advisor: another advisor's is CONFLICT (without saying whose, which may be another prefecture's). */
async function assertSubjectFree(store: DispatchStore, subject: string, advisorId: string): Promise<void> {
  const holder = await store.advisorBySubject(subject);
  if (holder && holder.id !== advisorId) {
    throw conflict(
      'this sign-in subject is already linked to another advisor; unlink it there first',
      'このサインインは既に別のアドバイザーに紐付いています。先にそちらの紐付けを解除してください',
    );
  }
}

/** Writes one advisor through the write path; the history keeps the record before and after. */
function writeAdvisor(
  ctx: Context,
  spec: { operation: string; idempotencyKey: string | undefined; payload: unknown; prefectureCode?: string },
  change: (tx: WriteTransaction, store: DispatchStore) => Promise<{ before: StoredAdvisor | null; after: StoredAdvisor }>,
): Promise<Advisor> {
  return runWrite(ctx, {
    ...spec,
    writers: WRITERS,
    apply: async (tx) => {
      const store = new DispatchStore(tx.manager);
      const { before, after } = await change(tx, store);
      tx.assertValid(prefixed(validateAdvisor(after), 'input'));
      // Two links of one subject at the same moment: the unique index refuses one, and the write path runs it
      // again (shared/write-path.ts retriedOnRace), where assertSubjectFree answers CONFLICT.
      await store.saveAdvisors([after]);
      return { id: after.id, prefectureCode: after.prefectureCode, history: { entity: 'advisor', before, after } };
    },
    reload: (id) => reload(ctx, id),
  });
}

@Resolver(() => Advisor)
export class AdvisorResolver {
  @FieldResolver(() => VisitConnection, { nullable: true, description: 'Visits the advisor took part in, newest first.' })
  visits(@Root() a: Advisor, @Ctx() ctx: Context, @Args(() => VisitsArgs) args: VisitsArgs): Promise<VisitConnection> {
    assertCanReadPrefecture(ctx.viewer, a.prefecture.code);
    return visitPage(ctx, 'advisor', a.id, args);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The sign-in subject (token `sub`) linked to the advisor, if any. Only the advisor's prefecture and admins read it.",
  })
  subject(@Root() a: Advisor, @Ctx() ctx: Context): string | null {
    assertCanReadFreeText(ctx.viewer, a.prefecture.code);
    return a.subject;
  }

  @FieldResolver(() => Boolean, { description: 'Active on `asOf` (default today in Japan): from activeFrom through activeUntil, both days included.' })
  active(
    @Root() a: Advisor,
    @Arg('asOf', () => LocalDateScalar, { description: 'Date to look at (YYYY-MM-DD); default today in Japan.', nullable: true }) asOf?: string,
  ): boolean {
    return isAdvisorActiveOn(a, asOfOrToday(asOf));
  }

  @Mutation(() => Advisor, { description: "Registers an advisor (prefectural staff of the advisor's prefecture, or admin)." })
  createAdvisor(
    @Arg('input', () => CreateAdvisorInput, { description: 'The advisor to register.' }) input: CreateAdvisorInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Advisor> {
    return writeAdvisor(ctx, { operation: 'createAdvisor', idempotencyKey, payload: { input }, prefectureCode: input.prefectureCode }, async (_tx, store) => {
      const id = randomUUID();
      const subject = input.subject?.trim() || null;
      if (subject) await assertSubjectFree(store, subject, id);
      const after: StoredAdvisor = {
        id,
        externalId: id, // its key in files (advisor_id), so a downloaded file sent back updates it
        prefectureCode: input.prefectureCode,
        name: input.name.trim(),
        affiliation: input.affiliation.trim(),
        qualifications: input.qualifications.map((q) => q.trim()),
        subject,
        activeFrom: input.activeFrom,
        activeUntil: input.activeUntil ?? null,
        sample: false,
        version: 1,
      };
      return { before: null, after };
    });
  }

  @Mutation(() => Advisor, { description: "Changes an advisor's record; `version` must be current (else CONFLICT)." })
  updateAdvisor(
    @Arg('id', () => ID, movedArgument('id', "The advisor's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('input', () => UpdateAdvisorInput, { description: 'The new values; fields left out keep theirs.' }) input: UpdateAdvisorInput,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Advisor> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const advisorId = assertUuid(id, givenAt('id', input?.id));
    return writeAdvisor(ctx, { operation: 'updateAdvisor', idempotencyKey, payload: { id, version, input } }, async (tx, store) => {
      const before = await lockForChange(tx, store, advisorId, givenAt('id', input?.id), version);
      const after: StoredAdvisor = {
        ...before,
        name: input.name?.trim() ?? before.name,
        affiliation: input.affiliation?.trim() ?? before.affiliation,
        qualifications: input.qualifications?.map((q) => q.trim()) ?? before.qualifications,
        activeFrom: input.activeFrom ?? before.activeFrom,
        sample: false, // an edited record is no longer pure sample data
      };
      return { before, after };
    });
  }

  @Mutation(() => Advisor, {
    description:
      "Ends an advisor's assignment on a date (委嘱終了): nothing is deleted, the advisor stays on past visits and cannot be named on visits from that date.",
  })
  deactivateAdvisor(
    @Arg('input', () => DeactivateAdvisorInput, { nullable: true, description: 'The advisor and the last day of the assignment.' })
    input: DeactivateAdvisorInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The advisor's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('activeUntil', () => LocalDateScalar, movedArgument('activeUntil', 'The last day of the assignment (委嘱終了日), included.'))
    activeUntilArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Advisor> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const activeUntil = inputOrArgument('activeUntil', input?.activeUntil, activeUntilArgument);
    const advisorId = assertUuid(id, givenAt('id', input?.id));
    return writeAdvisor(ctx, { operation: 'deactivateAdvisor', idempotencyKey, payload: { id, version, activeUntil } }, async (tx, store) => {
      const before = await lockForChange(tx, store, advisorId, givenAt('id', input?.id), version);
      return { before, after: { ...before, activeUntil } };
    });
  }

  @Mutation(() => Advisor, { description: "Links a sign-in subject (the token's `sub` from the identity provider) to the advisor; one subject per advisor." })
  linkAdvisorSubject(
    @Arg('input', () => LinkAdvisorSubjectInput, { nullable: true, description: 'The advisor and the sign-in subject.' })
    input: LinkAdvisorSubjectInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The advisor's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Arg('subject', () => String, movedArgument('subject', "The sign-in subject (the token's `sub`) to link; one advisor per subject."))
    subjectArgument: string | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Advisor> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const subject = inputOrArgument('subject', input?.subject, subjectArgument);
    const advisorId = assertUuid(id, givenAt('id', input?.id));
    return writeAdvisor(ctx, { operation: 'linkAdvisorSubject', idempotencyKey, payload: { id, version, subject } }, async (tx, store) => {
      const before = await lockForChange(tx, store, advisorId, givenAt('id', input?.id), version);
      const linked = subject.trim();
      tx.assertValid(linked === '' ? [{ field: givenAt('subject', input?.subject), reason: 'must not be blank', reasonJa: '空欄にはできません' }] : []);
      await assertSubjectFree(store, linked, advisorId);
      return { before, after: { ...before, subject: linked } };
    });
  }

  @Mutation(() => Advisor, { description: 'Unlinks the sign-in subject from the advisor (e.g. when the person leaves).' })
  unlinkAdvisorSubject(
    @Arg('input', () => UnlinkAdvisorSubjectInput, { nullable: true, description: 'The advisor.' }) input: UnlinkAdvisorSubjectInput | null | undefined,
    @Arg('id', () => ID, movedArgument('id', "The advisor's id.")) idArgument: string | null | undefined,
    @Arg('version', () => Int, movedArgument('version', VERSION_DESCRIPTION))
    versionArgument: number | null | undefined,
    @Ctx() ctx: Context,
    @Arg('idempotencyKey', () => String, IDEMPOTENCY) idempotencyKey?: string,
  ): Promise<Advisor> {
    const id = inputOrArgument('id', input?.id, idArgument);
    const version = inputOrArgument('version', input?.version, versionArgument);
    const advisorId = assertUuid(id, givenAt('id', input?.id));
    return writeAdvisor(ctx, { operation: 'unlinkAdvisorSubject', idempotencyKey, payload: { id, version } }, async (tx, store) => {
      const before = await lockForChange(tx, store, advisorId, givenAt('id', input?.id), version);
      return { before, after: { ...before, subject: null } };
    });
  }
}
