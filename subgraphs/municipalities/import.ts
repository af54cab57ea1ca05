/**
 * Loads the reference data (47 prefectures, 1,741 municipalities with population) into this
 * subgraph's database. Runs on every start but does work only when the data file changed (its
 * checksum is recorded in `data_import` with the rows, in one transaction).
 */
import type { DataSource } from 'typeorm';
import { municipalityCodeProblem } from '../../shared/codes';
import type { CsvRow } from '../../shared/csv';
import { type ImportSpec, LIST_SEPARATOR, type RowProblem, RowReader, countText, dashHint, loadShippedCsv, rowImporter } from '../../shared/csv-import';
import { loadOncePerVersion } from '../../shared/data-import';
import { uuidFromKey } from '../../shared/ids';
import { CouncilStore, type StoredCouncil, type StoredSelfPlanRate } from './data/council.store';
import { COUNCIL_COLUMNS, SAMPLE_FILES } from './sample/generate';
import type { Logger } from '../../shared/log';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { municipalityReferenceChecksum, municipalityReferences } from '../../shared/reference/municipalities';
import { type SelfPlans, kindFromLabel } from './rules';
import { percentOneDecimal } from '../../shared/percent';

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
  const code = r.municipalityCode('municipality_code');
  const problem = code ? municipalityCodeProblem(code) : undefined;
  if (problem) problems.push({ line: row.line, column: 'municipality_code', ...problem });
  return code;
}

/** `npm run import -- councils FILE.csv`: council status per municipality and date; all or nothing, idempotent. */
const councilImport = (): ImportSpec<Keyed<StoredCouncil>> => ({
  columns: COUNCIL_COLUMNS,
  idColumns: ['municipality_code', 'as_of'],
  prefectureOf: (r) => r.municipalityCode.slice(0, 2),
  parse: (row, problems, warnings) => {
    const r = new RowReader(row, problems, warnings);
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
      problems.push({
        line: row.line,
        column: 'established',
        reason: 'a municipality without a council has no joint setting, subcommittees or meetings',
        reasonJa: '協議会が未設置の市町村には共同設置・部会・開催回数を指定できません',
      });
    }
    return keyed(council);
  },
  existing: async (manager, ids) => (await new CouncilStore(manager).councilsAt(keysOf(ids))).map(keyed),
  write: (manager, inserted, updated) => new CouncilStore(manager).saveCouncils([...inserted, ...updated].map(unkeyed)),
  remove: (manager, rows) => new CouncilStore(manager).removeCouncils(rows.map((r) => [r.municipalityCode, r.asOf])),
  download: {
    keys: (manager, prefectures) => new CouncilStore(manager).councilKeysOf(prefectures),
    row: (c) => ({
      municipality_code: c.municipalityCode,
      as_of: c.asOf,
      established: c.established,
      joint: c.joint,
      subcommittees: c.subcommittees.join(LIST_SEPARATOR),
      secretariat_with_core_center: c.secretariatWithCoreCenter,
      meetings_last_year: c.meetingsLastYear,
      case_review_held: c.caseReviewHeld,
      source_name: c.sourceName,
      sample: c.sample,
    }),
    dates: ['as_of'],
  },
});

export const councilImporter = rowImporter('councils', councilImport);
export const importCouncils = councilImporter.run;

/** The self-plan import's columns: the key and source, then per service the counts or the rate (optional each). */
export const SELF_PLAN_IMPORT = {
  required: ['municipality_code', 'as_of', 'source_name'],
  optional: ['planning_plans', 'planning_self_plans', 'planning_rate', 'child_plans', 'child_self_plans', 'child_rate', 'sample'],
  /** The Japanese headers (as in MHLW's tables and the prefectures' Excel files) → the column. */
  japanese: {
    市町村コード: 'municipality_code',
    基準日: 'as_of',
    計画相談支援_計画作成者数: 'planning_plans',
    計画相談支援_セルフプラン作成者数: 'planning_self_plans',
    計画相談支援_セルフプラン率: 'planning_rate',
    障害児相談支援_計画作成者数: 'child_plans',
    障害児相談支援_セルフプラン作成者数: 'child_self_plans',
    障害児相談支援_セルフプラン率: 'child_rate',
    出典: 'source_name',
    サンプル: 'sample',
  },
} as const;

/**
 * One service's cells: the two counts (plans, of them self-plans), or the rate alone, or nothing. With
 * counts and a rate, the rate must agree with the counts and only the counts are kept (the rate is derived).
 */
