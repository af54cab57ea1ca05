/**
 * The machinery of every CSV import: all or nothing (every row is checked first; one bad row rejects
 * the file, with a report of every bad row: line, column, reason), and idempotent (rows are matched on
 * their id column; a row identical to what is stored changes nothing). One transaction per file.
 * Each subgraph supplies how to parse a row and how to read and write its records.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource, EntityManager } from 'typeorm';
import { type CsvRow, readCsv } from './csv';
import { loadOncePerVersion } from './data-import';
import { recordHistory } from './history';
import type { Logger } from './log';
import { uuidFromKey } from './ids';
import { repairMunicipalityCode, repairPrefectureCode } from './codes';
import { readSpreadsheetDate } from './spreadsheet-dates';
import { japaneseAliases } from './japanese-columns';
import { unstorableCharacter } from './input-rules';
import type { FieldProblem } from './problems';

/** Separator inside list cells (e.g. municipality codes). */
export const LIST_SEPARATOR = ';';

export interface ImportOptions {
  /** Check only; write nothing. */
  dryRun?: boolean;
  /** Who runs the import, for the history (e.g. `cli:alice`, `sample`). */
  actor?: string;
  /** The prefectures whose records the importer may write; undefined for any (admins, the sample). */
  prefectures?: string[];
}

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  kind: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  problems: RowProblem[];
  /** Cells repaired on the way in (e.g. a municipality code whose leading zero Excel dropped): the rows import as repaired. */
  warnings: RowProblem[];
  dryRun: boolean;
  /** True when the rows were written (valid file, not a dry run). */
  applied: boolean;
}

