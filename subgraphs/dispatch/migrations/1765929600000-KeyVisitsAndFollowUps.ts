import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visits and follow-ups have keys in files (`GET /import/visits.xlsx`, `GET /import/follow-ups.xlsx`): visits
 * recorded through the API (which had none) and every follow-up (which had no key column) are keyed by their
 * own id, as the API now keys new ones, so a file edited in Excel updates them when imported instead of adding copies.
 */
export class KeyVisitsAndFollowUps1765929600000 implements MigrationInterface {
  name = 'KeyVisitsAndFollowUps1765929600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('UPDATE visit SET external_id = id::text WHERE external_id IS NULL');
    await q.query('ALTER TABLE follow_up ADD COLUMN external_id text UNIQUE');
    await q.query('UPDATE follow_up SET external_id = id::text');
    await q.query('ALTER TABLE follow_up ALTER COLUMN external_id SET NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE follow_up DROP COLUMN external_id');
    await q.query('UPDATE visit SET external_id = NULL WHERE external_id = id::text');
  }
}
