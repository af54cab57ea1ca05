/**
 * Excel workbooks (.xlsx) in and out, with exceljs. In: a sheet read as the same table a CSV file gives
 * (header row, one row per line, each cell as text), so an .xlsx import goes through the very checks and
 * report of a CSV one; date cells become YYYY-MM-DD, numbers their digits (a code Excel stored as a
 * number is then repaired like the CSV one). Out: codes stay text cells, dates are date cells, a row of
 * Japanese names above the English keys, both frozen.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { type CsvEncoding, type RawRow, type Table, UnreadableFile, decodeCsv, readCsv, tableFrom } from './csv';

/** An .xlsx file is a ZIP archive: it starts with "PK\x03\x04". */
export function isXlsx(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** A workbook that cannot be read, or has no such sheet: refused with a reason for the person. */
export class UnreadableWorkbook extends UnreadableFile {}

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** A cell's value as the text a CSV file would hold. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoDate(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return String(value.text);
  if ('error' in value) return String(value.error);
  return '';
}

/** A sheet (the one named, else the first) as a table, as a CSV file is read (shared/csv.ts tableFrom): cells trimmed. */
export async function readXlsx(bytes: Uint8Array, sheet?: string): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new UnreadableWorkbook('the file is not a readable .xlsx workbook (save it again from Excel as .xlsx)', 'Excelブック（.xlsx）として読めません');
  }
  const worksheet = sheet ? workbook.getWorksheet(sheet) : workbook.worksheets[0];
  if (!worksheet) {
    const names = workbook.worksheets.map((w) => w.name).join(', ');
    throw new UnreadableWorkbook(`the workbook has no sheet named "${sheet}" (its sheets: ${names})`, `シート「${sheet}」がありません（シート: ${names}）`);
  }
  const raw: RawRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value).trim();
    });
    const filled = Array.from(cells, (c) => c ?? '');
    if (filled.some((c) => c !== '')) raw.push({ line, cells: filled });
  });
  return tableFrom(raw);
}

/** How an uploaded file was read, for the report. */
export interface ReadFile {
  table: Table;
  format: 'csv' | 'xlsx';
  encoding?: CsvEncoding;
}

/** An import file's bytes as a table: .xlsx (by its content, whatever its name) or CSV in UTF-8 / Shift_JIS (strict). */
export async function readImportFile(bytes: Uint8Array, options: { encoding?: CsvEncoding; sheet?: string } = {}): Promise<ReadFile> {
  if (isXlsx(bytes)) return { table: await readXlsx(bytes, options.sheet), format: 'xlsx' };
  const decoded = decodeCsv(bytes, options.encoding);
  return { table: readCsv(decoded.text), format: 'csv', encoding: decoded.encoding };
}

/** One column of an .xlsx export: its key (the CSV header), Japanese name and kind of cell. */
export interface SheetColumn {
  key: string;
  ja: string;
  /** Dates are written as date cells; everything else as the value's own type (text stays text). */
  date?: boolean;
}

/**
 * Streams an .xlsx export: row 1 the Japanese names, row 2 the English keys (what the CSV header and
 * Power Query use), both frozen; codes and other text as text cells (`011002` keeps its zero), dates as
 * date cells, numbers and booleans as such. Text is never a formula: a cell starting with `=` is text.
 */
export function xlsxWriter(stream: Writable, sheetName: string, columns: readonly SheetColumn[]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const worksheet = workbook.addWorksheet(sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 2 }] });
  worksheet.columns = columns.map((c) => ({ key: c.key, width: Math.min(40, Math.max(10, c.ja.length * 2 + 2, c.key.length + 2)) }));
  worksheet.addRow(columns.map((c) => c.ja)).commit();
  const keys = worksheet.addRow(columns.map((c) => c.key));
  keys.font = { color: { argb: 'FF808080' } };
  keys.commit();
  return {
    add(row: Record<string, string | number | boolean | null | undefined>): void {
      const added = worksheet.addRow(
        columns.map((c) => {
          const value = row[c.key];
          if (value === null || value === undefined || value === '') return null;
          if (c.date && typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
          return value;
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
