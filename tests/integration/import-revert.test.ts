/**
 * Undo for every kind of import, on each subgraph's real database: an import that changes some
 * records and adds one is reverted, after which every table holds exactly what it held before (all
 * columns but the version counters and timestamps); a second revert is CONFLICT; a record changed
 * since the import makes the revert a CONFLICT that changes nothing; staff revert only their own.
 */
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { importTransaction } from '../../shared/csv-import';
import { type Table, readCsv, writeCsv } from '../../shared/csv';
import type { SubgraphDefinition } from '../../shared/subgraph';
import { basesSubgraph } from '../../subgraphs/bases';
import { SAMPLE_FILES as BASE_FILES } from '../../subgraphs/bases/import';
import { dispatchSubgraph } from '../../subgraphs/dispatch';
import { ADVISOR_COLUMNS, PROGRAM_COLUMNS, TEMPLATE_COLUMNS } from '../../subgraphs/dispatch/import';
import { municipalitiesSubgraph } from '../../subgraphs/municipalities';
import { SAMPLE_FILES as STATUS_FILES } from '../../subgraphs/municipalities/sample/generate';
import { supportCentersSubgraph } from '../../subgraphs/support-centers';
import { SUBGRAPH_DEFINITIONS } from '../../subgraphs';
import { SAMPLE_FILES as CENTER_FILES } from '../../subgraphs/support-centers/sample/generate';
import { type TestSubgraph, startTestSubgraph } from '../helpers/stack';
import { tableContents } from '../helpers/tables';

/** Every table's rows, but the bookkeeping an import or revert rightly moves on (versions, timestamps, last writer, history, keys). */
const contents = (db: DataSource) =>
  tableContents(db, {
    tables: ['history', 'idempotency_key', 'data_import', 'migrations', 'notes_read_audit'],
    columns: ['version', 'updated_at', 'created_at', 'updated_by'],
  });

/** The first `n` rows of a sample file, each changed by `change`, plus one new record made by `added` from the first. */
function fileFrom(path: string, n: number, change: (row: Record<string, string>) => void, added: (row: Record<string, string>) => void): string {
  const table: Table = readCsv(readFileSync(path, 'utf8'));
  const rows = table.rows.slice(0, n).map((r) => ({ ...r.values }));
  for (const row of rows) change(row);
  const extra = { ...table.rows[0].values };
  added(extra);
  return writeCsv(table.columns, [...rows, extra]);
}

interface Case {
  definition: SubgraphDefinition<any>;
  kind: string;
  /** The file to import (from the subgraph's own download, where the sample has no file). */
  file: (db: DataSource) => string | Promise<string>;
}

