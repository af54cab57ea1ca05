import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The append-only change history (who, when, before and after), written with every change. */
export class AddBaseHistory1764201600000 implements MigrationInterface {
  name = 'AddBaseHistory1764201600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE history (
        id        bigserial PRIMARY KEY,
        entity    text NOT NULL,
        entity_id uuid NOT NULL,
        action    text NOT NULL,
        actor     text NOT NULL,
        at        timestamptz NOT NULL DEFAULT now(),
        before    jsonb,
        after     jsonb
      )`);
    await q.query('CREATE INDEX history_entity_idx ON history (entity, entity_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE history');
  }
}
