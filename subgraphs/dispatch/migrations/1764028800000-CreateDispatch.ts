import type { MigrationInterface, QueryRunner } from 'typeorm';

const PREFECTURE = `char(2) NOT NULL CHECK (prefecture_code ~ '^(0[1-9]|[1-3][0-9]|4[0-7])$')`;
const MUNICIPALITY = `char(6) NOT NULL CHECK (municipality_code ~ '^[0-9]{6}$')`;

export class CreateDispatch1764028800000 implements MigrationInterface {
  name = 'CreateDispatch1764028800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE advisor (
        id              uuid PRIMARY KEY,
        external_id     text UNIQUE,
        prefecture_code ${PREFECTURE},
        name            text NOT NULL CHECK (name <> ''),
        affiliation     text NOT NULL,
        qualifications  text[] NOT NULL,
        subject         text UNIQUE,
        active_from     date NOT NULL,
        active_until    date CHECK (active_until > active_from),
        sample          boolean NOT NULL
      )`);
    await q.query(`
      CREATE TABLE visit (
        id              uuid PRIMARY KEY,
        external_id     text UNIQUE,
        prefecture_code ${PREFECTURE},
        visited_on      date NOT NULL,
        format          text NOT NULL CHECK (format IN ('ON_SITE', 'ONLINE', 'TRAINING', 'MEETING')),
        purposes        text[] NOT NULL CHECK (cardinality(purposes) > 0),
        topics          text[] NOT NULL,
        summary         text NOT NULL,
        issues_found    text NOT NULL,
        attendees       jsonb NOT NULL,
        notes           text,
        status          text NOT NULL CHECK (status IN ('ACTIVE', 'CANCELLED')),
        cancel_reason   text,
        sample          boolean NOT NULL,
        created_by      text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        updated_by      text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now(),
        version         integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX visit_prefecture_idx ON visit (prefecture_code, visited_on DESC, id DESC)`);
    await q.query(`
      CREATE TABLE visit_advisor (
        visit_id   uuid NOT NULL REFERENCES visit (id),
        advisor_id uuid NOT NULL REFERENCES advisor (id),
        PRIMARY KEY (visit_id, advisor_id)
      )`);
    await q.query(`CREATE INDEX visit_advisor_advisor_idx ON visit_advisor (advisor_id)`);
    await q.query(`
      CREATE TABLE visit_municipality (
        visit_id          uuid NOT NULL REFERENCES visit (id),
        municipality_code ${MUNICIPALITY},
        PRIMARY KEY (visit_id, municipality_code)
      )`);
    await q.query(`CREATE INDEX visit_municipality_code_idx ON visit_municipality (municipality_code)`);
    await q.query(`
      CREATE TABLE follow_up (
        id                 uuid PRIMARY KEY,
        visit_id           uuid NOT NULL REFERENCES visit (id),
        municipality_code  ${MUNICIPALITY},
        description        text NOT NULL CHECK (description <> ''),
        owner_kind         text NOT NULL CHECK (owner_kind IN ('MUNICIPALITY', 'ADVISOR')),
        owner_advisor_id   uuid REFERENCES advisor (id),
        due_on             date NOT NULL,
        status             text NOT NULL CHECK (status IN ('OPEN', 'DONE', 'DROPPED')),
        completed_on       date,
        drop_reason        text,
        version            integer NOT NULL DEFAULT 1,
        CHECK ((owner_kind = 'ADVISOR') = (owner_advisor_id IS NOT NULL)),
        CHECK ((status = 'DONE') = (completed_on IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX follow_up_municipality_idx ON follow_up (municipality_code, status, due_on)`);
    await q.query(`CREATE INDEX follow_up_visit_idx ON follow_up (visit_id)`);
    await q.query(`
      CREATE TABLE checklist_template (
        id     text PRIMARY KEY,
        name   text NOT NULL,
        source text NOT NULL
      )`);
    await q.query(`
      CREATE TABLE checklist_item (
        template_id text NOT NULL REFERENCES checklist_template (id),
        item_id     text NOT NULL,
        position    integer NOT NULL,
        section     text NOT NULL,
        text        text NOT NULL,
        PRIMARY KEY (template_id, item_id)
      )`);
    await q.query(`
      CREATE TABLE assessment (
        id                uuid PRIMARY KEY,
        template_id       text NOT NULL REFERENCES checklist_template (id),
        municipality_code ${MUNICIPALITY},
        assessed_on       date NOT NULL,
        visit_id          uuid REFERENCES visit (id),
        recorded_by       text NOT NULL,
        sample            boolean NOT NULL,
        UNIQUE (template_id, municipality_code, assessed_on)
      )`);
    await q.query(`
      CREATE TABLE assessment_result (
        assessment_id uuid NOT NULL REFERENCES assessment (id),
        template_id   text NOT NULL,
        item_id       text NOT NULL,
        result        text NOT NULL CHECK (result IN ('MET', 'PARTLY', 'NOT_MET')),
        comment       text NOT NULL DEFAULT '',
        PRIMARY KEY (assessment_id, item_id),
        FOREIGN KEY (template_id, item_id) REFERENCES checklist_item (template_id, item_id)
      )`);
    await q.query(`
      CREATE TABLE municipal_request (
        id                uuid PRIMARY KEY,
        visit_id          uuid REFERENCES visit (id),
        municipality_code ${MUNICIPALITY},
        summary           text NOT NULL CHECK (summary <> ''),
        status            text NOT NULL CHECK (status IN ('RECEIVED', 'IN_PROGRESS', 'ANSWERED', 'CLOSED')),
        response          text,
        raised_on         date NOT NULL,
        version           integer NOT NULL DEFAULT 1
      )`);
    await q.query(`CREATE INDEX municipal_request_municipality_idx ON municipal_request (municipality_code)`);
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
      'history',
      'municipal_request',
      'assessment_result',
      'assessment',
      'checklist_item',
      'checklist_template',
      'follow_up',
      'visit_municipality',
      'visit_advisor',
      'visit',
      'advisor',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
