/**
 * Excel workbooks in and out. In: a sheet of an .xlsx (exceljs) or of an Excel 97–2003 .xls, which many
 * municipalities still keep (SheetJS, through its maintained republication @e965/xlsx: exceljs reads no
 * .xls), read as the same table a CSV file gives (header row, one row per line, each cell as text), so a
 * workbook's import goes through the very checks and report of a CSV one; date cells become YYYY-MM-DD,
 * numbers their digits (a code Excel stored as a number is then repaired like the CSV one), a percentage
 * cell as it is shown (15.8%). A workbook is parsed in a process of its own (readWorkbookApart,
 * spreadsheet-reader.ts), not in the service. Out (.xlsx, exceljs): codes stay text cells, dates are date
 * cells, a row of Japanese names above the English keys, both frozen.
 *
 * Both libraries are loaded on first use: together about 60 MB of memory and half a second of start-up
 * (measured) that a service answering only GraphQL would otherwise spend.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type * as XLS from '@e965/xlsx';
import type ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { type CsvEncoding, type RawRow, type Table, UnreadableFile, apostrophesKept, decodeCsv, readCsvInTurns, tableFrom } from './csv';
import { projectPath } from './paths';

// Required on first use, not imported: an import would load them with the module.
/* eslint-disable @typescript-eslint/no-require-imports */
let excelJs: typeof ExcelJS | undefined;
const loadExcelJs = () => {
  if (excelJs) return excelJs;
  excelJs = require('exceljs') as typeof ExcelJS;
  // Japanese Excel saves its own date formats (和暦 令和7年4月1日, R7.4.1, 2025年4月1日: built-in ids 27–36 and
  // 50–58) by id alone, their text being the locale's; exceljs has that text per locale but looks up none, so such a
  // cell came as a bare serial number (45383), 4 years off in a 1904 workbook. Japan's text is the one to use.
  const numFmt = require('exceljs/lib/xlsx/xform/style/numfmt-xform') as { getDefaultFmtCode: (id: number) => string | undefined };
  const byLocale = require('exceljs/lib/xlsx/defaultnumformats') as Record<number, { f?: string; 'ja-jp'?: string } | undefined>;
  const builtIn = numFmt.getDefaultFmtCode;
  numFmt.getDefaultFmtCode = (id) => builtIn(id) ?? byLocale[id]?.['ja-jp'];
  return excelJs;
};
let sheetJs: typeof XLS | undefined;
const loadSheetJs = () => (sheetJs ??= require('@e965/xlsx') as typeof XLS);
/* eslint-enable @typescript-eslint/no-require-imports */

/** A ZIP archive, as an .xlsx (and an .xlsb or .ods) file is: it starts with "PK\x03\x04". */
export function isZipArchive(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * An OLE2 compound file ("\xD0\xCF\x11\xE0…"): an Excel 97–2003 workbook (.xls) — or a password-protected
 * .xlsx, which Excel wraps in one.
 */
export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
}

/** A workbook that cannot be read, or has no such sheet: refused with a reason for the person. */
export class UnreadableWorkbook extends UnreadableFile {}

