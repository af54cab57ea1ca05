/**
 * Imports over HTTP through the gateway, as prefectural staff run them from a browser or the CLI:
 * upload (raw body or multipart form; CSV in Shift_JIS or an .xlsx workbook), dry run, commit, revert;
 * the role rules of the CLI; a size limit; every refusal with a code and a Japanese message.
 */
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectPath } from '../../shared/paths';
import * as XLS from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { readCsv, writeCsv } from '../../shared/csv';
import { JAPANESE_COLUMN_NAMES } from '../../shared/japanese-columns';
import { SAMPLE_FILES } from '../../subgraphs/support-centers/sample/generate';
import { startTestStack } from '../helpers/stack';
import { addDays, todayInJapan } from '../../shared/dates';
import { IMPORT_KINDS } from '../helpers/import-kinds';

let stack: Awaited<ReturnType<typeof startTestStack>>;
let staff01: Record<string, string>;
beforeAll(async () => {
  stack = await startTestStack({ IMPORT_MAX_MB: '1' });
  staff01 = await stack.as('PREFECTURE_STAFF', '01');
});
afterAll(() => stack?.stop());

const url = (path: string) => `${new URL(stack.gateway.url).origin}${path}`;
const post = (path: string, body: BodyInit | undefined, headers: Record<string, string>) => fetch(url(path), { method: 'POST', body, headers });

/** The first sample rows of 北海道 (prefecture 01), renamed; and one of 東京都 (13) when asked. */
function centersFile(suffix: string, withTokyo = false): string {
  const { columns, rows } = readCsv(readFileSync(SAMPLE_FILES.coreCenters, 'utf8'));
  const hokkaido = rows.filter((r) => r.values.prefecture_code === '01').slice(0, 3);
  const tokyo = withTokyo ? rows.filter((r) => r.values.prefecture_code === '13').slice(0, 1) : [];
  return writeCsv(
    columns,
    [...hokkaido, ...tokyo].map((r) => ({ ...r.values, name: `${r.values.name}${suffix}` })),
  );
}

const storedNames = async () =>
  (await stack.supportCenters.subgraph.dataSource.query(
    `SELECT external_id, name, version FROM core_center WHERE external_id IN ('S-01-0001', 'S-01-0002', 'S-01-0003') ORDER BY 1`,
  )) as Array<{
    external_id: string;
    name: string;
  }>;

it('lists every kind of import at /import, with its files, for a person or a script that starts there', async () => {
  for (const path of ['/import', '/import/']) {
    const response = await fetch(url(path), { headers: staff01 });
    expect(response.status).toBe(200);
    const { kinds } = (await response.json()) as { kinds: Array<{ kind: string; titleJa: string; import: string; files: string[] }> };
    expect(kinds.map((k) => k.kind)).toEqual([...IMPORT_KINDS].sort());
    // Each with what it holds in Japanese, for staff choosing one (and the name of its file with ?lang=ja).
    for (const { kind, titleJa } of kinds) expect([kind, /[\u3040-\u30ff\u4e00-\u9fff]/.test(titleJa)]).toEqual([kind, true]);
    expect(kinds.find((k) => k.kind === 'visits')).toEqual({
      kind: 'visits',
      titleJa: '派遣記録',
      import: 'POST /import/visits',
      files: ['/import/visits.xlsx', '/import/visits.csv'],
    });
  }
});