/** Reads cells of one row, collecting a problem per bad cell. */
/** The CSV column of a record field a rule names: `municipalityCodes[1]` → `municipality_codes`. */
export function columnOf(field: string): string {
  return field.replace(/\[\d+\]$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export class RowReader {
  constructor(
    private readonly row: CsvRow,
    private readonly problems: RowProblem[],
    /** Where a cell was repaired (a code Excel mangled): the row still imports, and the report says what was changed. */
    private readonly warnings: RowProblem[] = [],
  ) {}

  private repaired(column: string, repairs: readonly string[]): void {
    for (const reason of repairs) this.warnings.push({ line: this.row.line, column, reason });
  }

  /** A prefecture code; "1" (Excel's number) is read as "01", with a warning. */
  prefectureCode(column: string): string {
    const { code, repairs } = repairPrefectureCode(this.text(column));
    this.repaired(column, repairs);
    return code;
  }

  /** A municipality code, repaired where certain (shared/codes.ts, with a warning); its validity is checked by the caller's rules. */
  municipalityCode(column: string, required = true): string {
    const raw = this.text(column, required);
    if (raw === '') return raw;
    const { code, repairs } = repairMunicipalityCode(raw);
    this.repaired(column, repairs);
    return code;
  }

  /** The `;`-separated municipality codes of a cell, each repaired where certain. */
  municipalityCodes(column: string, required = true): string[] {
    return this.list(column, required).map((raw) => {
      const { code, repairs } = repairMunicipalityCode(raw);
      this.repaired(column, repairs);
      return code;
    });
  }

  private problem(column: string, reason: string): void {
    this.problems.push({ line: this.row.line, column, reason });
  }

  text(column: string, required = true): string {
    const value = this.row.values[column] ?? '';
    if (required && value === '') this.problem(column, 'is required');
    // What PostgreSQL cannot store is refused here, as in the API (shared/input-rules.ts).
    const bad = unstorableCharacter(value);
    if (bad)
      this.problem(
        column,
        `contains ${bad.kind === 'NUL' ? 'a NUL character (U+0000)' : 'a broken character (a lone surrogate)'} at character ${bad.position}`,
      );
    return value;
  }

  optionalText(column: string): string | null {
    return this.text(column, false) || null;
  }

  integer(column: string): number {
    const value = this.text(column);
    if (value !== '' && !/^\d{1,3}$/.test(value)) this.problem(column, `must be a whole number from 0 to 999, got "${value}"`);
    return Number(value);
  }

  boolean(column: string): boolean {
    const value = this.text(column).toLowerCase();
    if (['true', '1', 'yes', 'y', '有', 'あり', '○'].includes(value)) return true;
    if (['false', '0', 'no', 'n', '無', 'なし', '×', ''].includes(value)) {
      if (value === '') this.problem(column, 'must be true or false');
      return false;
    }
    this.problem(column, `must be true or false, got "${value}"`);
    return false;
  }

  /** One of `allowed`, or its Japanese label (`labels`, e.g. 単独設置, or the start of one that names a single value, e.g. 単独). */
  oneOf<T extends string>(column: string, allowed: readonly T[], labels?: Readonly<Record<T, string>>): T {
    const value = this.text(column);
    if (value === '' || allowed.includes(value as T)) return value as T;
    const byLabel = labels ? allowed.filter((v) => labels[v] === value || (value.length >= 2 && labels[v].startsWith(value))) : [];
    if (byLabel.length === 1) return byLabel[0];
    const choices = allowed.map((v) => (labels ? `${v} (${labels[v]})` : v)).join(', ');
    this.problem(column, `must be one of ${choices}, got "${value}"`);
    return value as T;
  }

  /** The items of a `;`-separated cell. */
  list(column: string, required = true): string[] {
    return this.text(column, required)
      .split(LIST_SEPARATOR)
      .map((v) => v.trim())
      .filter(Boolean);
  }

  listOf<T extends string>(column: string, allowed: readonly T[], required = true): T[] {
    const items = this.list(column, required);
    for (const item of items) {
      if (!allowed.includes(item as T)) this.problem(column, `unknown value "${item}" (allowed: ${allowed.join(', ')})`);
    }
    return items as T[];
  }

  /** A date as spreadsheets write it (2019-07-01, 2019/7/1, 令和元年7月1日, R1.7.1, …: shared/spreadsheet-dates.ts), as YYYY-MM-DD. */
  date(column: string, required = true): string | null {
    const value = this.text(column, required);
    if (value === '') return null;
    const read = readSpreadsheetDate(value);
    if ('reason' in read) {
      this.problem(column, read.reason);
      return value;
    }
    return read.date;
  }

  report(field: string, reason: string): void {
    this.problem(columnOf(field), reason);
  }

  /** The problems a rule found in the record read from this row, but none for a column whose cell was already refused. */
  reportRuleProblems(problems: readonly FieldProblem[]): void {
    const already = new Set(this.problems.filter((p) => p.line === this.row.line).map((p) => p.column));
    for (const p of problems) if (!already.has(columnOf(p.field))) this.report(p.field, p.reason);
  }
}

/** Every expected column present; none but the expected and the optional ones. */
export function checkHeader(columns: string[], expected: readonly string[], problems: RowProblem[], optional: readonly string[] = []): boolean {
  const missing = expected.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !expected.includes(c) && !optional.includes(c));
  for (const c of missing) problems.push({ line: 1, column: c, reason: 'column is missing' });
  for (const c of unknown) problems.push({ line: 1, column: c, reason: 'unknown column' });
  return missing.length === 0 && unknown.length === 0;
}

export function checkUniqueIds(rows: CsvRow[], columns: readonly string[], problems: RowProblem[]): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = JSON.stringify(columns.map((c) => row.values[c]));
    if (seen.has(id)) problems.push({ line: row.line, column: columns.join('+'), reason: `repeats the id of line ${seen.get(id)}` });
    else seen.set(id, row.line);
  }
}

/** A report of nothing read yet, for an importer to fill in. */
export function emptyReport(kind: string, options: ImportOptions): ImportReport {
  return { kind, rows: 0, inserted: 0, updated: 0, unchanged: 0, problems: [], warnings: [], dryRun: Boolean(options.dryRun), applied: false };
}

/** The file with each aliased header renamed to its column (so problems name the column). */
function withCanonicalHeader(parsed: ReturnType<typeof readCsv>, aliases: Readonly<Record<string, string>>): ReturnType<typeof readCsv> {
  const canonical = (column: string) => aliases[column] ?? column;
  return {
    columns: parsed.columns.map(canonical),
    rows: parsed.rows.map((row) => ({ line: row.line, values: Object.fromEntries(Object.entries(row.values).map(([c, v]) => [canonical(c), v])) })),
  };
}

/** Everything but identity and version, to tell whether an imported row changes a stored one. */
function sameContent<T extends { id: string; version: number }>(a: T, b: T): boolean {
  const strip = ({ id: _id, version: _version, ...rest }: T) => JSON.stringify(rest, Object.keys(rest).sort());
  return strip(a) === strip(b);
}