/** A workbook whose contents unpack to more than a limit (a "ZIP bomb", or a sheet too large to read at once). */
export class WorkbookTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the workbook unpacks to more than ${Math.round(maxBytes / 2 ** 20)} MB`);
  }
}

/**
 * Checks that an .xlsx file's contents unpack to at most `maxBytes` in all, by unpacking them (never by the
 * sizes the archive declares, which a crafted file can understate), before anything parses it: a workbook
 * is read whole, at about 20 bytes of memory per unpacked byte (measured), so a 1 MB file that unpacks to
 * 240 MB took 20 s and 2.4 GB to refuse. Throws WorkbookTooLarge, or UnreadableWorkbook for a broken archive.
 */
export async function checkWorkbookSize(bytes: Uint8Array, maxBytes: number): Promise<void> {
  const zip = await openZip(bytes);
  let declared = 0;
  let unpacked = 0;
  // A workbook is a few dozen parts (a few per sheet): tens of thousands are no workbook, only work to open.
  if (zip.entryCount > MAX_WORKBOOK_PARTS) {
    zip.close();
    throw unreadableArchive();
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', () => reject(unreadableArchive()));
      zip.on('end', resolve);
      zip.on('entry', (entry: yauzl.Entry) => {
        declared += entry.uncompressedSize;
        if (declared > maxBytes) return reject(new WorkbookTooLarge(maxBytes));
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(unreadableArchive());
          stream.on('data', (chunk: Buffer) => {
            unpacked += chunk.length;
            if (unpacked > maxBytes) {
              stream.destroy();
              reject(new WorkbookTooLarge(maxBytes));
            }
          });
          // yauzl checks each entry's actual size against the declared one (validateEntrySizes).
          stream.on('error', () => reject(unreadableArchive()));
          stream.on('end', () => zip.readEntry());
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/** A ZIP archive's entries, one at a time (lazyEntries); a broken archive is UnreadableWorkbook. */
const openZip = (bytes: Uint8Array) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true }, (error, opened) =>
      error ? reject(unreadableArchive()) : resolve(opened),
    ),
  );

/** More parts than any workbook has (Excel writes a few per sheet, and a workbook has at most a few hundred sheets). */
const MAX_WORKBOOK_PARTS = 10_000;

const unreadableArchive = () =>
  new UnreadableWorkbook('the file is not a readable .xlsx workbook (save it again from Excel as .xlsx)', 'Excelブック（.xlsx）として読めません');

const noSuchSheet = (sheet: string | undefined, names: readonly string[]) =>
  new UnreadableWorkbook(
    `the workbook has no sheet named "${sheet}" (its sheets: ${names.join(', ')})`,
    `シート「${sheet}」がありません（シート: ${names.join(', ')}）`,
  );

/** A sheet's rows as read, each trimmed cell as text; rows with no value left out (tableFrom skips nothing itself). */
function rawRows(rows: Iterable<{ line: number; cells: readonly string[]; hidden?: boolean }>): RawRow[] {
  const raw: RawRow[] = [];
  for (const { line, cells, hidden } of rows) {
    const filled = Array.from(cells, (c) => (c ?? '').trim());
    if (filled.some((c) => c !== '')) raw.push(hidden ? { line, cells: filled, hidden: true } : { line, cells: filled });
  }
  return raw;
}

/** A date cell's day; one outside the dates JavaScript holds (a huge number in a date format) as Excel shows it, ########. */
const isoDate = (date: Date) => (Number.isNaN(date.getTime()) ? '########' : date.toISOString().slice(0, 10));

/**
 * A number format that shows the number as a percentage: a `%` outside quoted text (`"%"`), an escaped
 * character (`\%`) and a bracketed tag (`[Red]`). Excel stores 15.8 % as 0.158 and shows it ×100. Read left to
 * right once: a quote or bracket never closed is a character like the others (the format is the file's to say,
 * so a search for each one's end is made once, not again from every later one).
 */
export function isPercentFormat(format: string | undefined): boolean {
  if (format === undefined) return false;
  const unclosed = new Set<string>();
  for (let i = 0; i < format.length; i += 1) {
    const character = format[i];
    if (character === '%') return true;
    if (character === '\\') i += 1;
    else if ((character === '"' || character === '[') && !unclosed.has(character)) {
      const end = format.indexOf(character === '"' ? '"' : ']', i + 1);
      if (end === -1) unclosed.add(character);
      else i = end;
    }
  }
  return false;
}

/**
 * A number cell as the person saw it, as Excel's own CSV of it would hold it: a percentage cell ×100 with its
 * `%` (0.158 → "15.8%", not a rate of 0.158 %), and at most 15 significant digits, Excel's precision (a formula's
 * 0.1 + 0.2 is "0.3", not "0.30000000000000004").
 */
export function numberCellText(value: number, format: string | undefined): string {
  const digits = (n: number) => String(Number(n.toPrecision(15)));
  return isPercentFormat(format) ? `${digits(value * 100)}%` : digits(value);
}

/** A cell's value as the text a CSV file would hold; `format` its number format, `dayShift` days to add to a date (see usesDateSystem1904). */
function cellText(value: ExcelJS.CellValue, format: string | undefined, dayShift: number): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(dayShift === 0 ? value : new Date(value.getTime() + dayShift * 86_400_000));
  if (typeof value === 'number') return numberCellText(value, format);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, format, dayShift);
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

/** Days from the 1900 date system's day 0 to the 1904 system's: the same serial number is a day 1,462 days later there. */
const DAYS_1900_TO_1904 = 1462;

/**
 * Whether an .xlsx counts its dates from 1904 (Excel for Mac's old default, kept by every workbook made from
 * one): `<workbookPr date1904="1">` as Excel writes it, or `"true"` as SheetJS, LibreOffice and Numbers may
 * (XML's other way to say yes). exceljs reads only "1": on "true" it dated every cell 4 years and a day early
 * (2025-04-01 read as 2021-03-31), with nothing to tell.
 */
async function usesDateSystem1904(bytes: Uint8Array): Promise<boolean> {
  const workbookXml = await zipEntryText(bytes, /^xl\/workbook\.xml$/);
  return workbookXml !== undefined && /<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*["'](?:1|true)["']/.test(workbookXml);
}

/** The text of the first entry of a ZIP archive whose name matches (undefined when none does). */
const zipEntryText = (bytes: Uint8Array, name: RegExp): Promise<string | undefined> => firstZipEntry(bytes, name, (text) => text);

/**
 * What `take` makes of the first entry, of those whose name matches, for which it makes anything (undefined when
 * none): each entry's text read whole, one at a time.
 */
async function firstZipEntry<T>(bytes: Uint8Array, name: RegExp, take: (text: string, entry: string) => T | undefined): Promise<T | undefined> {
  const zip = await openZip(bytes);
  try {
    return await new Promise<T | undefined>((resolve, reject) => {
      zip.on('error', () => reject(unreadableArchive()));
      zip.on('end', () => resolve(undefined));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!name.test(entry.fileName)) return zip.readEntry();
        zip.openReadStream(entry, (error, stream) => {
          if (error) return reject(unreadableArchive());
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('error', () => reject(unreadableArchive()));
          stream.on('end', () => {
            const taken = take(Buffer.concat(chunks).toString('utf8'), entry.fileName);
            if (taken === undefined) zip.readEntry();
            else resolve(taken);
          });
        });
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}

/**
 * A cell of an .xlsx: its tag, its attributes (each `name="value"`), and its content unless it closes itself
 * (`<c r="B2" s="1"/>`, an empty cell with a format).
 */
const CELL = /<((?:\w+:)?c)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(?:\/>|>(.*?)<\/\1>)/gs;
/** The type attribute of a date written as a date (ISO 8601), `t="d"`. */
const ISO_DATE_TYPE = /\st\s*=\s*["']d["']/;
const CELL_VALUE = /(<(?:\w+:)?v>)([^<]*)(<\/(?:\w+:)?v>)/;

/**
 * A date written as a date (ISO 8601: `2024-04-01`, `2024-04-01T09:30:00Z`) as the serial number Excel makes of it,
 * on the workbook's date system: the day and time as written (Excel has no time zones), undefined for no date.
 */
export function isoDateSerial(text: string, date1904: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hours = 0, minutes = 0, seconds = 0] = m.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const at = new Date(0);
  at.setUTCFullYear(year!, month! - 1, day!);
  if (at.getUTCMonth() !== month! - 1) return undefined; // 2024-02-30
  const days = (at.getTime() - Date.UTC(1899, 11, 30)) / 86_400_000 - (date1904 ? DAYS_1900_TO_1904 : 0);
  return days + (hours * 3600 + minutes * 60 + seconds) / 86_400;
}

/** A worksheet part of an .xlsx, as the archive names it. */
const SHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/;
/** A formula: where a part holds none (most files), its cells are not looked at one by one. */
const FORMULA = /<(?:\w+:)?f[\s>/]/;
/** A date written as a date (ISO 8601): a cell of type `d`. */
const ISO_DATE_CELL = /<(?:\w+:)?c\s[^>]*\bt\s*=\s*["']d["']/;
const STORED_VALUE = /<(?:\w+:)?v[\s>/]/;
const CELL_ADDRESS = /\sr\s*=\s*["']([A-Z]+\d+)["']/;

/** What the worksheet parts of an .xlsx hold that exceljs does not read as Excel does (xlsxSheets). */
interface SheetScan {
  /** Whether any sheet holds a date written as a date (withIsoDatesAsSerials). */
  isoDates: boolean;
  /** By part, the first cells (up to 5) holding a formula whose result was never stored. */
  uncalculated: Map<string, string[]>;
}

/**
 * Reads every worksheet part of an .xlsx once for what exceljs reads otherwise than Excel: dates written as dates,
 * and formulas whose result was never stored — a workbook written by a program (openpyxl, a system's export) that
 * no one opened in Excel: such a cell holds `<f>` and no `<v>`, and exceljs reads it as empty, the same as a formula
 * whose result is the empty text (`<v></v>`, which Excel writes).
 */
async function scanSheets(bytes: Uint8Array): Promise<SheetScan> {
  const scan: SheetScan = { isoDates: false, uncalculated: new Map() };
  await firstZipEntry(bytes, SHEET_PART, (text, part) => {
    scan.isoDates ||= ISO_DATE_CELL.test(text);
    if (!FORMULA.test(text)) return undefined;
    const cells: string[] = [];
    for (const [, , attributes, content] of text.matchAll(CELL)) {
      if (content !== undefined && FORMULA.test(content) && !STORED_VALUE.test(content)) cells.push(CELL_ADDRESS.exec(attributes)?.[1] ?? '?');
      if (cells.length === 5) break;
    }
    if (cells.length > 0) scan.uncalculated.set(part, cells);
    return undefined; // every part
  });
  return scan;
}

/** Each sheet's worksheet part, by the sheet's name (xl/workbook.xml and its relationships). */
async function sheetPartsByName(bytes: Uint8Array): Promise<Map<string, string>> {
  const [workbook, relationships] = await Promise.all([zipEntryText(bytes, /^xl\/workbook\.xml$/), zipEntryText(bytes, /^xl\/_rels\/workbook\.xml\.rels$/)]);
  const attribute = (tag: string, name: string) => new RegExp(`\\s${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
  const targets = new Map<string, string>();
  for (const [tag] of (relationships ?? '').matchAll(/<(?:\w+:)?Relationship\s[^>]*>/g)) {
    const [id, target] = [attribute(tag, 'Id'), attribute(tag, 'Target')];
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const parts = new Map<string, string>();
  for (const [tag] of (workbook ?? '').matchAll(/<(?:\w+:)?sheet\s[^>]*>/g)) {
    const [name, id] = [attribute(tag, 'name'), attribute(tag, 'r:id')];
    const target = id && targets.get(id);
    if (name !== undefined && target) parts.set(decodeXmlText(name), target);
  }
  return parts;
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** An XML attribute's text as written: its entities and character references decoded. */
const decodeXmlText = (text: string) =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(\w+));/gi, (entity, hex?: string, decimal?: string, name?: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : decimal ? String.fromCodePoint(Number(decimal)) : (XML_ENTITIES[name!] ?? entity),
  );

/** A workbook whose read sheets hold formulas never calculated: refused, naming where, and what to do. */
const uncalculatedFormulas = (sheet: string, cells: readonly string[]) =>
  new UnreadableWorkbook(
    `the workbook holds formulas whose results were never calculated (sheet "${sheet}", cell${cells.length > 1 ? 's' : ''} ${cells.join(', ')}): a program wrote it and no one saved it in Excel; open it in Excel and save it, then send it again`,
    `数式の計算結果が保存されていないブックです（シート「${sheet}」のセル ${cells.join('、')}）。プログラムが作成したブックのようです。Excel で開いて保存し直してから取り込んでください`,
  );

/**
 * An .xlsx whose sheets hold dates written as dates (`<c t="d"><v>2024-04-01T00:00:00Z</v>`), as SheetJS and the
 * systems built on it write them and Excel reads them, with each such date as the serial number Excel makes of it
 * (one that is no date as the text it is): exceljs reads the value as the number before its first "-" — 2024-04-01
 * became serial 2024, the date 1905-07-16, with nothing to tell (measured).
 */
async function withIsoDatesAsSerials(bytes: Uint8Array, date1904: boolean): Promise<Uint8Array> {
  const { CFB } = loadSheetJs();
  let zip: ReturnType<typeof CFB.read>;
  try {
    zip = CFB.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { type: 'buffer' });
  } catch {
    throw unreadableArchive(); // an archive yauzl reads and SheetJS does not: as broken to the person
  }
  zip.FullPaths.forEach((path: string, index: number) => {
    const entry = zip.FileIndex[index];
    if (!SHEET_PART.test(path.replace(/^[^/]*\//, '')) || !entry.content) return;
    const xml = Buffer.from(entry.content as Uint8Array).toString('utf8');
    const rewritten = xml.replace(CELL, (cell, tag: string, attributes: string, content: string | undefined) => {
      if (content === undefined || !ISO_DATE_TYPE.test(attributes)) return cell;
      const value = CELL_VALUE.exec(content);
      const serial = value ? isoDateSerial(value[2], date1904) : undefined;
      // A number (t left out: "n"), or text as it is written.
      const typed = attributes.replace(ISO_DATE_TYPE, serial === undefined ? ' t="str"' : '');
      return `<${tag}${typed}>${serial === undefined ? content : content.replace(CELL_VALUE, `$1${serial}$3`)}</${tag}>`;
    });
    entry.content = Buffer.from(rewritten);
    entry.size = entry.content.length;
  });
  return CFB.write(zip, { type: 'buffer', fileType: 'zip' }) as Uint8Array;
}

/** A sheet's rows as read (rawRows: trimmed, those with no value left out), by its name. */
interface SheetRows {
  name: string;
  raw: RawRow[];
}

/**
 * The sheets of a workbook to read: the one named, else the first a person sees (not hidden); when none was
 * named, the others a person sees beside it (withHeader may take one of them: the first is a cover sheet).
 */
export interface WorkbookSheets {
  first: SheetRows;
  others: SheetRows[];
}

/**
 * The sheets of an .xlsx, each cell as text as a CSV file would hold it. Merged cells as the person sees them,
 * one value per row: a range merged down a column (a municipality's code beside each of its checklist items)
 * gives each of its rows the value; one merged across columns gives it to its first column only (a text spread
 * over two columns is not the second column's value, and a header cell over two columns names one).
 */
async function xlsxSheets(file: Uint8Array, sheet?: string): Promise<WorkbookSheets> {
  const workbook = new (loadExcelJs().Workbook)();
  const date1904 = await usesDateSystem1904(file);
  const scan = await scanSheets(file);
  const bytes = scan.isoDates ? await withIsoDatesAsSerials(file, date1904) : file;
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw unreadableArchive();
  }
  if (workbook.worksheets.length === 0) throw unreadableArchive(); // a ZIP archive of something else
  const dayShift = date1904 && !workbook.properties.date1904 ? DAYS_1900_TO_1904 : 0;
  // Unnamed, the sheets a person sees: a hidden one (a list behind a drop-down, an old copy) is read only by name.
  const shown = workbook.worksheets.filter((w) => w.state === 'visible' || w.state === undefined);
  const worksheet = sheet ? workbook.getWorksheet(sheet) : (shown[0] ?? workbook.worksheets[0]);
  if (!worksheet)
    throw noSuchSheet(
      sheet,
      workbook.worksheets.map((w) => w.name),
    );
  const rowsOf = (from: ExcelJS.Worksheet): SheetRows => {
    const rows: Array<{ line: number; cells: string[]; hidden: boolean }> = [];
    from.eachRow({ includeEmpty: false }, (row, line) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        // exceljs gives every cell of a merged range its first cell's value: kept down the first column only.
        const across = cell.isMerged && cell.master !== cell && Number(cell.master.col) !== column;
        cells[column - 1] = across ? '' : cellText(cell.value, cell.numFmt, dayShift);
      });
      rows.push({ line, cells, hidden: row.hidden });
    });
    return { name: from.name, raw: rawRows(rows) };
  };
  const read = sheet ? [worksheet] : [worksheet, ...shown.slice(1)];
  if (scan.uncalculated.size > 0) {
    const parts = await sheetPartsByName(file);
    for (const { name } of read) {
      const cells = scan.uncalculated.get(parts.get(name) ?? '');
      if (cells) throw uncalculatedFormulas(name, cells);
    }
  }
  return { first: rowsOf(worksheet), others: read.slice(1).map(rowsOf) };
}

