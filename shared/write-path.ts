/**
 * The one write path of every subgraph (DESIGN.md §5): every mutation is a `WriteSpec` run by
 * `runWrite`, which does the same steps in the same order for all of them:
 *
 *   authorize → validate → idempotency → lock and version → apply → history → reload
 *
 * - **authorize** first, on the role (and on the prefecture when the input names it), so that an
 *   unauthorized caller learns nothing from validation messages;
 * - **validate** the input alone (rules that need no database);
 * - **idempotency**: a key is scoped to the actor (role and subject), the whole payload is hashed,
 *   and before a stored answer is returned the caller's right to write that record's prefecture is
 *   checked again, so a replay can never hand a record to someone who could not have written it.
 *   A key is kept `IDEMPOTENCY_KEY_DAYS`: the hash is of free text too (a visit's notes), which is kept no
 *   longer than a retry needs it (and an erasure of the notes forgets it at once: `request_hash` NULL);
 * - **apply** inside one transaction: the spec locks its record, checks the viewer may change it
 *   (`tx.authorize`), checks the version and writes; validation that needs the stored record runs here;
 * - **history**: the record before and after, appended in the same transaction;
 * - **reload**: the answer is read after the commit, the same way a query reads it.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertCanWritePrefecture, assertNotApiKey } from './authorization';
import type { Role, Viewer } from './context';
import { badUserInput, conflict, forbidden, unauthenticated } from './errors';
import { actorOf, recordHistory } from './history';
import { type FieldProblem, assertNoProblems } from './problems';

/**
 * How long a write's idempotency key is kept. A retry comes within seconds, an offline front end's queue within days
 * (a week of holidays); the key holds a hash of the whole request, free text included, kept no longer than that.
 */
export const IDEMPOTENCY_KEY_DAYS = 30;
const KEY_LIFETIME = `${IDEMPOTENCY_KEY_DAYS} days`;
/** Expired keys each write removes (others than its own), skipping those another write is removing: bounded, never waiting. */
const EXPIRED_KEYS_PER_WRITE = 100;

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Any unique string (8–200 characters) chosen by the client for this change. A retry with the same key and the same ' +
  'arguments returns the first answer without writing again; the same key with other arguments is CONFLICT. Keys are ' +
  `the caller's own: another caller's key is a different key. A key is kept ${IDEMPOTENCY_KEY_DAYS} days: used again after that, it is a new request.`;

/** What `apply` is given: the transaction, and the checks every change makes on the record it locked. */
export interface WriteTransaction {
  manager: EntityManager;
  viewer: Viewer;
  actor: string;
  /** FORBIDDEN unless the viewer may write records of this prefecture (UNAUTHENTICATED when anonymous). */
  authorize(prefectureCode: string): void;
  /** CONFLICT when `given` is not the record's current version. */
  checkVersion(what: string, current: number, given: number): void;
  /** BAD_USER_INPUT naming the first problem and listing all, when there are any. */
  assertValid(problems: readonly FieldProblem[]): void;
}

export interface AppliedWrite {
  /** Id of the record the answer is about (stored with the idempotency key). */
  id: string;
  /** Its prefecture: replays are authorized against it. */
  prefectureCode: string;
  /** The history entry: which table, and the record before (null for a create) and after. */
  history: { entity: string; before: unknown; after: unknown };
}

export interface WriteSpec<T> {
  /** The mutation's name: the idempotency scope and the history's action. */
  operation: string;
  idempotencyKey: string | null | undefined;
  /** The mutation's arguments, all but the key: hashed whole, so any other argument is another request. */
  payload: unknown;
  /** Roles that may make this change (ADMIN always may). */
  writers: readonly Role[];
  /** For a create, the prefecture its input names: authorized before validation. */
  prefectureCode?: string;
  /** Problems of the input alone, after authorization. */
  validate?(): FieldProblem[];
  apply(tx: WriteTransaction): Promise<AppliedWrite>;
  /** Reads the answer after the commit. */
  reload(id: string): Promise<T>;
}

export interface WriteContext {
  viewer: Viewer;
  dataSource: DataSource;
}

/** Role-level authorization: who may make this kind of change at all. */
function authorizeRole(viewer: Viewer, writers: readonly Role[]): void {
  if (viewer.role === null) throw unauthenticated('sign in to change records', '記録を変更するにはサインインしてください');
  assertNotApiKey(viewer);
  if (viewer.role !== 'ADMIN' && !writers.includes(viewer.role))
    throw forbidden(`role ${viewer.role} may not make this change`, `この役割（${viewer.role}）ではこの変更はできません`);
}

