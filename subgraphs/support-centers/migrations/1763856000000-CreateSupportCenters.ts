import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSupportCenters1763856000000 implements MigrationInterface {
  name = 'CreateSupportCenters1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE core_center (
        id                                 uuid PRIMARY KEY,
        external_id                        text UNIQUE,
        prefecture_code                    char(2) NOT NULL CHECK (prefecture_code ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$'),
        name                               text NOT NULL CHECK (name <> ''),
        setup                              text NOT NULL CHECK (setup IN ('SINGLE', 'JOINT')),
        operation                          text NOT NULL CHECK (operation IN ('DIRECT', 'OUTSOURCED', 'PARTLY_OUTSOURCED')),
        operator_name                      text,
        established_on                     date NOT NULL,
        closed_on                          date CHECK (closed_on > established_on),
        functions                          text[] NOT NULL
          CHECK (functions <@ ARRAY['CONSULTATION','OTHER_LAW_CONSULTATION','STAFF_SUPPORT','COMMUNITY_BUILDING']),
        chief_specialists                  integer NOT NULL CHECK (chief_specialists >= 0),
        specialists                        integer NOT NULL CHECK (specialists >= 0),
        social_workers                     integer NOT NULL CHECK (social_workers >= 0),
        psychiatric_social_workers         integer NOT NULL CHECK (psychiatric_social_workers >= 0),
        public_health_nurses               integer NOT NULL CHECK (public_health_nurses >= 0),
        other_staff                        integer NOT NULL CHECK (other_staff >= 0),
        also_functions_as_base             boolean NOT NULL,
        runs_abuse_prevention_center       boolean NOT NULL,
        has_medical_care_child_coordinator boolean NOT NULL,
        source_name                        text NOT NULL,
        source_as_of                       date NOT NULL,
        sample                             boolean NOT NULL,
        version                            integer NOT NULL DEFAULT 1,
        created_at                         timestamptz NOT NULL DEFAULT now(),
        updated_at                         timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX core_center_prefecture_idx ON core_center (prefecture_code, id)`);
    await q.query(`
      CREATE TABLE core_center_municipality (
        core_center_id    uuid NOT NULL REFERENCES core_center (id),
        municipality_code char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
        PRIMARY KEY (core_center_id, municipality_code)
      )`);
    await q.query(`CREATE INDEX core_center_municipality_code_idx ON core_center_municipality (municipality_code)`);
    await q.query(`
      CREATE TABLE consultation_office (
        id                               uuid PRIMARY KEY,
        external_id                      text UNIQUE,
        municipality_code                char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$'),
        name                             text NOT NULL CHECK (name <> ''),
        designations                     text[] NOT NULL CHECK (designations <@ ARRAY['SPECIFIED','GENERAL','CHILD']),
        fee_tier                         text NOT NULL CHECK (fee_tier IN ('NONE', 'I', 'II', 'III', 'IV')),
        chief_specialists                integer NOT NULL CHECK (chief_specialists >= 0),
        specialists                      integer NOT NULL CHECK (specialists >= 0),
        contracted_for_municipal_program boolean NOT NULL,
        collaborative_arrangement        boolean NOT NULL,
        source_name                      text NOT NULL,
        source_as_of                     date NOT NULL,
        sample                           boolean NOT NULL,
        version                          integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX consultation_office_municipality_idx ON consultation_office (municipality_code, id)`);
    // Replays of a write with the same idempotency key return the first result instead of writing twice.
    await q.query(`
      CREATE TABLE idempotency_key (
        key          text PRIMARY KEY,
        operation    text NOT NULL,
        request_hash text NOT NULL,
        entity_id    uuid NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);

    // Which version (checksum) of the sample dataset is loaded, so a start loads it once.
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
    await q.query(`DROP TABLE idempotency_key`);
    await q.query(`DROP TABLE consultation_office`);
    await q.query(`DROP TABLE core_center_municipality`);
    await q.query(`DROP TABLE core_center`);
  }
}
