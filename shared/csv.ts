/** CSV reading and writing for imports and sample data: UTF-8, header row, RFC 4180 quoting. */
import { parse as parseStream } from 'csv-parse';
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

/** A file read: its header and rows (from CSV, or from a sheet of a workbook: shared/spreadsheet.ts). */
export interface Table {
  columns: string[];
  rows: CsvRow[];
  /** The header's line: 1, unless rows above it (a title) were left out. */
  headerLine?: number;
  /** Every row of the file with a value, as read: to take a lower row as the header (shared/csv-import.ts). */
  raw?: RawRow[];
  /** A workbook's sheet this table is (its name), when no sheet was named and the workbook has others. */
  sheet?: string;
  /** Those other sheets, in order: one holds the header when this one (a cover sheet, 表紙) does not. */
  otherSheets?: Array<{ name: string; table: Table }>;
}

/** A row of a file as read: its line and its cells, trimmed. */
export interface RawRow {
  line: number;
  cells: string[];
  /** A workbook's row a person does not see (hidden by a filter or by hand): read all the same. */
  hidden?: true;
}

/**
 * The table whose header is `raw[header]` (rows above it left out). What Excel leaves in a sheet it saves
 * is not data: rows whose every cell is empty are skipped (readers leave them out of `raw`), and so are
 * unnamed columns at the end of the header whose every cell is empty (`a,b,,`). A value right of the
 * header's last named column is kept under an unnamed column, for the import to report, never dropped.
 */
export function tableFrom(raw: RawRow[], header = 0): Table {
  if (raw.length > MAX_FILE_ROWS) throw new TooManyRows(raw[MAX_FILE_ROWS].line);
  if (raw.length <= header) return { columns: [], rows: [], headerLine: 1, raw };
  const body = raw.slice(header + 1);
  // Up to each row's last filled cell (a workbook's formatted empty cells far right are no columns); a loop,
  // not Math.max(...rows): spread over some 130,000 rows overflows the stack.
  const filled = (cells: readonly string[]) => cells.findLastIndex((cell) => cell !== '') + 1;
  let [widest, width] = [raw[header], filled(raw[header].cells)];
  for (const row of body) if (filled(row.cells) > width) [widest, width] = [row, filled(row.cells)];
  if (width > MAX_FILE_COLUMNS) throw new TooWide(widest.line);
  for (const row of raw) {
    const long = row.cells.findIndex((cell) => cell.length > MAX_CELL_CHARACTERS);
    if (long !== -1) throw new TooLongCell(row.line, long, row.cells[long].length);
  }
  const columns = Array.from({ length: width }, (_, i) => raw[header].cells[i] ?? '');
  while (columns.length > 0 && columns[columns.length - 1] === '' && body.every(({ cells }) => !cells[columns.length - 1])) columns.pop();
  const rows = body.map(({ line, cells }) => ({ line, values: Object.fromEntries(columns.map((column, i) => [column, unneutralised(cells[i] ?? '')])) }));
  return { columns, rows, headerLine: raw[header].line, raw };
}

/** A file that cannot be read as a table (not text, not CSV, not a workbook): refused, with a reason for the person. */
export class UnreadableFile extends Error {
  constructor(
    message: string,
    readonly messageJa: string,
    /** What to change: the file, or a parameter that does not fit it (`sheet`, `encoding`). */
    readonly field = 'file',
  ) {
    super(message);
  }
}

/**
 * The most rows (besides empty ones) a file may have: a subgraph holds a file whole while it checks it, at
 * about 3 KB a row (measured: 103,000 rows took 314 MB), and the largest real one, every consultation office
 * of the country, is 11,500 rows. Reading stops at the first row over.
 */
export const MAX_FILE_ROWS = 100_000;

/** The most columns a file may have: every row is read into one value per column (imports take at most 20 or so). */
export const MAX_FILE_COLUMNS = 1_000;

/**
 * The most characters a cell may hold: Excel's own limit (32,767), so no file saved from Excel is refused by it. A
 * cell over it was not made in Excel (a broken export, a file made to be slow to read): every value of every column
 * is far shorter (notes, the longest, take 10,000), and each is read by rules whose work grows with its length.
 */
export const MAX_CELL_CHARACTERS = 32_767;

