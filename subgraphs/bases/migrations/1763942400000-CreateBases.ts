import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateBases1763942400000 implements MigrationInterface {
  name = 'CreateBases1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE base (
        id                         uuid PRIMARY KEY,
        external_id                text UNIQUE,
        prefecture_code            char(2) NOT NULL CHECK (prefecture_code ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'),
        name                       text NOT NULL CHECK (name <> ''),
        model                      text NOT NULL CHECK (model IN ('MULTIFUNCTIONAL', 'NETWORKED', 'HYBRID')),
        established_on             date NOT NULL,
        closed_on                  date CHECK (closed_on > established_on),
        emergency_preregistrations integer NOT NULL CHECK (emergency_preregistrations >= 0),
        source_name                text NOT NULL,
        source_as_of               date NOT NULL,
        sample                     boolean NOT NULL,
        version                    integer NOT NULL DEFAULT 1,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX base_prefecture_idx ON base (prefecture_code, id)`);
    await q.query(`
      CREATE TABLE base_municipality (
        base_id           uuid NOT NULL REFERENCES base (id),
        municipality_code char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
        PRIMARY KEY (base_id, municipality_code)
      )`);
    await q.query(`CREATE INDEX base_municipality_code_idx ON base_municipality (municipality_code)`);
    await q.query(`
      CREATE TABLE base_function (
        base_id  uuid NOT NULL REFERENCES base (id),
        function text NOT NULL CHECK (function IN
          ('CONSULTATION','EMERGENCY_RESPONSE','EXPERIENCE_OPPORTUNITIES','SPECIALIST_DEVELOPMENT','COMMUNITY_COORDINATION')),
        PRIMARY KEY (base_id, function)
      )`);
    await q.query(`
      CREATE TABLE base_participant (
        id                uuid PRIMARY KEY,
        base_id           uuid NOT NULL,
        function          text NOT NULL,
        organization_name text NOT NULL CHECK (organization_name <> ''),
        organization_kind text NOT NULL CHECK (organization_kind IN
          ('SHORT_STAY','GROUP_HOME','CONSULTATION_OFFICE','MEDICAL_INSTITUTION','DAY_ACTIVITY','HOME_HELP','OTHER')),
        FOREIGN KEY (base_id, function) REFERENCES base_function (base_id, function) ON DELETE CASCADE,
        UNIQUE (base_id, function, organization_name)
      )`);
    await q.query(`
      CREATE TABLE base_coordinator (
        id                uuid PRIMARY KEY,
        external_id       text UNIQUE,
        base_id           uuid NOT NULL REFERENCES base (id),
        count             integer NOT NULL CHECK (count BETWEEN 1 AND 99),
        funding           text NOT NULL CHECK (funding IN ('FEE_ADDITION', 'COMMUNITY_LIFE_SUPPORT_PROGRAM', 'OTHER')),
        host_organization text NOT NULL,
        started_on        date NOT NULL,
        ended_on          date CHECK (ended_on > started_on)
      )`);
    await q.query(`CREATE INDEX base_coordinator_base_idx ON base_coordinator (base_id)`);
    await q.query(`
      CREATE TABLE base_review (
        id          uuid PRIMARY KEY,
        base_id     uuid NOT NULL REFERENCES base (id),
        reviewed_on date NOT NULL,
        summary     text NOT NULL,
        UNIQUE (base_id, reviewed_on)
      )`);
    // FY figures of community-life services per prefecture (real data, reference/).
    await q.query(`
      CREATE TABLE service_figure (
        prefecture_code char(2) NOT NULL,
        fiscal_year     integer NOT NULL,
        service         text NOT NULL CHECK (service IN ('COMMUNITY_TRANSITION', 'COMMUNITY_SETTLEMENT', 'INDEPENDENT_LIVING')),
        designated      integer NOT NULL CHECK (designated >= 0),
        billing         integer NOT NULL CHECK (billing >= 0 AND billing <= designated),
        PRIMARY KEY (prefecture_code, fiscal_year, service)
      )`);
    await q.query(`
      CREATE TABLE idempotency_key (
        key          text PRIMARY KEY,
        operation    text NOT NULL,
        request_hash text NOT NULL,
        entity_id    uuid NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE data_import (
        dataset     text PRIMARY KEY,
        checksum    text NOT NULL,
        row_count   integer NOT NULL,
        imported_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'data_import',
      'idempotency_key',
      'service_figure',
      'base_review',
      'base_coordinator',
      'base_participant',
      'base_function',
      'base_municipality',
      'base',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
