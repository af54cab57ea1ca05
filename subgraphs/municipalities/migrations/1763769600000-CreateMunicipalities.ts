import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMunicipalities1763769600000 implements MigrationInterface {
  name = 'CreateMunicipalities1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE prefecture (
        code   char(2) PRIMARY KEY CHECK (code ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'),
        name   text NOT NULL,
        kana   text NOT NULL,
        region text NOT NULL CHECK (region IN ('HOKKAIDO','TOHOKU','KANTO','CHUBU','KINKI','CHUGOKU','SHIKOKU','KYUSHU'))
      )`);
    await q.query(`
      CREATE TABLE municipality (
        code              char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
        prefecture_code   char(2) NOT NULL REFERENCES prefecture (code),
        name              text NOT NULL,
        kana              text NOT NULL,
        kind              text NOT NULL
                          CHECK (kind IN ('DESIGNATED_CITY','CORE_CITY','CITY','SPECIAL_WARD','TOWN','VILLAGE')),
        population        integer NOT NULL CHECK (population >= 0),
        population_as_of  date NOT NULL,
        population_source text NOT NULL,
        CHECK (left(code, 2) = prefecture_code)
      )`);
    // One index per filter/ordering, each ending in code for keyset pagination.
    await q.query(`CREATE INDEX municipality_prefecture_idx ON municipality (prefecture_code, code)`);
    await q.query(`CREATE INDEX municipality_population_idx ON municipality (population, code)`);
    await q.query(`CREATE INDEX municipality_kana_idx ON municipality (kana, code)`);
    await q.query(`CREATE INDEX municipality_name_idx ON municipality (name, code)`);
    await q.query(`
      CREATE TABLE data_import (
        dataset     text PRIMARY KEY,
        checksum    text NOT NULL,
        row_count   integer NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE data_import`);
    await q.query(`DROP TABLE municipality`);
    await q.query(`DROP TABLE prefecture`);
  }
}
