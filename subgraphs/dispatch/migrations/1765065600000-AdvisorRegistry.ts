import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Advisors are registered and changed through the API: a version for optimistic concurrency. */
export class AdvisorRegistry1765065600000 implements MigrationInterface {
  name = 'AdvisorRegistry1765065600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisor ADD COLUMN version integer NOT NULL DEFAULT 1');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisor DROP COLUMN version');
  }
}
