import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An erasure is of a visit's notes (NOTES) or of the earlier versions of its free texts and of its follow-ups'
 * and requests' (EARLIER_TEXTS: eraseEarlierVisitTexts), recorded in the same audit of erasures.
 */
export class EraseEarlierTexts1766620800000 implements MigrationInterface {
  name = 'EraseEarlierTexts1766620800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notes_erasure ADD COLUMN kind text NOT NULL DEFAULT 'NOTES' CHECK (kind IN ('NOTES', 'EARLIER_TEXTS'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notes_erasure WHERE kind = 'EARLIER_TEXTS'`);
    await q.query('ALTER TABLE notes_erasure DROP COLUMN kind');
  }
}
