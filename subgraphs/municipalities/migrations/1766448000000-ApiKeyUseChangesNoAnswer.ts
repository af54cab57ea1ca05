import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recording an API key's last use (`last_used_at`, set as the gateway checks a key) changes no answer, so
 * it notifies nothing, as the notes-read audit does not (shared/data-version.ts): it moved the data
 * version on every request made with a key, and with it dropped every answer kept of this subgraph for
 * everyone — a BI tool refreshing emptied the cache of every advisor. Any other change to a key (issued,
 * revoked, renamed) still notifies.
 */
export class ApiKeyUseChangesNoAnswer1766448000000 implements MigrationInterface {
  name = 'ApiKeyUseChangesNoAnswer1766448000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER data_changed ON api_key');
    await q.query('CREATE TRIGGER data_changed AFTER INSERT OR DELETE OR TRUNCATE ON api_key FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()');
    await q.query(`
      CREATE TRIGGER data_changed_update AFTER UPDATE ON api_key FOR EACH ROW
        WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
        EXECUTE FUNCTION notify_data_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER data_changed_update ON api_key');
    await q.query('DROP TRIGGER data_changed ON api_key');
    await q.query(
      'CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON api_key FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()',
    );
  }
}
