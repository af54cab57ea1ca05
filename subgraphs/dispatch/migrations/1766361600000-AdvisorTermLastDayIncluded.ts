import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `active_until` is the last day of an advisor's term, included (委嘱終了日): a term of one day has
 * `active_until = active_from`, which the first check (`active_until > active_from`) refused.
 */
export class AdvisorTermLastDayIncluded1766361600000 implements MigrationInterface {
  name = 'AdvisorTermLastDayIncluded1766361600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisor DROP CONSTRAINT advisor_check');
    await q.query('ALTER TABLE advisor ADD CONSTRAINT advisor_check CHECK (active_until >= active_from)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE advisor DROP CONSTRAINT advisor_check');
    await q.query('ALTER TABLE advisor ADD CONSTRAINT advisor_check CHECK (active_until > active_from) NOT VALID');
  }
}