/** Excel's name of the column at `index` (0: A, 26: AA). */
function columnLetters(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

/** A cell of more than MAX_CELL_CHARACTERS: the file is refused, naming the cell. */
export class TooLongCell extends UnreadableFile {
  constructor(
    readonly line: number,
    column: number,
    characters: number,
  ) {
    const cell = `${columnLetters(column)}${line}`;
    const count = characters.toLocaleString('en');
    const max = MAX_CELL_CHARACTERS.toLocaleString('en');
    super(
      `cell ${cell} (line ${line}, column ${column + 1}) holds ${count} characters; a cell holds at most ${max} (Excel's own limit): is it the right file?`,
      `${cell} のセル（${line}行目・${column + 1}列目）が ${count} 文字あります。1つのセルは ${max} 文字まで（Excel の上限）です。正しいファイルか確認してください`,
    );
  }
}

/** A row of more than MAX_FILE_COLUMNS cells (a file saved with a cell in column ALN…, or made to be too wide to read). */
export class TooWide extends UnreadableFile {
  constructor(readonly line: number) {
    super(
      `line ${line} has more than ${MAX_FILE_COLUMNS.toLocaleString('en')} columns: keep the import's columns and delete the others`,
      `${line}行目の列が ${MAX_FILE_COLUMNS.toLocaleString('en')} 列を超えています。取込の列だけを残して、ほかの列を削除してください`,
    );
  }
}

/** A file of more than MAX_FILE_ROWS rows: refused before it is all read, naming the line where reading stopped. */
export class TooManyRows extends UnreadableFile {
  constructor(readonly line: number) {
    super(
      `the file has more than ${MAX_FILE_ROWS.toLocaleString('en')} rows (reading stopped at line ${line}): split it into smaller files, which import and revert each on its own`,
      `行数が ${MAX_FILE_ROWS.toLocaleString('en')} 行を超えています（${line}行目で読むのをやめました）。ファイルを分けて取り込んでください（分けたファイルごとに取り込み・取り消しができます）`,
    );
  }
}

/** Text that is not CSV (an unclosed quote, say): refused, naming the line where reading stopped. */
export class MalformedCsv extends UnreadableFile {
  constructor(
    readonly line: number,
    detail: string,
  ) {
    super(
      `the file is not valid CSV at line ${line}: ${detail}`,
      `${line}行目で CSV として読めなくなりました（引用符 " の閉じ忘れや列の区切りを確認してください）`,
    );
  }
}

/**
 * The file's field separator: a tab when its first lines have more tabs than commas (Excel's "テキスト（タブ
 * 区切り）" and "Unicode テキスト"), else a comma.
 */
function delimiterOf(text: string): ',' | '\t' {
  const start = text.split('\n', 10).join('\n');
  const count = (character: string) => start.split(character).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

/** How a file is parsed: the same for readCsv and readCsvInTurns. */
const parseOptions = (text: string) => ({
  delimiter: delimiterOf(text),
  bom: true,
  skip_empty_lines: true,
  skip_records_with_empty_values: true,
  relax_column_count: true,
  info: true,
  trim: true,
  // One row past the limit, for tableFrom to refuse: the rest is never read.
  to: MAX_FILE_ROWS + 1,
});

type ParsedRecord = { record: string[]; info: { lines: number } };

const tableOfRecords = (records: ParsedRecord[]) => tableFrom(records.map(({ record, info }) => ({ line: info.lines, cells: record })));

/**
 * Parses a CSV file (or a tab-separated one) with a header row (the first; see tableFrom); throws
 * MalformedCsv, with the line number, when the file is not CSV. Rows may have fewer or more cells than the
 * header (a title row above it has one).
 */
export function readCsv(text: string): Table {
  let records: ParsedRecord[];
  try {
    records = parse(text, parseOptions(text)) as unknown as ParsedRecord[];
  } catch (error) {
    throw new MalformedCsv((error as { lines?: number }).lines ?? 0, (error as Error).message);
  }
  return tableOfRecords(records);
}

/** Lets the event loop run: other requests are answered before the work goes on. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Characters parsed between two turns of the event loop (readCsvInTurns): some 20 ms of parsing. */
const CHARACTERS_PER_TURN = 256 * 1024;

/**
 * readCsv for a service: the same table, parsed a slice at a time with the event loop let run between slices,
 * so that a 20 MB file (1.3 s of parsing) does not hold up the service's other requests meanwhile.
 */
export async function readCsvInTurns(text: string): Promise<Table> {
  const parser = parseStream(parseOptions(text));
  const records: ParsedRecord[] = [];
  parser.on('data', (record: ParsedRecord) => records.push(record));
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  parsed.catch(() => undefined); // awaited below
  let failed = false;
  parser.once('error', () => (failed = true));
  for (let at = 0; at < text.length && !failed;) {
    // Never between the two halves of a character outside the BMP (𠮷): each slice is written as UTF-8.
    let end = Math.min(at + CHARACTERS_PER_TURN, text.length);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end += 1;
    parser.write(text.slice(at, end));
    at = end;
    await nextTurn();
  }
  if (!failed) parser.end();
  try {
    await parsed;
  } catch (error) {
    throw new MalformedCsv((error as { lines?: number }).lines ?? 0, (error as Error).message);
  }
  return tableOfRecords(records);
}

/** A text that Excel would run as a formula (=, +, -, @) or that starts with a tab or carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text whose leading apostrophe a file's reader takes off (unneutralised): one or more before a formula's start. */
const MARKED_FORMULA = /^'+[=+\-@\t\r]/;

/**
 * A cell as it was before csvCell neutralised it (`'=…` → `=…`): a file this API wrote, sent back — or
 * opened in Excel and saved as a workbook —, reads as what was stored. Only before a character that starts a
 * formula; any other `'` is the cell's own.
 */
function unneutralised(cell: string): string {
  return MARKED_FORMULA.test(cell) ? cell.slice(1) : cell;
}

/**
 * A stored text that itself starts with apostrophes before a formula's start (`'=1`, as someone typed it),
 * given one more, which reading the file back takes off: `''=1` → `'=1`. Any other text as it is.
 */
export const apostrophesKept = (text: string) => (MARKED_FORMULA.test(text) ? `'${text}` : text);

/**
 * One CSV cell (RFC 4180 quoting). Text that Excel would read as a formula is neutralised with a
 * leading apostrophe (OWASP's advice for CSV injection): `=HYPERLINK(…)` is shown, never run. Numbers
 * are written as they are, negative ones included.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string') text = FORMULA_START.test(text) ? `'${text}` : apostrophesKept(text);
  // A tab quoted too: a file read back with more tabs than commas at its start is read as tab-separated.
  return /[",\n\r\t]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function writeCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string | number | boolean | null>>): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/**
 * The encodings a CSV file may come in: UTF-8 (with or without BOM), Shift_JIS as Excel saves it on Japanese
 * Windows (CP932), or UTF-16 with its BOM (Excel's "Unicode テキスト", the one text format that keeps every character).
 */
export type CsvEncoding = 'utf-8' | 'shift_jis' | 'utf-16le' | 'utf-16be';

/** What an encoding is called in messages to people. */
export const ENCODING_NAMES: Readonly<Record<CsvEncoding, string>> = {
  'utf-8': 'UTF-8',
  shift_jis: 'Shift_JIS (CP932)',
  'utf-16le': 'UTF-16',
  'utf-16be': 'UTF-16',
};

/** A file that is not text in its encoding: refused, naming the first line that does not decode. */
export class UndecodableFile extends UnreadableFile {
  constructor(
    readonly line: number,
    readonly encoding: CsvEncoding,
  ) {
    super(
      `line ${line} is not valid ${ENCODING_NAMES[encoding]}: save the file as "CSV UTF-8" or "CSV (コンマ区切り)" from Excel, or give its encoding`,
      `${line}行目が ${ENCODING_NAMES[encoding].replace(' (CP932)', '')} として読めません（Excel で「CSV UTF-8」または「CSV (コンマ区切り)」として保存し直すか、文字コードを指定してください）`,
    );
  }
}

const decoder = (encoding: CsvEncoding) => new TextDecoder(encoding, { fatal: true });

/**
 * The first line (1-based) of `bytes` that does not decode. In UTF-8 and Shift_JIS, LF (0x0A) never occurs
 * inside a character, so lines are found in the bytes; in UTF-16, in the text.
 */
function firstBadLine(bytes: Uint8Array, encoding: CsvEncoding): number {
  if (encoding.startsWith('utf-16')) {
    const text = new TextDecoder(encoding).decode(bytes);
    return text.slice(0, text.indexOf('\uFFFD')).split('\n').length;
  }
  let start = 0;
  for (let line = 1; ; line += 1) {
    const end = bytes.indexOf(0x0a, start);
    try {
      decoder(encoding).decode(bytes.subarray(start, end === -1 ? bytes.length : end));
    } catch {
      return line;
    }
    if (end === -1) return line;
    start = end + 1;
  }
}

/**
 * A CSV file's bytes as text: UTF-16 when it starts with UTF-16's BOM (certain: neither UTF-8 nor
 * Shift_JIS text can start so, so it wins over a declared encoding), else in the encoding declared, else
 * UTF-8 when it has a BOM or decodes as UTF-8, else Shift_JIS (CP932) when it decodes as that. Decoding is
 * strict: a byte sequence that is not a character is refused (UndecodableFile), never turned into U+FFFD.
 */
export function decodeCsv(bytes: Uint8Array, declared?: CsvEncoding): { text: string; encoding: CsvEncoding } {
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : undefined;
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const attempt = (encoding: CsvEncoding) => {
    try {
      return { text: decoder(encoding).decode(bytes), encoding };
    } catch {
      return null;
    }
  };
  if (utf16 || declared || bom) {
    const encoding = utf16 ?? declared ?? 'utf-8';
    const decoded = attempt(encoding);
    if (!decoded) throw new UndecodableFile(firstBadLine(bytes, encoding), encoding);
    return decoded;
  }
  const decoded = attempt('utf-8') ?? attempt('shift_jis');
  if (!decoded) throw new UndecodableFile(firstBadLine(bytes, 'utf-8'), 'utf-8');
  return decoded;
}
