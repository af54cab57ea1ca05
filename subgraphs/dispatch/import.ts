/**
 * Loading the dispatch subgraph's data: checklist templates from CSV (`npm run import --
 * checklist-template FILE.csv`; the council-guideline self-check ships in reference/), and the
 * generated sample log. Each is loaded once per version, in one transaction.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CsvRow } from '../../shared/csv';
import {
  type ImportDownload,
  type ImportOptions,
  type ImportReport,
  LIST_SEPARATOR,
  type ImportSource,
  type ImportSpec,
  type RevertReport,
  type RowImporter,
  type RowProblem,
  RowReader,
  canonicalJson,
  downloadColumns,
  emptyReport,
  importTransaction,
  importedChanges,
  loadShippedCsv,
  recordImport,
  recordRevert,
  rowImporter,
  tableOf,
  withHeader,
} from '../../shared/csv-import';
import { conflict } from '../../shared/errors';
import { extendToDate, loadOncePerVersion } from '../../shared/data-import';
import { addDays, todayInJapan } from '../../shared/dates';
import { livingSample } from './sample/living';
import { FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR } from '../../shared/fiscal-year';
import { readFiscalYear } from '../../shared/spreadsheet-dates';
import { uuidFromKey } from '../../shared/ids';
import { municipalityCodeOfPrefectureProblems } from '../../shared/codes';
import { japaneseAliases } from '../../shared/japanese-columns';
import type { Logger } from '../../shared/log';
import type { Reason } from '../../shared/problems';
import { projectPath } from '../../shared/paths';
import { comparablePersonName, keyAndName } from '../../shared/text';
import { DispatchStore, type StoredAdvisor, type StoredVisit, type TemplateItem, answerKey, assessmentAnswerId, assessmentKey } from './data/dispatch.store';
import { ASSESSMENT_RESULT_LABELS, FOLLOW_UP_STATUS_LABELS, FORMAT_LABELS, FollowUpOwnerKind, OWNER_KIND_LABELS, REQUEST_STATUS_LABELS } from './types/enums';
import {
  type VisitRecord,
  PROGRAM_DUTY_LABELS,
  PURPOSE_LABELS,
  ProgramDuty,
  VisitFormat,
  VisitPurpose,
  VisitStatus,
  validateAdvisor,
  validateProgram,
  FollowUpStatus,
  followUpOnVisitProblems,
  onChangedVisitProblems,
  onVisitProblems,
  AssessmentResult,
  RequestStatus,
  validateRequest,
  type RecordOnVisit,
  validateVisit,
  visitAdvisorProblem,
  isAdvisorActiveOn,
} from './rules';
import { SAMPLE_UNTIL, SAMPLE_VERSION, sampleLog } from './sample/generate';
import { SAMPLE_PROGRAMS_VERSION } from './sample/programs';
import { ProgramStore, type StoredProgram, programId } from './data/program.store';

/** Columns of `npm run import -- advisors FILE.csv` (the README documents them). */
export const ADVISOR_COLUMNS = [
  'advisor_id',
  'prefecture_code',
  'name',
  'affiliation',
  'qualifications',
  'active_from',
  'active_until',
  'subject',
  'sample',
] as const;

function parseAdvisor(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): StoredAdvisor {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('advisor_id');
  const advisor: StoredAdvisor = {
    id: uuidFromKey(`advisor:${externalId}`),
    externalId,
    prefectureCode: r.prefectureCode('prefecture_code'),
    name: r.text('name'),
    affiliation: r.text('affiliation', false),
    qualifications: r.list('qualifications', false),
    subject: r.optionalText('subject'),
    activeFrom: r.date('active_from') ?? '',
    activeUntil: r.date('active_until', false),
    sample: row.values.sample ? r.boolean('sample') : false,
    version: 1,
  };
  r.reportRuleProblems(validateAdvisor(advisor));
  return advisor;
}

/**
 * Loads a prefecture's advisors (アドバイザー名簿), matched on `advisor_id`: a new id registers an
 * advisor, a known one updates it. A sign-in subject may belong to one advisor only.
 */
const advisorImport = (): ImportSpec<StoredAdvisor> => ({
  columns: ADVISOR_COLUMNS,
  // A roster names a person by 氏名.
  headerAliases: { 氏名: 'name', アドバイザー氏名: 'name' },
  idColumns: ['advisor_id'],
  prefectureOf: (a) => a.prefectureCode,
  parse: parseAdvisor,
  existing: (manager, ids) => new DispatchStore(manager).advisorsByExternalIds(ids),
  verify: async (manager, rows) => {
    const problems: RowProblem[] = [];
    const seen = new Map<string, number>();
    const subjects = rows.flatMap(({ record }) => (record.subject ? [record.subject] : []));
    const holders = new Map((await new DispatchStore(manager).advisorsBySubjects(subjects)).map((a) => [a.subject, a.externalId]));
    for (const { line, record } of rows) {
      if (!record.subject) continue;
      if (seen.has(record.subject)) {
        problems.push({
          line,
          column: 'subject',
          reason: `repeats the subject of line ${seen.get(record.subject)}`,
          reasonJa: `${seen.get(record.subject)}行目と同じサインインIDです`,
        });
      }
      seen.set(record.subject, line);
      if (holders.has(record.subject) && holders.get(record.subject) !== record.externalId) {
        problems.push({
          line,
          column: 'subject',
          reason: 'is already linked to another advisor',
          reasonJa: 'このサインインIDは別のアドバイザーに紐付いています',
        });
      }
    }
    return problems;
  },
  write: (manager, inserted, updated) => new DispatchStore(manager).saveAdvisors([...inserted, ...updated]),
  remove: (manager, advisors) => new DispatchStore(manager).removeAdvisors(advisors.map((a) => a.id)),
  download: {
    keys: (manager, prefectures) => new DispatchStore(manager).advisorExternalIdsOf(prefectures),
    row: (a) => ({
      advisor_id: a.externalId,
      prefecture_code: a.prefectureCode,
      name: a.name,
      affiliation: a.affiliation,
      qualifications: a.qualifications.join(LIST_SEPARATOR),
      active_from: a.activeFrom,
      active_until: a.activeUntil,
      subject: a.subject,
      sample: a.sample,
    }),
    dates: ['active_from', 'active_until'],
  },
});

export const advisorImporter = rowImporter('advisors', advisorImport);
export const importAdvisors = advisorImporter.run;

/** Columns of `npm run import -- prefectural-programs FILE.csv`. */
export const PROGRAM_COLUMNS = [
  'prefecture_code',
  'fiscal_year',
  'implemented',
  'duties',
  'advisor_positions',
  'model_project',
  'source_name',
  'source_as_of',
  'sample',
] as const;

type ImportedProgram = StoredProgram & { externalId: string };

