/** CSV reading and writing for imports and sample data: UTF-8, header row, RFC 4180 quoting. */
import { parse } from 'csv-parse/sync';

export interface CsvRow {
  /** Line number in the file (the header is line 1). */
  line: number;
  values: Record<string, string>;
}

/** Parses a CSV file with a header row; throws with the line number when the file is malformed. */
export function readCsv(text: string): { columns: string[]; rows: CsvRow[] } {
  const records = parse(text, { bom: true, skip_empty_lines: true, info: true, trim: true }) as unknown as Array<{
    record: string[];
    info: { lines: number };
  }>;
  if (records.length === 0) return { columns: [], rows: [] };
  const columns = records[0].record;
  const rows = records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((column, i) => [column, record[i] ?? ''])),
  }));
  return { columns, rows };
}

/** A text that Excel would run as a formula (=, +, -, @) or that starts with a tab or carriage return. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180 quoting). Text that Excel would read as a formula is neutralised with a
 * leading apostrophe (OWASP's advice for CSV injection): `=HYPERLINK(…)` is shown, never run. Numbers
 * are written as they are, negative ones included.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function writeCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, string | number | boolean | null>>): string {
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvCell(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
