/**
 * Safe retries of writes: a client may send an idempotency key with a mutation; a replay with the
 * same key and the same request returns the first result without writing again, and the same key
 * with a different request is a CONFLICT. Runs inside the write's own transaction; every subgraph
 * that writes has an `idempotency_key` table (see its migrations).
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { badUserInput, conflict } from './errors';

export async function withIdempotency(
  manager: EntityManager,
  key: string | null | undefined,
  operation: string,
  request: unknown,
  write: () => Promise<string>,
): Promise<{ entityId: string; replayed: boolean }> {
  if (key === null || key === undefined) return { entityId: await write(), replayed: false };
  if (key.length < 8 || key.length > 200) throw badUserInput('idempotencyKey', 'must be 8 to 200 characters');
  const hash = createHash('sha256').update(JSON.stringify([operation, request])).digest('hex');
  await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
  const [previous] = await manager.query('SELECT request_hash, entity_id FROM idempotency_key WHERE key = $1', [key]);
  if (previous) {
    if (previous.request_hash !== hash) throw conflict('this idempotencyKey was already used for a different request');
    return { entityId: previous.entity_id, replayed: true };
  }
  const entityId = await write();
  await manager.query('INSERT INTO idempotency_key (key, operation, request_hash, entity_id) VALUES ($1, $2, $3, $4)', [
    key,
    operation,
    hash,
    entityId,
  ]);
  return { entityId, replayed: false };
}

/** The migration statement of the `idempotency_key` table, in every subgraph that writes. */
export const CREATE_IDEMPOTENCY_TABLE = `
  CREATE TABLE idempotency_key (
    key          text PRIMARY KEY,
    operation    text NOT NULL,
    request_hash text NOT NULL,
    entity_id    uuid NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
  )`;