/** The first sheet's table with the workbook's other sheets beside it, when none was named (withHeader may take one of them). */
function tableOfSheets({ first, others }: WorkbookSheets): Table {
  const table = tableFrom(first.raw);
  return others.length === 0 ? table : { ...table, sheet: first.name, otherSheets: others.map((o) => ({ name: o.name, table: tableFrom(o.raw) })) };
}

/** An .xls cell as the text a CSV file would hold: a date (a number in a date format) as YYYY-MM-DD. */
function xlsCellText(SSF: typeof XLS.SSF, cell: XLS.CellObject | undefined, date1904: boolean): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  if (cell.v instanceof Date) return isoDate(cell.v);
  if (cell.t === 'n' && typeof cell.v === 'number' && cell.z !== undefined && SSF.is_date(cell.z)) {
    const day = SSF.parse_date_code(cell.v, { date1904 });
    if (!day) return '########'; // too large for a date, as Excel shows it
    const { y, m, d } = day;
    return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  if (cell.t === 'e') return cell.w ?? '';
  if (typeof cell.v === 'number') return numberCellText(cell.v, cell.z === undefined ? undefined : String(cell.z));
  return String(cell.v);
}

/** The workbooks SheetJS reads for us, by what a person calls them (exceljs reads .xlsx alone). */
const SHEETJS_FORMATS = {
  xls: { en: 'Excel 97–2003 workbook (.xls)', ja: 'Excelブック（.xls）' },
  xlsb: { en: 'Excel binary workbook (.xlsb)', ja: 'Excelバイナリブック（.xlsb）' },
  ods: { en: 'OpenDocument spreadsheet (.ods, LibreOffice Calc)', ja: 'OpenDocument スプレッドシート（.ods、LibreOffice Calc）' },
  xml: { en: 'XML Spreadsheet 2003 (.xml)', ja: 'XML スプレッドシート 2003（.xml）' },
  html: { en: 'table of a web page (.htm, as some systems export "Excel" files)', ja: 'Webページの表（.htm。システムが「Excel」として出力するもの）' },
} as const;
type SheetJsFormat = keyof typeof SHEETJS_FORMATS;

