/**
 * Migrations on deploy: a database made by the previous release's migrations (migrations.released.json)
 * and holding its data is brought up to this version by the same code `npm run migrate` runs, keeping
 * the data (and filling what new columns need); a database ahead of the code (migrated by a newer
 * release) is refused, by the migration step and by the service's start alike. Every table has the
 * trigger that tells the services of its changes.
 */
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { loadSubgraphConfig } from '../../shared/config';
import { DatabaseAheadOfCode, migrationNames, openDatabase } from '../../shared/database';
import { projectPath } from '../../shared/paths';
import { startSubgraph } from '../../shared/subgraph';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { testEnv } from '../helpers/stack';

const released: Record<string, string[]> = JSON.parse(readFileSync(projectPath('migrations.released.json'), 'utf8')).migrations;
const log = pino({ level: 'silent' });

describe.each(SUBGRAPH_DEFINITIONS.map((d) => [d.name, d] as const))('%s', (_name, definition) => {
  const env = testEnv();
  const config = loadSubgraphConfig(definition.name, env);
  const all = definition.database.migrations as Array<new () => { name?: string }>;
  const ofRelease = all.filter((M) => released[definition.name].includes(new M().name!));

  it("upgrades a database of the previous release's migrations, keeping its rows", async () => {
    expect(ofRelease.map((M) => new M().name)).toEqual(released[definition.name]);
    const old = await openDatabase(config.database, { migrations: ofRelease }, log);
    await old.query(
      `INSERT INTO history (entity, entity_id, action, actor, before, after) VALUES ('test', gen_random_uuid(), 'create', 'test', NULL, '{"a": 1}')`,
    );
    if (definition.name === 'dispatch') {
      // A follow-up dropped under the previous release: the drop's day is only in the history.
      await old.query(`
        INSERT INTO advisor (id, prefecture_code, name, affiliation, qualifications, active_from, sample) VALUES
          ('00000000-0000-4000-8000-00000000a001', '01', '試験 一郎', '', '{}', '2024-04-01', false);
        INSERT INTO visit (id, prefecture_code, visited_on, format, purposes, topics, summary, issues_found, attendees, status, sample, created_by, updated_by)
          VALUES ('00000000-0000-4000-8000-00000000b001', '01', '2025-05-01', 'ON_SITE', '{COUNCIL}', '{}', '', '', '[]', 'ACTIVE', false, 'test', 'test');
        INSERT INTO follow_up (id, visit_id, municipality_code, description, owner_kind, due_on, status, drop_reason)
          VALUES ('00000000-0000-4000-8000-00000000c001', '00000000-0000-4000-8000-00000000b001', '011002', '資料送付', 'MUNICIPALITY', '2025-07-01', 'DROPPED', '方針変更');
        INSERT INTO history (entity, entity_id, action, actor, at, before, after)
          VALUES ('follow_up', '00000000-0000-4000-8000-00000000c001', 'dropFollowUp', 'test', '2025-06-10T10:00:00+09:00', NULL, NULL);`);
    }
    await old.destroy();

    const upgraded = await openDatabase(config.database, definition.database, log);
    try {
      const applied = (await upgraded.query('SELECT name FROM migrations ORDER BY id')).map((r: { name: string }) => r.name);
      expect(applied).toEqual(migrationNames(definition.database));
      expect(await upgraded.query(`SELECT after FROM history WHERE entity = 'test'`)).toEqual([{ after: { a: 1 } }]);
      // Every table tells of its changes (shared/data-version.ts): a table added without the trigger fails here.
      const silent = await upgraded.query(`
        SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('migrations', 'notes_read_audit')
        EXCEPT SELECT event_object_table FROM information_schema.triggers WHERE trigger_name = 'data_changed'`);
      expect(silent).toEqual([]);
      if (definition.name === 'dispatch') {
        expect(await upgraded.query(`SELECT status, dropped_on::text FROM follow_up WHERE id = '00000000-0000-4000-8000-00000000c001'`)).toEqual([
          { status: 'DROPPED', dropped_on: '2025-06-10' },
        ]);
        // An advisor registered through the API had no key in files: it is keyed by its id (import downloads).
        expect(await upgraded.query(`SELECT external_id FROM advisor WHERE id = '00000000-0000-4000-8000-00000000a001'`)).toEqual([
          { external_id: '00000000-0000-4000-8000-00000000a001' },
        ]);
      }
    } finally {
      await upgraded.destroy();
    }
  });

  it('refuses a database migrated by a newer release, at the migration step and at the start', async () => {
    const current = await openDatabase(config.database, definition.database, log);
    await current.query(`INSERT INTO migrations (timestamp, name) VALUES (9999999999999, 'FromANewerRelease9999999999999')`);
    await current.destroy();
    await expect(openDatabase(config.database, definition.database, log)).rejects.toBeInstanceOf(DatabaseAheadOfCode);
    await expect(startSubgraph(definition, config, { log })).rejects.toThrow(/FromANewerRelease9999999999999.*newer release/);
  });
});

describe('processes starting at once (two replicas, `npm run migrate` beside a starting service)', () => {
  it.each(SUBGRAPH_DEFINITIONS.map((d) => [d.name, d] as const))(
    '%s: each creates and migrates nothing twice, and every one starts',
    async (_name, definition) => {
      const config = loadSubgraphConfig(definition.name, testEnv()); // a database that does not exist yet
      const opened = await Promise.allSettled([1, 2, 3].map(() => openDatabase(config.database, definition.database, log)));
      const started = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
      try {
        expect(opened.map((o) => (o.status === 'fulfilled' ? 'started' : String(o.reason)))).toEqual(['started', 'started', 'started']);
        const applied = (await started[0].query('SELECT name FROM migrations ORDER BY id')).map((r: { name: string }) => r.name);
        expect(applied).toEqual(migrationNames(definition.database));
      } finally {
        await Promise.all(started.map((s) => s.destroy()));
      }
    },
  );
});
