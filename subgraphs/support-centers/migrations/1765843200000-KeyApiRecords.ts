import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every record has a key in files: core centers created through the API (which had none) are keyed by their
 * own id, as the API now creates them, so a downloaded file (`GET /import/<kind>.xlsx`) edited in Excel
 * updates them when imported instead of adding copies.
 */
export class KeySupportCenterApiRecords1765843200000 implements MigrationInterface {
  name = 'KeySupportCenterApiRecords1765843200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('UPDATE core_center SET external_id = id::text WHERE external_id IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('UPDATE core_center SET external_id = NULL WHERE external_id = id::text');
  }
}
