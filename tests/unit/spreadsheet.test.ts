/**
 * Reading workbooks as tables: an Excel 97–2003 .xls (SheetJS) gives the table an .xlsx or a CSV file
 * with the same cells gives; a password-protected or broken one is refused with a reason in Japanese.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as XLS from '@e965/xlsx';
import ExcelJS from 'exceljs';
import { signDevelopmentToken } from '../../gateway/auth';
import { loadGatewayConfig } from '../../shared/config';
import { UnreadableFile } from '../../shared/csv';
import { projectPath } from '../../shared/paths';
import { UnreadableWorkbook, WorkbookTooLarge, checkWorkbookSize, readImportFile } from '../../shared/spreadsheet';

const TITLE = ['様式1 基幹相談支援センター一覧'];
const HEADER = ['センターID', '市区町村コード', '設置日', '職員数', '虐待防止センター'];
const ROW = ['S-01-0001', 11002, new Date(Date.UTC(2024, 3, 1)), 3, true];

function xls(sheets: Record<string, unknown[][]>, options: { date1904?: boolean } = {}): Buffer {
  const workbook = XLS.utils.book_new();
  for (const [name, rows] of Object.entries(sheets)) XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet(rows, { UTC: true, ...options }), name);
  if (options.date1904) workbook.Workbook = { WBProps: { date1904: true } };
  return XLS.write(workbook, { type: 'buffer', bookType: 'biff8' }) as Buffer;
}

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

it('reads an .xls as an .xlsx with the same cells is read: dates as YYYY-MM-DD, numbers as digits, line numbers kept', async () => {
  const fromXls = await readImportFile(xls({ 一覧: [HEADER, ROW] }));
  expect(fromXls.format).toBe('xls');
  expect(fromXls.table.rows.map((r) => r.values)).toEqual([
    { センターID: 'S-01-0001', 市区町村コード: '11002', 設置日: '2024-04-01', 職員数: '3', 虐待防止センター: 'true' },
  ]);
  // A title, an empty row: the same raw rows and line numbers as exceljs gives for the .xlsx (the header search is the import's).
  const titled = [TITLE, [], HEADER, ROW];
  const [a, b] = [(await readImportFile(xls({ 一覧: titled }))).table, (await readImportFile(await xlsx(titled))).table];
  expect(a.raw).toEqual(b.raw);
  expect(a.raw?.map((r) => r.line)).toEqual([1, 3, 4]);
});

it('reads the sheet asked for, and names the sheets there are when there is no such sheet', async () => {
  const file = xls({ 表紙: [['令和7年度 調査票']], センター: [HEADER, ROW] });
  expect((await readImportFile(file, { sheet: 'センター' })).table.rows).toHaveLength(1);
  for (const sheet of ['名簿', '__proto__', 'constructor']) {
    const refusal = await readImportFile(file, { sheet }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnreadableFile);
    expect(refusal).toMatchObject({ messageJa: `シート「${sheet}」がありません（シート: 表紙, センター）` });
  }
});

it('reads dates of a workbook on the 1904 date system (Excel for Mac) as the same days, .xls and .xlsx, however the workbook says so', async () => {
  const { table } = await readImportFile(xls({ 一覧: [HEADER, ROW] }, { date1904: true }));
  expect(table.rows[0].values['設置日']).toBe('2024-04-01');
  // .xlsx: Excel writes date1904="1" (exceljs too); SheetJS, LibreOffice and Numbers may write "true", which exceljs alone ignored.
  const byExcel = new ExcelJS.Workbook();
  byExcel.properties.date1904 = true;
  byExcel.addWorksheet('一覧').addRows([HEADER, ROW]);
  const excelFile = Buffer.from(await byExcel.xlsx.writeBuffer());
  const byOthers = XLS.utils.book_new();
  const on1904: XLS.AOA2SheetOpts = { UTC: true, ...{ date1904: true } };
  XLS.utils.book_append_sheet(byOthers, XLS.utils.aoa_to_sheet([HEADER, ROW], on1904), '一覧');
  byOthers.Workbook = { WBProps: { date1904: true } };
  const othersFile = XLS.write(byOthers, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
  for (const [file, written] of [
    [excelFile, 'date1904="1"'],
    [othersFile, 'date1904="true"'],
  ] as const) {
    const parts = (XLS.read(file, { type: 'buffer', bookFiles: true }) as unknown as { files: Record<string, { content: Buffer }> }).files;
    expect(parts['xl/workbook.xml'].content.toString()).toContain(written);
    const read = await readImportFile(file);
    expect(read.format).toBe('xlsx');
    expect(read.table.rows[0].values['設置日']).toBe('2024-04-01');
  }
});

it('reads dates written as dates (t="d", ISO 8601, as SheetJS-based systems write them) as the days written, on either date system', async () => {
  // exceljs read 2024-04-01T00:00:00.000Z as the number 2024: the date 1905-07-16, taken as any other.
  for (const date1904 of [false, true]) {
    const book = XLS.utils.book_new();
    // SheetJS writes a Date's wall-clock time in the machine's time zone, marked Z: a system in Japan writing 1 April.
    const local = ROW.map((cell) => (cell instanceof Date ? new Date(2024, 3, 1) : cell));
    XLS.utils.book_append_sheet(book, XLS.utils.aoa_to_sheet([HEADER, local], { cellDates: true }), '一覧');
    if (date1904) book.Workbook = { WBProps: { date1904: true } };
    const file = XLS.write(book, { type: 'buffer', bookType: 'xlsx', cellDates: true }) as Buffer;
    const parts = (XLS.read(file, { type: 'buffer', bookFiles: true }) as unknown as { files: Record<string, { content: Buffer }> }).files;
    expect(parts['xl/worksheets/sheet1.xml'].content.toString()).toMatch(/t="d"><v>2024-04-01T00:00:00(\.000)?Z<\/v>/);
    const read = await readImportFile(file);
    expect([date1904, read.format, read.table.rows[0].values]).toEqual([
      date1904,
      'xlsx',
      { センターID: 'S-01-0001', 市区町村コード: '11002', 設置日: '2024-04-01', 職員数: '3', 虐待防止センター: 'true' },
    ]);
  }
  // Written by hand, beside an Excel-written sheet's own cells (a date format Japanese Excel saves by id): a time of
  // day, a date without time, a value that is no date (as the text it is), a date in a cell of no date format (as
  // Excel shows it, its serial number), and a formula's result.
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(['設置日', '空欄', '時刻あり', '日付のみ', '日付でない', '書式なし', '数式']);
  const row = sheet.addRow([new Date(Date.UTC(2024, 3, 1)), null, 'A', 'B', 'C', 'D', 'E']);
  for (const column of [1, 2, 3, 4, 5, 7]) row.getCell(column).numFmt = 'yyyy/m/d'; // B2: an empty cell with a format, <c r="B2" s="1"/>
  const zip = XLS.CFB.read(Buffer.from(await workbook.xlsx.writeBuffer()), { type: 'buffer' });
  const part = XLS.CFB.find(zip, '/xl/worksheets/sheet1.xml')!;
  const cells: Record<string, string> = {
    C2: '<v>2025-03-31T23:59:59</v>',
    D2: '<v>2024-02-29</v>',
    E2: '<v>令和6年4月1日</v>',
    F2: '<v>2024-04-01T00:00:00Z</v>',
    G2: '<f>DATE(2024,4,1)</f><v>2024-04-01T00:00:00.000Z</v>',
  };
  let xml = Buffer.from(part.content as Uint8Array).toString('utf8');
  for (const [address, content] of Object.entries(cells)) {
    xml = xml.replace(new RegExp(`<c r="${address}"([^>]*?) t="s"><v>\\d+</v></c>`), `<c r="${address}"$1 t="d">${content}</c>`);
  }
  xml = xml.replace(/(<c r="F2") s="\d+"/, '$1');
  expect(xml.match(/t="d"/g)).toHaveLength(5);
  expect(xml).toMatch(/<c r="B2" s="\d+"\/>/);
  part.content = Buffer.from(xml);
  part.size = part.content.length;
  const { table } = await readImportFile(XLS.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Buffer);
  expect(table.rows[0].values).toEqual({
    設置日: '2024-04-01',
    空欄: '',
    時刻あり: '2025-03-31',
    日付のみ: '2024-02-29',
    日付でない: '令和6年4月1日',
    書式なし: '45383',
    数式: '2024-04-01',
  });
});

it('refuses a workbook whose formulas were never calculated (a program wrote it), naming the sheet and cells; a formula whose result is empty text is read', async () => {
  // exceljs read such a cell as empty, as it reads a formula whose result is "" (<v></v>, as Excel writes it).
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('表紙 & 注意').addRow(['令和7年度 調査票']);
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(['センターID', '職員数', '備考', '合計']);
  sheet.addRow(['S-01-0001', { formula: '1+2' }, { formula: 'IF(1,"","")', result: '' }, { formula: '2*3', result: 6 }]);
  sheet.addRow(['S-01-0002', { formula: 'B2+1' }, '', 1]);
  workbook.addWorksheet('計算用', { state: 'hidden' }).addRow([{ formula: '1+1' }]); // read only when named
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  const refusal = await readImportFile(file).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(UnreadableWorkbook);
  expect(refusal).toMatchObject({
    message: expect.stringContaining('formulas whose results were never calculated (sheet "一覧", cells B2, B3)'),
    messageJa: expect.stringContaining('シート「一覧」のセル B2、B3'),
  });
  // Calculated (as Excel stores a workbook it saved): read as their results, the empty text too.
  sheet.getCell('B2').value = { formula: '1+2', result: 3 };
  sheet.getCell('B3').value = { formula: 'B2+1', result: 4 };
  const { table } = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()), { sheet: '一覧' });
  expect(table.rows.map((r) => r.values)).toEqual([
    { センターID: 'S-01-0001', 職員数: '3', 備考: '', 合計: '6' },
    { センターID: 'S-01-0002', 職員数: '4', 備考: '', 合計: '1' },
  ]);
});

it('reads the date formats Japanese Excel saves by id alone (和暦, 2025年4月1日) as dates, on either date system', async () => {
  for (const date1904 of [false, true]) {
    const workbook = new ExcelJS.Workbook();
    workbook.properties.date1904 = date1904;
    const sheet = workbook.addWorksheet('一覧');
    sheet.addRow(['設置日', '終了日']);
    const row = sheet.addRow([new Date(Date.UTC(2024, 3, 1)), new Date(Date.UTC(2025, 2, 31))]);
    row.getCell(1).numFmt = 'yyyy/m/d';
    row.getCell(2).numFmt = 'yyyy/m/dd';
    // As Japanese Excel writes 令和6年4月1日 (id 57) and 2025年3月31日 (id 31): an id of no text in the file.
    const zip = XLS.CFB.read(Buffer.from(await workbook.xlsx.writeBuffer()), { type: 'buffer' });
    const styles = XLS.CFB.find(zip, '/xl/styles.xml')!;
    const xml = Buffer.from(styles.content as Uint8Array)
      .toString('utf8')
      .replace(/<numFmts[^>]*>.*<\/numFmts>/s, '')
      .replace(/numFmtId="164"/g, 'numFmtId="57"')
      .replace(/numFmtId="165"/g, 'numFmtId="31"');
    expect(xml).not.toContain('formatCode');
    styles.content = Buffer.from(xml);
    styles.size = styles.content.length;
    const file = XLS.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Buffer;
    const { table } = await readImportFile(file);
    expect([date1904, table.rows[0].values]).toEqual([date1904, { 設置日: '2024-04-01', 終了日: '2025-03-31' }]);
  }
});

it('refuses a password-protected workbook and a broken .xls, saying what to do, in Japanese too', async () => {
  const cfb = XLS.CFB.utils.cfb_new();
  XLS.CFB.utils.cfb_add(cfb, 'EncryptionInfo', Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]));
  XLS.CFB.utils.cfb_add(cfb, 'EncryptedPackage', Buffer.alloc(64));
  const protectedFile = XLS.CFB.write(cfb, { type: 'buffer' }) as Buffer;
  await expect(readImportFile(protectedFile)).rejects.toMatchObject({ messageJa: expect.stringContaining('パスワードを解除') });
  const broken = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 1)]);
  await expect(readImportFile(broken)).rejects.toMatchObject({ messageJa: expect.stringContaining('.xlsx か CSV 形式で保存し直してください') });
});

it('reads the other workbooks prefectures keep as an .xls with the same cells: .xlsb, .ods (LibreOffice), XML Spreadsheet 2003, a web page’s table', async () => {
  const workbook = XLS.utils.book_new();
  XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet([HEADER, ROW], { UTC: true }), '一覧');
  const expected = (await readImportFile(xls({ 一覧: [HEADER, ROW] }))).table.rows;
  const formats = { xlsb: 'xlsb', ods: 'ods', fods: 'ods', xlml: 'xml', html: 'html' } as const;
  for (const [bookType, format] of Object.entries(formats)) {
    const bytes = XLS.write(workbook, { type: 'buffer', bookType: bookType as XLS.BookType, cellDates: true } as XLS.WritingOptions) as Buffer;
    const read = await readImportFile(bytes);
    // A web page holds text, kept as written: its date and TRUE as they were written out, read by the import's own rules.
    const asText = (values: Record<string, string>) => ({
      ...values,
      設置日: expected[0].values['設置日'],
      虐待防止センター: values['虐待防止センター'].toLowerCase(),
    });
    const rows = format === 'html' ? read.table.rows.map((r) => ({ ...r, values: asText(r.values) })) : read.table.rows;
    expect([bookType, read.format, rows]).toEqual([bookType, format, expected]);
  }
  // As systems export "Excel" files: a web page's table, a byte-order mark before it.
  const page =
    '\ufeff<html><head><meta charset="utf-8"></head><body><table><tr><td>センターID</td><td>名称</td></tr><tr><td>S-1</td><td>札幌</td></tr></table></body></html>';
  expect((await readImportFile(Buffer.from(page))).table.rows.map((r) => r.values)).toEqual([{ センターID: 'S-1', 名称: '札幌' }]);
});

it('reads a web page’s table as the text it holds, on a server in any time zone: its dates the same days, its codes with their zeros', async () => {
  const page = Buffer.from(
    '<html><body><table><tr><td>設置日</td><td>終了日</td><td>市区町村コード</td></tr>' +
      '<tr><td>2024/04/01</td><td>令和6年4月1日</td><td>011002</td></tr></table></body></html>',
  );
  const zone = process.env.TZ;
  try {
    // The reader process takes the zone from its environment: Japan's (a prefecture's server), and one behind UTC.
    for (const timeZone of ['Asia/Tokyo', 'America/Los_Angeles', 'UTC']) {
      process.env.TZ = timeZone;
      const { table } = await readImportFile(page);
      expect([timeZone, table.rows.map((r) => r.values)]).toEqual([timeZone, [{ 設置日: '2024/04/01', 終了日: '令和6年4月1日', 市区町村コード: '011002' }]]);
    }
  } finally {
    process.env.TZ = zone;
  }
});

it('refuses a PDF, a Word document and a ZIP archive of something else, saying what the file is and what to send', async () => {
  const archive = (name: string) => {
    const zip = XLS.CFB.utils.cfb_new();
    XLS.CFB.utils.cfb_add(zip, name, Buffer.from('<x/>'));
    return XLS.CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Buffer;
  };
  const refusals = await Promise.all(
    [Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), archive('word/document.xml'), archive('notes/readme.txt')].map((bytes) =>
      readImportFile(bytes).catch((error: unknown) => error),
    ),
  );
  for (const refusal of refusals) expect(refusal).toBeInstanceOf(UnreadableFile);
  expect(refusals.map((r) => (r as UnreadableFile).messageJa)).toEqual([
    'PDF ファイルは取り込めません。Excel で表を開き、.xlsx か CSV 形式で保存して送ってください',
    'Word 文書（.docx）は取り込めません。Excel で表を開き、.xlsx か CSV 形式で保存して送ってください',
    'Excelブック（.xlsx）として読めません',
  ]);
});

it('loads neither workbook library with the services: only when a workbook is read or written (about 60 MB and half a second)', () => {
  jest.isolateModules(() => {
    jest.doMock('exceljs', () => {
      throw new Error('exceljs was loaded with the module');
    });
    jest.doMock('@e965/xlsx', () => {
      throw new Error('SheetJS was loaded with the module');
    });
    expect(() => require('../../gateway/gateway')).not.toThrow();
    expect(() => require('../../subgraphs')).not.toThrow();
  });
});

/** A workbook of `rows` rows of the same long text: small packed, large unpacked. */
const repetitive = (rows: number) => xlsx(Array.from({ length: rows }, () => ['同じ内容の行です'.repeat(10)]));