it('checks on a dry run, imports, and reverts an upload of a prefecture-staff member, leaving every row as before', async () => {
  const before = await storedNames();
  const csv = centersFile('（HTTP）');

  const dry = await post('/import/core-centers?dryRun=true', csv, { ...staff01, 'content-type': 'text/csv' });
  expect(dry.status).toBe(200);
  expect(await dry.json()).toMatchObject({ kind: 'core-centers', dryRun: true, applied: false, updated: 3, importId: null, format: 'csv', encoding: 'utf-8' });
  expect(await storedNames()).toEqual(before);

  const committed = await post('/import/core-centers', csv, { ...staff01, 'content-type': 'text/csv' });
  expect(committed.status).toBe(200);
  const report = await committed.json();
  expect(report).toMatchObject({ applied: true, updated: 3, importId: expect.any(String) });
  expect((await storedNames()).map((r) => r.name).every((n) => n.endsWith('（HTTP）'))).toBe(true);

  const reverted = await post(`/import/core-centers/${report.importId}/revert`, undefined, staff01);
  expect(reverted.status).toBe(200);
  expect(await reverted.json()).toMatchObject({ importId: report.importId, restored: 3, removed: 0 });
  expect((await storedNames()).map(({ external_id, name }) => ({ external_id, name }))).toEqual(before.map(({ external_id, name }) => ({ external_id, name })));

  const again = await post(`/import/core-centers/${report.importId}/revert`, undefined, staff01);
  expect(again.status).toBe(409);
  expect(await again.json()).toMatchObject({ code: 'CONFLICT', messageJa: expect.stringContaining('取り消されています') });
});

it("refuses another prefecture's rows, other roles, API keys and anonymous callers, and writes nothing", async () => {
  const before = await storedNames();
  const mixed = await post('/import/core-centers', centersFile('（混在）', true), { ...staff01, 'content-type': 'text/csv' });
  expect(mixed.status).toBe(422);
  const report = await mixed.json();
  expect(report).toMatchObject({ applied: false, importId: null });
  expect(report.problems).toEqual([
    { line: 5, column: '', reason: 'the row is of prefecture 13; you may import for 01 only', reasonJa: expect.stringContaining('都道府県 13') },
  ]);
  expect(await storedNames()).toEqual(before);

  const advisor = await post('/import/core-centers', centersFile('（助言）'), await stack.as('ADVISOR', '01'));
  expect(advisor.status).toBe(403);
  expect(await advisor.json()).toMatchObject({ code: 'FORBIDDEN', messageJa: expect.any(String) });
  expect((await post('/import/checklist-template', 'template_id\n', staff01)).status).toBe(403); // admins only
  expect((await post('/import/core-centers', centersFile('（匿名）'), {})).status).toBe(401);
  // An API key of the same prefecture only reads.
  const issued = await stack.query(
    'mutation($i: IssueApiKeyInput!) { issueApiKey(input: $i) { key } }',
    { i: { name: '取込の検証', scope: 'PREFECTURE', prefectureCode: '01', expiresOn: addDays(todayInJapan(), 30) } },
    staff01,
  );
  const withKey = await post('/import/core-centers', centersFile('（キー）'), { authorization: `ApiKey ${issued.body.data!.issueApiKey.key}` });
  expect(withKey.status).toBe(403);
  expect(await withKey.json()).toMatchObject({ code: 'FORBIDDEN', messageJa: expect.stringContaining('APIキー') });
  const unknown = await post('/import/nothing', 'a\n', staff01);
  expect(unknown.status).toBe(404);
  expect(await unknown.json()).toMatchObject({
    code: 'NOT_FOUND',
    error: expect.stringContaining('kinds: advisors, assessments, base-participants'),
    messageJa: expect.stringContaining('core-centers：基幹相談支援センター、'),
  });
  // Revert by someone else's prefecture: refused.
  const own = await (await post('/import/core-centers', centersFile('（本人）'), staff01)).json();
  const staff13 = await stack.as('PREFECTURE_STAFF', '13');
  expect((await post(`/import/core-centers/${own.importId}/revert`, undefined, staff13)).status).toBe(403);
  expect((await post(`/import/core-centers/${own.importId}/revert`, undefined, staff01)).status).toBe(200);
  expect(await storedNames()).toMatchObject(before.map(({ external_id, name }) => ({ external_id, name })));
});