function parseProgram(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedProgram {
  const r = new RowReader(row, problems, warnings);
  const prefectureCode = r.prefectureCode('prefecture_code');
  // As the program's documents write it: 2025, 2025年度, 令和7年度, R7.
  const fiscalYear = readFiscalYear(r.text('fiscal_year')) ?? Number.NaN;
  if (!Number.isInteger(fiscalYear) || fiscalYear < FIRST_FISCAL_YEAR || fiscalYear > LAST_FISCAL_YEAR) {
    r.report(
      'fiscal_year',
      `must be a fiscal year from ${FIRST_FISCAL_YEAR} to ${LAST_FISCAL_YEAR}, such as 2025, 2025年度, 令和7年度 or R7`,
      `${FIRST_FISCAL_YEAR}〜${LAST_FISCAL_YEAR}の年度を 2025、2025年度、令和7年度、R7 のように指定してください`,
    );
  }
  // advisor_positions: "職種:人数" items, e.g. 主任相談支援専門員:2;社会福祉士:1
  const advisorPositions = r.counts('advisor_positions').map(({ name, count }) => ({ occupation: name, count }));
  const program: ImportedProgram = {
    id: programId(prefectureCode, fiscalYear),
    externalId: `${prefectureCode}-${fiscalYear}`,
    prefectureCode,
    fiscalYear,
    implemented: r.boolean('implemented'),
    duties: r.listOf('duties', Object.values(ProgramDuty), false, PROGRAM_DUTY_LABELS),
    advisorPositions,
    modelProject: r.boolean('model_project'),
    sourceName: r.text('source_name'),
    sourceAsOf: r.date('source_as_of') ?? '',
    sample: row.values.sample ? r.boolean('sample') : false,
    version: 1,
  };
  r.reportRuleProblems(validateProgram(program));
  return program;
}

/** Loads the prefectural programs, one row per prefecture and fiscal year (a new year adds to the history). */
const programImport = (): ImportSpec<ImportedProgram> => ({
  columns: PROGRAM_COLUMNS,
  idColumns: ['prefecture_code', 'fiscal_year'],
  prefectureOf: (p) => p.prefectureCode,
  parse: parseProgram,
  existing: async (manager, externalIds) => {
    const keys = externalIds.map((id) => ({ prefectureCode: id.slice(0, 2), fiscalYear: Number(id.slice(3)) }));
    return (await new ProgramStore(manager).byKeys(keys)).map((p) => ({ ...p, externalId: `${p.prefectureCode}-${p.fiscalYear}` }));
  },
  write: (manager, inserted, updated) => new ProgramStore(manager).save([...inserted, ...updated]),
  remove: (manager, programs) => new ProgramStore(manager).remove(programs.map((p) => p.id)),
  download: {
    keys: (manager, prefectures) => new ProgramStore(manager).keysOf(prefectures),
    row: (p) => ({
      prefecture_code: p.prefectureCode,
      fiscal_year: p.fiscalYear,
      implemented: p.implemented,
      duties: p.duties.join(LIST_SEPARATOR),
      advisor_positions: p.advisorPositions.map((position) => `${position.occupation}:${position.count}`).join(LIST_SEPARATOR),
      model_project: p.modelProject,
      source_name: p.sourceName,
      source_as_of: p.sourceAsOf,
      sample: p.sample,
    }),
    dates: ['source_as_of'],
    labels: { duties: { labels: PROGRAM_DUTY_LABELS, list: true } },
  },
});

export const programImporter = rowImporter('prefectural-programs', programImport);
export const importPrograms = programImporter.run;

/** Columns of `npm run import -- visits FILE.csv` (派遣記録: the prefecture's log of advisor visits). */
export const VISIT_COLUMNS = ['visit_id', 'prefecture_code', 'visited_on', 'advisor_ids', 'municipality_codes', 'format', 'purposes', 'summary'] as const;
/** A log may leave these out (then empty); `advisor_names` is checked against the roster ids, not stored. */
export const VISIT_OPTIONAL_COLUMNS = ['topics', 'issues_found', 'attendees', 'sample', 'advisor_names'] as const;

/**
 * A visit as its file row carries it: advisors by their roster ids (`advisor_id` of the advisors import),
 * lists in a fixed order. Notes (要配慮個人情報) and cancellation are not in files: they are recorded per
 * visit through the API, where every read of notes is audited, and an import leaves them as they are.
 */
type ImportedVisit = Omit<VisitRecord, 'advisorIds' | 'notes'> & {
  id: string;
  externalId: string;
  advisors: string[];
  sample: boolean;
  version: number;
};

function parseVisit(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedVisit {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('visit_id');
  const visit: ImportedVisit = {
    id: uuidFromKey(`visit:${externalId}`),
    externalId,
    prefectureCode: r.prefectureCode('prefecture_code'),
    visitedOn: r.date('visited_on') ?? '',
    advisors: [...new Set(r.list('advisor_ids', true, 'values'))].sort(),
    municipalityCodes: [...new Set(r.municipalityCodes('municipality_codes'))].sort(),
    format: r.oneOf('format', Object.values(VisitFormat), FORMAT_LABELS),
    purposes: [...new Set(r.listOf('purposes', Object.values(VisitPurpose), true, PURPOSE_LABELS))],
    topics: r.list('topics', false),
    summary: r.text('summary', false),
    issuesFound: r.text('issues_found', false),
    // 役割:人数 items, e.g. 市町村障害福祉担当:2;相談支援事業所:1
    attendees: r.counts('attendees').map(({ name, count }) => ({ role: name, count })),
    sample: row.values.sample ? r.boolean('sample') : false,
    version: 1,
  };
  // The API's rules, with its field names as this file's columns.
  const problemsOfRules = validateVisit({ ...visit, advisorIds: visit.advisors, notes: null }, todayInJapan()).map((p) => ({
    ...p,
    field: p.field === 'date' ? 'visitedOn' : p.field === 'advisorIds' ? 'advisor_ids' : p.field.replace(/\[\d+\].*$/, ''),
  }));
  r.reportRuleProblems(problemsOfRules);
  return visit;
}

/** Stored visits as their file rows (their advisors by roster id): two statements. The file ids of cancelled ones go to `cancelled`. */
async function visitRows(manager: EntityManager, externalIds: readonly string[], cancelled?: Set<string>): Promise<ImportedVisit[]> {
  const store = new DispatchStore(manager);
  const visits = await store.visitsByExternalIds(externalIds);
  for (const v of visits) if (v.status === VisitStatus.CANCELLED) cancelled?.add(v.externalId ?? v.id);
  const rosterIds = new Map((await store.advisorsByIds([...new Set(visits.flatMap((v) => v.advisorIds))])).map((a) => [a.id, a.externalId ?? a.id]));
  return visits.map((v) => ({
    id: v.id,
    externalId: v.externalId ?? v.id,
    prefectureCode: v.prefectureCode,
    visitedOn: v.visitedOn,
    advisors: v.advisorIds.map((id) => rosterIds.get(id) ?? id).sort(),
    municipalityCodes: v.municipalityCodes,
    format: v.format,
    purposes: v.purposes,
    topics: v.topics,
    summary: v.summary,
    issuesFound: v.issuesFound,
    attendees: v.attendees.map((a) => ({ role: a.role, count: a.count })),
    sample: v.sample,
    version: v.version,
  }));
}

/** A roster id as a drop-down list cell may give it beside the name (`S-ADV-01-1 田中 亮`): letters, digits, `-` and `_`. */
const ROSTER_ID = '[A-Za-z0-9](?:[\\w-]*[A-Za-z0-9])?';

/**
 * Reads an advisor named where their roster id belongs (a log kept in Excel names people, not ids) as that id
 * (advisorNamed), adding them to `known` and saying so in `warnings`; an id, or a name of nobody, comes back as
 * it was, for the id check to refuse. One statement for the prefectures whose rows name someone, none when every
 * value is an id.
 */
async function advisorNameReader(
  store: DispatchStore,
  rows: ReadonlyArray<{ prefectureCode: string; given: readonly string[] }>,
  known: Map<string | null, StoredAdvisor>,
  warnings: RowProblem[],
): Promise<(given: string, at: { line: number; column: string; prefectureCode: string; on: string }) => { id: string } | { problem: RowProblem }> {
  const prefectures = [...new Set(rows.filter((r) => r.given.some((given) => !known.has(given))).map((r) => r.prefectureCode))];
  const byName = new Map<string, StoredAdvisor[]>();
  const byId = new Map<string, StoredAdvisor>();
  for (const advisor of prefectures.length > 0 ? await store.advisorsOfPrefectures(prefectures) : []) {
    if (!advisor.externalId) continue; // every advisor has one (the API's its id); a file names no other
    const key = `${advisor.prefectureCode}|${comparablePersonName(advisor.name)}`;
    byName.set(key, [...(byName.get(key) ?? []), advisor]);
    byId.set(advisor.externalId, advisor);
  }
  return (given, { line, column, prefectureCode, on }) => {
    if (known.has(given)) return { id: given };
    // An id and its name in one cell, as a drop-down list writes them: read when they are one advisor of the row's prefecture.
    const pair = keyAndName(given, ROSTER_ID);
    const paired = pair && byId.get(pair.key);
    const read =
      paired && paired.prefectureCode === prefectureCode && comparablePersonName(paired.name) === comparablePersonName(pair.name)
        ? { advisor: paired }
        : advisorNamed(given, { prefectureCode, visitedOn: on }, byName);
    if ('several' in read) return { problem: { line, column, value: given.slice(0, 200), ...read.several } };
    if ('none' in read) return { id: given };
    known.set(read.advisor.externalId, read.advisor);
    warnings.push({
      line,
      column,
      value: given.slice(0, 200),
      reason: `the advisor named "${given}" read as their id ${read.advisor.externalId}`,
      reasonJa: `アドバイザー「${given}」をID ${read.advisor.externalId} として読みました`,
    });
    return { id: read.advisor.externalId! };
  };
}

/**
 * The advisor a row names where their roster id belongs: the one of the row's prefecture with that name — of
 * two with it, the one active on the visit's date. Several still: refused, naming their ids; none: the value
 * stays, for the id check to refuse.
 */
function advisorNamed(
  given: string,
  visit: { prefectureCode: string; visitedOn: string },
  byName: ReadonlyMap<string, StoredAdvisor[]>,
): { advisor: StoredAdvisor } | { several: Reason } | { none: true } {
  const named = byName.get(`${visit.prefectureCode}|${comparablePersonName(given)}`) ?? [];
  const active = named.filter((a) => isAdvisorActiveOn(a, visit.visitedOn));
  const [only, ...others] = active.length > 0 ? active : named;
  if (!only) return { none: true };
  if (others.length === 0) return { advisor: only };
  const ids = [only, ...others]
    .map((a) => a.externalId)
    .sort()
    .join(LIST_SEPARATOR);
  return {
    several: {
      reason: `${others.length + 1} advisors of the roster are named ${given} (${ids}): give the id`,
      reasonJa: `名簿に「${given}」という名前のアドバイザーが${others.length + 1}人います（${ids}）。IDで指定してください`,
    },
  };
}

/**
 * Why the advisors' names a row gives beside their roster ids are not theirs (in any order), or null: the
 * trace of an id pasted without its name. The advisors are known (checked before) and of the row's prefecture.
 */
function advisorNamesProblem(given: string, rosterIds: readonly string[], advisors: ReadonlyMap<string | null, { name: string }>): Reason | null {
  const names = rosterIds.map((rosterId) => advisors.get(rosterId)!.name);
  // Not on ・: a name may hold one (マリア・ガルシア).
  const listed = given
    .split(/[;；、,，\r\n]/u)
    .map(comparablePersonName)
    .filter(Boolean);
  if (listed.length === names.length && names.every((name) => listed.includes(comparablePersonName(name)))) return null;
  return {
    reason: `advisors ${rosterIds.join(LIST_SEPARATOR)} are ${names.join(LIST_SEPARATOR)}, not ${given}: check that the row's ids and names belong together`,
    reasonJa: `アドバイザーID ${rosterIds.join(LIST_SEPARATOR)} は「${names.join(LIST_SEPARATOR)}」です（「${given}」ではありません）。同じ行のIDと氏名を確かめてください`,
  };
}

/**
 * Loads a prefecture's visit log (派遣記録, e.g. the years kept in Excel before this system), matched on
 * `visit_id`: a new id records a visit, a known one updates what the file carries. The advisors are named
 * by their roster ids and must be registered (import the advisors first), of the visit's prefecture and
 * active on its date, as when a visit is recorded through the API.
 */
const visitImport = (options: ImportOptions): ImportSpec<ImportedVisit> => {
  // The advisors' names a row gives beside their ids (by line), checked against the roster.
  const namesGiven = new Map<number, string>();
  // The rows' visits cancelled through the API (by file id): a file leaves them as they are.
  const cancelled = new Set<string>();
  return {
    columns: VISIT_COLUMNS,
    optionalColumns: VISIT_OPTIONAL_COLUMNS,
    headerAliases: {
      訪問日: 'visited_on',
      派遣日: 'visited_on',
      実施日: 'visited_on',
      訪問先市町村コード: 'municipality_codes',
      実施形態: 'format',
      形式: 'format',
    },
    idColumns: ['visit_id'],
    prefectureOf: (v) => v.prefectureCode,
    parse: (row, problems, warnings) => {
      if (row.values.advisor_names) namesGiven.set(row.line, row.values.advisor_names);
      return parseVisit(row, problems, warnings);
    },
    existing: (manager, ids) => visitRows(manager, ids, cancelled),
    verify: async (manager, rows, _options, stored, warnings) => {
      const store = new DispatchStore(manager);
      const named = [...new Set(rows.flatMap(({ record }) => record.advisors))];
      const advisors = new Map((await store.advisorsByExternalIds(named)).map((a) => [a.externalId, a]));
      const readName = await advisorNameReader(
        store,
        rows.map(({ record }) => ({ prefectureCode: record.prefectureCode, given: record.advisors })),
        advisors,
        warnings,
      );
      const ambiguous: RowProblem[] = [];
      for (const { line, record } of rows) {
        const read = record.advisors.map((given) =>
          readName(given, { line, column: 'advisor_ids', prefectureCode: record.prefectureCode, on: record.visitedOn }),
        );
        for (const r of read) if ('problem' in r) ambiguous.push(r.problem);
        record.advisors = [...new Set(read.map((r, i) => ('id' in r ? r.id : record.advisors[i])))].sort();
      }
      if (ambiguous.length > 0) return ambiguous;
      // What was recorded at a visit (follow-ups, requests, assessments) stays for one of its municipalities, dated after it.
      const visitIds = new Map([...stored.values()].map((v) => [v.externalId, v.id]));
      const onVisit = new Map<string, RecordOnVisit[]>();
      // Named by the ids a file's reader knows: a follow-up by its id in files.
      for (const r of await store.recordsOnVisits([...visitIds.values()]))
        onVisit.set(r.visitId, [...(onVisit.get(r.visitId) ?? []), { ...r, id: r.fileId ?? r.id }]);
      return rows.flatMap(({ line, record }) => {
        if (cancelled.has(record.externalId)) {
          // Not updated and left cancelled (the download lists active visits only): the file and the log disagree.
          return [
            {
              line,
              column: 'visit_id',
              value: record.externalId,
              reason: `visit ${record.externalId} was cancelled in the system, and a file does not change a cancelled visit: take its row out (if the visit did take place, record it under a new id)`,
              reasonJa: `派遣記録 ${record.externalId} はシステムで取りやめになっており、ファイルでは変更できません。この行を削除してください（実施した場合は別のIDで記録してください）`,
            },
          ];
        }
        const ofRecordsOnIt = onChangedVisitProblems(record, onVisit.get(visitIds.get(record.externalId) ?? '') ?? []).map((p) => ({
          line,
          column: p.field === 'date' ? 'visited_on' : 'municipality_codes',
          reason: p.reason,
          reasonJa: p.reasonJa,
        }));
        const problems: RowProblem[] = record.advisors.flatMap((rosterId) => {
          const problem = visitAdvisorProblem(advisors.get(rosterId), rosterId, record);
          return problem ? [{ line, column: 'advisor_ids', value: rosterId, ...problem }] : [];
        });
        problems.push(...ofRecordsOnIt);
        const given = namesGiven.get(line);
        if (given && problems.length === 0) {
          const wrong = advisorNamesProblem(given, record.advisors, advisors);
          if (wrong) problems.push({ line, column: 'advisor_names', value: given.slice(0, 200), ...wrong });
        }
        return problems;
      });
    },
    write: async (manager, inserted, updated) => {
      const store = new DispatchStore(manager);
      const named = [...new Set([...inserted, ...updated].flatMap((v) => v.advisors))];
      const advisorIds = new Map((await store.advisorsByExternalIds(named)).map((a) => [a.externalId, a.id]));
      const actor = options.actor ?? 'import';
      const stored = (v: ImportedVisit): StoredVisit => ({
        ...v,
        advisorIds: v.advisors.map((rosterId) => advisorIds.get(rosterId)!).sort(),
        notes: null,
        status: VisitStatus.ACTIVE,
        cancelReason: null,
        createdBy: actor,
        createdAt: '',
        updatedBy: actor,
        updatedAt: '',
      });
      await store.insertVisits(inserted.map(stored));
      await store.updateVisitContents(updated.map(stored), actor);
    },
    remove: (manager, visits) => new DispatchStore(manager).removeImportedVisits(visits.map((v) => v.id)),
    download: {
      keys: (manager, prefectures, fiscalYear) => new DispatchStore(manager).visitExternalIdsOf(prefectures, fiscalYear),
      // ?fiscalYear=: the visits dated in it.
      byFiscalYear: true,
      row: (v) => ({
        visit_id: v.externalId,
        prefecture_code: v.prefectureCode,
        visited_on: v.visitedOn,
        advisor_ids: v.advisors.join(LIST_SEPARATOR),
        municipality_codes: v.municipalityCodes.join(LIST_SEPARATOR),
        format: v.format,
        purposes: v.purposes.join(LIST_SEPARATOR),
        summary: v.summary,
        sample: v.sample,
        topics: v.topics.join(LIST_SEPARATOR),
        issues_found: v.issuesFound,
        attendees: v.attendees.map((a) => `${a.role}:${a.count}`).join(LIST_SEPARATOR),
      }),
      dates: ['visited_on'],
      labels: { format: { labels: FORMAT_LABELS }, purposes: { labels: PURPOSE_LABELS, list: true } },
      names: {
        columns: [{ key: 'advisor_names', after: 'advisor_ids' }],
        of: async (manager, visits) => {
          const advisors = await new DispatchStore(manager).advisorsByExternalIds([...new Set(visits.flatMap((v) => v.advisors))]);
          const names = new Map(advisors.map((a) => [a.externalId, a.name]));
          return (v) => ({ advisor_names: v.advisors.map((rosterId) => names.get(rosterId) ?? '').join(LIST_SEPARATOR) });
        },
      },
    },
  };
};

export const visitImporter = rowImporter('visits', visitImport);

/** Columns of `npm run import -- follow-ups FILE.csv` (what was agreed on the visits, with owner, due date and outcome). */
export const FOLLOW_UP_COLUMNS = ['follow_up_id', 'prefecture_code', 'visit_id', 'municipality_code', 'description', 'owner_kind', 'due_on'] as const;
/** Absent: owned by the municipality's side, open. */
export const FOLLOW_UP_OPTIONAL_COLUMNS = ['owner_advisor_id', 'owner_advisor_name', 'status', 'completed_on', 'drop_reason'] as const;

/** A follow-up as its file row carries it: its visit and owner by their keys in files. */
interface ImportedFollowUp {
  id: string;
  externalId: string;
  prefectureCode: string;
  visit: string;
  municipalityCode: string;
  description: string;
  ownerKind: FollowUpOwnerKind;
  ownerAdvisor: string | null;
  dueOn: string;
  status: FollowUpStatus;
  completedOn: string | null;
  dropReason: string | null;
  version: number;
}

function parseFollowUp(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedFollowUp {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('follow_up_id');
  const followUp: ImportedFollowUp = {
    id: uuidFromKey(`follow-up:${externalId}`),
    externalId,
    prefectureCode: r.prefectureCode('prefecture_code'),
    visit: r.text('visit_id'),
    municipalityCode: r.municipalityCode('municipality_code'),
    description: r.text('description'),
    ownerKind: r.oneOf('owner_kind', Object.values(FollowUpOwnerKind), OWNER_KIND_LABELS),
    ownerAdvisor: r.optionalText('owner_advisor_id'),
    dueOn: r.date('due_on') ?? '',
    status: row.values.status ? r.oneOf('status', Object.values(FollowUpStatus), FOLLOW_UP_STATUS_LABELS) : FollowUpStatus.OPEN,
    completedOn: r.date('completed_on', false),
    dropReason: r.optionalText('drop_reason'),
    version: 1,
  };
  if (followUp.ownerAdvisor === null) {
    r.notApplicable('owner_advisor_name', {
      reason: "owner_advisor_id is empty: the name is only checked against the advisor's id, give it",
      reasonJa: '担当アドバイザーIDが空欄です（氏名はIDの確認にだけ使います）。IDを入力してください',
    });
  }
  if ((followUp.ownerKind === FollowUpOwnerKind.ADVISOR) !== (followUp.ownerAdvisor !== null)) {
    r.report(
      'owner_advisor_id',
      'give an advisor exactly when the owner is ADVISOR (アドバイザー)',
      '担当がアドバイザーのときだけ、担当アドバイザーIDを入力してください',
    );
  }
  if ((followUp.status === FollowUpStatus.DONE) !== (followUp.completedOn !== null)) {
    r.report('completed_on', 'give the day it was done exactly when the status is DONE (完了)', '状況が完了のときだけ、完了日を入力してください');
  }
  if ((followUp.status === FollowUpStatus.DROPPED) !== (followUp.dropReason !== null)) {
    r.report('drop_reason', 'say why exactly when the status is DROPPED (取りやめ)', '状況が取りやめのときだけ、取りやめの理由を入力してください');
  }
  return followUp;
}

/** Stored follow-ups as their file rows (visit and owner by their keys in files): three statements. */
async function followUpRows(manager: EntityManager, externalIds: readonly string[]): Promise<ImportedFollowUp[]> {
  const store = new DispatchStore(manager);
  const followUps = await store.followUpsByExternalIds(externalIds);
  const visits = new Map((await store.visitsByIds([...new Set(followUps.map((f) => f.visitId))])).map((v) => [v.id, v]));
  const owners = new Map(
    (await store.advisorsByIds(followUps.flatMap((f) => (f.ownerAdvisorId ? [f.ownerAdvisorId] : [])))).map((a) => [a.id, a.externalId ?? a.id]),
  );
  return followUps.map((f) => ({
    id: f.id,
    externalId: f.externalId ?? f.id,
    prefectureCode: visits.get(f.visitId)!.prefectureCode,
    visit: visits.get(f.visitId)!.externalId ?? f.visitId,
    municipalityCode: f.municipalityCode,
    description: f.description,
    ownerKind: f.ownerKind as FollowUpOwnerKind,
    ownerAdvisor: f.ownerAdvisorId ? (owners.get(f.ownerAdvisorId) ?? f.ownerAdvisorId) : null,
    dueOn: f.dueOn,
    status: f.status,
    completedOn: f.completedOn,
    dropReason: f.dropReason,
    version: f.version,
  }));
}

/**
 * Loads what was agreed on the visits (フォローアップ: to-dos with owner, due date and outcome), matched on
 * `follow_up_id`, each on a visit by its `visit_id` (import the visits first): for one of the visit's
 * municipalities, due and done no earlier than the visit, owned by the municipality or by an advisor of the
 * visit's prefecture. Overdue ones count in the worklist at once.
 */
const followUpImport = (): ImportSpec<ImportedFollowUp> => {
  // The owner's name a row gives beside the roster id (by line), checked against the roster.
  const namesGiven = new Map<number, string>();
  return {
    columns: FOLLOW_UP_COLUMNS,
    optionalColumns: FOLLOW_UP_OPTIONAL_COLUMNS,
    idColumns: ['follow_up_id'],
    prefectureOf: (f) => f.prefectureCode,
    parse: (row, problems, warnings) => {
      if (row.values.owner_advisor_name) namesGiven.set(row.line, row.values.owner_advisor_name);
      return parseFollowUp(row, problems, warnings);
    },
    existing: (manager, ids) => followUpRows(manager, ids),
    verify: async (manager, rows, _options, _stored, warnings) => {
      const store = new DispatchStore(manager);
      const visits = new Map((await store.visitsByExternalIds([...new Set(rows.map(({ record }) => record.visit))])).map((v) => [v.externalId, v]));
      const owners = new Map<string | null, StoredAdvisor>(
        (await store.advisorsByExternalIds(rows.flatMap(({ record }) => (record.ownerAdvisor ? [record.ownerAdvisor] : [])))).map((a) => [a.externalId, a]),
      );
      const readName = await advisorNameReader(
        store,
        rows.map(({ record }) => ({ prefectureCode: record.prefectureCode, given: record.ownerAdvisor ? [record.ownerAdvisor] : [] })),
        owners,
        warnings,
      );
      const ambiguous: RowProblem[] = [];
      for (const { line, record } of rows) {
        if (!record.ownerAdvisor) continue;
        const read = readName(record.ownerAdvisor, { line, column: 'owner_advisor_id', prefectureCode: record.prefectureCode, on: record.dueOn });
        if ('id' in read) record.ownerAdvisor = read.id;
        else ambiguous.push(read.problem);
      }
      if (ambiguous.length > 0) return ambiguous;
      return rows.flatMap(({ line, record }): RowProblem[] => {
        const problem = (column: string, reason: string, reasonJa: string, value?: string) => ({ line, column, reason, reasonJa, ...(value ? { value } : {}) });
        const visit = visits.get(record.visit);
        const unusable = visitOfRowProblem(line, record.visit, visit, record.prefectureCode, { en: 'follow-up', ja: 'フォローアップ' });
        if (unusable || !visit) return unusable ? [unusable] : [];
        const columns = { municipalityCode: 'municipality_code', dueOn: 'due_on', completedOn: 'completed_on' } as const;
        const problems: RowProblem[] = followUpOnVisitProblems(record, visit).map((p) => {
          const field = p.field as keyof typeof columns;
          return problem(columns[field], p.reason, p.reasonJa, record[field] ?? undefined);
        });
        const owner = record.ownerAdvisor && owners.get(record.ownerAdvisor);
        if (record.ownerAdvisor && (!owner || owner.prefectureCode !== record.prefectureCode)) {
          problems.push(
            problem(
              'owner_advisor_id',
              `no advisor of prefecture ${record.prefectureCode} has id ${record.ownerAdvisor}`,
              `都道府県 ${record.prefectureCode} のアドバイザーに ID ${record.ownerAdvisor} は登録されていません`,
              record.ownerAdvisor,
            ),
          );
        } else if (record.ownerAdvisor && namesGiven.has(line)) {
          const given = namesGiven.get(line)!;
          const wrong = advisorNamesProblem(given, [record.ownerAdvisor], owners);
          if (wrong) problems.push({ line, column: 'owner_advisor_name', value: given.slice(0, 200), ...wrong });
        }
        return problems;
      });
    },
    write: async (manager, inserted, updated) => {
      const store = new DispatchStore(manager);
      const all = [...inserted, ...updated];
      const visits = new Map((await store.visitsByExternalIds([...new Set(all.map((f) => f.visit))])).map((v) => [v.externalId, v.id]));
      const owners = new Map(
        (await store.advisorsByExternalIds(all.flatMap((f) => (f.ownerAdvisor ? [f.ownerAdvisor] : [])))).map((a) => [a.externalId, a.id]),
      );
      await store.saveFollowUps(
        all.map((f) => ({
          id: f.id,
          externalId: f.externalId,
          visitId: visits.get(f.visit)!,
          municipalityCode: f.municipalityCode,
          description: f.description,
          ownerKind: f.ownerKind,
          ownerAdvisorId: f.ownerAdvisor ? owners.get(f.ownerAdvisor)! : null,
          dueOn: f.dueOn,
          status: f.status,
          completedOn: f.completedOn,
          dropReason: f.dropReason,
          version: f.version,
        })),
      );
    },
    remove: (manager, followUps) => new DispatchStore(manager).removeFollowUps(followUps.map((f) => f.id)),
    download: {
      keys: (manager, prefectures, fiscalYear) => new DispatchStore(manager).followUpExternalIdsOf(prefectures, fiscalYear),
      // ?fiscalYear=: the follow-ups of the visits dated in it.
      byFiscalYear: true,
      row: (f) => ({
        follow_up_id: f.externalId,
        prefecture_code: f.prefectureCode,
        visit_id: f.visit,
        municipality_code: f.municipalityCode,
        description: f.description,
        owner_kind: f.ownerKind,
        due_on: f.dueOn,
        owner_advisor_id: f.ownerAdvisor,
        status: f.status,
        completed_on: f.completedOn,
        drop_reason: f.dropReason,
      }),
      dates: ['due_on', 'completed_on'],
      labels: { owner_kind: { labels: OWNER_KIND_LABELS }, status: { labels: FOLLOW_UP_STATUS_LABELS } },
      names: {
        columns: [{ key: 'owner_advisor_name', after: 'owner_advisor_id' }],
        of: async (manager, followUps) => {
          const owners = await new DispatchStore(manager).advisorsByExternalIds(followUps.flatMap((f) => (f.ownerAdvisor ? [f.ownerAdvisor] : [])));
          const names = new Map(owners.map((a) => [a.externalId, a.name]));
          return (f) => ({ owner_advisor_name: f.ownerAdvisor ? (names.get(f.ownerAdvisor) ?? '') : '' });
        },
      },
    },
  };
};

export const followUpImporter = rowImporter('follow-ups', followUpImport);

/**
 * Why a row's record cannot be on the visit it names (`visit_id`, the visit's id in files): the visit is
 * cancelled, or none of the row's prefecture (another prefecture's visit is answered as none: its staff
 * alone may read it); null when it can be.
 */
function visitOfRowProblem(
  line: number,
  key: string,
  visit: StoredVisit | undefined,
  prefectureCode: string,
  record: { en: string; ja: string },
): RowProblem | null {
  // A cancelled visit of the row's own prefecture is named as such (its staff may read it).
  if (visit?.status === VisitStatus.CANCELLED && visit.prefectureCode === prefectureCode) {
    return {
      line,
      column: 'visit_id',
      value: key,
      reason: `visit ${key} was cancelled in the system: a cancelled visit takes no ${record.en} (take the row out)`,
      reasonJa: `派遣記録 ${key} はシステムで取りやめになっています。取りやめた訪問には${record.ja}を付けられません（この行を削除してください）`,
    };
  }
  if (!visit || visit.status !== VisitStatus.ACTIVE || visit.prefectureCode !== prefectureCode) {
    return {
      line,
      column: 'visit_id',
      value: key,
      reason: `no visit of prefecture ${prefectureCode} has id ${key} (import the visits first)`,
      reasonJa: `都道府県 ${prefectureCode} の訪問に ID ${key} はありません（先に派遣記録を取り込んでください）`,
    };
  }
  return null;
}

/** Columns of `npm run import -- requests FILE.csv` (要望: what municipalities asked the prefecture for, and the answer). */
export const REQUEST_COLUMNS = ['request_id', 'prefecture_code', 'municipality_code', 'raised_on', 'summary'] as const;
/** Absent: raised outside a visit, received (受付), not answered yet. */
export const REQUEST_OPTIONAL_COLUMNS = ['visit_id', 'status', 'response'] as const;

/** A request as its file row carries it: its visit by its key in files. */
interface ImportedRequest {
  id: string;
  externalId: string;
  prefectureCode: string;
  municipalityCode: string;
  visit: string | null;
  raisedOn: string;
  summary: string;
  status: RequestStatus;
  response: string | null;
  version: number;
}

function parseRequest(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedRequest {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('request_id');
  const request: ImportedRequest = {
    id: uuidFromKey(`request:${externalId}`),
    externalId,
    prefectureCode: r.prefectureCode('prefecture_code'),
    municipalityCode: r.municipalityCode('municipality_code'),
    visit: r.optionalText('visit_id'),
    raisedOn: r.date('raised_on') ?? '',
    summary: r.text('summary').trim(),
    status: row.values.status ? r.oneOf('status', Object.values(RequestStatus), REQUEST_STATUS_LABELS) : RequestStatus.RECEIVED,
    response: r.optionalText('response'),
    version: 1,
  };
  r.reportRuleProblems(validateRequest(request));
  return request;
}

/** Stored requests as their file rows (the visit by its key in files): two statements. */
async function requestRows(manager: EntityManager, externalIds: readonly string[]): Promise<ImportedRequest[]> {
  const store = new DispatchStore(manager);
  const requests = await store.requestsByExternalIds(externalIds);
  const visits = new Map((await store.visitsByIds([...new Set(requests.flatMap((q) => (q.visitId ? [q.visitId] : [])))])).map((v) => [v.id, v]));
  return requests.map((q) => ({
    id: q.id,
    externalId: q.externalId ?? q.id,
    prefectureCode: q.municipalityCode.slice(0, 2),
    municipalityCode: q.municipalityCode,
    visit: q.visitId ? (visits.get(q.visitId)!.externalId ?? q.visitId) : null,
    raisedOn: q.raisedOn,
    summary: q.summary,
    status: q.status,
    response: q.response,
    version: q.version,
  }));
}

/**
 * Loads municipalities' requests to the prefecture (要望: what was asked, when, and the answer), matched on
 * `request_id`: for a municipality of the row's prefecture, raised no later than today; one raised at a
 * visit names it (`visit_id`: import the visits first), for one of the visit's municipalities and no earlier
 * than it — the rules of createRequest.
 */
const requestImport = (): ImportSpec<ImportedRequest> => ({
  columns: REQUEST_COLUMNS,
  optionalColumns: REQUEST_OPTIONAL_COLUMNS,
  headerAliases: { 要望内容: 'summary', 要望の内容: 'summary' },
  idColumns: ['request_id'],
  prefectureOf: (q) => q.prefectureCode,
  parse: parseRequest,
  existing: (manager, ids) => requestRows(manager, ids),
  verify: async (manager, rows, _options, stored) => {
    const keys = [...new Set(rows.flatMap(({ record }) => (record.visit ? [record.visit] : [])))];
    const visits = new Map((await new DispatchStore(manager).visitsByExternalIds(keys)).map((v) => [v.externalId, v]));
    return rows.flatMap(({ line, record }): RowProblem[] => {
      if (!record.visit) return [];
      // A stored request left where it is on its visit is not checked again: its visit may have been cancelled
      // since (a file downloaded and sent back unchanged imports as unchanged).
      const before = stored.get(record.externalId);
      if (before && before.visit === record.visit && before.municipalityCode === record.municipalityCode && before.raisedOn === record.raisedOn) return [];
      const visit = visits.get(record.visit);
      const unusable = visitOfRowProblem(line, record.visit, visit, record.prefectureCode, { en: 'request', ja: '要望' });
      if (unusable || !visit) return unusable ? [unusable] : [];
      const columns = { municipalityCode: 'municipality_code', raisedOn: 'raised_on' } as const;
      return onVisitProblems(record, [['raisedOn', record.raisedOn]], visit).map((p) => {
        const field = p.field as keyof typeof columns;
        return { line, column: columns[field], value: record[field], reason: p.reason, reasonJa: p.reasonJa };
      });
    });
  },
  write: async (manager, inserted, updated) => {
    const store = new DispatchStore(manager);
    const all = [...inserted, ...updated];
    const keys = [...new Set(all.flatMap((q) => (q.visit ? [q.visit] : [])))];
    const visits = new Map((await store.visitsByExternalIds(keys)).map((v) => [v.externalId, v.id]));
    await store.saveRequests(
      all.map((q) => ({
        id: q.id,
        externalId: q.externalId,
        visitId: q.visit ? visits.get(q.visit)! : null,
        municipalityCode: q.municipalityCode,
        summary: q.summary,
        status: q.status,
        response: q.response,
        raisedOn: q.raisedOn,
        version: q.version,
      })),
    );
  },
  remove: (manager, requests) => new DispatchStore(manager).removeRequests(requests.map((q) => q.id)),
  download: {
    keys: (manager, prefectures, fiscalYear) => new DispatchStore(manager).requestExternalIdsOf(prefectures, fiscalYear),
    // ?fiscalYear=: the requests raised in it.
    byFiscalYear: true,
    row: (q) => ({
      request_id: q.externalId,
      prefecture_code: q.prefectureCode,
      municipality_code: q.municipalityCode,
      raised_on: q.raisedOn,
      summary: q.summary,
      visit_id: q.visit,
      status: q.status,
      response: q.response,
    }),
    dates: ['raised_on'],
    labels: { status: { labels: REQUEST_STATUS_LABELS } },
  },
});

export const requestImporter = rowImporter('requests', requestImport);

/**
 * Columns of `npm run import -- assessments FILE.csv` (チェックリスト評価: a municipality's self-check, one row per
 * item of the checklist): an assessment is its rows of one template, municipality and date.
 */
export const ASSESSMENT_COLUMNS = ['prefecture_code', 'municipality_code', 'assessed_on', 'template_id', 'item_id', 'result'] as const;
/** `item_text` beside the item, as the download has it (checked, never stored); a comment; the visit it was recorded at. */
export const ASSESSMENT_OPTIONAL_COLUMNS = ['item_text', 'comment', 'visit_id'] as const;

/** The marks self-check sheets answer with, besides the codes and the Japanese labels: ○ met, △ partly, × not met. */
const RESULT_MARKS: Readonly<Record<string, AssessmentResult>> = {
  '○': AssessmentResult.MET,
  〇: AssessmentResult.MET,
  '◯': AssessmentResult.MET,
  '△': AssessmentResult.PARTLY,
  '×': AssessmentResult.NOT_MET,
  '✕': AssessmentResult.NOT_MET,
};

/** One answer of an assessment as its file row carries it; keyed by template, municipality, date and item. */
interface ImportedAssessmentResult {
  id: string;
  externalId: string;
  prefectureCode: string;
  municipalityCode: string;
  assessedOn: string;
  templateId: string;
  itemId: string;
  result: AssessmentResult;
  comment: string;
  /** The assessment's visit, by its id in files (one per assessment: every row of it gives the same). */
  visit: string | null;
  version: number;
}

function parseAssessmentResult(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedAssessmentResult {
  const r = new RowReader(row, problems, warnings);
  const mark = RESULT_MARKS[(row.values.result ?? '').trim()];
  const answer = {
    prefectureCode: r.prefectureCode('prefecture_code'),
    municipalityCode: r.municipalityCode('municipality_code'),
    assessedOn: r.date('assessed_on') ?? '',
    templateId: r.text('template_id'),
    itemId: r.text('item_id'),
    result: mark ?? r.oneOf('result', Object.values(AssessmentResult), ASSESSMENT_RESULT_LABELS),
    comment: r.text('comment', false).trim(),
    visit: r.optionalText('visit_id'),
    version: 1,
  };
  r.reportRuleProblems(municipalityCodeOfPrefectureProblems(answer.municipalityCode, answer.prefectureCode));
  // No template has another form of id; refused here, the key (joined with `|`) is read back unambiguously.
  if (answer.templateId && !TEMPLATE_ID.test(answer.templateId)) {
    r.report('templateId', `no checklist template has id ${answer.templateId.slice(0, 100)}`, `チェックリスト ${answer.templateId.slice(0, 100)} はありません`);
  }
  const externalId = answerKey(answer);
  return { id: assessmentAnswerId(externalId), externalId, ...answer };
}

/** Stored answers as their file rows: one statement. */
async function assessmentResultRows(manager: EntityManager, externalIds: readonly string[]): Promise<ImportedAssessmentResult[]> {
  const keys = externalIds.map((key) => {
    const [templateId, municipalityCode, assessedOn, ...item] = key.split('|');
    return { templateId, municipalityCode, assessedOn, itemId: item.join('|') };
  });
  return (await new DispatchStore(manager).assessmentResultsByKeys(keys)).map((a) => ({
    id: assessmentAnswerId(answerKey(a)),
    externalId: answerKey(a),
    prefectureCode: a.municipalityCode.slice(0, 2),
    municipalityCode: a.municipalityCode,
    assessedOn: a.assessedOn,
    templateId: a.templateId,
    itemId: a.itemId,
    result: a.result,
    comment: a.comment,
    visit: a.visitKey,
    version: 1,
  }));
}

/**
 * Loads municipalities' checklist self-checks (チェックリスト評価, e.g. the council guideline's), one row per item:
 * the rules of recordAssessment — a municipality of the row's prefecture, a template's items, each answered once,
 * a new assessment answering all of them; one recorded at a visit names it (`visit_id`: one of its
 * municipalities). A file may change the answers and comments of a stored assessment (a corrected sheet).
 */
const assessmentImport = (options: ImportOptions): ImportSpec<ImportedAssessmentResult> => {
  // The item text a row gives beside the item id (by line), checked against the template.
  const textsGiven = new Map<number, string>();
  return {
    columns: ASSESSMENT_COLUMNS,
    optionalColumns: ASSESSMENT_OPTIONAL_COLUMNS,
    idColumns: ['template_id', 'municipality_code', 'assessed_on', 'item_id'],
    prefectureOf: (a) => a.prefectureCode,
    parse: (row, problems, warnings) => {
      if (row.values.item_text) textsGiven.set(row.line, row.values.item_text);
      return parseAssessmentResult(row, problems, warnings);
    },
    existing: (manager, ids) => assessmentResultRows(manager, ids),
    verify: async (manager, rows, _options, stored) => {
      const store = new DispatchStore(manager);
      const templateIds = [...new Set(rows.map(({ record }) => record.templateId))];
      const templates = new Set((await store.templates(templateIds)).map((t) => t.id));
      const items = await store.itemsOf(templateIds);
      const itemsOf = new Map(templateIds.map((id) => [id, items.filter((i) => i.templateId === id)]));
      const keys = [...new Set(rows.flatMap(({ record }) => (record.visit ? [record.visit] : [])))];
      const visits = new Map((await store.visitsByExternalIds(keys)).map((v) => [v.externalId, v]));
      // Which assessments are stored at all (a new one must answer every item; a stored one may be corrected in part).
      const storedAssessments = new Set([...stored.values()].map(assessmentKey));
      const problems: RowProblem[] = [];
      const groups = new Map<string, Array<{ line: number; record: ImportedAssessmentResult }>>();
      for (const row of rows) groups.set(assessmentKey(row.record), [...(groups.get(assessmentKey(row.record)) ?? []), row]);
      for (const { line, record } of rows) {
        const item = itemsOf.get(record.templateId)?.find((i) => i.itemId === record.itemId);
        if (!templates.has(record.templateId)) {
          problems.push({
            line,
            column: 'template_id',
            value: record.templateId,
            reason: `no checklist template has id ${record.templateId} (templates: an admin imports them, checklist-template)`,
            reasonJa: `チェックリスト ${record.templateId} はありません（チェックリストは管理者が checklist-template で登録します）`,
          });
        } else if (!item) {
          problems.push({
            line,
            column: 'item_id',
            value: record.itemId,
            reason: `checklist ${record.templateId} has no item ${record.itemId}`,
            reasonJa: `チェックリスト ${record.templateId} に項目 ${record.itemId} はありません`,
          });
        } else if (textsGiven.has(line) && !sameText(textsGiven.get(line)!, item.text)) {
          problems.push({
            line,
            column: 'item_text',
            value: textsGiven.get(line)!.slice(0, 200),
            reason: `is not the text of item ${record.itemId} of ${record.templateId} ("${item.text}"): is the item id right?`,
            reasonJa: `${record.templateId} の項目 ${record.itemId} の文言（「${item.text}」）と異なります。項目IDを確かめてください`,
          });
        }
      }
      for (const [key, group] of groups) {
        const [{ line, record }] = group;
        const visitKeys = new Set(group.map((g) => g.record.visit ?? ''));
        if (visitKeys.size > 1) {
          problems.push({
            line: group.find((g) => (g.record.visit ?? '') !== (record.visit ?? ''))!.line,
            column: 'visit_id',
            reason: `every row of one assessment (${record.municipalityCode}, ${record.assessedOn}) gives the same visit`,
            reasonJa: `同じ評価（${record.municipalityCode}、${record.assessedOn}）の行は、すべて同じ派遣記録IDにしてください`,
          });
        } else if (record.visit && !group.every((g) => stored.get(g.record.externalId)?.visit === record.visit)) {
          // Checked when the file gives the assessment its visit (a stored one left on its visit is not: the
          // visit may have been cancelled since, and a file downloaded and sent back imports as unchanged).
          const visit = visits.get(record.visit);
          const unusable = visitOfRowProblem(line, record.visit, visit, record.prefectureCode, { en: 'checklist assessment', ja: 'チェックリスト評価' });
          if (unusable) problems.push(unusable);
          // Not dated by the visit: a self-check may be filled in before the advisor comes.
          else if (visit) {
            for (const p of onVisitProblems(record, [], visit))
              problems.push({ line, column: 'municipality_code', value: record.municipalityCode, reason: p.reason, reasonJa: p.reasonJa });
          }
        }
        const all = itemsOf.get(record.templateId) ?? [];
        const given = new Set(group.map((g) => g.record.itemId));
        const missing = all.filter((i) => !given.has(i.itemId)).map((i) => i.itemId);
        if (templates.has(record.templateId) && !storedAssessments.has(key) && missing.length > 0) {
          problems.push({
            line,
            column: 'item_id',
            reason: `a new assessment answers every item of ${record.templateId}: missing ${missing.join(', ')}`,
            reasonJa: `新しい評価には ${record.templateId} のすべての項目の回答が必要です（不足: ${missing.join('、')}）`,
          });
        }
      }
      return problems;
    },
    write: async (manager, inserted, updated) => {
      const store = new DispatchStore(manager);
      const all = [...inserted, ...updated];
      const keys = [...new Set(all.flatMap((a) => (a.visit ? [a.visit] : [])))];
      const visits = new Map((await store.visitsByExternalIds(keys)).map((v) => [v.externalId, v.id]));
      await store.saveAssessmentResults(
        all.map((a) => ({
          templateId: a.templateId,
          municipalityCode: a.municipalityCode,
          assessedOn: a.assessedOn,
          itemId: a.itemId,
          newAssessmentId: uuidFromKey(`assessment:${assessmentKey(a)}`),
          visitId: a.visit ? visits.get(a.visit)! : null,
          result: a.result,
          comment: a.comment,
        })),
        options.actor ?? 'import',
      );
    },
    remove: (manager, answers) => new DispatchStore(manager).removeAssessmentResults(answers),
    download: {
      keys: async (manager, prefectures, fiscalYear) => (await new DispatchStore(manager).assessmentResultKeysOf(prefectures, fiscalYear)).map(answerKey),
      // ?fiscalYear=: the assessments made in it.
      byFiscalYear: true,
      row: (a) => ({
        prefecture_code: a.prefectureCode,
        municipality_code: a.municipalityCode,
        assessed_on: a.assessedOn,
        template_id: a.templateId,
        item_id: a.itemId,
        result: a.result,
        comment: a.comment,
        visit_id: a.visit,
      }),
      dates: ['assessed_on'],
      labels: { result: { labels: ASSESSMENT_RESULT_LABELS } },
      names: {
        columns: [{ key: 'item_text', after: 'item_id' }],
        of: async (manager, answers) => {
          const items = await new DispatchStore(manager).itemsOf([...new Set(answers.map((a) => a.templateId))]);
          const texts = new Map(items.map((i) => [`${i.templateId}|${i.itemId}`, i.text]));
          return (a) => ({ item_text: texts.get(`${a.templateId}|${a.itemId}`) ?? '' });
        },
      },
    },
  };
};

/** Texts compared as people retype them: NFKC, without white space. */
const sameText = (a: string, b: string) => a.normalize('NFKC').replace(/\s+/gu, '') === b.normalize('NFKC').replace(/\s+/gu, '');

export const assessmentImporter = rowImporter('assessments', assessmentImport);

/** A checklist template's id: lower-case letters, digits and hyphens (it is part of an assessment's key in files, joined with `|`). */
const TEMPLATE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export const TEMPLATE_COLUMNS = ['template_id', 'template_name', 'source', 'item_id', 'section', 'text'] as const;
export const COUNCIL_GUIDELINE_CSV = projectPath('subgraphs', 'dispatch', 'reference', 'council-guideline-checklist.csv');

/**
 * Loads checklist templates (one or more, one row per item, in order). All or nothing; loading the
 * same file again changes nothing; items keep their ids so past assessments stay valid.
 */
export async function importChecklistTemplates(db: DataSource | EntityManager, source: ImportSource, options: ImportOptions = {}): Promise<ImportReport> {
  const report = emptyReport('checklist-template', options);
  const read = tableOf(source, report);
  const parsed = read && withHeader(read, TEMPLATE_COLUMNS, report, { aliases: japaneseAliases(TEMPLATE_COLUMNS) });
  if (!parsed) return report;
  const templates = new Map<string, { name: string; source: string; items: TemplateItem[] }>();
  const seen = new Set<string>();
  for (const row of parsed.rows) {
    const { line } = row;
    const problem = (column: string, reason: string, reasonJa: string) => report.problems.push({ line, column, reason, reasonJa } satisfies RowProblem);
    // Read as every import reads a cell: required, the API's length for an item id, nothing PostgreSQL cannot store.
    const r = new RowReader(row, report.problems, report.warnings);
    const values = Object.fromEntries(TEMPLATE_COLUMNS.map((column) => [column, r.text(column)])) as Record<(typeof TEMPLATE_COLUMNS)[number], string>;
    if (values.template_id && !TEMPLATE_ID.test(values.template_id)) {
      problem('template_id', 'lower-case letters, digits and hyphens', '半角英小文字・数字・ハイフンで、63文字以内にしてください');
    }
    const key = `${values.template_id}|${values.item_id}`;
    if (seen.has(key)) problem('item_id', 'repeats an item of this template', 'このテンプレートに同じ項目IDが重複しています');
    seen.add(key);
    const template = templates.get(values.template_id) ?? { name: values.template_name, source: values.source, items: [] };
    if (template.name !== values.template_name || template.source !== values.source) {
      problem('template_name', 'differs from the first row of this template', 'このテンプレートの最初の行と名称・出典が異なります');
    }
    template.items.push({
      templateId: values.template_id,
      itemId: values.item_id,
      position: template.items.length + 1,
      section: values.section,
      text: values.text,
    });
    templates.set(values.template_id, template);
  }
  if (report.problems.length > 0) return report;
  await importTransaction(db, async (manager) => {
    const store = new DispatchStore(manager);
    const changes: Array<{ before: ImportedTemplate | null; after: ImportedTemplate }> = [];
    for (const [id, t] of templates) {
      const before = await storedTemplate(store, id);
      const template = { id, name: t.name, source: t.source };
      const after: ImportedTemplate = { id: templateHistoryId(id), template, items: itemsAfterImport(before?.items ?? [], t.items) };
      const renamed = before !== null && canonicalJson(before.template) !== canonicalJson(template);
      const storedItems = new Map(before?.items.map((i) => [i.itemId, i]));
      const given = new Set(t.items.map((i) => i.itemId));
      // Counted per row of the file: the items it gives, as they are after the import.
      for (const item of after.items.filter((i) => given.has(i.itemId))) {
        const stored = storedItems.get(item.itemId);
        if (!stored) report.inserted += 1;
        else if (renamed || canonicalJson(stored) !== canonicalJson(item)) report.updated += 1;
        else report.unchanged += 1;
      }
      if (before === null || canonicalJson(before) !== canonicalJson(after)) changes.push({ before, after });
    }
    if (options.dryRun) return;
    for (const { after } of changes) await store.saveTemplate(after.template, after.items);
    report.applied = true;
    if (changes.length > 0) report.importId = await recordImport(manager, 'checklist-template', report, options, changes);
  });
  return report;
}

/**
 * A template's items after an import of `given` (numbered in the file's order). A file that gives every stored
 * item is the template: its order is theirs. One that gives some (a corrected wording) changes those in place
 * and adds its new ones after the last; an import never removes an item. So what is stored afterwards is this,
 * and the import's revert finds it unchanged.
 */
function itemsAfterImport(stored: readonly TemplateItem[], given: readonly TemplateItem[]): TemplateItem[] {
  const givenById = new Map(given.map((i) => [i.itemId, i]));
  if (stored.every((i) => givenById.has(i.itemId))) return [...given];
  const storedIds = new Set(stored.map((i) => i.itemId));
  let last = Math.max(0, ...stored.map((i) => i.position));
  return [
    ...stored.map((i) => (givenById.has(i.itemId) ? { ...givenById.get(i.itemId)!, position: i.position } : i)),
    ...given.filter((i) => !storedIds.has(i.itemId)).map((i) => ({ ...i, position: (last += 1) })),
  ].sort((a, b) => a.position - b.position);
}

/** A template with its items, as its import history keeps it. */
interface ImportedTemplate {
  id: string;
  template: { id: string; name: string; source: string };
  items: TemplateItem[];
}

const templateHistoryId = (templateId: string) => uuidFromKey(`template:${templateId}`);

async function storedTemplate(store: DispatchStore, id: string): Promise<ImportedTemplate | null> {
  const [stored] = await store.templates([id]);
  if (!stored) return null;
  return { id: templateHistoryId(id), template: { id, name: stored.name, source: stored.source }, items: await store.itemsOf([id]) };
}

/** Puts templates back as they were before an import; items it added go, unless an assessment has answered them (CONFLICT). */
async function revertChecklistTemplates(db: DataSource | EntityManager, importId: string, options: ImportOptions = {}): Promise<RevertReport> {
  return importTransaction(db, async (manager) => {
    const store = new DispatchStore(manager);
    const { changes } = await importedChanges<ImportedTemplate>(manager, 'checklist-template', importId, options);
    for (const { after } of changes) {
      const now = await storedTemplate(store, after.template.id);
      if (!now || canonicalJson(now) !== canonicalJson(after)) {
        throw conflict(
          `template ${after.template.id} changed since the import; nothing was reverted`,
          `テンプレート ${after.template.id} は取り込み後に変更されています`,
        );
      }
    }
    try {
      for (const { before, after } of changes) {
        const kept = new Set(before?.items.map((i) => i.itemId) ?? []);
        await store.deleteItems(
          after.template.id,
          after.items.filter((i) => !kept.has(i.itemId)).map((i) => i.itemId),
        );
        if (before) await store.saveTemplate(before.template, before.items);
        else await store.deleteTemplate(after.template.id);
      }
    } catch (error) {
      if ((error as { code?: string }).code !== '23503') throw error;
      throw conflict(
        'an assessment answers an item the import added; nothing was reverted',
        '取り込みで追加した項目に回答済みの評価があります。何も取り消していません',
      );
    }
    await recordRevert(manager, 'checklist-template', importId, options, changes);
    return { kind: 'checklist-template', importId, restored: changes.filter((c) => c.before).length, removed: changes.filter((c) => !c.before).length };
  });
}

/** Every template's items as rows of the import's file, in order (templates are national: no prefecture). */
async function downloadChecklistTemplates(db: DataSource | EntityManager): Promise<ImportDownload> {
  const store = new DispatchStore(db);
  const templates = new Map((await store.templates()).map((t) => [t.id, t]));
  const items = await store.itemsOf([...templates.keys()]);
  return {
    columns: downloadColumns(TEMPLATE_COLUMNS, []),
    rows: items.map((i) => ({
      template_id: i.templateId,
      template_name: templates.get(i.templateId)!.name,
      source: templates.get(i.templateId)!.source,
      item_id: i.itemId,
      section: i.section,
      text: i.text,
    })),
  };
}

/** National checklist templates: admins only. */
export const checklistTemplateImporter: RowImporter = { run: importChecklistTemplates, revert: revertChecklistTemplates, download: downloadChecklistTemplates };

/** The council-guideline template always; the sample log when `sampleData`. */
export async function seedDispatch(dataSource: DataSource, log: Logger | undefined, sampleData: boolean): Promise<void> {
  await loadShippedCsv(dataSource, 'council-guideline-checklist', COUNCIL_GUIDELINE_CSV, importChecklistTemplates, log);
  if (!sampleData) return;
  await loadOncePerVersion(dataSource, 'dispatch.sample', SAMPLE_VERSION, async (manager) => {
    const sample = sampleLog();
    const store = new DispatchStore(manager);
    // A newer sample version adds records: those an earlier one loaded (same ids) stay as they are, edits included.
    const loaded = async (table: string) => new Set<string>((await manager.query(`SELECT id FROM ${table}`)).map((r: { id: string }) => r.id));
    const isNew =
      <T extends { id: string }>(known: Set<string>) =>
      (record: T) =>
        !known.has(record.id);
    await store.saveAdvisors(sample.advisors.filter(isNew(await loaded('advisor'))));
    await store.insertVisits(sample.visits.filter(isNew(await loaded('visit'))));
    await store.saveFollowUps(sample.followUps.filter(isNew(await loaded('follow_up'))));
    await store.saveRequests(sample.requests.filter(isNew(await loaded('municipal_request'))));
    await store.saveAssessments(sample.assessments.filter(isNew(await loaded('assessment'))));
    log?.info({ dataset: 'dispatch.sample', advisors: sample.advisors.length, visits: sample.visits.length }, 'sample data loaded');
    return sample.visits.length;
  });
  await loadOncePerVersion(dataSource, 'dispatch.programs.sample', SAMPLE_PROGRAMS_VERSION, async (manager) => {
    const { programs } = sampleLog();
    await new ProgramStore(manager).save(programs);
    return programs.length;
  });
  await keepSampleAlive(dataSource, log);
}

/**
 * The living sample (sample/living.ts): visits and follow-ups for the days since the last start, up to
 * yesterday in Japan, at most the 365 days before today (and never inside the fixed log).
 */
export async function keepSampleAlive(dataSource: DataSource, log?: Logger, today = todayInJapan()): Promise<void> {
  const earliest = [addDays(SAMPLE_UNTIL, 1), addDays(today, -365)].sort()[1];
  await extendToDate(dataSource, 'dispatch.sample.living', earliest, addDays(today, -1), async (manager, from, until) => {
    const { programs, advisors } = sampleLog();
    const living = livingSample(from, until, today, programs, advisors);
    const store = new DispatchStore(manager);
    const known = new Set<string>(
      (await manager.query('SELECT id FROM visit WHERE id = ANY($1::uuid[])', [living.visits.map((v) => v.id)])).map((r: { id: string }) => r.id),
    );
    await store.insertVisits(living.visits.filter((v) => !known.has(v.id)));
    await store.saveFollowUps(living.followUps.filter((f) => !known.has(f.visitId)));
    log?.info({ dataset: 'dispatch.sample.living', from, until, visits: living.visits.length }, 'living sample extended');
    return living.visits.length;
  });
}
