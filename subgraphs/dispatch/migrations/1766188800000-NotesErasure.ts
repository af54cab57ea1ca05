import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasures of a visit's notes (要配慮個人情報の消去): who erased them, when, why, and how many history
 * entries held them; one visit at a time, or a prefecture's visits before a date at once (a batch). The notes themselves are gone from the visit and from its history; this is the
 * record that they were erased. Append-only.
 */
export class NotesErasure1766188800000 implements MigrationInterface {
  name = 'NotesErasure1766188800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notes_erasure (
        id              bigserial PRIMARY KEY,
        visit_id        uuid NOT NULL REFERENCES visit (id),
        erased_by       text NOT NULL,
        erased_at       timestamptz NOT NULL DEFAULT now(),
        reason          text NOT NULL,
        history_entries integer NOT NULL,
        -- The erasure of a prefecture's notes before a date (a retention period) that erased this visit's.
        batch_id        uuid
      )`);
    await q.query('CREATE INDEX notes_erasure_visit_idx ON notes_erasure (visit_id, erased_at)');
    await q.query('CREATE INDEX notes_erasure_batch_idx ON notes_erasure (batch_id) WHERE batch_id IS NOT NULL');
    // An erasure finds every history entry of the visit, whatever the entity (a change, an import's row).
    await q.query('CREATE INDEX history_entity_id_idx ON history (entity_id)');
    await q.query(
      'CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON notes_erasure FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX history_entity_id_idx');
    await q.query('DROP TABLE notes_erasure');
  }
}