it('takes a multipart form with an .xlsx workbook (its header below a title too), a Shift_JIS body, and refuses a file over IMPORT_MAX_MB with 413', async () => {
  const { columns, rows } = readCsv(centersFile('（Excel）'));
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('センター');
  sheet.addRow(columns);
  for (const r of rows)
    sheet.addRow(columns.map((c) => ((c.endsWith('_on') || c === 'source_as_of') && r.values[c] ? new Date(`${r.values[c]}T00:00:00Z`) : r.values[c])));
  const form = new FormData();
  form.set('dryRun', 'true');
  form.set('file', new Blob([await workbook.xlsx.writeBuffer()]), 'centers.xlsx');
  const xlsx = await post('/import/core-centers', form, staff01);
  expect(xlsx.status).toBe(200);
  expect(await xlsx.json()).toMatchObject({ format: 'xlsx', dryRun: true, updated: 3, problems: [] });

  // A form as prefectures keep it: a title and a date line above the header, which is found on line 4.
  sheet.spliceRows(1, 0, ['様式1 基幹相談支援センター一覧'], ['（令和7年4月1日現在）'], []);
  const titled = new FormData();
  titled.set('file', new Blob([await workbook.xlsx.writeBuffer()]), 'centers.xlsx');
  const withTitle = await post('/import/core-centers?dryRun=true', titled, staff01);
  expect(withTitle.status).toBe(200);
  expect(await withTitle.json()).toMatchObject({
    updated: 3,
    problems: [],
    warnings: [{ line: 4, reasonJa: '見出しは4行目にあります。1〜3行目（表題など）は読み込んでいません' }],
  });

  // A body declared Shift_JIS that is not: refused, naming the line, in both languages.
  const broken = Buffer.from([0x82, 0x0a]);
  const undecodable = await post('/import/core-centers?encoding=shift_jis', Buffer.concat([Buffer.from(`${columns.join(',')}\n`), broken]), staff01);
  expect(undecodable.status).toBe(400);
  expect(await undecodable.json()).toMatchObject({
    code: 'BAD_USER_INPUT',
    error: expect.stringContaining('line 2 is not valid Shift_JIS'),
    messageJa: expect.stringContaining('2行目'),
  });

  const large = await post('/import/core-centers', Buffer.alloc(1.5 * 2 ** 20, 0x61), staff01);
  expect(large.status).toBe(413);
  expect(await large.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', messageJa: expect.stringContaining('1 MB') });
});

it('refuses at the gateway a workbook that unpacks to more than IMPORT_MAX_MB, small as it is, before a subgraph reads it', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('centers');
  sheet.addRow(readCsv(centersFile('')).columns);
  for (let i = 0; i < 20_000; i++) sheet.addRow(['同じ内容の行です'.repeat(10)]);
  const bomb = Buffer.from(await workbook.xlsx.writeBuffer());
  expect(bomb.length).toBeLessThan(2 ** 20 / 4);
  const logged = stack.logLines.length;
  const answer = await post('/import/core-centers?dryRun=true', bomb, staff01);
  expect(answer.status).toBe(413);
  expect(await answer.json()).toMatchObject({
    code: 'PAYLOAD_TOO_LARGE',
    field: 'file',
    error: expect.stringContaining('unpacks to more than 1 MB'),
    messageJa: expect.stringContaining('CSV'),
  });
  // Not read by a subgraph: none reported an import.
  expect(stack.logLines.slice(logged).filter((line) => line.includes('"msg":"import over HTTP"'))).toEqual([]);
});

it('refuses a file of more rows than a subgraph reads (100,000), small as it is, as unreadable: not a server error', async () => {
  const lines = ['center_id', ...Array.from({ length: 150_000 }, (_, i) => String(i))].join('\n');
  expect(lines.length).toBeLessThan(2 ** 20);
  const answer = await post('/import/core-centers?dryRun=true', lines, { ...staff01, 'content-type': 'text/csv' });
  expect(answer.status).toBe(400);
  expect(await answer.json()).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'file',
    error: expect.stringContaining('more than 100,000 rows'),
    messageJa: expect.stringContaining('行数'),
  });
});

it('takes a CSV as Excel saves it: rows of empty cells and unnamed empty columns at the end are not data', async () => {
  const lines = centersFile('（Excel の空行）').trimEnd().split('\n');
  const width = lines[0].split(',').length + 2;
  const excel = [...lines.map((line) => `${line},,`), ','.repeat(width - 1), ','.repeat(width - 1)].join('\r\n');
  const answer = await post('/import/core-centers?dryRun=true', excel, { ...staff01, 'content-type': 'text/csv' });
  expect(answer.status).toBe(200);
  expect(await answer.json()).toMatchObject({ rows: 3, updated: 3, problems: [] });
});