/**
 * The sheets (as xlsxSheets chooses them) of a workbook SheetJS reads — Excel 97–2003 (.xls), binary (.xlsb),
 * OpenDocument (.ods), XML Spreadsheet 2003, a web page's table — read as xlsxSheets reads an .xlsx.
 */
function sheetJsSheets(bytes: Uint8Array, sheet: string | undefined, format: SheetJsFormat): WorkbookSheets {
  const { read, SSF } = loadSheetJs();
  let workbook: XLS.WorkBook;
  try {
    // Values only: no formulas, styles or HTML; the number formats, to tell a date from a number. A web page's
    // table is text, kept as written (raw) for the import's own readers, as a CSV file's: SheetJS would guess
    // "2024/04/01" a date at the server's local midnight, the day before on a server set to Japan's time zone,
    // and "011002" a number.
    workbook = read(bytes, { type: 'buffer', dense: true, cellNF: true, cellFormula: false, cellHTML: false, cellStyles: false, raw: format === 'html' });
  } catch (error) {
    if (/password/i.test((error as Error).message))
      throw new UnreadableWorkbook(
        'the workbook is password-protected: remove the password in Excel (File → Info → Protect Workbook) and send it again',
        'ブックにパスワードが設定されています。Excel でパスワードを解除してから取り込んでください',
      );
    throw new UnreadableWorkbook(
      `the file is not a readable ${SHEETJS_FORMATS[format].en}: save it again from Excel as .xlsx or CSV`,
      `${SHEETJS_FORMATS[format].ja}として読めません。Excel で .xlsx か CSV 形式で保存し直してください`,
    );
  }
  // Looked up among the sheets' names (Sheets is a plain object: "__proto__" is no sheet).
  // Unnamed, the sheets a person sees (Hidden 1 or 2: hidden, very hidden), as xlsxSheets reads them.
  const shown = workbook.SheetNames.filter((_, i) => !workbook.Workbook?.Sheets?.[i]?.Hidden);
  const name = sheet ?? shown[0] ?? workbook.SheetNames[0];
  const worksheet = name !== undefined && workbook.SheetNames.includes(name) ? workbook.Sheets[name] : undefined;
  if (!worksheet) throw noSuchSheet(sheet, workbook.SheetNames);
  const date1904 = Boolean(workbook.Workbook?.WBProps?.date1904);
  const rowsOf = (sheetName: string, from: XLS.WorkSheet): SheetRows => {
    // Array.from, not map: an empty row is a hole in the sparse array.
    const rows = Array.from(from['!data'] ?? [], (row, index) => ({
      line: index + 1,
      cells: Array.from(row ?? [], (cell) => xlsCellText(SSF, cell, date1904)),
      hidden: Boolean(from['!rows']?.[index]?.hidden),
    }));
    // A merged range's value down its first column, as xlsxSheets reads an .xlsx.
    for (const { s: first, e: last } of from['!merges'] ?? []) {
      for (let r = first.r + 1; r <= last.r; r += 1) {
        rows[r] ??= { line: r + 1, cells: [], hidden: false };
        rows[r].cells[first.c] = rows[first.r]?.cells[first.c] ?? '';
      }
    }
    return { name: sheetName, raw: rawRows(rows) };
  };
  return {
    first: rowsOf(name, worksheet),
    others: sheet ? [] : shown.slice(1).map((other) => rowsOf(other, workbook.Sheets[other] ?? ({} as XLS.WorkSheet))),
  };
}