/** `bytes` with the size its central directory declares for `name` unpacked set to `size` (as a crafted archive lies). */
function declaring(bytes: Buffer, name: string, size: number): Buffer {
  const patched = Buffer.from(bytes);
  for (let at = patched.indexOf('PK\x01\x02', 0, 'latin1'); at >= 0; at = patched.indexOf('PK\x01\x02', at + 4, 'latin1')) {
    const length = patched.readUInt16LE(at + 28);
    if (patched.toString('latin1', at + 46, at + 46 + length) === name) patched.writeUInt32LE(size, at + 24);
  }
  return patched;
}

/** A ZIP archive of `count` empty stored files (local headers, central directory, end record: APPNOTE 4.3). */
function emptyParts(count: number): Buffer {
  const names = Array.from({ length: count }, (_, i) => Buffer.from(`p${i}.xml`));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const name of names) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name);
    centrals.push(central, name);
    offset += local.length + name.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('checkWorkbookSize (before a workbook is read whole)', () => {
  it('passes a workbook that unpacks to the limit or less', async () => {
    await expect(checkWorkbookSize(await repetitive(100), 2 ** 20)).resolves.toBeUndefined();
  });
  it('refuses one that unpacks to more, small as it is packed', async () => {
    const bomb = await repetitive(20_000);
    expect(bomb.length).toBeLessThan(2 ** 20 / 4);
    await expect(checkWorkbookSize(bomb, 2 ** 20)).rejects.toBeInstanceOf(WorkbookTooLarge);
  });
  it('refuses an archive of more parts than any workbook has, without opening them', async () => {
    await expect(checkWorkbookSize(emptyParts(10_001), 2 ** 30)).rejects.toBeInstanceOf(UnreadableWorkbook);
    await expect(checkWorkbookSize(emptyParts(100), 2 ** 30)).resolves.toBeUndefined();
  });
  it('counts what entries unpack to, not what the archive declares: one that understates is refused', async () => {
    const bomb = declaring(await repetitive(20_000), 'xl/worksheets/sheet1.xml', 1000);
    await expect(checkWorkbookSize(bomb, 2 ** 20)).rejects.toBeInstanceOf(UnreadableWorkbook);
    await expect(checkWorkbookSize(bomb, 2 ** 30)).rejects.toBeInstanceOf(UnreadableWorkbook);
  });
});

