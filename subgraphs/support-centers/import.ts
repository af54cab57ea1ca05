/**
 * CSV import of core centers and consultation offices (`npm run import -- core-centers FILE.csv`),
 * also used to load the sample dataset. All or nothing: every row is checked first and one bad row
 * rejects the file, with a report of every bad row (line, column, reason). Rows are matched on their
 * id column (`center_id`, `office_id`): a row identical to what is stored changes nothing, so
 * importing the same file twice writes nothing the second time. One transaction per file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource, EntityManager } from 'typeorm';
import { loadOncePerVersion } from '../../shared/data-import';
import { checkMunicipalityCode } from '../../shared/codes';
import { type CsvRow, readCsv } from '../../shared/csv';
import { uuidFromKey } from '../../shared/ids';
import type { Logger } from '../../shared/log';
import { isKnownMunicipalityCode } from '../../shared/reference/municipalities';
import { isLocalDate } from '../../shared/scalars';
import { CoreCenterStore, type StoredCoreCenter, type StoredOffice } from './data/core-center.store';
import {
  CoreCenterFunction,
  CoreCenterOperation,
  type CoreCenterRecord,
  CoreCenterSetup,
  canonicalFunctions,
  validateCoreCenter,
} from './rules';
import { CORE_CENTER_COLUMNS, LIST_SEPARATOR, OFFICE_COLUMNS } from './sample/columns';
import { SAMPLE_FILES } from './sample/generate';
import { FeeTier, OfficeDesignation } from './types/enums';

export type ImportKind = 'core-centers' | 'consultation-offices';

export interface RowProblem {
  line: number;
  column: string;
  reason: string;
}

export interface ImportReport {
  kind: ImportKind;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  problems: RowProblem[];
  dryRun: boolean;
  /** True when the rows were written (valid file, not a dry run). */
  applied: boolean;
}

/** Reads cells of one row, collecting a problem per bad cell. */
class RowReader {
  constructor(
    private readonly row: CsvRow,
    private readonly problems: RowProblem[],
  ) {}

  private problem(column: string, reason: string): void {
    this.problems.push({ line: this.row.line, column, reason });
  }

