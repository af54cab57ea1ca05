/** The support-centers subgraph against a real PostgreSQL, through Apollo's executeOperation. */
import { readFileSync } from 'node:fs';
import { ANONYMOUS, type Viewer } from '../../shared/context';
import { supportCentersSubgraph } from '../../subgraphs/support-centers';
import type { SupportCenterLoaders } from '../../subgraphs/support-centers/data/loaders';
import { importConsultationOffices, importCoreCenters } from '../../subgraphs/support-centers/import';
import * as XLS from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { decodeCsv, readCsv } from '../../shared/csv';
import { readImportFile } from '../../shared/spreadsheet';
import { JAPANESE_COLUMN_NAMES } from '../../shared/japanese-columns';
import { SAMPLE_FILES } from '../../subgraphs/support-centers/sample/generate';
import { type TestSubgraph, startTestSubgraph } from '../helpers/stack';
import { english } from '../helpers/problems';
import { MAX_PROBLEMS } from '../../shared/csv-import';

let t: TestSubgraph<SupportCenterLoaders>;
beforeAll(async () => {
  t = await startTestSubgraph(supportCentersSubgraph);
});
afterAll(() => t?.subgraph.stop());

const STAFF_01: Viewer = { subject: 'staff-01', role: 'PREFECTURE_STAFF', prefectureCode: '01' };
const STAFF_13: Viewer = { subject: 'staff-13', role: 'PREFECTURE_STAFF', prefectureCode: '13' };
const ADVISOR_01: Viewer = { subject: 'advisor-01', role: 'ADVISOR', prefectureCode: '01' };

const ENTITIES = `query($r: [_Any!]!, $asOf: LocalDate) { _entities(representations: $r) {
  ... on Municipality { code coreCenterCoverage(asOf: $asOf) coreCenters(asOf: $asOf) { id setup municipalities { code } } }
} }`;

/** Rows of the tables, to prove a refused write left everything as it was. */
async function snapshot() {
  const ds = t.subgraph.dataSource;
  return {
    centers: await ds.query('SELECT id, version, name, closed_on FROM core_center ORDER BY id'),
    coverage: await ds.query('SELECT * FROM core_center_municipality ORDER BY core_center_id, municipality_code'),
    keys: await ds.query('SELECT key FROM idempotency_key ORDER BY key'),
  };
}

/** The header of the sample CSV: the import format the README documents. */
const csvHeader = () => readFileSync(SAMPLE_FILES.coreCenters, 'utf8').split('\n')[0];

describe('sample data', () => {
  it('is loaded: 1,462 centers and the consultation offices, all labelled sample', async () => {
    const [{ centers, sample }] = await t.subgraph.dataSource.query(
      'SELECT count(*)::int AS centers, count(*) FILTER (WHERE sample)::int AS sample FROM core_center',
    );
    expect([centers, sample]).toEqual([1462, 1462]);
    const [{ offices }] = await t.subgraph.dataSource.query('SELECT count(*)::int AS offices FROM consultation_office');
    expect(offices).toBeGreaterThan(10_000);
  });

  it('counts 778 covered municipalities on 2020-04-01 and 1,147 on 2025-04-01', async () => {
    const codes = (await t.subgraph.dataSource.query('SELECT DISTINCT municipality_code AS code FROM core_center_municipality')).map(
      (r: { code: string }) => r.code,
    );
    for (const [asOf, expected] of [
      ['2020-04-01', 778],
      ['2025-04-01', 1147],
    ] as const) {
      const { data, errors } = await t.execute(
        'query($r: [_Any!]!, $asOf: LocalDate) { _entities(representations: $r) { ... on Municipality { coreCenterCoverage(asOf: $asOf) } } }',
        { r: codes.map((code: string) => ({ __typename: 'Municipality', code })), asOf },
      );
      expect(errors).toBeUndefined();
      expect(data!._entities.filter((e: { coreCenterCoverage: string }) => e.coreCenterCoverage !== 'NONE')).toHaveLength(expected);
    }
  });
});