it("imports a prefecture's own form as it is: a title above Japanese headers, row numbers and remarks, ○ and ×", async () => {
  const { columns, rows } = readCsv(centersFile('（様式）'));
  const japanese = columns.map((c) => (JAPANESE_COLUMN_NAMES[c]?.[0] ?? c).replace('ID', 'ＩＤ'));
  const mark = (value: string) => ({ true: '○', false: '×' })[value] ?? value;
  const form = writeCsv(
    ['No.', ...japanese, '備考'],
    rows.map((r, i) => ({
      'No.': i + 1,
      ...Object.fromEntries(columns.map((c, j) => [japanese[j], mark(r.values[c])])),
      備考: i === 0 ? '4月に移転予定' : '',
    })),
  );
  const width = japanese.length + 2;
  const titled = [`様式1 基幹相談支援センター一覧${','.repeat(width - 1)}`, `（令和7年4月1日現在）${','.repeat(width - 1)}`, form, ','.repeat(width - 1)].join(
    '\n',
  );
  const answer = await post('/import/core-centers?dryRun=true', titled, { ...staff01, 'content-type': 'text/csv' });
  expect(answer.status).toBe(200);
  const report = await answer.json();
  expect(report).toMatchObject({ rows: 3, updated: 3, problems: [] });
  expect(report.warnings.map((w: { line: number; column: string }) => `${w.line}:${w.column}`)).toEqual(['3:', '3:No.', '3:備考']);
});

it('names a problem’s column as the file’s header wrote it (設置日), beside the column’s key', async () => {
  const { columns, rows } = readCsv(centersFile('（様式）'));
  const japanese = columns.map((c) => JAPANESE_COLUMN_NAMES[c]?.[0] ?? c);
  const form = writeCsv(
    japanese,
    rows.map((r, i) => ({
      ...Object.fromEntries(columns.map((c, j) => [japanese[j], r.values[c]])),
      ...(i === 1 ? { 設置日: '2019/13/40', 対象市町村コード: '011003' } : {}),
    })),
  );
  const answer = await post('/import/core-centers?dryRun=true', form, { ...staff01, 'content-type': 'text/csv' });
  expect(answer.status).toBe(422);
  const { problems } = await answer.json();
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ line: 3, column: 'established_on', header: '設置日', value: '2019/13/40' }),
      expect.objectContaining({ line: 3, column: 'municipality_codes', header: '対象市町村コード', value: '011003' }),
    ]),
  );
  // A file headed with the keys themselves: nothing to add.
  const english = await post('/import/core-centers?dryRun=true', writeCsv(columns, [{ ...rows[0].values, established_on: '2019/13/40' }]), {
    ...staff01,
    'content-type': 'text/csv',
  });
  expect((await english.json()).problems).toEqual([expect.not.objectContaining({ header: expect.anything() })]);
});

