import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasures of the earlier versions of a self-check's comments from the change history (以前の記述の消去:
 * eraseEarlierAssessmentTexts): who erased them, when, why, and how many history entries held them. The texts
 * themselves are gone from the history; this is the record that they were erased. Append-only.
 */
export class EraseEarlierAssessmentTexts1766707200000 implements MigrationInterface {
  name = 'EraseEarlierAssessmentTexts1766707200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE assessment_text_erasure (
        id              bigserial PRIMARY KEY,
        assessment_id   uuid NOT NULL REFERENCES assessment (id),
        erased_by       text NOT NULL,
        erased_at       timestamptz NOT NULL DEFAULT now(),
        reason          text NOT NULL,
        history_entries integer NOT NULL
      )`);
    await q.query('CREATE INDEX assessment_text_erasure_idx ON assessment_text_erasure (assessment_id, erased_at)');
    await q.query(
      'CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON assessment_text_erasure FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE assessment_text_erasure');
  }
}