describe('batched reads', () => {
  it('resolves coverage and centers of 300 municipalities with one statement each', async () => {
    const codes = (await t.subgraph.dataSource.query('SELECT DISTINCT municipality_code AS code FROM core_center_municipality ORDER BY 1 LIMIT 300')).map(
      (r: { code: string }) => r.code,
    );
    const { result, statements } = await t.sql.during(() =>
      t.execute(ENTITIES, { r: codes.map((code: string) => ({ __typename: 'Municipality', code })), asOf: '2025-04-01' }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toHaveLength(300);
    expect(result.data!._entities.every((e: { coreCenters: unknown[] }) => e.coreCenters.length > 0)).toBe(true);
    expect(statements).toHaveLength(2); // coverage, then the centers with their municipalities
  });

  it('answers the gap question for all 47 prefectures with one statement', async () => {
    const prefectures = new Map<string, Array<{ code: string; population: number }>>();
    for (const row of await t.subgraph.dataSource.query('SELECT DISTINCT municipality_code AS code FROM core_center_municipality')) {
      const list = prefectures.get(row.code.slice(0, 2)) ?? [];
      list.push({ code: row.code, population: 5000 });
      prefectures.set(row.code.slice(0, 2), list);
    }
    prefectures.get('01')!.push({ code: '016951', population: 10 }); // a municipality no center covers
    const representations = [...prefectures].map(([code, municipalities]) => ({ __typename: 'Prefecture', code, municipalities }));
    const { result, statements } = await t.sql.during(() =>
      t.execute(
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Prefecture { code coreCenterGaps(populationBelow: 10000, asOf: "2025-04-01") { code } } } }',
        { r: representations },
      ),
    );
    expect(result.errors).toBeUndefined();
    const gaps = result.data!._entities.flatMap((p: { coreCenterGaps: Array<{ code: string }> }) => p.coreCenterGaps);
    expect(gaps).toEqual([{ code: '016951' }]);
    expect(statements).toHaveLength(1);
  });

  it('pages consultation offices of many municipalities with one statement, counting with one more', async () => {
    const { result, statements } = await t.sql.during(() =>
      t.execute(
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Municipality {
           consultationOffices(first: 2) { totalCount nodes { name municipality { code } } pageInfo { hasNextPage endCursor } } } } }`,
        { r: ['011002', '012025', '131016'].map((code) => ({ __typename: 'Municipality', code })) },
      ),
    );
    expect(result.errors).toBeUndefined();
    const sapporo = result.data!._entities[0].consultationOffices;
    expect(sapporo.nodes).toHaveLength(2);
    expect(sapporo.totalCount).toBeGreaterThan(100);
    expect(sapporo.pageInfo.hasNextPage).toBe(true);
    expect(statements).toHaveLength(2);

    const next = await t.execute(
      `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Municipality { consultationOffices(first: 2, after: $after) { nodes { name } } } } }`,
      { r: [{ __typename: 'Municipality', code: '011002' }], after: sapporo.pageInfo.endCursor },
    );
    const names = next.data!._entities[0].consultationOffices.nodes.map((n: { name: string }) => n.name);
    expect(names).toHaveLength(2);
    expect(names[0] > sapporo.nodes[1].name).toBe(true);
  });
});

describe('writes', () => {
  const CREATE = `mutation($input: CreateCoreCenterInput!, $key: String) {
    createCoreCenter(input: $input, idempotencyKey: $key) { id version setup municipalities { code } provenance { sample sourceName } }
  }`;
  const UPDATE = `mutation($id: ID!, $version: Int!, $input: UpdateCoreCenterInput!) {
    updateCoreCenter(id: $id, version: $version, input: $input) { id version name }
  }`;
  const CLOSE = `mutation($id: ID!, $version: Int!, $closedOn: LocalDate!) {
    closeCoreCenter(id: $id, version: $version, closedOn: $closedOn) { id version closedOn }
  }`;
  const joint = {
    prefectureCode: '01',
    name: '音威子府・中川共同基幹相談支援センター',
    setup: 'JOINT',
    municipalityCodes: ['014702', '014711'],
    operation: 'OUTSOURCED',
    operatorName: '社会福祉法人テスト会',
    establishedOn: '2025-10-01',
    functions: ['CONSULTATION', 'STAFF_SUPPORT'],
    staff: { specialists: 2 },
  };

  it('creates a center that then covers its municipalities from its date', async () => {
    const { data, errors } = await t.execute(CREATE, { input: joint }, STAFF_01);
    expect(errors).toBeUndefined();
    expect(data!.createCoreCenter).toMatchObject({
      version: 1,
      setup: 'JOINT',
      municipalities: [{ code: '014702' }, { code: '014711' }],
      provenance: { sample: false, sourceName: '都道府県による登録' },
    });
    const before = await t.execute(ENTITIES, { r: [{ __typename: 'Municipality', code: '014702' }], asOf: '2025-09-30' });
    const after = await t.execute(ENTITIES, { r: [{ __typename: 'Municipality', code: '014702' }], asOf: '2025-10-01' });
    expect(after.data!._entities[0].coreCenters.map((c: { id: string }) => c.id)).toContain(data!.createCoreCenter.id);
    expect(before.data!._entities[0].coreCenters.map((c: { id: string }) => c.id)).not.toContain(data!.createCoreCenter.id);
  });

  it('writes once for a retried request with the same idempotency key', async () => {
    const input = { ...joint, name: 'リトライ基幹相談支援センター' };
    const first = await t.execute(CREATE, { input, key: 'retry-key-0001' }, STAFF_01);
    const again = await t.execute(CREATE, { input, key: 'retry-key-0001' }, STAFF_01);
    expect(again.data!.createCoreCenter.id).toBe(first.data!.createCoreCenter.id);
    const [{ n }] = await t.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM core_center WHERE name = $1`, [input.name]);
    expect(n).toBe(1);
    const reused = await t.execute(CREATE, { input: { ...input, name: '別の要求' }, key: 'retry-key-0001' }, STAFF_01);
    expect(reused.errors![0].extensions!.code).toBe('CONFLICT');
  });

  it.each([
    ['a JOINT center with one municipality', { ...joint, municipalityCodes: ['014702'] }, 'input.municipalityCodes', 'two or more'],
    ['a bad check digit', { ...joint, municipalityCodes: ['014702', '014712'] }, 'input.municipalityCodes[1]', 'check digit should be 1'],
    ['a negative staff count', { ...joint, staff: { specialists: -1 } }, 'input.specialists', '0 to 999'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, input, argument, reason) => {
    const before = await snapshot();
    const { errors } = await t.execute(CREATE, { input }, STAFF_01);
    expect(errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(errors![0].message).toContain(reason);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses other prefectures, other roles and anonymous writers', async () => {
    const before = await snapshot();
    expect((await t.execute(CREATE, { input: joint }, STAFF_13)).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.execute(CREATE, { input: joint }, ADVISOR_01)).errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await t.execute(CREATE, { input: joint }, ANONYMOUS)).errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(await snapshot()).toEqual(before);
  });

  it('updates with the current version, refuses a stale one with CONFLICT and changes nothing', async () => {
    const created = (await t.execute(CREATE, { input: { ...joint, name: '版管理テスト' } }, STAFF_01)).data!.createCoreCenter;
    const updated = await t.execute(UPDATE, { id: created.id, version: 1, input: { name: '版管理テスト（改）' } }, STAFF_01);
    expect(updated.data!.updateCoreCenter).toMatchObject({ version: 2, name: '版管理テスト（改）' });
    const history = await t.subgraph.dataSource.query(
      `SELECT action, actor, before->>'name' AS before, after->>'name' AS after FROM history WHERE entity_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(history).toEqual([
      { action: 'createCoreCenter', actor: 'PREFECTURE_STAFF:staff-01', before: null, after: '版管理テスト' },
      { action: 'updateCoreCenter', actor: 'PREFECTURE_STAFF:staff-01', before: '版管理テスト', after: '版管理テスト（改）' },
    ]);

    const before = await snapshot();
    const stale = await t.execute(UPDATE, { id: created.id, version: 1, input: { name: '上書き' } }, STAFF_01);
    expect(stale.errors![0].extensions!.code).toBe('CONFLICT');
    expect(stale.errors![0].message).toContain('version 1 is stale');
    expect(await snapshot()).toEqual(before);

    const invalid = await t.execute(UPDATE, { id: created.id, version: 2, input: { setup: 'SINGLE' } }, STAFF_01);
    expect(invalid.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.municipalityCodes' });
    expect(await snapshot()).toEqual(before);
  });

  it('closes a center (nothing is deleted), after which it no longer counts', async () => {
    const created = (await t.execute(CREATE, { input: { ...joint, name: '廃止テスト', municipalityCodes: ['016926', '016934'] } }, STAFF_01)).data!
      .createCoreCenter;
    const closed = await t.execute(CLOSE, { id: created.id, version: 1, closedOn: '2026-03-31' }, STAFF_01);
    expect(closed.data!.closeCoreCenter).toEqual({ id: created.id, version: 2, closedOn: '2026-03-31' });
    const on = async (asOf: string) =>
      (await t.execute(ENTITIES, { r: [{ __typename: 'Municipality', code: '016926' }], asOf })).data!._entities[0].coreCenterCoverage;
    expect(await on('2026-03-30')).not.toBe('NONE');
    expect(await on('2026-03-31')).toBe('NONE');
    const again = await t.execute(CLOSE, { id: created.id, version: 2, closedOn: '2026-04-30' }, STAFF_01);
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');
    const missing = await t.execute(CLOSE, { id: '00000000-0000-4000-8000-000000000000', version: 1, closedOn: '2026-04-30' }, STAFF_01);
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

describe('CSV import', () => {
  const header = csvHeader();
  const row = (id: string, change: Record<string, string> = {}) => {
    const values: Record<string, string> = {
      center_id: id,
      prefecture_code: '47',
      name: '沖縄テスト基幹相談支援センター',
      setup: 'SINGLE',
      municipality_codes: '473014',
      operation: 'DIRECT',
      operator_name: '',
      established_on: '2024-04-01',
      closed_on: '',
      functions: 'CONSULTATION;STAFF_SUPPORT',
      chief_specialists: '1',
      specialists: '2',
      social_workers: '0',
      psychiatric_social_workers: '0',
      public_health_nurses: '1',
      other_staff: '0',
      also_functions_as_base: 'true',
      runs_abuse_prevention_center: 'false',
      has_medical_care_child_coordinator: 'false',
      source_name: '令和7年度 県調査',
      source_as_of: '2025-04-01',
      sample: 'false',
      ...change,
    };
    return header
      .split(',')
      .map((c) => values[c])
      .join(',');
  };
  const file = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

  it('imports a file, and the same file again changes nothing', async () => {
    const csv = file(row('OKI-1'), row('OKI-2', { municipality_codes: '473014;473022', setup: 'JOINT' }));
    const first = await importCoreCenters(t.subgraph.dataSource, csv);
    expect(first).toMatchObject({ applied: true, rows: 2, inserted: 2, updated: 0, unchanged: 0, problems: [] });
    const versions = await t.subgraph.dataSource.query(`SELECT external_id, version, updated_at FROM core_center WHERE external_id LIKE 'OKI-%' ORDER BY 1`);
    const second = await importCoreCenters(t.subgraph.dataSource, csv);
    expect(second).toMatchObject({ applied: true, inserted: 0, updated: 0, unchanged: 2 });
    expect(await t.subgraph.dataSource.query(`SELECT external_id, version, updated_at FROM core_center WHERE external_id LIKE 'OKI-%' ORDER BY 1`)).toEqual(
      versions,
    );
    const changed = await importCoreCenters(
      t.subgraph.dataSource,
      file(row('OKI-1', { specialists: '3' }), row('OKI-2', { municipality_codes: '473014;473022', setup: 'JOINT' })),
    );
    expect(changed).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
  });

  /** Shift_JIS bytes of `text`, found through the platform's decoder (Node encodes no Shift_JIS itself). */
  const sjisTable = new Map<string, number[]>();
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  for (let lead = 0x81; lead <= 0xfc; lead += 1) {
    if (lead > 0x9f && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail += 1) {
      try {
        const char = decoder.decode(Uint8Array.from([lead, trail]));
        if (!sjisTable.has(char)) sjisTable.set(char, [lead, trail]);
      } catch {
        // not a character
      }
    }
  }
  const sjis = (text: string) => Uint8Array.from([...text].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : sjisTable.get(c)!)));
  const stored = () =>
    t.subgraph.dataSource.query(
      `SELECT external_id, name, setup, operation, operator_name, established_on, source_name, (SELECT array_agg(municipality_code ORDER BY 1) FROM core_center_municipality m WHERE m.core_center_id = c.id) AS codes
       FROM core_center c WHERE external_id LIKE 'ENC-%' ORDER BY 1`,
    );

  /** The same rows as an Excel workbook would hold them: codes Excel turned into numbers, dates as date cells, a second sheet first. */
  const workbookOf = async (text: string): Promise<Uint8Array> => {
    const { columns, rows } = readCsv(text);
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('説明').addRow(['この表は取込用です']);
    const sheet = workbook.addWorksheet('基幹相談支援センター');
    sheet.addRow(columns);
    for (const r of rows) {
      sheet.addRow(
        columns.map((c) => {
          const v = r.values[c];
          if (/_on$|_as_of$/.test(c) && v) return new Date(`${v}T00:00:00Z`);
          if (/^\d+$/.test(v) && c !== 'center_id') return Number(v); // 47 and 473014 become numbers, as Excel makes them
          return v;
        }),
      );
    }
    return new Uint8Array(await workbook.xlsx.writeBuffer());
  };

  /** The same rows as an Excel 97–2003 workbook (.xls) holds them: the .xlsx's sheets and cells, saved in the old format. */
  const xlsOf = async (xlsx: Uint8Array): Promise<Uint8Array> => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ExcelJS.Buffer);
    const book = XLS.utils.book_new();
    for (const sheet of workbook.worksheets) {
      const rows = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((row) => row.slice(1));
      XLS.utils.book_append_sheet(book, XLS.utils.aoa_to_sheet(rows, { UTC: true }), sheet.name);
    }
    return new Uint8Array(XLS.write(book, { type: 'array', bookType: 'biff8' }) as ArrayBuffer);
  };

  /** The rows as Excel's text formats save them: tab-separated, in Shift_JIS ("テキスト（タブ区切り）") or UTF-16 with its BOM ("Unicode テキスト"). */
  const tabSeparated = (text: string) => {
    const { columns, rows } = readCsv(text);
    return [columns, ...rows.map((r) => columns.map((c) => r.values[c]))].map((cells) => cells.join('\t')).join('\r\n') + '\r\n';
  };
  const utf16le = (text: string) => Uint8Array.from([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);

  it('imports the same records from UTF-8, UTF-8 with BOM, Shift_JIS (CP932), tab-separated text, Unicode text, .xlsx and .xls files alike, and refuses bytes that are no text', async () => {
    const text = file(row('ENC-1', { name: '那覇市基幹相談支援センター（髙﨑）', operator_name: '社会福祉法人 なは', operation: 'OUTSOURCED' }));
    const utf8 = new TextEncoder().encode(text);
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]);
    const cp932 = sjis(text);
    const tabs = sjis(tabSeparated(text));
    const unicodeText = utf16le(tabSeparated(text));
    const xlsx = await workbookOf(text);
    const xls = await xlsOf(xlsx);
    const files = [utf8, withBom, cp932, tabs, unicodeText, xlsx, xls];
    // The sheet is named for the workbooks only: a CSV file has none (and naming one is refused).
    const read = (bytes: Uint8Array) => readImportFile(bytes, bytes === xlsx || bytes === xls ? { sheet: '基幹相談支援センター' } : {});
    expect(await Promise.all(files.map(async (b) => [(await read(b)).format, (await read(b)).encoding]))).toEqual([
      ['csv', 'utf-8'],
      ['csv', 'utf-8'],
      ['csv', 'shift_jis'],
      ['csv', 'shift_jis'],
      ['csv', 'utf-16le'],
      ['xlsx', undefined],
      ['xls', undefined],
    ]);
    const rows: unknown[] = [];
    const reports: unknown[] = [];
    for (const bytes of files) {
      await t.subgraph.dataSource.query(
        `DELETE FROM core_center_municipality WHERE core_center_id IN (SELECT id FROM core_center WHERE external_id LIKE 'ENC-%')`,
      );
      await t.subgraph.dataSource.query(`DELETE FROM core_center WHERE external_id LIKE 'ENC-%'`);
      const report = await importCoreCenters(t.subgraph.dataSource, (await read(bytes)).table);
      expect(report).toMatchObject({ problems: [], applied: true, inserted: 1 });
      reports.push(report.warnings.map((w) => w.column));
      rows.push(await stored());
    }
    for (const stored of rows.slice(1)) expect(stored).toEqual(rows[0]);
    // Number cells (47, 473014, 1) read back as their digits: nothing to repair in any of them.
    expect(reports).toEqual(files.map(() => []));
    expect(JSON.stringify(rows[2])).toContain('髙﨑'); // CP932's extensions (IBM/NEC kanji) decode, and nothing becomes U+FFFD
    expect(JSON.stringify(rows)).not.toContain('\uFFFD');
    // A Shift_JIS lead byte with no trail byte on line 3: not text in either encoding, refused naming the line.
    const broken = Uint8Array.from([...cp932, ...sjis('ENC-2,47,'), 0x82, 0x0a]);
    expect(() => decodeCsv(Uint8Array.from([...utf8, ...new TextEncoder().encode('x\n'), 0xff, 0x0a]))).toThrow(/line 4 is not valid UTF-8/);
    expect(() => decodeCsv(broken, 'shift_jis')).toThrow(/line 3 is not valid Shift_JIS/);
    // UTF-16 with a lone surrogate on line 2: refused naming the line; its BOM wins over a declared encoding.
    const lone = Uint8Array.from([...unicodeText.slice(0, 2 + 2 * tabSeparated(text).indexOf('\n') + 2), 0x00, 0xd8, 0x41, 0x00]);
    expect(() => decodeCsv(lone, 'shift_jis')).toThrow(/line 2 is not valid UTF-16/);
    await expect(readImportFile(xlsx, { sheet: 'ない' })).rejects.toThrow(/no sheet named "ない" \(its sheets: 説明, 基幹相談支援センター\)/);
  });

  it('reads a file in the shapes Excel leaves: slash and era dates, codes without zero or check digit, full-width digits, Japanese labels', async () => {
    const report = await importCoreCenters(
      t.subgraph.dataSource,
      file(
        row('ENC-10', { prefecture_code: '47', municipality_codes: '47301', established_on: '2019/7/1', setup: '単独', operation: '直営' }),
        row('ENC-11', {
          municipality_codes: '４７３０１４;47302',
          setup: '共同設置',
          operation: '委託',
          operator_name: '法人',
          established_on: '令和元年7月1日',
        }),
        row('ENC-12', { prefecture_code: '1', municipality_codes: '11002', established_on: 'R2.4.1' }),
      ),
    );
    expect(report.problems).toEqual([]);
    expect(report.warnings.map((w) => [w.line, w.column])).toEqual([
      [2, 'municipality_codes'],
      [3, 'municipality_codes'],
      [3, 'municipality_codes'],
      [4, 'prefecture_code'],
      [4, 'municipality_codes'],
    ]);
    expect(report.warnings[0].reason).toContain('check digit');
    expect(report.warnings[4].reason).toContain('leading zero');
    const rows = await stored();
    expect(rows.filter((r: { external_id: string }) => ['ENC-10', 'ENC-11', 'ENC-12'].includes(r.external_id))).toEqual([
      expect.objectContaining({ external_id: 'ENC-10', setup: 'SINGLE', operation: 'DIRECT', established_on: '2019-07-01', codes: ['473014'] }),
      expect.objectContaining({ external_id: 'ENC-11', setup: 'JOINT', operation: 'OUTSOURCED', established_on: '2019-07-01', codes: ['473014', '473022'] }),
      expect.objectContaining({ external_id: 'ENC-12', established_on: '2020-04-01', codes: ['011002'] }),
    ]);
  });

  it("reads a designated city's list of one core center per ward — by ward code or ward name — as centers of the city, saying so", async () => {
    // 横浜市 has a core center in each of its 18 wards; a list of them gives the ward's code (鶴見区 141011) or name.
    const report = await importCoreCenters(
      t.subgraph.dataSource,
      file(
        row('ENC-W1', { prefecture_code: '14', municipality_codes: '141011', operator_name: '鶴見区基幹相談支援センター' }),
        row('ENC-W2', { prefecture_code: '14', municipality_codes: '横浜市神奈川区', operator_name: '神奈川区基幹相談支援センター' }),
      ),
      { dryRun: true },
    );
    expect(report.problems).toEqual([]);
    expect(report.warnings.map((w) => [w.line, w.column, w.reasonJa])).toEqual([
      [2, 'municipality_codes', '横浜市の区のコード 141011 を市のコード 141003 として読みました（政令指定都市の区は市として数えます）'],
      [3, 'municipality_codes', '市町村名「横浜市神奈川区」をコード 141003 として読みました'],
    ]);
    expect(report).toMatchObject({ inserted: 2 });
    // A ward's name beside its code (鶴見区, or 横浜市鶴見区) is the city's; another municipality's name is not.
    const named = (code: string, name: string) =>
      `${header},municipality_name\n${row('ENC-W3', { prefecture_code: '14', municipality_codes: code })},${name}\n`;
    for (const [code, name] of [
      ['141011', '鶴見区'],
      ['14101', '横浜市鶴見区'],
      ['141003', '横浜市鶴見区'],
      // With what text copied from a web page brings unseen: a zero-width space, a soft hyphen. The name is the same.
      ['141003', '横浜\u200B市'],
      ['141003', '横\u00AD浜市'],
    ])
      expect({ code, name, problems: (await importCoreCenters(t.subgraph.dataSource, named(code, name), { dryRun: true })).problems }).toEqual({
        code,
        name,
        problems: [],
      });
    // Codes each with its name, as a drop-down list writes them, beside a name column: the same municipalities.
    const joint = `${header},municipality_name\n${row('ENC-W4', { prefecture_code: '14', setup: 'JOINT', municipality_codes: '"141305 川崎市、141500 相模原市"' })},川崎市・相模原市\n`;
    expect((await importCoreCenters(t.subgraph.dataSource, joint, { dryRun: true })).problems).toEqual([]);
    expect((await importCoreCenters(t.subgraph.dataSource, named('141011', '川崎市'), { dryRun: true })).problems).toEqual([
      expect.objectContaining({
        column: 'municipality_name',
        reasonJa: '市町村コード 141003 は「横浜市」です（「川崎市」ではありません）。同じ行のコードと名称を確かめてください',
      }),
    ]);
  });

  it('reads a staff list that names municipalities instead of giving codes, when each name names one, and refuses one it cannot tell', async () => {
    const named = file(
      row('ENC-13', { prefecture_code: '北海道', municipality_codes: '札幌市・小樽市', setup: 'JOINT' }),
      row('ENC-14', { prefecture_code: '07', municipality_codes: '伊達市' }), // 福島県's, not 北海道's
      row('ENC-15', { municipality_codes: '那覇市' }), // a row of 沖縄県 (47)
    );
    const report = await importCoreCenters(t.subgraph.dataSource, named, { dryRun: true });
    expect(report.problems).toEqual([]);
    expect(report.warnings.filter((w) => w.column === 'municipality_codes').map((w) => w.reasonJa)).toEqual([
      '市町村名「札幌市」をコード 011002 として読みました',
      '市町村名「小樽市」をコード 012033 として読みました',
      '市町村名「伊達市」をコード 072133 として読みました',
      '市町村名「那覇市」をコード 472018 として読みました',
    ]);
    // 府中市 is of 東京都 and of 広島県, neither of 沖縄県: refused, saying which codes it may be.
    const unsure = await importCoreCenters(t.subgraph.dataSource, file(row('ENC-16', { municipality_codes: '府中市' })), { dryRun: true });
    expect(unsure.problems).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'municipality_codes',
        value: '府中市',
        reasonJa: expect.stringContaining('市町村名ではなくコードで指定してください（同名の市町村: 132063（東京都）、342084（広島県）'),
      }),
    ]);
  });

  it('takes Japanese column names (センターID, 都道府県コード, 名称, 設置形態, …) as well as the English ones', async () => {
    const japaneseHeader = header
      .split(',')
      .map((column) => JAPANESE_COLUMN_NAMES[column][0])
      .join(',');
    const report = await importCoreCenters(t.subgraph.dataSource, [japaneseHeader, row('ENC-20', { setup: '単独設置' })].join('\n') + '\n');
    expect(report).toMatchObject({ problems: [], applied: true, inserted: 1 });
    expect((await stored()).find((r: { external_id: string }) => r.external_id === 'ENC-20')).toMatchObject({ setup: 'SINGLE', codes: ['473014'] });
    // A misspelt Japanese name is an unknown column, named as received.
    const bad = await importCoreCenters(t.subgraph.dataSource, [japaneseHeader.replace('名称', '名前'), row('ENC-21')].join('\n') + '\n');
    expect(english(bad.problems)).toEqual(
      expect.arrayContaining([
        { line: 1, column: '名前', reason: 'unknown column; did you mean 名称 (name)?' },
        { line: 1, column: 'name', reason: 'column is missing' },
      ]),
    );
  });

  it('rejects the whole file when one row is bad, listing every bad row with line and column', async () => {
    const before = await snapshot();
    const report = await importCoreCenters(
      t.subgraph.dataSource,
      file(row('OKI-10'), row('OKI-11', { setup: 'JOINT' }), row('OKI-12', { municipality_codes: '473015', established_on: '2024-13-01' }), row('OKI-10')),
    );
    expect(report.applied).toBe(false);
    expect(english(report.problems)).toEqual([
      { line: 5, column: 'center_id', reason: 'repeats the id of line 2' },
      { line: 3, column: 'municipality_codes', reason: expect.stringContaining('two or more') },
      { line: 4, column: 'established_on', reason: '"2024-13-01" is not a date of the calendar' },
      { line: 4, column: 'municipality_codes', reason: '"473015": check digit should be 4, not 5' },
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a date Excel saved as its cell shows it, without its year or era, saying how to save it whole', async () => {
    const before = await snapshot();
    const report = await importCoreCenters(
      t.subgraph.dataSource,
      file(row('OKI-30', { established_on: '4月1日' }), row('OKI-31', { established_on: '24/4/1' })),
    );
    expect(report.applied).toBe(false);
    expect(report.problems.filter((p) => p.column === 'established_on')).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'established_on',
        reason: expect.stringMatching(/^"4月1日" has no year; Excel saves a CSV file as its cells show/),
      }),
      expect.objectContaining({ line: 3, column: 'established_on', reasonJa: expect.stringMatching(/^「24\/4\/1」の年が2桁.*表示形式を年まで表示する形/) }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it(`stops checking a file wrong in every row after ${MAX_PROBLEMS.toLocaleString('en')} problems, saying where`, async () => {
    const wrong = Array.from({ length: 3_000 }, (_, i) => row(`OKI-W${i}`, { established_on: 'x', chief_specialists: 'x' }));
    const report = await importCoreCenters(t.subgraph.dataSource, file(...wrong));
    expect(report.applied).toBe(false);
    // Two problems a row: checking stopped at the 501st row (line 502), the 1,000 problems above it listed.
    expect(report.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(report.problems.at(-1)).toMatchObject({ line: 502, column: '', reasonJa: expect.stringContaining('この行で確認をやめました') });
  });

  it('checks without writing on a dry run, and names missing columns', async () => {
    const before = await snapshot();
    const dry = await importCoreCenters(t.subgraph.dataSource, file(row('OKI-20')), { dryRun: true });
    expect(dry).toMatchObject({ applied: false, dryRun: true, inserted: 1, problems: [] });
    expect(await snapshot()).toEqual(before);
    const noColumn = await importCoreCenters(t.subgraph.dataSource, 'center_id,name\nA,B\n');
    expect(english(noColumn.problems)).toEqual(expect.arrayContaining([{ line: 1, column: 'setup', reason: 'column is missing' }]));
  });

  it('imports consultation offices the same way', async () => {
    const csv =
      'office_id,municipality_code,name,designations,fee_tier,chief_specialists,specialists,contracted_for_municipal_program,collaborative_arrangement,source_name,source_as_of,sample\n' +
      'OKI-O1,473014,那覇テスト相談支援事業所,SPECIFIED;CHILD,II,1,4,true,false,県調査,2025-04-01,false\n';
    expect(await importConsultationOffices(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, inserted: 1 });
    expect(await importConsultationOffices(t.subgraph.dataSource, csv)).toMatchObject({ applied: true, unchanged: 1 });
    const bad = await importConsultationOffices(t.subgraph.dataSource, csv.replace('473014', '473015').replace(',II,', ',V,'));
    expect(bad.problems.map((p) => p.column)).toEqual(['municipality_code', 'fee_tier']);
  });
});

describe('import permissions', () => {
  it('keeps an importer to the prefectures it may write', async () => {
    const header = readFileSync(SAMPLE_FILES.coreCenters, 'utf8').split('\n')[0];
    const values: Record<string, string> = {
      center_id: 'SCOPE-1',
      prefecture_code: '13',
      name: '東京テスト',
      setup: 'SINGLE',
      municipality_codes: '131016',
      operation: 'DIRECT',
      operator_name: '',
      established_on: '2024-04-01',
      closed_on: '',
      functions: 'CONSULTATION',
      chief_specialists: '0',
      specialists: '1',
      social_workers: '0',
      psychiatric_social_workers: '0',
      public_health_nurses: '0',
      other_staff: '0',
      also_functions_as_base: 'false',
      runs_abuse_prevention_center: 'false',
      has_medical_care_child_coordinator: 'false',
      source_name: '調査',
      source_as_of: '2025-04-01',
      sample: 'false',
    };
    const csv = `${header}\n${header
      .split(',')
      .map((c) => values[c])
      .join(',')}\n`;
    const refused = await importCoreCenters(t.subgraph.dataSource, csv, { prefectures: ['01'] });
    expect(refused.problems).toEqual([
      {
        line: 2,
        column: '',
        reason: 'the row is of prefecture 13; you may import for 01 only',
        reasonJa: '都道府県 13 の行です。取り込めるのは 01 の行だけです',
      },
    ]);
    expect(await importCoreCenters(t.subgraph.dataSource, csv, { prefectures: ['13'], actor: 'cli:test:PREFECTURE_STAFF:x' })).toMatchObject({
      applied: true,
      inserted: 1,
    });
    const [entry] = await t.subgraph.dataSource.query(`SELECT actor, action FROM history WHERE entity = 'core-centers' ORDER BY id DESC LIMIT 1`);
    expect(entry).toEqual({ actor: 'cli:test:PREFECTURE_STAFF:x', action: 'import' });
  });
});