it('imports an Excel 97–2003 workbook (.xls) as it is kept: a cover sheet (the data sheet found), a title, Japanese headers, date cells; and revert undoes it', async () => {
  const { columns, rows } = readCsv(centersFile('（xls）'));
  const japanese = columns.map((c) => JAPANESE_COLUMN_NAMES[c]?.[0] ?? c);
  const cell = (column: string, value: string) => ((column.endsWith('_on') || column === 'source_as_of') && value ? new Date(`${value}T00:00:00Z`) : value);
  const workbook = XLS.utils.book_new();
  XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet([['令和7年度 基幹相談支援センター調査'], ['北海道']]), '表紙');
  const sheet = [['様式1 基幹相談支援センター一覧'], [], japanese, ...rows.map((r) => columns.map((c) => cell(c, r.values[c])))];
  XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet(sheet, { UTC: true }), 'センター');
  const file = () => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(XLS.write(workbook, { type: 'array', bookType: 'biff8' }) as ArrayBuffer)]), 'centers.xls');
    return form;
  };
  const before = await storedNames();
  const answer = await post(`/import/core-centers?sheet=${encodeURIComponent('センター')}`, file(), staff01);
  expect(answer.status).toBe(200);
  const report = await answer.json();
  expect(report).toMatchObject({ format: 'xls', rows: 3, updated: 3, problems: [], warnings: [{ line: 3 }] });
  expect((await storedNames()).map((r) => r.name)).toEqual(rows.map((r) => r.values.name));
  const reverted = await post(`/import/core-centers/${report.importId}/revert`, undefined, staff01);
  expect(reverted.status).toBe(200);
  expect((await storedNames()).map((r) => r.name)).toEqual(before.map((r) => r.name));

  // Without ?sheet= the first sheet is read, or when it holds no header of the import (the cover), the one sheet that does, said in a warning.
  const cover = await post('/import/core-centers?dryRun=true', file(), staff01);
  expect(cover.status).toBe(200);
  expect(await cover.json()).toMatchObject({
    rows: 3,
    updated: 3,
    problems: [],
    warnings: [
      {
        line: 1,
        reasonJa: '最初のシート「表紙」には取込の見出しがないため、シート「センター」を読み込みました（?sheet=、コマンドでは --sheet で指定できます）',
      },
      { line: 3 },
    ],
  });
  // Two sheets that both hold it (an example sheet, 記入例, and the data): which one is the person's to say.
  XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet(sheet, { UTC: true }), '記入例');
  const twoSheets = await post('/import/core-centers', file(), staff01);
  expect(twoSheets.status).toBe(422);
  expect((await twoSheets.json()).problems).toEqual([
    expect.objectContaining({ line: 1, reasonJa: expect.stringContaining('複数のシート（「センター」「記入例」）') }),
  ]);
  expect((await storedNames()).map((r) => r.name)).toEqual(before.map((r) => r.name));

  // A choice that does not fit the file is refused, never ignored: an encoding for a workbook, a sheet of a CSV file.
  const encoded = await post('/import/core-centers?encoding=shift_jis', file(), staff01);
  expect(encoded.status).toBe(400);
  expect(await encoded.json()).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'encoding',
    messageJa: expect.stringContaining('ファイルはExcelブック（.xls）で'),
  });
  const sheetOfCsv = await post(`/import/core-centers?sheet=${encodeURIComponent('センター')}`, centersFile(''), staff01);
  expect(sheetOfCsv.status).toBe(400);
  expect(await sheetOfCsv.json()).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sheet', messageJa: expect.stringContaining('シートがありません') });
  expect((await storedNames()).map((r) => r.name)).toEqual(before.map((r) => r.name));
});

