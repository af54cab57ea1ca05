import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each import's records before and after, under the import's id, so an import can be reverted. */
export class AddSupportCenterImportHistory1765411200000 implements MigrationInterface {
  name = 'AddSupportCenterImportHistory1765411200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE history ADD COLUMN import_id uuid');
    await q.query('CREATE INDEX history_import_idx ON history (import_id, id) WHERE import_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE history DROP COLUMN import_id');
  }
}
