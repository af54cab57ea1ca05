import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys are kept 30 days (shared/write-path.ts: each write removes some that expired, found by this
 * index), and a key's request hash is forgotten (NULL) when the notes it was computed over are erased.
 */
export class ExpireSupportCentersIdempotencyKeys1766534400000 implements MigrationInterface {
  name = 'ExpireSupportCentersIdempotencyKeys1766534400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX idempotency_key_created_at_idx ON idempotency_key (created_at)');
    await q.query('ALTER TABLE idempotency_key ALTER COLUMN request_hash DROP NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idempotency_key_created_at_idx');
    // A forgotten hash matches no request: a retry with its key is CONFLICT, as before the erasure it would have been for another.
    await q.query("UPDATE idempotency_key SET request_hash = 'forgotten' WHERE request_hash IS NULL");
    await q.query('ALTER TABLE idempotency_key ALTER COLUMN request_hash SET NOT NULL');
  }
}