/** The workbooks read (shared/spreadsheet-reader.ts parses them). */
export type WorkbookFormat = 'xlsx' | SheetJsFormat;

/** The sheets of a workbook of `format`, parsed here: what the reader process runs. */
export function workbookSheets(bytes: Uint8Array, sheet: string | undefined, format: WorkbookFormat): Promise<WorkbookSheets> | WorkbookSheets {
  return format === 'xlsx' ? xlsxSheets(bytes, sheet) : sheetJsSheets(bytes, sheet, format);
}

/** What the reader process (shared/spreadsheet-reader.ts) is given. */
export interface WorkbookRequest {
  bytes: Uint8Array;
  sheet: string | undefined;
  format: WorkbookFormat;
}

/** What it sends back, in order: each sheet's name, then its rows in slices; then `done`, or an error instead. */
export type WorkbookMessage = { sheet: string } | { rows: RawRow[] } | { done: true } | { error: { message: string; messageJa?: string; field?: string } };

/** Rows per message from the reader: receiving 2,000 holds the event loop for no measurable time, all 74,000 at once 0.26 s (measured). */
export const ROWS_PER_MESSAGE = 2_000;

/** The heap the reader may take, unless set (IMPORT_WORKBOOK_HEAP_MB): a 20 MB workbook (the largest the gateway passes) took 330 MB to read (measured). */
export const DEFAULT_WORKBOOK_HEAP_MB = 512;