  text(column: string, required = true): string {
    const value = this.row.values[column] ?? '';
    if (required && value === '') this.problem(column, 'is required');
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

  oneOf<T extends string>(column: string, allowed: readonly T[]): T {
    const value = this.text(column);
    if (value !== '' && !allowed.includes(value as T)) this.problem(column, `must be one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  }

  listOf<T extends string>(column: string, allowed: readonly T[], required = true): T[] {
    const items = this.text(column, required).split(LIST_SEPARATOR).map((v) => v.trim()).filter(Boolean);
    for (const item of items) {
      if (!allowed.includes(item as T)) this.problem(column, `unknown value "${item}" (allowed: ${allowed.join(', ')})`);
    }
    return items as T[];
  }

  date(column: string, required = true): string | null {
    const value = this.text(column, required);
    if (value === '') return null;
    if (!isLocalDate(value)) this.problem(column, `must be a date YYYY-MM-DD, got "${value}"`);
    return value;
  }

  report(field: string, reason: string): void {
    // Rule problems name record fields (municipalityCodes[1]); the report names CSV columns.
    this.problem(field.replace(/\[\d+\]$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), reason);
  }
}

function checkHeader(columns: string[], expected: readonly string[], problems: RowProblem[]): boolean {
  const missing = expected.filter((c) => !columns.includes(c));
  const unknown = columns.filter((c) => !expected.includes(c));
  for (const c of missing) problems.push({ line: 1, column: c, reason: 'column is missing' });
  for (const c of unknown) problems.push({ line: 1, column: c, reason: 'unknown column' });
  return missing.length === 0 && unknown.length === 0;
}

function checkUniqueIds(rows: CsvRow[], column: string, problems: RowProblem[]): void {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = row.values[column];
    if (id && seen.has(id)) problems.push({ line: row.line, column, reason: `repeats the id of line ${seen.get(id)}` });
    else seen.set(id, row.line);
  }
}

function parseCenter(row: CsvRow, problems: RowProblem[]): StoredCoreCenter {
  const r = new RowReader(row, problems);
  const externalId = r.text('center_id');
  const record: CoreCenterRecord = {
    prefectureCode: r.text('prefecture_code'),
    name: r.text('name'),
    setup: r.oneOf('setup', Object.values(CoreCenterSetup)),
    municipalityCodes: r.text('municipality_codes').split(LIST_SEPARATOR).map((c) => c.trim()).filter(Boolean).sort(),
    operation: r.oneOf('operation', Object.values(CoreCenterOperation)),
    operatorName: r.optionalText('operator_name'),
    establishedOn: r.date('established_on') ?? '',
    closedOn: r.date('closed_on', false),
    functions: canonicalFunctions(r.listOf('functions', Object.values(CoreCenterFunction), false)),
    chiefSpecialists: r.integer('chief_specialists'),
    specialists: r.integer('specialists'),
    socialWorkers: r.integer('social_workers'),
    psychiatricSocialWorkers: r.integer('psychiatric_social_workers'),
    publicHealthNurses: r.integer('public_health_nurses'),
    otherStaff: r.integer('other_staff'),
    alsoFunctionsAsBase: r.boolean('also_functions_as_base'),
    runsAbusePreventionCenter: r.boolean('runs_abuse_prevention_center'),
    hasMedicalCareChildCoordinator: r.boolean('has_medical_care_child_coordinator'),
    sourceName: r.text('source_name'),
    sourceAsOf: r.date('source_as_of') ?? '',
    sample: row.values.sample ? r.boolean('sample') : false,
  };
  const lineProblems = problems.filter((p) => p.line === row.line).map((p) => p.column);
  for (const problem of validateCoreCenter(record)) {
    const column = problem.field.replace(/\[\d+\]$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    if (!lineProblems.includes(column)) r.report(problem.field, problem.reason);
  }
  return { ...record, id: uuidFromKey(`core-center:${externalId}`), externalId, version: 1 };
}

function parseOffice(row: CsvRow, problems: RowProblem[]): StoredOffice {
  const r = new RowReader(row, problems);
  const externalId = r.text('office_id');
  const municipalityCode = r.text('municipality_code');
  if (municipalityCode) {
    const check = checkMunicipalityCode(municipalityCode);
    if (!check.ok) problems.push({ line: row.line, column: 'municipality_code', reason: check.reason });
    else if (!isKnownMunicipalityCode(municipalityCode)) {
      problems.push({ line: row.line, column: 'municipality_code', reason: `no municipality has code ${municipalityCode}` });
    }
  }
  const designations = r.listOf('designations', Object.values(OfficeDesignation));
  return {
    id: uuidFromKey(`consultation-office:${externalId}`),
    externalId,
    municipalityCode,
    name: r.text('name'),
    designations,
    feeTier: r.oneOf('fee_tier', Object.values(FeeTier)),
    chiefSpecialists: r.integer('chief_specialists'),
    specialists: r.integer('specialists'),
    contractedForMunicipalProgram: r.boolean('contracted_for_municipal_program'),
    collaborativeArrangement: r.boolean('collaborative_arrangement'),
    sourceName: r.text('source_name'),
    sourceAsOf: r.date('source_as_of') ?? '',
    sample: row.values.sample ? r.boolean('sample') : false,
    version: 1,
  };
}

/** Everything but identity and version, to tell whether an imported row changes a stored one. */
function sameContent<T extends { id: string; version: number }>(a: T, b: T): boolean {
  const strip = ({ id: _id, version: _version, ...rest }: T) => JSON.stringify(rest, Object.keys(rest).sort());
  return strip(a) === strip(b);
}

async function importRows<T extends { id: string; externalId: string | null; version: number }>(
  db: DataSource | EntityManager,
  kind: ImportKind,
  csv: string,
  spec: {
    columns: readonly string[];
    idColumn: string;
    parse: (row: CsvRow, problems: RowProblem[]) => T;
    existing: (store: CoreCenterStore, externalIds: string[]) => Promise<T[]>;
    write: (store: CoreCenterStore, inserted: T[], updated: T[]) => Promise<void>;
  },
  options: { dryRun?: boolean },
): Promise<ImportReport> {
  const report: ImportReport = { kind, rows: 0, inserted: 0, updated: 0, unchanged: 0, problems: [], dryRun: Boolean(options.dryRun), applied: false };
  let parsed: ReturnType<typeof readCsv>;
  try {
    parsed = readCsv(csv);
  } catch (error) {
    report.problems.push({ line: (error as { lines?: number }).lines ?? 0, column: '', reason: (error as Error).message });
    return report;
  }
  report.rows = parsed.rows.length;
  if (!checkHeader(parsed.columns, spec.columns, report.problems)) return report;
  checkUniqueIds(parsed.rows, spec.idColumn, report.problems);
  const records = parsed.rows.map((row) => spec.parse(row, report.problems));
  if (report.problems.length > 0) return report;

  await db.transaction(async (manager) => {
    const store = new CoreCenterStore(manager);
    const stored = new Map((await spec.existing(store, records.map((r) => r.externalId!))).map((r) => [r.externalId, r]));
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
      await spec.write(store, inserted, updated);
      report.applied = true;
    }
  });
  return report;
}

export function importCoreCenters(db: DataSource | EntityManager, csv: string, options: { dryRun?: boolean } = {}) {
  return importRows(db, 'core-centers', csv, {
    columns: CORE_CENTER_COLUMNS,
    idColumn: 'center_id',
    parse: parseCenter,
    existing: (store, ids) => store.findByExternalIds(ids),
    write: async (store, inserted, updated) => {
      await store.insert(inserted);
      await store.update(updated);
    },
  }, options);
}

export function importConsultationOffices(db: DataSource | EntityManager, csv: string, options: { dryRun?: boolean } = {}) {
  return importRows(db, 'consultation-offices', csv, {
    columns: OFFICE_COLUMNS,
    idColumn: 'office_id',
    parse: parseOffice,
    existing: (store, ids) => store.findOfficesByExternalIds(ids),
    write: (store, inserted, updated) => store.upsertOffices([...inserted, ...updated]),
  }, options);
}

/** Loads the sample dataset once per version of its files, so edits made through the API survive restarts. */
export async function seedSampleData(dataSource: DataSource, log?: Logger): Promise<void> {
  const datasets: Array<[string, string, typeof importCoreCenters]> = [
    ['core-centers.sample', SAMPLE_FILES.coreCenters, importCoreCenters],
    ['consultation-offices.sample', SAMPLE_FILES.consultationOffices, importConsultationOffices],
  ];
  for (const [dataset, file, load] of datasets) {
    const csv = readFileSync(file, 'utf8');
    const checksum = createHash('sha256').update(csv).digest('hex');
    await loadOncePerVersion(dataSource, dataset, checksum, async (manager) => {
      const report = await load(manager, csv);
      if (!report.applied) throw new Error(`sample ${dataset} did not load: ${JSON.stringify(report.problems.slice(0, 3))}`);
      log?.info({ dataset, inserted: report.inserted, updated: report.updated }, 'sample data loaded');
      return report.rows;
    });
  }
}
