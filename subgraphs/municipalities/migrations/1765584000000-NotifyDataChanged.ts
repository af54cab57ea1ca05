import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every statement that changes a table notifies `data_changed` (delivered at commit), so the subgraph's
 * processes move their data version and the gateway keeps no answer built from older data
 * (shared/data-version.ts). The notes-read audit is left out: recording a read changes no answer.
 * A table added later gets the same trigger in its own migration (tests/integration/migrations.test.ts).
 */
export class NotifyMunicipalityDataChanged1765584000000 implements MigrationInterface {
  name = 'NotifyMunicipalityDataChanged1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('data_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    await q.query(`
      DO $$
      DECLARE t text;
      BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('migrations', 'notes_read_audit') LOOP
          EXECUTE format('CREATE TRIGGER data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION notify_data_changed()', t);
        END LOOP;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION notify_data_changed() CASCADE');
  }
}