it('takes the same file sent several times at once (a double-click, two staff) as one import: the others find it done', async () => {
  const { columns, rows } = readCsv(centersFile(''));
  // Enough rows that the imports overlap in time.
  const newRows = Array.from({ length: 200 }, (_, i) => ({ ...rows[0].values, center_id: `S-01-RACE-${i}`, name: `同時取込テスト${i}` }));
  const file = writeCsv(columns, newRows);
  const answers = await Promise.all([1, 2, 3, 4].map(() => post('/import/core-centers', file, { ...staff01, 'content-type': 'text/csv' })));
  const reports = await Promise.all(answers.map(async (a) => ({ status: a.status, body: await a.json() })));
  expect(reports.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  expect(reports.map((r) => [r.body.inserted, r.body.unchanged]).sort()).toEqual([
    [0, 200],
    [0, 200],
    [0, 200],
    [200, 0],
  ]);
  // Two reverts of it at once: one undoes it, the other is told it was (never an internal error).
  const { importId } = reports.find((r) => r.body.inserted === 200)!.body;
  const reverts = await Promise.all([1, 2].map(() => post(`/import/core-centers/${importId}/revert`, undefined, staff01)));
  const statuses = reverts.map((r) => r.status).sort();
  expect(statuses[0]).toBe(200);
  expect([404, 409]).toContain(statuses[1]);
  const stored = await stack.supportCenters.subgraph.dataSource.query(`SELECT count(*)::int AS n FROM core_center WHERE external_id LIKE 'S-01-RACE-%'`);
  expect(stored).toEqual([{ n: 0 }]);
});

it('runs from the CLI against the gateway (--url): import, then revert with the id it prints', async () => {
  const before = await storedNames();
  const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
  const file = join(dir, 'centers.csv');
  writeFileSync(file, centersFile('（CLI）'));
  const token = staff01.authorization.replace('Bearer ', '');
  const cli = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['-r', projectPath('tests/helpers/register-ts.js'), projectPath('scripts/import.ts'), ...args], {
      env: { ...process.env, IMPORT_URL: new URL(stack.gateway.url).origin, IMPORT_TOKEN: token },
    });
  const imported = await cli('core-centers', file);
  expect(imported.stdout).toMatch(/imported: 3 rows — 0 new, 3 changed, 0 unchanged/);
  const importId = /import id ([0-9a-f-]{36})/.exec(imported.stdout)![1];
  expect((await storedNames()).every((r) => r.name.endsWith('（CLI）'))).toBe(true);
  // A revert has no dry run: asked for one, it refuses and undoes nothing.
  await expect(cli('revert', 'core-centers', importId, '--dry-run')).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringContaining('revert takes no --dry-run'),
  });
  expect((await storedNames()).every((r) => r.name.endsWith('（CLI）'))).toBe(true);
  const reverted = await cli('revert', 'core-centers', importId);
  expect(reverted.stdout).toContain(`import ${importId} reverted: 3 rows restored`);
  expect((await storedNames()).map((r) => r.name)).toEqual(before.map((r) => r.name));
  await expect(cli('revert', 'core-centers', importId)).rejects.toMatchObject({ stderr: expect.stringContaining('409 CONFLICT') });
  // A file that is not there: one line saying so, in both languages, and exit code 1 (it was a stack trace).
  await expect(cli('core-centers', join(dir, 'missing.csv'))).rejects.toMatchObject({
    code: 1,
    stderr: expect.stringMatching(/no such file \/ ファイル .* が見つかりません\n$/),
  });
}, 60_000);

it('prints what a file brings without the control characters a terminal obeys, and refuses them in cells', async () => {
  // A file from a municipality whose header sets the clipboard (OSC 52) and whose name cell erases the line before it.
  const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
  const file = join(dir, 'centers.csv');
  const clipboard = '\u001b]52;c;ZWNobyBvd25lZA==\u0007';
  const csv = centersFile('\u001b[2K\r')
    .replace(/^center_id/, `${clipboard}メモ,center_id`)
    .replace(/\n(?=.)/g, '\nx,');
  writeFileSync(file, csv);
  const token = staff01.authorization.replace('Bearer ', '');
  const failed = (await promisify(execFile)(
    process.execPath,
    ['-r', projectPath('tests/helpers/register-ts.js'), projectPath('scripts/import.ts'), 'core-centers', file, '--dry-run'],
    { env: { ...process.env, IMPORT_URL: new URL(stack.gateway.url).origin, IMPORT_TOKEN: token } },
  ).catch((error: unknown) => error)) as { code: number; stdout: string; stderr: string };
  expect(failed.code).toBe(1);
  const printed = failed.stdout + failed.stderr;
  expect(printed).toContain('control character (U+001B) at character');
  expect(printed).toContain('\\u{1b}]52;c;ZWNobyBvd25lZA==\\u{7}メモ');
  const obeyed = [...printed].filter((c) => c.charCodeAt(0) < 0x20 && c !== '\n');
  expect(obeyed).toEqual([]);
}, 60_000);