/** The longest a workbook's parse may take, unless set: 20 MB took at most 4 s (measured); a file that keeps the reader busy longer is refused. */
export const DEFAULT_WORKBOOK_READ_MS = 60_000;

const tooLongToRead = () =>
  new UnreadableWorkbook(
    'the workbook took too long to read: save it again from Excel as .xlsx or CSV, or split it',
    'ブックの読み込みに時間がかかりすぎました。Excel で .xlsx か CSV 形式で保存し直すか、分けてください',
  );

const tooLargeToRead = () =>
  new UnreadableWorkbook(
    'the workbook is too large to read at once: split it into several files, or save it as CSV',
    'ブックが大きすぎて読み込めません。複数のファイルに分けるか、CSV 形式で保存してください',
  );

/** The reader process, from the compiled file, or from the TypeScript source compiled as the tests compile it. */
function startReader(heapMb: number): ChildProcess {
  const typescript = extname(__filename) === '.ts';
  return fork(join(__dirname, `spreadsheet-reader${extname(__filename)}`), [], {
    execArgv: [...(typescript ? ['--require', projectPath('tests', 'helpers', 'register-ts.js')] : []), `--max-old-space-size=${heapMb}`],
    // Structured clone, as between threads: the file's bytes and the rows go as they are, not as JSON.
    serialization: 'advanced',
    // V8's report of a heap run out is no log line of ours; nothing else is written there.
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
}

/**
 * A workbook's sheets, parsed in a process of its own: parsing is one synchronous call of its library, which
 * held the service's event loop — every other request of the subgraph — 3.3 s for a 15 MB .xls, 2.0 s for an
 * .ods of the same rows, 0.9 s for a 2 MB .xlsx (measured). The rows come back a slice at a time. A process, not
 * a worker thread: a thread running out of its heap can abort the whole service (nodejs/node#47224), a process
 * only itself — the workbook is refused as too large and the service goes on.
 */
async function readWorkbookApart(request: WorkbookRequest, limits: { heapMb: number; timeoutMs: number }): Promise<WorkbookSheets> {
  const reader = startReader(limits.heapMb);
  const sheets: SheetRows[] = [];
  let timer: NodeJS.Timeout | undefined;
  return new Promise<WorkbookSheets>((resolve, reject) => {
    timer = setTimeout(() => reject(tooLongToRead()), limits.timeoutMs);
    reader.on('message', (message: WorkbookMessage) => {
      if ('sheet' in message) sheets.push({ name: message.sheet, raw: [] });
      else if ('rows' in message) for (const row of message.rows) sheets[sheets.length - 1].raw.push(row);
      else if ('done' in message) resolve({ first: sheets[0], others: sheets.slice(1) });
      else {
        const { message: reason, messageJa, field } = message.error;
        reject(messageJa === undefined ? new Error(reason) : new UnreadableWorkbook(reason, messageJa, field));
      }
    });
    reader.on('error', reject);
    // After done or an error this changes nothing. Before: V8 aborts a process out of heap (SIGABRT, or 134).
    reader.on('exit', (code, signal) =>
      reject(signal === 'SIGABRT' || code === 134 ? tooLargeToRead() : new Error(`the workbook reader stopped (exit code ${code}, signal ${signal})`)),
    );
    reader.send(request);
  }).finally(() => {
    clearTimeout(timer);
    // Still running: out of time, or it sent an error and has yet to exit.
    if (reader.exitCode === null && reader.signalCode === null) reader.kill('SIGKILL');
  });
}

/** How an uploaded file was read, for the report. */
export interface ReadFile {
  table: Table;
  format: 'csv' | WorkbookFormat;
  encoding?: CsvEncoding;
}

/** A file no import reads (a PDF, a Word document, another archive): refused saying what it is and what to send. */
const notATable = (en: string, ja: string) =>
  new UnreadableFile(`${en}: open it in Excel and save the table as .xlsx or CSV`, `${ja}。Excel で表を開き、.xlsx か CSV 形式で保存して送ってください`);

/** What a file is by its content, whatever its name: a workbook's format, CSV (any other text), or refused. */
function formatOf(bytes: Uint8Array): ReadFile['format'] {
  if (isCompoundFile(bytes)) return 'xls';
  if (isZipArchive(bytes)) {
    // Part names are stored as they are in the archive's headers.
    const holds = (name: string) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(name, 0, 'latin1');
    if (holds('xl/workbook.bin')) return 'xlsb';
    if (holds('application/vnd.oasis.opendocument.spreadsheet')) return 'ods';
    if (holds('word/document.xml')) throw notATable('the file is a Word document (.docx), not a workbook', 'Word 文書（.docx）は取り込めません');
    return 'xlsx';
  }
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096))
    .toString('latin1')
    .replace(/^\xef\xbb\xbf/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('%pdf-')) throw notATable('the file is a PDF, which holds no table to read', 'PDF ファイルは取り込めません');
  if (head.startsWith('<?xml') && head.includes('urn:schemas-microsoft-com:office:spreadsheet')) return 'xml';
  if (head.startsWith('<?xml') && head.includes('opendocument.spreadsheet')) return 'ods'; // a flat .fods
  if (/^<(?:!doctype html|html|table|meta)[\s>]/.test(head)) return 'html';
  return 'csv';
}

