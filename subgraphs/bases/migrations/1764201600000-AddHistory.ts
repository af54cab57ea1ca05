import type { MigrationInterface, QueryRunner } from 'typeorm';
import { CREATE_HISTORY_INDEX, CREATE_HISTORY_TABLE } from '../../../shared/history';

/** The append-only change history (who, when, before and after), written with every change. */
export class AddBaseHistory1764201600000 implements MigrationInterface {
  name = 'AddBaseHistory1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(CREATE_HISTORY_TABLE);
    await q.query(CREATE_HISTORY_INDEX);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE history');
  }
}
