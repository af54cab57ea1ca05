/**
 * Excel in, Excel out: `GET /import/<kind>.xlsx` (or `.csv`) gives the stored records as the import's own
 * file; edited in Excel and sent back with `POST /import/<kind>`, it updates the rows changed — records
 * created through the API included, keyed by their id — and nothing else. Who may download is who may
 * import, of the prefectures they may import.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { projectPath } from '../../shared/paths';
import { readCsv } from '../../shared/csv';
import { addDays, todayInJapan } from '../../shared/dates';
import { fiscalYearOf } from '../../shared/fiscal-year';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let staff01: Record<string, string>;
beforeAll(async () => {
  stack = await startTestStack();
  staff01 = await stack.as('PREFECTURE_STAFF', '01');
});
afterAll(() => stack?.stop());

const url = (path: string) => `${new URL(stack.gateway.url).origin}${path}`;
const download = (path: string, headers: Record<string, string>) => fetch(url(path), { headers });
const upload = async (kind: string, body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>) => {
  const response = await fetch(url(`/import/${kind}`), { method: 'POST', body, headers });
  return { status: response.status, report: await response.json() };
};
const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer());

/** A downloaded workbook with `edit` applied to its sheet, as Excel would save it. */
async function edited(bytes: Uint8Array, edit: (sheet: ExcelJS.Worksheet) => void): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  edit(workbook.worksheets[0]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The sheet's column number of an English key (row 2 holds the keys). */
const columnOf = (sheet: ExcelJS.Worksheet, key: string) => (sheet.getRow(2).values as unknown[]).indexOf(key);

describe.each([
  ['core-centers', 'PREFECTURE_STAFF'],
  ['consultation-offices', 'PREFECTURE_STAFF'],
  ['bases', 'PREFECTURE_STAFF'],
  ['base-participants', 'PREFECTURE_STAFF'],
  ['advisors', 'PREFECTURE_STAFF'],
  ['councils', 'PREFECTURE_STAFF'],
  ['self-plan-rates', 'PREFECTURE_STAFF'],
  ['prefectural-programs', 'PREFECTURE_STAFF'],
  ['visits', 'PREFECTURE_STAFF'],
  ['follow-ups', 'PREFECTURE_STAFF'],
  ['requests', 'PREFECTURE_STAFF'],
  ['assessments', 'PREFECTURE_STAFF'],
  ['checklist-template', 'ADMIN'],
] as const)('%s', (kind, role) => {
  const caller = () => (role === 'ADMIN' ? stack.asAdmin : staff01);

  it.each(['xlsx', 'csv', 'csv?lang=ja'])('downloads as .%s and imports back unchanged', async (file) => {
    const response = await download(`/import/${kind}.${file}`, caller());
    expect(response.status).toBe(200);
    // Named for what it holds and when: the prefecture of a prefecture's staff (an admin's file is of all), today in Japan.
    const named = `${kind}${role === 'ADMIN' ? '' : '_01'}_${todayInJapan()}.${file.replace('?lang=ja', '')}`;
    // With ?lang=ja, also under what it holds in Japanese (GET /import lists it), as RFC 6266's filename*.
    const { kinds } = (await (await fetch(url('/import'))).json()) as { kinds: Array<{ kind: string; titleJa: string }> };
    const japanese = named.replace(kind, kinds.find((k) => k.kind === kind)!.titleJa);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="${named}"${file.endsWith('lang=ja') ? `; filename*=UTF-8''${encodeURIComponent(japanese)}` : ''}`,
    );
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = await bytesOf(response);
    const { status, report } = await upload(kind, bytes, caller());
    expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
    expect(report).toMatchObject({ applied: true, inserted: 0, updated: 0, importId: null });
    expect(report.unchanged).toBeGreaterThan(0);
    expect(report.unchanged).toBe(report.rows);
  });
});

it("gives prefectural staff their prefecture's records only, with Japanese headers on request", async () => {
  const bytes = await bytesOf(await download('/import/core-centers.csv?lang=ja', staff01));
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with a byte-order mark, as Excel opens it
  const csv = new TextDecoder().decode(bytes); // the decoder drops the mark
  expect(csv.startsWith('センターID,都道府県コード,センター名,')).toBe(true);
  // Beside the codes, their names (checked against the codes on the way back, never stored).
  expect(csv.split('\n')[0]).toContain(',対象市町村コード,市町村名,');
  const { rows } = readCsv(csv);
  expect(rows.find((r) => r.values['対象市町村コード'] === '011002')?.values['市町村名']).toBe('札幌市');
  expect(rows.length).toBeGreaterThan(0);
  expect(new Set(rows.map((r) => r.values['都道府県コード']))).toEqual(new Set(['01']));
  // An admin narrows to one prefecture, written as staff write it.
  const tokyo = readCsv(await (await download(`/import/advisors.csv?prefecture=${encodeURIComponent('東京')}`, stack.asAdmin)).text());
  expect(tokyo.rows.length).toBeGreaterThan(0);
  expect(new Set(tokyo.rows.map((r) => r.values.prefecture_code))).toEqual(new Set(['13']));
});

it('writes codes as their Japanese labels for people (workbook, Japanese CSV), with a drop-down of them, and codes for tools', async () => {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await bytesOf(await download('/import/core-centers.xlsx', staff01))) as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0];
  const setup = columnOf(sheet, 'setup');
  const values = (key: string) => sheet.getColumn(columnOf(sheet, key)).values.slice(3);
  expect(new Set(values('setup'))).toEqual(new Set(['単独設置', '共同設置']));
  expect(values('functions').every((v) => typeof v === 'string' && v.startsWith('① '))).toBe(true);
  expect(sheet.getRow(1).getCell(setup).value).toBe('設置形態');
  expect(sheet.getRow(3).getCell(setup).dataValidation).toMatchObject({ type: 'list', formulae: ['"単独設置,共同設置"'] });
  // A list column (functions) has no drop-down: a cell holds several.
  expect(sheet.getRow(3).getCell(columnOf(sheet, 'functions')).dataValidation).toBeUndefined();
  const csv = readCsv(await (await download('/import/core-centers.csv', staff01)).text());
  expect(new Set(csv.rows.map((r) => r.values.setup))).toEqual(new Set(['SINGLE', 'JOINT']));
  const japanese = readCsv(await (await download('/import/core-centers.csv?lang=ja', staff01)).text());
  expect(new Set(japanese.rows.map((r) => r.values['設置形態']))).toEqual(new Set(['単独設置', '共同設置']));
});

it('updates the row edited in Excel and adds the row added, and the import can be undone', async () => {
  const bytes = await bytesOf(await download('/import/core-centers.xlsx', staff01));
  let editedId = '';
  const changed = await edited(bytes, (sheet) => {
    const row = sheet.getRow(3);
    editedId = String(row.getCell(columnOf(sheet, 'center_id')).value);
    row.getCell(columnOf(sheet, 'name')).value = '編集後の名称センター';
    row.getCell(columnOf(sheet, 'specialists')).value = 7;
    // A new center: a copy of the row with its own id.
    const added = sheet.addRow(row.values as ExcelJS.CellValue[]);
    added.getCell(columnOf(sheet, 'center_id')).value = 'EXCEL-NEW-1';
    added.getCell(columnOf(sheet, 'name')).value = 'Excelで追加したセンター';
  });
  const { status, report } = await upload('core-centers', changed, staff01);
  expect({ status, problems: report.problems }).toEqual({ status: 200, problems: [] });
  expect(report).toMatchObject({ inserted: 1, updated: 1, importId: expect.any(String) });
  const stored = await stack.supportCenters.subgraph.dataSource.query(
    `SELECT external_id, name, specialists FROM core_center WHERE external_id IN ($1, 'EXCEL-NEW-1') ORDER BY name`,
    [editedId],
  );
  expect(stored).toEqual([
    { external_id: 'EXCEL-NEW-1', name: 'Excelで追加したセンター', specialists: expect.any(Number) },
    { external_id: editedId, name: '編集後の名称センター', specialists: 7 },
  ]);
  const reverted = await fetch(url(`/import/core-centers/${report.importId}/revert`), { method: 'POST', headers: staff01 });
  expect(await reverted.json()).toMatchObject({ restored: 1, removed: 1 });
});

it("refuses a cell whose formula failed (a lookup's #N/A), naming it, rather than storing Excel's error as text", async () => {
  const bytes = await bytesOf(await download('/import/core-centers.xlsx', staff01));
  const changed = await edited(bytes, (sheet) => {
    const row = sheet.getRow(3);
    row.getCell(columnOf(sheet, 'name')).value = { formula: 'VLOOKUP(A3,名簿!A:B,2,FALSE)', result: { error: '#N/A' } };
    row.getCell(columnOf(sheet, 'specialists')).value = { formula: 'Z3*2', result: 4 };
    row.getCell(columnOf(sheet, 'specialists')).numFmt = '0.0';
  });
  const { status, report } = await upload('core-centers', changed, staff01);
  expect(status).toBe(422);
  expect(report.problems).toEqual([
    {
      line: 3,
      column: 'name',
      header: 'センター名', // as the downloaded file heads it
      value: '#N/A',
      reason: expect.stringContaining("Excel's error #N/A"),
      reasonJa: expect.stringContaining('Excel のエラー #N/A'),
    },
  ]);
});

it('updates a record created through the API (keyed by its id), not a copy of it', async () => {
  const created = await stack.query(
    `mutation($i: CreateCoreCenterInput!) { createCoreCenter(input: $i) { id } }`,
    {
      i: {
        prefectureCode: '01',
        name: 'API登録センター',
        setup: 'SINGLE',
        municipalityCodes: ['011002'],
        operation: 'DIRECT',
        establishedOn: '2025-04-01',
        functions: ['CONSULTATION'],
      },
    },
    staff01,
  );
  const id = created.body.data!.createCoreCenter.id;
  const count = async () => (await stack.supportCenters.subgraph.dataSource.query('SELECT count(*)::int AS n FROM core_center'))[0].n;
  const before = await count();
  const bytes = await bytesOf(await download('/import/core-centers.xlsx', staff01));
  const changed = await edited(bytes, (sheet) => {
    sheet.eachRow((row) => {
      if (row.getCell(columnOf(sheet, 'center_id')).value === id) row.getCell(columnOf(sheet, 'operator_name')).value = null;
      if (row.getCell(columnOf(sheet, 'center_id')).value === id) row.getCell(columnOf(sheet, 'name')).value = 'API登録センター（Excelで修正）';
    });
  });
  const { report } = await upload('core-centers', changed, staff01);
  expect(report).toMatchObject({ problems: [], inserted: 0, updated: 1 });
  expect(await count()).toBe(before);
  const read = await stack.query('query($id: ID!) { coreCenter(id: $id) { name version } }', { id }, staff01);
  expect(read.body.data!.coreCenter).toEqual({ name: 'API登録センター（Excelで修正）', version: 2 });
});

it.each([
  [
    'bases',
    'base_id',
    'mutation($i: CreateBaseInput!) { created: createBase(input: $i) { id } }',
    { prefectureCode: '01', name: 'API登録拠点', model: 'NETWORKED', municipalityCodes: ['011002'], establishedOn: '2025-04-01', functions: ['CONSULTATION'] },
  ],
  [
    'advisors',
    'advisor_id',
    'mutation($i: CreateAdvisorInput!) { created: createAdvisor(input: $i) { id } }',
    { prefectureCode: '01', name: 'API登録 相談員', activeFrom: '2025-04-01' },
  ],
])('keys a %s record created through the API by its id in the download, which imports back unchanged', async (kind, key, mutation, input) => {
  const created = await stack.query(mutation, { i: input }, staff01);
  expect(created.body.errors).toBeUndefined();
  const file = await bytesOf(await download(`/import/${kind}.csv`, staff01));
  expect(readCsv(new TextDecoder().decode(file)).rows.map((r) => r.values[key])).toContain(created.body.data!.created.id);
  const { report } = await upload(kind, file, { ...staff01, 'content-type': 'text/csv' });
  expect(report).toMatchObject({ problems: [], inserted: 0, updated: 0 });
});

it('matches a participant added through the API by base, function and organization, so a revert leaves it', async () => {
  const [base] = await stack.bases.subgraph.dataSource.query(
    `SELECT b.id, b.external_id FROM base b JOIN base_function f ON f.base_id = b.id WHERE b.prefecture_code = '01' AND f.function = 'CONSULTATION' ORDER BY b.external_id LIMIT 1`,
  );
  const added = await stack.query(
    'mutation($i: AddBaseParticipantInput!) { addBaseParticipant(input: $i) { id } }',
    { i: { baseId: base.id, function: 'CONSULTATION', organizationName: 'API追加の相談事業所', organizationKind: 'CONSULTATION_OFFICE' } },
    staff01,
  );
  expect(added.body.errors).toBeUndefined();
  const file = `base_id,function,organization_name,organization_kind\n${base.external_id},CONSULTATION,API追加の相談事業所,OTHER\n`;
  const { report } = await upload('base-participants', file, { ...staff01, 'content-type': 'text/csv' });
  expect(report).toMatchObject({ problems: [], inserted: 0, updated: 1 });
  await fetch(url(`/import/base-participants/${report.importId}/revert`), { method: 'POST', headers: staff01 });
  expect(await stack.bases.subgraph.dataSource.query(`SELECT organization_kind FROM base_participant WHERE organization_name = 'API追加の相談事業所'`)).toEqual(
    [{ organization_kind: 'CONSULTATION_OFFICE' }],
  );
});

it('keeps text that starts like a formula as it is through a CSV round trip', async () => {
  const [advisor] = await stack.dispatch.subgraph.dataSource.query(`SELECT external_id FROM advisor WHERE prefecture_code = '01' ORDER BY external_id LIMIT 1`);
  await stack.dispatch.subgraph.dataSource.query(`UPDATE advisor SET affiliation = '-（所属なし）' WHERE external_id = $1`, [advisor.external_id]);
  const csv = await (await download('/import/advisors.csv', staff01)).text();
  expect(csv).toContain(`'-（所属なし）`); // neutralised for Excel
  const { report } = await upload('advisors', csv, { ...staff01, 'content-type': 'text/csv' });
  expect(report).toMatchObject({ problems: [], updated: 0, inserted: 0 });
});

it.each(['core-centers.xlsx', 'core-centers.csv', 'core-centers.csv?lang=ja'])(
  "points an export (%s) sent as an import to the import's own file",
  async (file) => {
    const exported = await bytesOf(await download(`/export/${file}`, staff01));
    const { status, report } = await upload('core-centers', exported, staff01);
    expect(status).toBe(422);
    expect(report.problems[0]).toMatchObject({
      column: '',
      reason: expect.stringContaining('GET /import/core-centers.xlsx'),
      reasonJa: expect.stringContaining('取込用のファイル'),
    });
  },
);

it('refuses what may not be downloaded, with a code and a Japanese message', async () => {
  const other = await download('/import/core-centers.xlsx?prefecture=13', staff01);
  expect(other.status).toBe(403);
  expect(await other.json()).toMatchObject({ code: 'FORBIDDEN', messageJa: expect.stringContaining('01') });
  expect((await download('/import/checklist-template.csv', staff01)).status).toBe(403);
  expect((await download('/import/core-centers.csv', {})).status).toBe(401);
  const issued = await stack.query(
    'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
    { i: { name: 'ダウンロードの検証', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 30) } },
    staff01,
  );
  expect((await download('/import/core-centers.csv', { authorization: `ApiKey ${issued.body.data!.issueApiKey.key}` })).status).toBe(403);
  const unknownParameter = await download('/import/core-centers.csv?prefectureCode=01', staff01);
  expect(unknownParameter.status).toBe(400);
  expect(await unknownParameter.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefectureCode' });
  const badPrefecture = await download('/import/core-centers.csv?prefecture=99', staff01);
  expect(await badPrefecture.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'prefecture' });
  const noFormat = await download('/import/core-centers', staff01);
  expect(noFormat.status).toBe(404);
  expect(await noFormat.json()).toMatchObject({ code: 'NOT_FOUND', error: expect.stringContaining('core-centers.xlsx') });
  const otherFormat = await download('/import/core-centers.pdf', staff01);
  expect(await otherFormat.json()).toMatchObject({ code: 'NOT_FOUND', error: expect.stringContaining('as core-centers.xlsx or core-centers.csv') });
  const noKind = await download('/import/nothing.xlsx', staff01);
  expect(await noKind.json()).toMatchObject({ code: 'NOT_FOUND', field: 'kind' });
});

it('downloads from the CLI (--url) a workbook that imports back unchanged', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'download-cli-')), '拠点一覧.xlsx');
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), projectPath('scripts/import.ts'), ...args], {
      env: { ...process.env, IMPORT_URL: new URL(stack.gateway.url).origin, IMPORT_TOKEN: staff01.authorization.replace('Bearer ', '') },
    });
  expect((await cli('download', 'bases', file)).stdout).toContain(`${file}: written (xlsx)`);
  expect(statSync(file).mode & 0o777).toBe(0o600); // what staff wrote about people, not for every user of the machine
  expect((await cli('bases', file)).stdout).toMatch(/imported: (\d+) rows — 0 new, 0 changed, \1 unchanged/);
  await expect(cli('download', 'bases', file, '--prefecture', '13')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('403 FORBIDDEN') });
  // One fiscal year of the visit log: only its visits, which import back unchanged.
  const log = join(mkdtempSync(join(tmpdir(), 'download-cli-')), 'visits.csv');
  await cli('download', 'visits', log, '--fiscal-year', '令和6年度');
  expect(statSync(log).mode & 0o777).toBe(0o600);
  const dates = readCsv(readFileSync(log, 'utf8')).rows.map((r) => r.values.visited_on);
  expect(dates.length).toBeGreaterThan(0);
  expect(dates.every((date) => date >= '2024-04-01' && date <= '2025-03-31')).toBe(true);
  expect((await cli('visits', log)).stdout).toMatch(/imported: (\d+) rows — 0 new, 0 changed, \1 unchanged/);
  await expect(cli('download', 'bases', file, '--fiscal-year', '2024')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('fiscalYear') });
  // A fiscal year not begun has no records yet: refused, as the exports refuse it.
  const next = String(fiscalYearOf(todayInJapan()) + 1);
  await expect(cli('download', 'visits', log, '--fiscal-year', next)).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('まだ始まっていません'),
  });
}, 60_000);

