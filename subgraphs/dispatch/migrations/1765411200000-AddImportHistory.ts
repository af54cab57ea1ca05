import type { MigrationInterface, QueryRunner } from 'typeorm';
import { importHistoryMigration } from '../../../shared/history';

/** Each import's records before and after, under the import's id, so an import can be reverted. */
export class AddDispatchImportHistory1765411200000 implements MigrationInterface {
  name = 'AddDispatchImportHistory1765411200000';

  up = (q: QueryRunner): Promise<void> => importHistoryMigration.up(q);

  down = (q: QueryRunner): Promise<void> => importHistoryMigration.down(q);
}