/**
 * An import file's bytes as a table, by their content whatever the file's name: .xlsx; .xls, .xlsb, .ods, XML
 * Spreadsheet 2003 or a web page's table (which systems export as ".xls"); or text — comma- or tab-separated, in
 * UTF-8, Shift_JIS or UTF-16 (decoded strictly; shared/csv.ts). A PDF or a Word document is refused as such.
 */
export async function readImportFile(
  bytes: Uint8Array,
  /** `workbookHeapMb`, `workbookReadMs`: what the process parsing a workbook may take (IMPORT_WORKBOOK_HEAP_MB; 60 s). */
  options: { encoding?: CsvEncoding; sheet?: string; workbookHeapMb?: number; workbookReadMs?: number } = {},
): Promise<ReadFile> {
  const format = formatOf(bytes);
  const workbook = format === 'csv' ? null : format;
  // A choice that does not fit the file is refused, never ignored: the caller meant something it cannot do.
  if (workbook && options.encoding !== undefined) {
    const name = workbook === 'xlsx' ? { en: 'Excel workbook (.xlsx)', ja: 'Excelブック（.xlsx）' } : SHEETJS_FORMATS[workbook];
    throw new UnreadableFile(
      `the file (${name.en}) carries its own encoding: leave out encoding (it is for CSV files)`,
      `ファイルは${name.ja}で、文字コードの指定は要りません。encoding は CSV ファイルのときだけ指定してください`,
      'encoding',
    );
  }
  if (!workbook && options.sheet !== undefined) {
    throw new UnreadableFile(
      'the file is CSV, which has no sheets: leave out sheet (it chooses a sheet of a workbook)',
      'ファイルは CSV で、シートがありません。sheet はブック（.xlsx・.xls など）でシートを選ぶときだけ指定してください',
      'sheet',
    );
  }
  if (workbook) {
    const sheets = await readWorkbookApart(
      { bytes, sheet: options.sheet, format: workbook },
      { heapMb: options.workbookHeapMb ?? DEFAULT_WORKBOOK_HEAP_MB, timeoutMs: options.workbookReadMs ?? DEFAULT_WORKBOOK_READ_MS },
    );
    return { table: tableOfSheets(sheets), format: workbook };
  }
  const decoded = decodeCsv(bytes, options.encoding);
  return { table: await readCsvInTurns(decoded.text), format: 'csv', encoding: decoded.encoding };
}

