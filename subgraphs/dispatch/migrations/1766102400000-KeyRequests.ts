import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Municipalities' requests (要望) have a key in files (`request_id`: `npm run import -- requests`, `GET
 * /import/requests.xlsx`): those already stored, from the API or the sample, are keyed by their own id, as
 * the API keys new ones, so a downloaded file edited in Excel updates them instead of adding copies.
 */
export class KeyRequests1766102400000 implements MigrationInterface {
  name = 'KeyRequests1766102400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE municipal_request ADD COLUMN external_id text UNIQUE');
    await q.query('UPDATE municipal_request SET external_id = id::text');
    await q.query('ALTER TABLE municipal_request ALTER COLUMN external_id SET NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE municipal_request DROP COLUMN external_id');
  }
}