const CASES: Case[] = [
  {
    definition: supportCentersSubgraph,
    kind: 'core-centers',
    file: () =>
      fileFrom(
        CENTER_FILES.coreCenters,
        3,
        (r) => ((r.name = `${r.name}（改称）`), (r.specialists = '7')),
        (r) => (r.center_id = 'T-01-9001'),
      ),
  },
  {
    definition: supportCentersSubgraph,
    kind: 'consultation-offices',
    file: () =>
      fileFrom(
        CENTER_FILES.consultationOffices,
        3,
        (r) => (r.name = `${r.name}（改称）`),
        (r) => (r.office_id = 'T-011002-901'),
      ),
  },
  {
    definition: basesSubgraph,
    kind: 'bases',
    file: () =>
      fileFrom(
        BASE_FILES.bases,
        3,
        (r) => {
          r.name = `${r.name}（改称）`;
          r.coordinator_count = '2';
          r.coordinator_funding = 'FEE_ADDITION';
          r.coordinator_host = '検証用相談支援事業所';
          r.coordinator_started_on = '2024-04-01';
          r.last_review_on = '2025-06-30'; // a new review the revert must take away again, older than the living sample's
          r.last_review_summary = '取込の検証。';
        },
        (r) => (r.base_id = 'T-01-9001'),
      ),
  },
  {
    definition: basesSubgraph,
    kind: 'base-participants',
    file: () =>
      fileFrom(
        BASE_FILES.participants,
        3,
        (r) => (r.organization_kind = 'OTHER'),
        (r) => (r.organization_name = '検証用の参加機関'),
      ),
  },
  {
    definition: municipalitiesSubgraph,
    kind: 'councils',
    file: () =>
      fileFrom(
        STATUS_FILES.councils,
        3,
        (r) => (r.meetings_last_year = '11'),
        (r) => (r.as_of = '2019-04-01'),
      ),
  },
  {
    definition: municipalitiesSubgraph,
    kind: 'self-plan-rates',
    file: () =>
      fileFrom(
        STATUS_FILES.selfPlanRates,
        3,
        (r) => (r.source_name = '再集計'),
        (r) => (r.as_of = '2019-03-31'),
      ),
  },
  {
    definition: dispatchSubgraph,
    kind: 'advisors',
    file: () =>
      writeCsv(ADVISOR_COLUMNS, [
        {
          advisor_id: 'T-ADV-1',
          prefecture_code: '01',
          name: '検証 一郎',
          affiliation: '検証会',
          qualifications: '社会福祉士',
          active_from: '2024-04-01',
          active_until: '',
          subject: '',
          sample: 'false',
        },
      ]),
  },
  {
    definition: dispatchSubgraph,
    kind: 'prefectural-programs',
    file: () =>
      writeCsv(PROGRAM_COLUMNS, [
        {
          prefecture_code: '01',
          fiscal_year: '2019',
          implemented: 'true',
          duties: 'NETWORK_BUILDING',
          advisor_positions: '社会福祉士:1',
          model_project: 'false',
          source_name: '検証',
          source_as_of: '2019-04-01',
          sample: 'false',
        },
      ]),
  },
  {
    definition: dispatchSubgraph,
    kind: 'visits',
    file: async (db) => {
      const { columns, rows } = await dispatchSubgraph.importers!.visits.download(db, { prefectures: ['01'] });
      const changed = rows.slice(0, 3).map((r) => ({ ...r, summary: `${r.summary}（追記）`, topics: '取込の検証' }));
      const added = { ...rows[0], visit_id: 'T-VIS-1', attendees: '検証:1' };
      return writeCsv(
        columns.map((c) => c.key),
        [...changed, added].map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v ?? '')]))),
      );
    },
  },
  {
    definition: dispatchSubgraph,
    kind: 'follow-ups',
    file: async (db) => {
      const { columns, rows } = await dispatchSubgraph.importers!['follow-ups'].download(db, { prefectures: ['01'] });
      const open = rows.filter((r) => r.status === 'OPEN');
      const changed = open.slice(0, 3).map((r) => ({ ...r, description: `${r.description}（追記）`, status: 'DONE', completed_on: r.due_on }));
      const added = { ...open[0], follow_up_id: 'T-FU-1' };
      return writeCsv(
        columns.map((c) => c.key),
        [...changed, added].map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v ?? '')]))),
      );
    },
  },
  {
    definition: dispatchSubgraph,
    kind: 'requests',
    file: async (db) => {
      const { columns, rows } = await dispatchSubgraph.importers!.requests.download(db, { prefectures: ['01'] });
      const changed = rows.slice(0, 3).map((r) => ({ ...r, status: 'ANSWERED', response: '県から回答しました' }));
      const added = { ...rows[0], request_id: 'T-RQ-1', summary: '取込で追加した要望' };
      return writeCsv(
        columns.map((c) => c.key),
        [...changed, added].map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v ?? '')]))),
      );
    },
  },
  {
    definition: dispatchSubgraph,
    kind: 'assessments',
    file: async (db) => {
      const { columns, rows } = await dispatchSubgraph.importers!.assessments.download(db, { prefectures: ['01'] });
      const first = rows.filter((r) => r.municipality_code === rows[0].municipality_code && r.assessed_on === rows[0].assessed_on);
      const changed = rows.slice(0, 3).map((r) => ({ ...r, result: r.result === 'MET' ? 'NOT_MET' : 'MET', comment: '取込で訂正' }));
      // A new assessment: every item of the first one's checklist, on another day.
      const added = first.map((r) => ({ ...r, assessed_on: '2024-01-15', visit_id: '' }));
      return writeCsv(
        columns.map((c) => c.key),
        [...changed, ...added].map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v ?? '')]))),
      );
    },
  },
  {
    definition: dispatchSubgraph,
    kind: 'checklist-template',
    file: () =>
      writeCsv(TEMPLATE_COLUMNS, [{ template_id: 'revert-check', template_name: '取消の検証', source: '県', item_id: 'a', section: '基本', text: '項目' }]),
  },
];