/** One column of an .xlsx export: its key (the CSV header), Japanese name and kind of cell. */
export interface SheetColumn {
  key: string;
  ja: string;
  /** Dates are written as date cells; everything else as the value's own type (text stays text). */
  date?: boolean;
  /** The values a cell may take, offered as a drop-down (Excel warns on another, and lets it be). */
  choices?: readonly string[];
}

/** The rows a drop-down is set on: the data and room to add to it. */
const CHOICE_ROWS = 10_000;

/**
 * Streams an .xlsx export: row 1 the Japanese names, row 2 the English keys (what the CSV header and
 * Power Query use), both frozen; codes and other text as text cells (`011002` keeps its zero), dates as
 * date cells, numbers and booleans as such. Text is never a formula: a cell starting with `=` is text.
 */
export function xlsxWriter(stream: Writable, sheetName: string, columns: readonly SheetColumn[]) {
  const workbook = new (loadExcelJs().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  worksheet.columns = columns.map((c) => ({ key: c.key, width: Math.min(40, Math.max(10, c.ja.length * 2 + 2, c.key.length + 2)) }));
  worksheet.addRow(columns.map((c) => c.ja)).commit();
  const keys = worksheet.addRow(columns.map((c) => c.key));
  keys.font = { color: { argb: 'FF808080' } };
  keys.commit();
  columns.forEach((c, i) => {
    const list = c.choices?.join(',');
    // Excel's list of values is comma-separated and at most 255 characters: a longer one, or one with a comma, gets none.
    if (!list || list.length > 255 || c.choices!.some((choice) => choice.includes(','))) return;
    const letter = worksheet.getColumn(i + 1).letter;
    (worksheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(
      `${letter}3:${letter}${CHOICE_ROWS}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list}"`],
        showErrorMessage: true,
        errorStyle: 'warning',
        errorTitle: '一覧にない値',
        error: '一覧から選んでください',
      },
    );
  });
  return {
    add(row: Record<string, string | number | boolean | null | undefined>): void {
      const added = worksheet.addRow(
        columns.map((c) => {
          const value = row[c.key];
          if (value === null || value === undefined || value === '') return null;
          if (c.date && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
          // A text cell is never a formula; only the apostrophe a reader takes off needs its mark, as in CSV.
          return typeof value === 'string' ? apostrophesKept(value) : value;
        }),
      );
      columns.forEach((c, i) => {
        if (c.date) added.getCell(i + 1).numFmt = 'yyyy-mm-dd';
      });
      added.commit();
    },
    async end(): Promise<void> {
      worksheet.commit();
      await workbook.commit();
    },
  };
}
