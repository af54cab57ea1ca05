/**
 * Loads the reference data (47 prefectures, 1,741 municipalities with population) into this
 * subgraph's database. Runs on every start but does work only when the data file changed (its
 * checksum is recorded in `data_import` with the rows, in one transaction).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { checkMunicipalityCode } from '../../shared/codes';
import type { CsvRow } from '../../shared/csv';
import { type ImportOptions, type ImportReport, type RowProblem, RowReader, importRows, loadShippedCsv } from '../../shared/csv-import';
import { loadOncePerVersion } from '../../shared/data-import';
import { uuidFromKey } from '../../shared/ids';
import { isKnownMunicipalityCode } from '../../shared/reference/municipalities';
import { CouncilStore, type StoredCouncil, type StoredSelfPlanRate } from './data/council.store';
import { COUNCIL_COLUMNS, SAMPLE_FILES, SELF_PLAN_COLUMNS } from './sample/generate';
import type { Logger } from '../../shared/log';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { municipalityReferenceChecksum, municipalityReferences } from '../../shared/reference/municipalities';
import { kindFromLabel } from './rules';

export const REFERENCE_DATASET = 'municipalities-population';

export async function importReferenceData(dataSource: DataSource, log?: Logger): Promise<boolean> {
  const rows = municipalityReferences();
  return loadOncePerVersion(dataSource, REFERENCE_DATASET, municipalityReferenceChecksum(), async (tx) => {
    await tx.query(
      `INSERT INTO prefecture (code, name, kana, region)
       SELECT * FROM unnest($1::char(2)[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kana = EXCLUDED.kana, region = EXCLUDED.region`,
      [PREFECTURES.map((p) => p.code), PREFECTURES.map((p) => p.name), PREFECTURES.map((p) => p.kana), PREFECTURES.map((p) => p.region)],
    );
    await tx.query(
      `INSERT INTO municipality (code, prefecture_code, name, kana, kind, population, population_as_of, population_source)
       SELECT * FROM unnest($1::char(6)[], $2::char(2)[], $3::text[], $4::text[], $5::text[], $6::int[], $7::date[], $8::text[])
       ON CONFLICT (code) DO UPDATE SET
         prefecture_code = EXCLUDED.prefecture_code, name = EXCLUDED.name, kana = EXCLUDED.kana, kind = EXCLUDED.kind,
         population = EXCLUDED.population, population_as_of = EXCLUDED.population_as_of,
         population_source = EXCLUDED.population_source`,
      [
        rows.map((r) => r.code),
        rows.map((r) => r.prefectureCode),
        rows.map((r) => r.name),
        rows.map((r) => r.kana),
        rows.map((r) => kindFromLabel(r.kind)),
        rows.map((r) => r.population),
        rows.map((r) => r.populationAsOf),
        rows.map((r) => r.populationSource),
      ],
    );
    log?.info({ dataset: REFERENCE_DATASET, rows: rows.length }, 'reference data imported');
    return rows.length;
  });
}

/** A council or self-plan row as the CSV import sees it: keyed by municipality and as-of date. */
type Keyed<T> = T & { id: string; externalId: string; version: number };
const keyed = <T extends { municipalityCode: string; asOf: string }>(row: T): Keyed<T> => {
  const externalId = `${row.municipalityCode}|${row.asOf}`;
  return { ...row, id: uuidFromKey(`status:${externalId}`), externalId, version: 1 };
};
const unkeyed = <T>({ id: _id, externalId: _e, version: _v, ...row }: Keyed<T>) => row as unknown as T;
const keysOf = (ids: string[]) => ids.map((id) => id.split('|') as [string, string]);

function municipalityCodeOf(r: RowReader, row: CsvRow, problems: RowProblem[]): string {
  const code = r.text('municipality_code');
  const check = checkMunicipalityCode(code);
  if (code && !check.ok) problems.push({ line: row.line, column: 'municipality_code', reason: check.reason });
  else if (code && !isKnownMunicipalityCode(code)) problems.push({ line: row.line, column: 'municipality_code', reason: `no municipality has code ${code}` });
  return code;
}