it('gives every problem and every repair of a file a reason in Japanese (staff read these reports)', async () => {
  const { columns, rows } = readCsv(readFileSync(SAMPLE_FILES.coreCenters, 'utf8'));
  const [first, second] = rows.filter((r) => r.values.prefecture_code === '01');
  const bad = [
    // Repairs (warnings): full-width digits, and a code whose leading zero Excel dropped.
    { ...first.values, center_id: 'S-01-9001', municipality_codes: '１１００２' },
    // Problems: a blank name, a wrong check digit, a bad date, a staff count out of range, a function twice.
    {
      ...second.values,
      center_id: 'S-01-9002',
      name: '',
      municipality_codes: '011003',
      established_on: '2019/13/40',
      specialists: '1000',
      functions: 'CONSULTATION;CONSULTATION',
    },
    // A JOINT center of one municipality, closed before it was set up, outsourced without an operator.
    { ...second.values, center_id: 'S-01-9003', setup: 'JOINT', operation: 'OUTSOURCED', operator_name: '', closed_on: '2000-01-01' },
  ];
  const answer = await post('/import/core-centers?dryRun=true', writeCsv(columns, bad), { ...staff01, 'content-type': 'text/csv' });
  const report = (await answer.json()) as { problems: Array<{ column: string; reason: string; reasonJa: string }>; warnings: Array<{ reasonJa: string }> };
  expect(answer.status).toBe(422);
  expect(report.problems.length).toBeGreaterThanOrEqual(7);
  expect(report.warnings.length).toBeGreaterThanOrEqual(1);
  for (const entry of [...report.problems, ...report.warnings]) {
    expect(entry).toEqual(expect.objectContaining({ reasonJa: expect.stringMatching(/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u) }));
  }
});

it('refuses a file that is not CSV (an unclosed quote) with 400 naming the line, in both languages, and writes nothing', async () => {
  const answer = await post('/import/core-centers', 'center_id,prefecture_code,name\nS-01-9100,01,"unclosed\n', { ...staff01, 'content-type': 'text/csv' });
  expect(answer.status).toBe(400);
  expect(await answer.json()).toMatchObject({
    code: 'BAD_USER_INPUT',
    error: expect.stringMatching(/not valid CSV at line 2/),
    messageJa: expect.stringContaining('2行目で CSV として読めなくなりました'),
    field: 'file',
  });
  expect(await stack.supportCenters.subgraph.dataSource.query(`SELECT 1 FROM core_center WHERE external_id = 'S-01-9100'`)).toEqual([]);
});

it('refuses a compressed upload (Content-Encoding: gzip) as such, 415, rather than as a file that is not UTF-8', async () => {
  const compressed = gzipSync('center_id,prefecture_code,name\nS-01-9101,01,圧縮\n');
  const answer = await post('/import/core-centers', compressed, { ...staff01, 'content-type': 'text/csv', 'content-encoding': 'gzip' });
  expect(answer.status).toBe(415);
  expect(await answer.json()).toMatchObject({
    code: 'BAD_USER_INPUT',
    field: 'content-encoding',
    value: 'gzip',
    messageJa: expect.stringContaining('圧縮せずに'),
  });
  expect(await stack.supportCenters.subgraph.dataSource.query(`SELECT 1 FROM core_center WHERE external_id = 'S-01-9101'`)).toEqual([]);
});

it('refuses a dryRun it cannot read, a parameter imports do not take or one given twice, and a second file, writing nothing (each would import for real if read as absent)', async () => {
  const file = () => centersFile('（確認だけのつもり）');
  const form = (fields: Array<[string, string]>, files = 1) => {
    const body = new FormData();
    for (const [name, value] of fields) body.append(name, value);
    for (let i = 0; i < files; i += 1) body.append(`file${i}`, new Blob([file()]), `centers${i}.csv`);
    return body;
  };
  const csv = { 'content-type': 'text/csv' };
  for (const [path, body, headers, field] of [
    ['/import/core-centers?dryRun=yes', file(), csv, 'dryRun'],
    ['/import/core-centers?dryrun=true', file(), csv, 'dryrun'],
    ['/import/core-centers?dryRun=true&dryRun=true', file(), csv, 'dryRun'],
    ['/import/core-centers?dryRun=true', form([['dryRun', 'false']]), {}, 'dryRun'],
    [
      '/import/core-centers',
      form([
        ['dryRun', 'true'],
        ['dryRun', 'false'],
      ]),
      {},
      'dryRun',
    ],
    ['/import/core-centers', form([['dryrun', 'true']]), {}, 'dryrun'],
    ['/import/core-centers', form([['dryRun', 'true']], 2), {}, 'file'],
    ['/import/core-centers/6f1c0000-0000-4000-8000-000000000000/revert?dryRun=true', undefined, {}, 'dryRun'],
  ] as Array<[string, BodyInit | undefined, Record<string, string>, string]>) {
    const answer = await post(path, body, { ...staff01, ...headers });
    expect({ path, field, status: answer.status }).toEqual({ path, field, status: 400 });
    expect(await answer.json()).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
      messageJa: expect.stringMatching(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u),
    });
  }
  expect((await storedNames()).some((r) => r.name.endsWith('（確認だけのつもり）'))).toBe(false);
});

