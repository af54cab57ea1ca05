import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Visits recorded through the API (which had no key in files) are keyed by their own id, as the API now
 * records them, so a visits file downloaded (`GET /import/visits.xlsx`) and edited in Excel updates them
 * when imported instead of adding copies.
 */
export class KeyApiVisits1765929600000 implements MigrationInterface {
  name = 'KeyApiVisits1765929600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('UPDATE visit SET external_id = id::text WHERE external_id IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('UPDATE visit SET external_id = NULL WHERE external_id = id::text');
  }
}