const subgraphs = new Map<string, TestSubgraph<unknown>>();
beforeAll(async () => {
  for (const definition of new Set(CASES.map((c) => c.definition))) subgraphs.set(definition.name, await startTestSubgraph(definition));
}, 120_000);
afterAll(async () => {
  for (const t of subgraphs.values()) await t.subgraph.stop();
});

it('covers every kind of import the subgraphs define', () => {
  const kinds = SUBGRAPH_DEFINITIONS.flatMap((d) => Object.keys(d.importers ?? {}));
  expect(CASES.map((c) => c.kind).sort()).toEqual(kinds.sort());
});

describe.each(CASES)('$kind', ({ definition, kind, file }) => {
  it('is undone by a revert: every table as before the import; a second revert is CONFLICT', async () => {
    const db = subgraphs.get(definition.name)!.subgraph.dataSource;
    const importer = definition.importers![kind];
    const before = await contents(db);
    const report = await importer.run(db, await file(db), { actor: 'test:admin' });
    expect(report.problems).toEqual([]);
    expect(report.applied).toBe(true);
    expect(report.importId).toEqual(expect.any(String));
    expect(await contents(db)).not.toEqual(before);

    const reverted = await importer.revert(db, report.importId!, { actor: 'test:admin' });
    expect(reverted.restored + reverted.removed).toBe(report.inserted + report.updated);
    expect(await contents(db)).toEqual(before);
    await expect(importer.revert(db, report.importId!, { actor: 'test:admin' })).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
  });
});

it('checklist-template: a file of one corrected item changes it in place, keeps the order, and is undone by a revert', async () => {
  const db = subgraphs.get('dispatch')!.subgraph.dataSource;
  const importer = dispatchSubgraph.importers!['checklist-template'];
  const itemsOf = () => db.query(`SELECT item_id, position, text FROM checklist_item WHERE template_id = 'council-guideline-2025' ORDER BY position, item_id`);
  const items = await itemsOf();
  const [template] = await db.query(`SELECT name, source FROM checklist_template WHERE id = 'council-guideline-2025'`);
  const [third] = await db.query(`SELECT * FROM checklist_item WHERE template_id = 'council-guideline-2025' AND item_id = $1`, [items[2].item_id]);
  const before = await contents(db);
  const row = { template_id: third.template_id, template_name: template.name, source: template.source, item_id: third.item_id, section: third.section };
  const report = await importer.run(db, writeCsv(TEMPLATE_COLUMNS, [{ ...row, text: `${third.text}（改訂）` }]), { actor: 'test:admin' });
  expect(report).toMatchObject({ problems: [], inserted: 0, updated: 1, unchanged: 0 });
  // The item stays third (it was numbered 1, beside the first, and the other items kept), the others as they were.
  expect(await itemsOf()).toEqual(items.map((i: { item_id: string }, n: number) => (n === 2 ? { ...i, text: `${third.text}（改訂）` } : i)));
  // Sent again: unchanged; a new item is added after the last.
  expect(await importer.run(db, writeCsv(TEMPLATE_COLUMNS, [{ ...row, text: `${third.text}（改訂）` }]), { dryRun: true })).toMatchObject({
    unchanged: 1,
    updated: 0,
  });
  const added = await importer.run(db, writeCsv(TEMPLATE_COLUMNS, [{ ...row, item_id: 'added-by-file', text: '追加の項目' }]), { actor: 'test:admin' });
  expect(added).toMatchObject({ problems: [], inserted: 1, updated: 0 });
  expect((await itemsOf()).at(-1)).toEqual({ item_id: 'added-by-file', position: items.at(-1).position + 1, text: '追加の項目' });
  // Each is undone by its revert, the latest first: every table as before.
  await importer.revert(db, added.importId!, { actor: 'test:admin' });
  expect(await importer.revert(db, report.importId!, { actor: 'test:admin' })).toMatchObject({ restored: 1, removed: 0 });
  expect(await contents(db)).toEqual(before);
});

