import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The day a follow-up was dropped, so that the worklist on an earlier day counts it as open then. Existing
 * dropped follow-ups take the day their drop was recorded in the history, else their due date.
 */
export class FollowUpDroppedOn1765497600000 implements MigrationInterface {
  name = 'FollowUpDroppedOn1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE follow_up ADD COLUMN dropped_on date');
    await q.query(`
      UPDATE follow_up f SET dropped_on = coalesce(
        (SELECT (max(h.at) AT TIME ZONE 'Asia/Tokyo')::date FROM history h WHERE h.entity_id = f.id AND h.action = 'dropFollowUp'), f.due_on)
      WHERE f.status = 'DROPPED'`);
    await q.query("ALTER TABLE follow_up ADD CHECK ((status = 'DROPPED') = (dropped_on IS NOT NULL))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE follow_up DROP COLUMN dropped_on');
  }
}
