import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCouncilsAndSelfPlanRates1764115200000 implements MigrationInterface {
  name = 'CreateCouncilsAndSelfPlanRates1764115200000';

  async up(q: QueryRunner): Promise<void> {
    // Council ((自立支援)協議会) status of a municipality as a source saw it on a date; history is kept.
    await q.query(`
      CREATE TABLE council_status (
        municipality_code            char(6) NOT NULL REFERENCES municipality (code),
        as_of                        date NOT NULL,
        established                  boolean NOT NULL,
        joint                        boolean NOT NULL,
        subcommittees                text[] NOT NULL,
        secretariat_with_core_center boolean NOT NULL,
        meetings_last_year           integer NOT NULL CHECK (meetings_last_year BETWEEN 0 AND 365),
        case_review_held             boolean NOT NULL,
        source_name                  text NOT NULL,
        sample                       boolean NOT NULL,
        PRIMARY KEY (municipality_code, as_of),
        CHECK (established OR (NOT joint AND cardinality(subcommittees) = 0 AND meetings_last_year = 0))
      )`);
    // セルフプラン率 in percent, for 計画相談支援 and 障害児相談支援.
    await q.query(`
      CREATE TABLE self_plan_rate (
        municipality_code char(6) NOT NULL REFERENCES municipality (code),
        as_of             date NOT NULL,
        planning_rate     numeric(5, 2) CHECK (planning_rate BETWEEN 0 AND 100),
        child_rate        numeric(5, 2) CHECK (child_rate BETWEEN 0 AND 100),
        source_name       text NOT NULL,
        sample            boolean NOT NULL,
        PRIMARY KEY (municipality_code, as_of)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE self_plan_rate');
    await q.query('DROP TABLE council_status');
  }
}