describe('revert refusals', () => {
  const centers = () => ({ db: subgraphs.get('support-centers')!.subgraph.dataSource, importer: supportCentersSubgraph.importers!['core-centers'] });
  const file = CASES[0].file as () => string;

  it('is CONFLICT and changes nothing when a record changed since the import', async () => {
    const { db, importer } = centers();
    const report = await importer.run(db, file(), { actor: 'test:admin' });
    await db.query(`UPDATE core_center SET name = name || '（その後の変更）' WHERE external_id = 'S-01-0001'`);
    const after = await contents(db);
    await expect(importer.revert(db, report.importId!, {})).rejects.toMatchObject({
      extensions: { code: 'CONFLICT', reason: expect.stringContaining('S-01-0001') },
    });
    expect(await contents(db)).toEqual(after);
  });

  it("keeps staff to their own prefecture's imports, and names an unknown import NOT_FOUND", async () => {
    const { db, importer } = centers();
    const report = await importer.run(db, file().replace(/（改称）/g, '（再改称）'), { actor: 'staff-01', prefectures: ['01'] });
    expect(report.applied).toBe(true);
    await expect(importer.revert(db, report.importId!, { prefectures: ['13'] })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    await expect(importer.revert(db, '00000000-0000-4000-8000-000000000000', {})).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(importer.revert(db, report.importId!, { prefectures: ['01'] })).resolves.toMatchObject({ restored: 3 });
  });

  it('is CONFLICT when a record the import added is used since (an advisor named on a visit)', async () => {
    const db = subgraphs.get('dispatch')!.subgraph.dataSource;
    const importer = dispatchSubgraph.importers!.advisors;
    const report = await importer.run(db, (CASES.find((c) => c.kind === 'advisors')!.file as () => string)().replace('T-ADV-1', 'T-ADV-2'), {});
    const [{ id: visitId }] = await db.query('SELECT id FROM visit LIMIT 1');
    await db.query(`INSERT INTO visit_advisor (visit_id, advisor_id) SELECT $1, id FROM advisor WHERE external_id = 'T-ADV-2'`, [visitId]);
    await expect(importer.revert(db, report.importId!, {})).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await db.query(`SELECT 1 FROM advisor WHERE external_id = 'T-ADV-2'`)).toHaveLength(1);
  });
});

it("lets an import or revert wait its turn behind another for longer than a request's statement_timeout (deploy/database-users.sql)", async () => {
  const db = subgraphs.get('support-centers')!.subgraph.dataSource;
  const { url } = db.options as { url: string };
  const first = new Client({ connectionString: url }); // an import running: it holds the turn
  await first.connect();
  const runner = db.createQueryRunner();
  try {
    await first.query('BEGIN');
    await first.query(`SELECT pg_advisory_xact_lock(hashtext('import'))`);
    await runner.query("SET statement_timeout = '200ms'"); // the app user's, as the deploy file sets it (there a minute)
    const second = importTransaction(runner.manager, (manager) => manager.query('SELECT 1 AS done'));
    await new Promise((done) => setTimeout(done, 600));
    await first.query('COMMIT');
    expect(await second).toEqual([{ done: 1 }]);
    // Lifted for that transaction alone: the connection's own statements are bounded again.
    await expect(runner.query('SELECT pg_sleep(1)')).rejects.toMatchObject({ driverError: expect.objectContaining({ code: '57014' }) });
  } finally {
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
    await first.end();
  }
});