/** `npm run import -- councils FILE.csv`: council status per municipality and date; all or nothing, idempotent. */
export function importCouncils(db: DataSource | EntityManager, csv: string, options: ImportOptions = {}): Promise<ImportReport> {
  return importRows<Keyed<StoredCouncil>>(
    db,
    'councils',
    csv,
    {
      columns: COUNCIL_COLUMNS,
      idColumns: ['municipality_code', 'as_of'],
      prefectureOf: (r) => r.municipalityCode.slice(0, 2),
      parse: (row, problems) => {
        const r = new RowReader(row, problems);
        const council: StoredCouncil = {
          municipalityCode: municipalityCodeOf(r, row, problems),
          asOf: r.date('as_of') ?? '',
          established: r.boolean('established'),
          joint: r.boolean('joint'),
          subcommittees: r.list('subcommittees', false),
          secretariatWithCoreCenter: r.boolean('secretariat_with_core_center'),
          meetingsLastYear: r.integer('meetings_last_year'),
          caseReviewHeld: r.boolean('case_review_held'),
          sourceName: r.text('source_name'),
          sample: row.values.sample ? r.boolean('sample') : false,
        };
        if (!council.established && (council.joint || council.subcommittees.length > 0 || council.meetingsLastYear > 0)) {
          problems.push({ line: row.line, column: 'established', reason: 'a municipality without a council has no joint setting, subcommittees or meetings' });
        }
        return keyed(council);
      },
      existing: async (manager, ids) => (await new CouncilStore(manager).councilsAt(keysOf(ids))).map(keyed),
      write: (manager, inserted, updated) => new CouncilStore(manager).saveCouncils([...inserted, ...updated].map(unkeyed)),
    },
    options,
  );
}

/** `npm run import -- self-plan-rates FILE.csv`: セルフプラン率 in percent per municipality and date. */
export function importSelfPlanRates(db: DataSource | EntityManager, csv: string, options: ImportOptions = {}): Promise<ImportReport> {
  return importRows<Keyed<StoredSelfPlanRate>>(
    db,
    'self-plan-rates',
    csv,
    {
      columns: SELF_PLAN_COLUMNS,
      idColumns: ['municipality_code', 'as_of'],
      prefectureOf: (r) => r.municipalityCode.slice(0, 2),
      parse: (row, problems) => {
        const r = new RowReader(row, problems);
        const percent = (column: string): number | null => {
          const value = r.text(column, false);
          if (value === '') return null;
          if (!/^\d{1,3}(\.\d{1,2})?$/.test(value) || Number(value) > 100) {
            problems.push({ line: row.line, column, reason: `must be a percentage from 0 to 100 with up to two decimals, got "${value}"` });
          }
          return Number(value);
        };
        return keyed({
          municipalityCode: municipalityCodeOf(r, row, problems),
          asOf: r.date('as_of') ?? '',
          planningRate: percent('planning_rate'),
          childRate: percent('child_rate'),
          sourceName: r.text('source_name'),
          sample: row.values.sample ? r.boolean('sample') : false,
        });
      },
      existing: async (manager, ids) => (await new CouncilStore(manager).selfPlanRatesAt(keysOf(ids))).map(keyed),
      write: (manager, inserted, updated) => new CouncilStore(manager).saveSelfPlanRates([...inserted, ...updated].map(unkeyed)),
    },
    options,
  );
}

/** The sample council status and self-plan rates, once per version of their files. */
export async function seedSampleStatus(dataSource: DataSource, log?: Logger): Promise<void> {
  await loadShippedCsv(dataSource, 'councils.sample', SAMPLE_FILES.councils, importCouncils, log);
  await loadShippedCsv(dataSource, 'self-plan-rates.sample', SAMPLE_FILES.selfPlanRates, importSelfPlanRates, log);
}