it('checks a name column beside a code (市町村名, 都道府県名) against the code, and stores nothing of it', async () => {
  const header =
    '市町村コード,市町村名,都道府県名,基準日,設置の有無,共同設置,専門部会,事務局を基幹相談支援センターが担う,昨年度の開催回数,個別事例の検討,出典,サンプル';
  const row = (name: string, prefecture: string, asOf = '2026-04-01') => `011002,${name},${prefecture},${asOf},true,false,,false,3,true,名称の確認,false`;
  // As staff lists write them: the name alone or after its prefecture, a prefecture with or without 都府県.
  const fine = await post('/import/councils?dryRun=true', [header, row('札幌市', '北海道'), row('北海道 札幌市', '北海道', '2026-05-01')].join('\n'), {
    ...staff01,
    'content-type': 'text/csv',
  });
  expect(await fine.json()).toMatchObject({ problems: [], warnings: [], rows: 2 });
  // ヶ and ケ alike, as official names and staff's lists differ (鶴ヶ島市); 埼玉 for 埼玉県.
  const tsurugashima = `${header}\n${row('鶴ケ島市', '埼玉').replace('011002', '112411')}\n`;
  expect(await (await post('/import/councils?dryRun=true', tsurugashima, { ...stack.asAdmin, 'content-type': 'text/csv' })).json()).toMatchObject({
    problems: [],
  });
  // A town with its district (郡), as addresses write it: the name a code column reads as 015849 is its name here too.
  const withDistrict = `${header}\n${row('虻田郡洞爺湖町', '北海道').replace('011002', '015849')}\n`;
  expect(await (await post('/import/councils?dryRun=true', withDistrict, { ...staff01, 'content-type': 'text/csv' })).json()).toMatchObject({ problems: [] });
  // A sort in Excel that moved the names and not the codes: each row refused, naming what the code is.
  const shifted = await post('/import/councils?dryRun=true', `${header}\n${row('旭川市', '北海道')}\n`, { ...staff01, 'content-type': 'text/csv' });
  expect(shifted.status).toBe(422);
  expect((await shifted.json()).problems).toEqual([
    expect.objectContaining({
      line: 2,
      column: 'municipality_name',
      value: '旭川市',
      reasonJa: expect.stringContaining('市町村コード 011002 は「札幌市」です'),
    }),
  ]);
  // A roster's 氏名 is the advisor's name.
  const roster =
    'アドバイザーID,都道府県コード,都道府県名,氏名,所属,資格,活動開始日,活動終了日,サインインID\n01-ADV-900,01,北海道,相談 花子,県相談支援センター,社会福祉士,2026/4/1,,\n';
  expect(await (await post('/import/advisors?dryRun=true', roster, { ...staff01, 'content-type': 'text/csv' })).json()).toMatchObject({
    problems: [],
    inserted: 1,
  });
  const wrongPrefecture = await post('/import/councils?dryRun=true', `${header}\n${row('札幌市', '青森県')}\n`, { ...staff01, 'content-type': 'text/csv' });
  expect((await wrongPrefecture.json()).problems).toEqual([expect.objectContaining({ column: 'prefecture_name', value: '青森県' })]);
});