export async function importRows<T extends { id: string; externalId: string | null; version: number }>(
  db: DataSource | EntityManager,
  kind: string,
  csv: string,
  spec: {
    columns: readonly string[];
    /** Columns a file may leave out. */
    optionalColumns?: readonly string[];
    /** Other names a header may use for a column → the column, besides the Japanese ones every import takes. */
    headerAliases?: Readonly<Record<string, string>>;
    /** The column(s) that identify a record across imports. */
    idColumns: readonly string[];
    /** Reads a row; bad cells go to `problems` (the file is refused), repairs to `warnings` (reported). */
    parse: (row: CsvRow, problems: RowProblem[], warnings: RowProblem[]) => T;
    existing: (manager: EntityManager, externalIds: string[]) => Promise<T[]>;
    /** Checks that need the database (e.g. that a referenced record exists); problems reject the file. */
    verify?: (manager: EntityManager, rows: Array<{ line: number; record: T }>, options: ImportOptions) => Promise<RowProblem[]>;
    /** The prefecture a record belongs to, to keep an importer to its own (null: `verify` checks it). */
    prefectureOf?: (record: T) => string | null;
    write: (manager: EntityManager, inserted: T[], updated: T[]) => Promise<void>;
  },
  options: ImportOptions,
): Promise<ImportReport> {
  const report = emptyReport(kind, options);
  let parsed: ReturnType<typeof readCsv>;
  try {
    parsed = readCsv(csv);
  } catch (error) {
    report.problems.push({ line: (error as { lines?: number }).lines ?? 0, column: '', reason: (error as Error).message });
    return report;
  }
  report.rows = parsed.rows.length;
  // Japanese column names (shared/japanese-columns.ts) besides the English ones; an import's own aliases win.
  parsed = withCanonicalHeader(parsed, { ...japaneseAliases([...spec.columns, ...(spec.optionalColumns ?? [])]), ...spec.headerAliases });
  if (!checkHeader(parsed.columns, spec.columns, report.problems, spec.optionalColumns)) return report;
  checkUniqueIds(parsed.rows, spec.idColumns, report.problems);
  const records = parsed.rows.map((row) => spec.parse(row, report.problems, report.warnings));
  if (options.prefectures && spec.prefectureOf) {
    records.forEach((record, i) => {
      const prefecture = spec.prefectureOf!(record);
      if (prefecture && !options.prefectures!.includes(prefecture)) {
        report.problems.push({
          line: parsed.rows[i].line,
          column: '',
          reason: `the row is of prefecture ${prefecture}; you may import for ${options.prefectures!.join(', ') || 'no prefecture'} only`,
        });
      }
    });
  }
  if (report.problems.length > 0) return report;

  await db.transaction(async (manager) => {
    if (spec.verify) {
      report.problems.push(
        ...(await spec.verify(
          manager,
          records.map((record, i) => ({ line: parsed.rows[i].line, record })),
          options,
        )),
      );
      if (report.problems.length > 0) return;
    }
    const stored = new Map(
      (
        await spec.existing(
          manager,
          records.map((r) => r.externalId!),
        )
      ).map((r) => [r.externalId, r]),
    );
    const inserted: T[] = [];
    const updated: T[] = [];
    for (const record of records) {
      const previous = stored.get(record.externalId);
      if (!previous) inserted.push(record);
      else if (!sameContent({ ...record, id: previous.id, version: previous.version }, previous)) updated.push({ ...record, id: previous.id });
    }
    report.inserted = inserted.length;
    report.updated = updated.length;
    report.unchanged = records.length - inserted.length - updated.length;
    if (!options.dryRun) {
      await spec.write(manager, inserted, updated);
      report.applied = true;
      await recordHistory(manager, {
        entity: kind,
        entityId: uuidFromKey(`import:${kind}`),
        action: 'import',
        actor: options.actor ?? 'import',
        before: null,
        after: { rows: report.rows, inserted: report.inserted, updated: report.updated, externalIds: [...inserted, ...updated].map((r) => r.externalId) },
      });
    }
  });
  return report;
}

export type CsvImporter = (db: EntityManager, csv: string, options: ImportOptions) => Promise<ImportReport>;

/**
 * Loads a CSV file shipped with the project (sample data, a reference template) through its importer,
 * once per version of the file (`loadOncePerVersion`); a file that does not import cleanly stops the start.
 */
export async function loadShippedCsv(dataSource: DataSource, dataset: string, file: string, importer: CsvImporter, log?: Logger): Promise<void> {
  const csv = readFileSync(file, 'utf8');
  await loadOncePerVersion(dataSource, dataset, createHash('sha256').update(csv).digest('hex'), async (manager) => {
    const report = await importer(manager, csv, { actor: dataset });
    if (!report.applied) throw new Error(`${dataset} did not load: ${JSON.stringify(report.problems.slice(0, 3))}`);
    log?.info({ dataset, inserted: report.inserted, updated: report.updated }, 'data loaded');
    return report.rows;
  });
}
