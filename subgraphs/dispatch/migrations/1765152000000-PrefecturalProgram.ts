import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The prefectural program (都道府県相談支援体制整備事業) per prefecture and fiscal year. */
export class PrefecturalProgram1765152000000 implements MigrationInterface {
  name = 'PrefecturalProgram1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prefectural_program (
        id                uuid NOT NULL UNIQUE,
        prefecture_code   char(2) NOT NULL CHECK (prefecture_code ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'),
        fiscal_year       integer NOT NULL CHECK (fiscal_year BETWEEN 2000 AND 2100),
        implemented       boolean NOT NULL,
        duties            text[] NOT NULL,
        advisor_positions jsonb NOT NULL,
        model_project     boolean NOT NULL,
        source_name       text NOT NULL,
        source_as_of      date NOT NULL,
        sample            boolean NOT NULL,
        version           integer NOT NULL DEFAULT 1,
        PRIMARY KEY (prefecture_code, fiscal_year),
        CHECK (implemented OR cardinality(duties) = 0)
      )`);
    await q.query('CREATE INDEX prefectural_program_year_idx ON prefectural_program (fiscal_year)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE prefectural_program');
  }
}
