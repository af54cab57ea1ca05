/**
 * CSV import of core centers and consultation offices (`npm run import -- core-centers FILE.csv`),
 * also used to load the sample dataset; all or nothing and idempotent (shared/csv-import.ts). Rows are
 * matched on `center_id` / `office_id`.
 */
import type { DataSource } from 'typeorm';
import { municipalityCodeProblem } from '../../shared/codes';
import type { CsvRow } from '../../shared/csv';
import {
  type DownloadRow,
  type ImportSpec,
  type ImportReport,
  LIST_SEPARATOR,
  type RowProblem,
  RowReader,
  loadShippedCsv,
  rowImporter,
} from '../../shared/csv-import';
import { uuidFromKey } from '../../shared/ids';
import type { Logger } from '../../shared/log';
import { CoreCenterStore, type StoredCoreCenter, type StoredOffice } from './data/core-center.store';
import { CoreCenterFunction, CoreCenterOperation, type CoreCenterRecord, CoreCenterSetup, canonicalFunctions, validateCoreCenter } from './rules';
import { CORE_CENTER_COLUMNS, OFFICE_COLUMNS } from './sample/columns';

export type { ImportReport };
import { SAMPLE_FILES } from './sample/generate';
import { DESIGNATION_LABELS, FEE_TIER_LABELS, FUNCTION_LABELS, FeeTier, OPERATION_LABELS, OfficeDesignation, SETUP_LABELS } from './types/enums';

function parseCenter(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): StoredCoreCenter {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('center_id');
  const record: CoreCenterRecord = {
    prefectureCode: r.prefectureCode('prefecture_code'),
    name: r.text('name'),
    setup: r.oneOf('setup', Object.values(CoreCenterSetup), SETUP_LABELS),
    municipalityCodes: r.municipalityCodes('municipality_codes').sort(),
    operation: r.oneOf('operation', Object.values(CoreCenterOperation), OPERATION_LABELS),
    operatorName: r.optionalText('operator_name'),
    establishedOn: r.date('established_on') ?? '',
    closedOn: r.date('closed_on', false),
    functions: canonicalFunctions(r.listOf('functions', Object.values(CoreCenterFunction), false, FUNCTION_LABELS)),
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
  r.reportRuleProblems(validateCoreCenter(record));
  return { ...record, id: uuidFromKey(`core-center:${externalId}`), externalId, version: 1 };
}

function parseOffice(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): StoredOffice {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('office_id');
  const municipalityCode = r.municipalityCode('municipality_code');
  const problem = municipalityCode ? municipalityCodeProblem(municipalityCode) : undefined;
  if (problem) problems.push({ line: row.line, column: 'municipality_code', ...problem });
  const designations = r.listOf('designations', Object.values(OfficeDesignation), true, DESIGNATION_LABELS);
  return {
    id: uuidFromKey(`consultation-office:${externalId}`),
    externalId,
    municipalityCode,
    name: r.text('name'),
    designations,
    feeTier: r.oneOf('fee_tier', Object.values(FeeTier), FEE_TIER_LABELS),
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

const list = (values: readonly string[]) => values.join(LIST_SEPARATOR);

/** A center as a row of the import's file (parseCenter backwards). */
const centerRow = (c: StoredCoreCenter): DownloadRow => ({
  center_id: c.externalId,
  prefecture_code: c.prefectureCode,
  name: c.name,
  setup: c.setup,
  municipality_codes: list(c.municipalityCodes),
  operation: c.operation,
  operator_name: c.operatorName,
  established_on: c.establishedOn,
  closed_on: c.closedOn,
  functions: list(c.functions),
  chief_specialists: c.chiefSpecialists,
  specialists: c.specialists,
  social_workers: c.socialWorkers,
  psychiatric_social_workers: c.psychiatricSocialWorkers,
  public_health_nurses: c.publicHealthNurses,
  other_staff: c.otherStaff,
  also_functions_as_base: c.alsoFunctionsAsBase,
  runs_abuse_prevention_center: c.runsAbusePreventionCenter,
  has_medical_care_child_coordinator: c.hasMedicalCareChildCoordinator,
  source_name: c.sourceName,
  source_as_of: c.sourceAsOf,
  sample: c.sample,
});

/** An office as a row of the import's file (parseOffice backwards). */
const officeRow = (o: StoredOffice): DownloadRow => ({
  office_id: o.externalId,
  municipality_code: o.municipalityCode,
  name: o.name,
  designations: list(o.designations),
  fee_tier: o.feeTier,
  chief_specialists: o.chiefSpecialists,
  specialists: o.specialists,
  contracted_for_municipal_program: o.contractedForMunicipalProgram,
  collaborative_arrangement: o.collaborativeArrangement,
  source_name: o.sourceName,
  source_as_of: o.sourceAsOf,
  sample: o.sample,
});

const coreCenterImport = (): ImportSpec<StoredCoreCenter> => ({
  columns: CORE_CENTER_COLUMNS,
  headerAliases: { センター名: 'name', 基幹相談支援センター名: 'name' },
  idColumns: ['center_id'],
  prefectureOf: (c) => c.prefectureCode,
  parse: parseCenter,
  existing: (manager, ids) => new CoreCenterStore(manager).findByExternalIds(ids),
  write: async (manager, inserted, updated) => {
    const store = new CoreCenterStore(manager);
    await store.insert(inserted);
    await store.update(updated);
  },
  remove: (manager, centers) => new CoreCenterStore(manager).removeImported(centers.map((c) => c.id)),
  download: {
    keys: (manager, prefectures) => new CoreCenterStore(manager).externalIdsOf(prefectures),
    row: centerRow,
    dates: ['established_on', 'closed_on', 'source_as_of'],
    labels: { setup: { labels: SETUP_LABELS }, operation: { labels: OPERATION_LABELS }, functions: { labels: FUNCTION_LABELS, list: true } },
  },
});

const officeImport = (): ImportSpec<StoredOffice> => ({
  columns: OFFICE_COLUMNS,
  headerAliases: { 事業所名: 'name' },
  idColumns: ['office_id'],
  prefectureOf: (o) => o.municipalityCode.slice(0, 2),
  parse: parseOffice,
  existing: (manager, ids) => new CoreCenterStore(manager).findOfficesByExternalIds(ids),
  write: (manager, inserted, updated) => new CoreCenterStore(manager).upsertOffices([...inserted, ...updated]),
  remove: (manager, offices) => new CoreCenterStore(manager).removeOffices(offices.map((o) => o.id)),
  download: {
    keys: (manager, prefectures) => new CoreCenterStore(manager).officeExternalIdsOf(prefectures),
    row: officeRow,
    dates: ['source_as_of'],
    labels: { designations: { labels: DESIGNATION_LABELS, list: true }, fee_tier: { labels: FEE_TIER_LABELS } },
  },
});

export const coreCenterImporter = rowImporter('core-centers', coreCenterImport);
export const officeImporter = rowImporter('consultation-offices', officeImport);
export const importCoreCenters = coreCenterImporter.run;
export const importConsultationOffices = officeImporter.run;

/** Loads the sample dataset once per version of its files, so edits made through the API survive restarts. */
export async function seedSampleData(dataSource: DataSource, log?: Logger): Promise<void> {
  await loadShippedCsv(dataSource, 'core-centers.sample', SAMPLE_FILES.coreCenters, importCoreCenters, log);
  await loadShippedCsv(dataSource, 'consultation-offices.sample', SAMPLE_FILES.consultationOffices, importConsultationOffices, log);
}