it('reads a number in a date format too large for a date as Excel shows it (########), in .xlsx and .xls alike', async () => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(HEADER);
  sheet.addRow(ROW);
  for (const huge of [1e308, -1e308, 1e20]) {
    sheet.getCell('C2').value = huge;
    sheet.getCell('C2').numFmt = 'yyyy/m/d';
    const { table } = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()));
    // It was a server error (RangeError: Invalid time value); the date column now refuses the cell like any non-date.
    expect(table.rows[0].values['設置日']).toBe('########');
  }
  const legacy = XLS.utils.aoa_to_sheet([HEADER, ['S-01-0001', 11002, 1e20, 3, true]]);
  legacy.C2.z = 'yyyy/m/d';
  const book = XLS.utils.book_new();
  XLS.utils.book_append_sheet(book, legacy, '一覧');
  const fromXls = await readImportFile(XLS.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  expect(fromXls.table.rows[0].values['設置日']).toBe('########');
});

it('reads a number cell as Excel shows it: a percentage ×100 with its %, and at most 15 significant digits', async () => {
  const header = ['率', '件数', '書式付き', '計算'];
  const cells: Array<[number, string | undefined]> = [
    [0.158, '0.0%'], // shown 15.8%: a rate of 15.8, not of 0.158
    [1234, '#,##0'], // not a percentage
    [5, '"%"0'], // a % that is quoted text is no percentage
    [0.1 + 0.2, undefined], // a formula's floating-point tail
  ];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(header);
  sheet.addRow(cells.map(([value]) => value));
  cells.forEach(([, format], i) => {
    if (format) sheet.getRow(2).getCell(i + 1).numFmt = format;
  });
  sheet.getCell('A3').value = { formula: 'B2/10000', result: 0.1234 };
  sheet.getCell('A3').numFmt = '0%';
  const expected = { 率: '15.8%', 件数: '1234', 書式付き: '5', 計算: '0.3' };
  const { table } = await readImportFile(Buffer.from(await workbook.xlsx.writeBuffer()));
  expect(table.rows[0].values).toEqual(expected);
  expect(table.rows[1].values['率']).toBe('12.34%'); // a formula's result in a percentage format

  const legacy = XLS.utils.aoa_to_sheet([header, cells.map(([value]) => value)]);
  cells.forEach(([, format], i) => {
    if (format) legacy[XLS.utils.encode_cell({ r: 1, c: i })].z = format;
  });
  const book = XLS.utils.book_new();
  XLS.utils.book_append_sheet(book, legacy, '一覧');
  const fromXls = await readImportFile(XLS.write(book, { type: 'buffer', bookType: 'biff8' }) as Buffer);
  expect(fromXls.table.rows[0].values).toEqual(expected);
});