function checkKey(key: string): void {
  if (key.length < 8 || key.length > 200) {
    throw badUserInput('idempotencyKey', `must be 8 to 200 characters, got ${key.length}`, {
      reasonJa: `8〜200文字で指定してください（${key.length}文字）`,
    });
  }
}

export async function runWrite<T>(ctx: WriteContext, spec: WriteSpec<T>): Promise<T> {
  const { viewer } = ctx;
  authorizeRole(viewer, spec.writers);
  if (spec.prefectureCode !== undefined) assertCanWritePrefecture(viewer, spec.prefectureCode, spec.writers);
  assertNoProblems(spec.validate?.() ?? []);
  const key = spec.idempotencyKey ?? null;
  if (key !== null) checkKey(key);
  const actor = actorOf(viewer);
  const hash = createHash('sha256')
    .update(JSON.stringify([spec.operation, spec.payload]))
    .digest('hex');
  const id = await retriedOnRace(() =>
    ctx.dataSource.transaction(async (manager) => {
      if (key !== null) {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [actor, key]);
        const [previous] = await manager.query(
          'SELECT request_hash, entity_id, prefecture_code FROM idempotency_key WHERE actor = $1 AND key = $2 AND created_at > now() - $3::interval',
          [actor, key, KEY_LIFETIME],
        );
        if (previous) {
          // A hash erased with the notes it was of (eraseVisitNotes) cannot tell another request: the key's record is the answer.
          if (previous.request_hash !== null && previous.request_hash !== hash)
            throw conflict('this idempotencyKey was already used for a different request', 'この冪等キーは別の要求で使用済みです');
          // The right to the record is checked again: a stored answer goes only to who may write it now.
          assertCanWritePrefecture(viewer, previous.prefecture_code, spec.writers);
          return previous.entity_id as string;
        }
      }
      const tx: WriteTransaction = {
        manager,
        viewer,
        actor,
        authorize: (prefectureCode) => assertCanWritePrefecture(viewer, prefectureCode, spec.writers),
        checkVersion: (what, current, given) => {
          if (current !== given) {
            throw conflict(
              `version ${given} is stale: the ${what} is at version ${current}; reload it and try again`,
              `版 ${given} は古くなっています（現在の版は ${current}）。読み込み直してから再度実行してください`,
            );
          }
        },
        assertValid: assertNoProblems,
      };
      const applied = await spec.apply(tx);
      await recordHistory(manager, {
        entity: applied.history.entity,
        entityId: applied.id,
        action: spec.operation,
        actor,
        before: applied.history.before,
        after: applied.history.after,
      });
      if (key !== null) {
        // One statement: the key (over its own expired use, which the lookup above did not see) and a few expired keys gone.
        await manager.query(
          `WITH expired AS (
             DELETE FROM idempotency_key WHERE ctid IN (
               SELECT ctid FROM idempotency_key WHERE created_at <= now() - $7::interval AND NOT (actor = $1 AND key = $2)
               LIMIT ${EXPIRED_KEYS_PER_WRITE} FOR UPDATE SKIP LOCKED))
           INSERT INTO idempotency_key (actor, key, operation, request_hash, entity_id, prefecture_code) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (actor, key) DO UPDATE SET operation = EXCLUDED.operation, request_hash = EXCLUDED.request_hash,
             entity_id = EXCLUDED.entity_id, prefecture_code = EXCLUDED.prefecture_code, created_at = now()`,
          [actor, key, spec.operation, hash, applied.id, applied.prefectureCode, KEY_LIFETIME],
        );
      }
      return applied.id;
    }),
  );
  return spec.reload(id);
}

/**
 * PostgreSQL's answers when two writes meet: both wanted the same unique key (23505: e.g. two identical
 * assessments checked as absent at the same moment), a deadlock (40P01), a serialization failure (40001).
 */
const RACE_CODES = new Set(['23505', '40P01', '40001']);
const WRITE_ATTEMPTS = 3;

/**
 * Runs a write's transaction again when it met another write (it was rolled back whole, so running it
 * again is safe): the second run sees what the other committed and answers as a later request would —
 * "already exists", say — instead of an internal error. Still meeting after three runs: CONFLICT.
 */
export async function retriedOnRace<R>(transaction: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await transaction();
    } catch (error) {
      if (!RACE_CODES.has(String((error as { code?: unknown }).code))) throw error;
      if (attempt >= WRITE_ATTEMPTS) {
        throw conflict(
          'another change to the same records was being made at the same moment; try again',
          '同じデータへの変更が同時に行われていました。もう一度実行してください',
        );
      }
    }
  }
}
