import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys for machines (BI tools): a name, a read-only scope (national ANALYST, or one prefecture read as
 * its staff reads it), an expiry, optionally the operations it may run; only a salted hash of the secret.
 * Revoked keys stay, for the record. Also the idempotency keys of this subgraph's first mutations.
 */
export class CreateApiKeys1765324800000 implements MigrationInterface {
  name = 'CreateApiKeys1765324800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_key (
        id                 uuid PRIMARY KEY,
        name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        role               text NOT NULL CHECK (role IN ('ANALYST', 'PREFECTURE_STAFF')),
        prefecture_code    char(2) REFERENCES prefecture (code),
        allowed_operations text[],
        salt               bytea NOT NULL,
        hash               bytea NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        created_by         text NOT NULL,
        expires_on         date NOT NULL,
        revoked_at         timestamptz,
        revoked_by         text,
        last_used_at       timestamptz,
        version            integer NOT NULL DEFAULT 1,
        CHECK ((role = 'ANALYST') = (prefecture_code IS NULL))
      )`);
    await q.query('CREATE INDEX api_key_prefecture_idx ON api_key (prefecture_code)');
    await q.query(`
      CREATE TABLE idempotency_key (
        actor           text NOT NULL,
        key             text NOT NULL,
        operation       text NOT NULL,
        request_hash    text NOT NULL,
        entity_id       uuid NOT NULL,
        prefecture_code char(2) NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_key');
    await q.query('DROP TABLE api_key');
  }
}
