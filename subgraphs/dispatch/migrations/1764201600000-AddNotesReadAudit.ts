import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who read which visit's notes when (要配慮個人情報の閲覧記録). Append-only. */
export class AddNotesReadAudit1764201600000 implements MigrationInterface {
  name = 'AddNotesReadAudit1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notes_read_audit (
        id         bigserial PRIMARY KEY,
        visit_id   uuid NOT NULL REFERENCES visit (id),
        reader     text NOT NULL,
        request_id text NOT NULL,
        read_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX notes_read_audit_visit_idx ON notes_read_audit (visit_id, read_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notes_read_audit');
  }
}