it('reads merged cells as the person sees them, one value per row, in .xlsx and .xls alike', async () => {
  const header = ['市町村コード', '項目ID', '結果', '備考'];
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('一覧');
  sheet.addRow(header);
  sheet.addRow(['011002', 'i1', '○', '一行目の備考']);
  sheet.addRow([null, 'i2', '×', null]);
  sheet.addRow([null, 'i3', '○', null]);
  sheet.mergeCells('A2:A4'); // a municipality's code beside each of its items
  sheet.mergeCells('C3:D3'); // a value spread over two columns: the first column's only
  const xlsxBytes = Buffer.from(await workbook.xlsx.writeBuffer());
  const expected = [
    { 市町村コード: '011002', 項目ID: 'i1', 結果: '○', 備考: '一行目の備考' },
    { 市町村コード: '011002', 項目ID: 'i2', 結果: '×', 備考: '' },
    { 市町村コード: '011002', 項目ID: 'i3', 結果: '○', 備考: '' },
  ];
  expect((await readImportFile(xlsxBytes)).table.rows.map((r) => r.values)).toEqual(expected);
  const legacy = XLS.write(XLS.read(xlsxBytes, { type: 'buffer' }), { type: 'buffer', bookType: 'biff8' }) as Buffer;
  expect((await readImportFile(legacy)).table.rows.map((r) => r.values)).toEqual(expected);
});

