import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys belong to their actor (role and subject) and remember the prefecture of the record
 * they wrote, so a replay is authorized again (shared/write-path.ts). Keys stored before have no actor
 * and are dropped: they can no longer be replayed.
 */
export class ScopeSupportCentersIdempotencyKeys1764979200000 implements MigrationInterface {
  name = 'ScopeSupportCentersIdempotencyKeys1764979200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_key');
    await q.query('ALTER TABLE idempotency_key ADD COLUMN actor text NOT NULL, ADD COLUMN prefecture_code char(2) NOT NULL');
    await q.query('ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey');
    await q.query('ALTER TABLE idempotency_key ADD PRIMARY KEY (actor, key)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_key');
    await q.query('ALTER TABLE idempotency_key DROP CONSTRAINT idempotency_key_pkey');
    await q.query('ALTER TABLE idempotency_key DROP COLUMN actor, DROP COLUMN prefecture_code');
    await q.query('ALTER TABLE idempotency_key ADD PRIMARY KEY (key)');
  }
}
