import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasures of the earlier versions of a base's free texts — its reviews' summaries — from the change history
 * (以前の記述の消去: eraseEarlierBaseTexts): who erased them, when, why, and how many history entries held them. The
 * texts themselves are gone from the history; this is the record that they were erased. Append-only.
 */
export class EraseEarlierBaseTexts1766707200000 implements MigrationInterface {
  name = 'EraseEarlierBaseTexts1766707200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE text_erasure (
        id              bigserial PRIMARY KEY,
        base_id         uuid NOT NULL REFERENCES base (id),
        erased_by       text NOT NULL,
        erased_at       timestamptz NOT NULL DEFAULT now(),
        reason          text NOT NULL,
        history_entries integer NOT NULL
      )`);
    await q.query('CREATE INDEX text_erasure_base_idx ON text_erasure (base_id, erased_at)');
    // An erasure finds every history entry of the base, whatever the entity (a change, an import's row).
    await q.query('CREATE INDEX history_entity_id_idx ON history (entity_id)');
    await q.query(
      'CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON text_erasure FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX history_entity_id_idx');
    await q.query('DROP TABLE text_erasure');
  }
}
