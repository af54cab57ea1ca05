import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notes-read audit is reviewed per prefecture (Prefecture.notesReads: every read in a period, or by one
 * reader, newest first): each read carries its visit's prefecture, and is found by it in index order.
 */
export class NotesReadsByPrefecture1766275200000 implements MigrationInterface {
  name = 'NotesReadsByPrefecture1766275200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notes_read_audit ADD COLUMN prefecture_code char(2)');
    await q.query('UPDATE notes_read_audit a SET prefecture_code = v.prefecture_code FROM visit v WHERE v.id = a.visit_id');
    await q.query('ALTER TABLE notes_read_audit ALTER COLUMN prefecture_code SET NOT NULL');
    await q.query('CREATE INDEX notes_read_audit_prefecture_idx ON notes_read_audit (prefecture_code, id)');
    await q.query('CREATE INDEX notes_read_audit_reader_idx ON notes_read_audit (prefecture_code, reader, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notes_read_audit DROP COLUMN prefecture_code');
  }
}