describe('a workbook is parsed off the event loop (in a process of its own), so the service answers meanwhile', () => {
  const rows = [HEADER, ...Array.from({ length: 20_000 }, (_, i) => [`S-01-${i}`, 11002, new Date(Date.UTC(2024, 3, 1)), i % 9, i % 2 === 0])];

  it.each(['xls', 'ods'] as const)('lets other work run while it reads an .%s, and gives every row', async (bookType) => {
    const workbook = XLS.utils.book_new();
    XLS.utils.book_append_sheet(workbook, XLS.utils.aoa_to_sheet(rows, { UTC: true }), '一覧');
    const bytes = XLS.write(workbook, { type: 'buffer', bookType: bookType === 'xls' ? 'biff8' : 'ods' }) as Buffer;
    let turns = 0;
    const timer = setInterval(() => (turns += 1), 0);
    await new Promise((resolve) => setImmediate(resolve));
    try {
      const { table } = await readImportFile(bytes);
      expect(table.rows).toHaveLength(20_000);
      expect(table.rows[19_999].values).toMatchObject({ センターID: 'S-01-19999', 設置日: '2024-04-01' });
    } finally {
      clearInterval(timer);
    }
    // Parsed on this thread, the library's one call held the timer back until it was done (one turn or none).
    expect(turns).toBeGreaterThan(5);
  });

  it('refuses a workbook too large for the heap the reader is given (IMPORT_WORKBOOK_HEAP_MB), and reads the next one: the service is unharmed', async () => {
    const large = xls({ 一覧: rows });
    const refusal = await readImportFile(large, { workbookHeapMb: 64 }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(UnreadableWorkbook);
    expect(refusal).toMatchObject({ messageJa: 'ブックが大きすぎて読み込めません。複数のファイルに分けるか、CSV 形式で保存してください' });
    expect((await readImportFile(xls({ 一覧: [HEADER, ROW] }), { workbookHeapMb: 64 })).table.rows).toHaveLength(1);
  });

  it('gives the import command the same heap (IMPORT_WORKBOOK_HEAP_MB), so it refuses what the subgraphs refuse', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'heap-cli-')), 'large.xls');
    writeFileSync(file, xls({ 一覧: rows }));
    const token = await signDevelopmentToken(loadGatewayConfig({}).jwt, { subject: 'heap-cli', role: 'ADMIN' });
    const cli = promisify(execFile)(
      process.execPath,
      ['-r', projectPath('tests/helpers/register-ts.js'), projectPath('scripts/import.ts'), 'core-centers', file],
      {
        env: { ...process.env, IMPORT_TOKEN: token, IMPORT_WORKBOOK_HEAP_MB: '64', IMPORT_URL: '' },
      },
    );
    // Refused before any database is opened: nothing written, one line in both languages.
    await expect(cli).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('ブックが大きすぎて読み込めません') });
  }, 60_000);
});

it('refuses a workbook that keeps its reader busy too long, and stops the reader', async () => {
  // The workbook readers this process has running.
  const readers = () =>
    execFileSync('ps', ['--ppid', String(process.pid), '-o', 'args='], { encoding: 'utf8' })
      .split('\n')
      .filter((command) => command.includes('spreadsheet-reader'));
  const before = readers();
  const refusal = await readImportFile(xls({ 一覧: [HEADER, ROW] }), { workbookReadMs: 1 }).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(UnreadableWorkbook);
  expect(refusal).toMatchObject({ messageJa: 'ブックの読み込みに時間がかかりすぎました。Excel で .xlsx か CSV 形式で保存し直すか、分けてください' });
  // Killed at once: unkilled, it would still be starting (it takes some 200 ms to read a workbook).
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(readers()).toEqual(before);
});