it('names a download with ?lang=ja by what it holds in Japanese, the English name beside it', async () => {
  const file = await download('/import/visits.csv?fiscalYear=2024&lang=ja', staff01);
  const today = todayInJapan();
  expect(file.headers.get('content-disposition')).toBe(
    `attachment; filename="visits_01_FY2024_${today}.csv"; filename*=UTF-8''${encodeURIComponent(`派遣記録_01_FY2024_${today}.csv`)}`,
  );
});

it('answers HEAD with the file’s name and type, checked as GET is, without reading a record', async () => {
  const path = '/import/visits.xlsx?fiscalYear=2024';
  const file = await download(path, staff01);
  const downloaded = () => stack.logLines.filter((line) => line.includes('"msg":"import file downloaded"')).length;
  const before = downloaded();
  const head = await fetch(url(path), { method: 'HEAD', headers: staff01 });
  expect(head.status).toBe(200);
  expect(head.headers.get('content-disposition')).toBe(file.headers.get('content-disposition'));
  expect(head.headers.get('content-type')).toBe(file.headers.get('content-type'));
  expect(head.headers.get('content-length')).not.toBe('0'); // not an empty file: its length is not known without reading it
  expect(downloaded()).toBe(before); // the subgraph read no record
  // Refused as GET would be, with no file name to save a refusal under.
  for (const [headers, status] of [
    [{}, 401],
    [await stack.as('ANALYST'), 403],
  ] as const) {
    const refused = await fetch(url(path), { method: 'HEAD', headers });
    expect(refused.status).toBe(status);
    expect(refused.headers.get('content-disposition')).toBeNull();
  }
});