function selfPlansOf(r: RowReader, row: CsvRow, problems: RowProblem[], warnings: RowProblem[], service: 'planning' | 'child'): SelfPlans {
  const problem = (column: string, reason: string, reasonJa: string) => problems.push({ line: row.line, column, reason, reasonJa });
  const nothing = { plans: null, selfPlans: null, rate: null };
  let refused = false;
  const count = (column: string): number | null => {
    // As forms write a count: １，２３４ typed with a Japanese input method, 1,234人.
    const value = countText(r.text(column, false));
    if (value === '') return null;
    // Excel writes 1,234 when the cell is formatted with separators.
    if (!/^(\d{1,8}|\d{1,3}(,\d{3}){1,2})$/.test(value)) {
      const hint = dashHint(value);
      problem(
        column,
        `must be a whole number of people (0 or more), got "${value}"${hint.en}`,
        `0以上の整数（人数）を指定してください（「${value}」でした）${hint.ja}`,
      );
      refused = true;
      return null;
    }
    return Number(value.replace(/,/g, ''));
  };
  const plans = count(`${service}_plans`);
  const selfPlans = count(`${service}_self_plans`);
  const rateText = r.text(`${service}_rate`, false);
  let rate: number | null = null;
  if (rateText !== '') {
    // "15.8" or "15.8%" (a percentage cell of a workbook, and Excel's CSV of one, shared/spreadsheet.ts).
    const written = rateText.normalize('NFKC');
    const percent = written.endsWith('%') ? written.slice(0, -1).trimEnd() : written;
    if (!/^\d{1,3}(\.\d+)?$/.test(percent) || Number(percent) > 100) {
      problem(
        `${service}_rate`,
        `must be a percentage from 0 to 100 (15.8 or 15.8%), got "${rateText}"`,
        `0〜100の割合（%。15.8 または 15.8%）を指定してください（「${rateText}」でした）`,
      );
    } else rate = Number(percent);
  }
  if (refused) return nothing;
  if ((plans === null) !== (selfPlans === null)) {
    problem(
      plans === null ? `${service}_plans` : `${service}_self_plans`,
      `give both ${service}_plans and ${service}_self_plans, or neither`,
      `${service}_plans と ${service}_self_plans は両方とも指定するか、両方とも空欄にしてください`,
    );
    return nothing;
  }
  if (plans === null || selfPlans === null) {
    // A rate alone is kept with two decimals: a formula's 15.789…% as 15.79, said in the report.
    const kept = rate === null ? null : Math.round(rate * 100) / 100;
    if (kept !== rate)
      warnings.push({
        line: row.line,
        column: `${service}_rate`,
        reason: `${rate} % is kept as ${kept} % (two decimals)`,
        reasonJa: `${rate}% は小数2桁に丸めて ${kept}% として取り込みます`,
        value: rateText,
      });
    return { plans: null, selfPlans: null, rate: kept };
  }
  if (selfPlans > plans) {
    problem(
      `${service}_self_plans`,
      `self-plans (${selfPlans}) cannot be more than plans (${plans})`,
      `セルフプラン数（${selfPlans}）が計画数（${plans}）を超えています`,
    );
  }
  if (rate !== null && plans > 0 && Math.abs(rate - (selfPlans / plans) * 100) >= 0.1) {
    const counted = percentOneDecimal(selfPlans, plans);
    problem(
      `${service}_rate`,
      `${rate} does not agree with the counts (${selfPlans} of ${plans} is ${counted} %)`,
      `${rate} は件数と合いません（${plans}件中${selfPlans}件は ${counted}%）`,
    );
  }
  return { plans, selfPlans, rate: null };
}

/**
 * `npm run import -- self-plan-rates FILE.csv`: self-plans per municipality and date, as counts (計画作成者数
 * and セルフプラン作成者数) for 計画相談支援 and 障害児相談支援, or as rates where only rates are known (kept
 * as such, and left out of aggregates). English or Japanese headers (SELF_PLAN_IMPORT).
 */
const selfPlanImport = (): ImportSpec<Keyed<StoredSelfPlanRate>> => ({
  columns: SELF_PLAN_IMPORT.required,
  optionalColumns: SELF_PLAN_IMPORT.optional,
  headerAliases: SELF_PLAN_IMPORT.japanese,
  idColumns: ['municipality_code', 'as_of'],
  prefectureOf: (r) => r.municipalityCode.slice(0, 2),
  parse: (row, problems, warnings) => {
    const r = new RowReader(row, problems, warnings);
    const record = {
      municipalityCode: municipalityCodeOf(r, row, problems),
      asOf: r.date('as_of') ?? '',
      planning: selfPlansOf(r, row, problems, warnings, 'planning'),
      child: selfPlansOf(r, row, problems, warnings, 'child'),
      sourceName: r.text('source_name'),
      sample: row.values.sample ? r.boolean('sample') : false,
    };
    const given = (s: SelfPlans) => s.plans !== null || s.rate !== null;
    if (!given(record.planning) && !given(record.child) && !problems.some((p) => p.line === row.line)) {
      problems.push({
        line: row.line,
        column: 'planning_plans',
        reason: 'give the counts (or a rate) of at least one service',
        reasonJa: '少なくとも1つのサービスについて件数（または割合）を指定してください',
      });
    }
    return keyed(record);
  },
  existing: async (manager, ids) => (await new CouncilStore(manager).selfPlanRatesAt(keysOf(ids))).map(keyed),
  write: (manager, inserted, updated) => new CouncilStore(manager).saveSelfPlanRates([...inserted, ...updated].map(unkeyed)),
  remove: (manager, rows) => new CouncilStore(manager).removeSelfPlanRates(rows.map((r) => [r.municipalityCode, r.asOf])),
  download: {
    keys: (manager, prefectures) => new CouncilStore(manager).selfPlanKeysOf(prefectures),
    row: (s) => ({
      municipality_code: s.municipalityCode,
      as_of: s.asOf,
      source_name: s.sourceName,
      planning_plans: s.planning.plans,
      planning_self_plans: s.planning.selfPlans,
      planning_rate: s.planning.rate,
      child_plans: s.child.plans,
      child_self_plans: s.child.selfPlans,
      child_rate: s.child.rate,
      sample: s.sample,
    }),
    dates: ['as_of'],
  },
});

export const selfPlanImporter = rowImporter('self-plan-rates', selfPlanImport);
export const importSelfPlanRates = selfPlanImporter.run;

/** The sample council status and self-plan rates, once per version of their files. */
export async function seedSampleStatus(dataSource: DataSource, log?: Logger): Promise<void> {
  await loadShippedCsv(dataSource, 'councils.sample', SAMPLE_FILES.councils, importCouncils, log);
  await loadShippedCsv(dataSource, 'self-plan-rates.sample', SAMPLE_FILES.selfPlanRates, importSelfPlanRates, log);
}
