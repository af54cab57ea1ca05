/**
 * CSV imports of the bases subgraph (`npm run import -- bases FILE.csv`, `… base-participants FILE.csv`),
 * all or nothing and idempotent (shared/csv-import.ts), also used for the sample dataset; and the
 * FY2024 service figures, real reference data loaded on every start once per version of the file.
 *
 * A bases row carries the base, its current coordinator arrangement (`coordinator_count` 0 for none)
 * and its latest annual review; coordinators and reviews recorded through the API are kept.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource, EntityManager } from 'typeorm';
import type { CsvRow } from '../../shared/csv';
import { readCsv } from '../../shared/csv';
import {
  type DownloadRow,
  type ImportReport,
  type ImportSpec,
  LIST_SEPARATOR,
  type RowProblem,
  RowReader,
  loadShippedCsv,
  rowImporter,
} from '../../shared/csv-import';
import { extendToDate, loadOncePerVersion } from '../../shared/data-import';
import { addDays, todayInJapan } from '../../shared/dates';
import { livingReviews } from './sample/living';
import { uuidFromKey } from '../../shared/ids';
import type { Logger } from '../../shared/log';
import { projectPath } from '../../shared/paths';
import { PREFECTURES } from '../../shared/reference/prefectures';
import { BaseStore, type ServiceFigureRow, type StoredBase } from './data/base.store';
import { BaseFunction, BaseModel, CoordinatorFunding, OrganizationKind, canonicalFunctions, validateBase, validateCoordinator } from './rules';
import { BASE_COLUMNS, PARTICIPANT_COLUMNS } from './sample/columns';
import { FUNCTION_LABELS, FUNDING_LABELS, MODEL_LABELS, ORGANIZATION_KIND_LABELS } from './types/enums';

export type { ImportReport };

/** A bases CSV row: the base, its imported coordinator arrangement and its latest review. */
interface ImportedBase extends StoredBase {
  coordinator: { count: number; funding: CoordinatorFunding; hostOrganization: string; startedOn: string } | null;
  review: { reviewedOn: string; summary: string } | null;
}

interface ImportedParticipant {
  id: string;
  externalId: string;
  version: number;
  baseExternalId: string;
  function: BaseFunction;
  organizationName: string;
  organizationKind: OrganizationKind;
}

const coordinatorId = (baseExternalId: string) => uuidFromKey(`base-coordinator:${baseExternalId}`);
/** Participant rows are identified by base, function and organization: `base_id|function|organization_name`. */
const participantId = (externalId: string) => uuidFromKey(`base-participant:${externalId}`);

function parseBase(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedBase {
  const r = new RowReader(row, problems, warnings);
  const externalId = r.text('base_id');
  const base: StoredBase = {
    id: uuidFromKey(`base:${externalId}`),
    externalId,
    version: 1,
    prefectureCode: r.prefectureCode('prefecture_code'),
    name: r.text('name'),
    model: r.oneOf('model', Object.values(BaseModel), MODEL_LABELS),
    municipalityCodes: r.municipalityCodes('municipality_codes').sort(),
    establishedOn: r.date('established_on') ?? '',
    closedOn: r.date('closed_on', false),
    functions: canonicalFunctions(r.listOf('functions', Object.values(BaseFunction), false, FUNCTION_LABELS)),
    emergencyPreregistrations: r.integer('emergency_preregistrations'),
    sourceName: r.text('source_name'),
    sourceAsOf: r.date('source_as_of') ?? '',
    sample: row.values.sample ? r.boolean('sample') : false,
  };
  r.reportRuleProblems(validateBase(base));

  let coordinator: ImportedBase['coordinator'] = null;
  const count = r.integer('coordinator_count');
  if (count > 0) {
    coordinator = {
      count,
      funding: r.oneOf('coordinator_funding', Object.values(CoordinatorFunding), FUNDING_LABELS),
      hostOrganization: r.text('coordinator_host'),
      startedOn: r.date('coordinator_started_on') ?? '',
    };
    const column: Record<string, string> = { count: 'coordinator_count', hostOrganization: 'coordinator_host', startedOn: 'coordinator_started_on' };
    const reported = new Set(problems.filter((p) => p.line === row.line).map((p) => p.column));
    for (const p of validateCoordinator({ ...coordinator, endedOn: null })) {
      if (!reported.has(column[p.field])) problems.push({ line: row.line, column: column[p.field] ?? p.field, reason: p.reason, reasonJa: p.reasonJa });
    }
  } else if (count === 0 && (row.values.coordinator_count ?? '').trim() !== '') {
    for (const column of ['coordinator_funding', 'coordinator_host', 'coordinator_started_on']) {
      r.notApplicable(column, {
        reason: 'coordinator_count is 0 (no coordinator): give the number of coordinators, or leave this empty',
        reasonJa: 'コーディネーター配置人数が0です。人数を入力するか、この欄を空にしてください',
      });
    }
  }
  const reviewedOn = r.date('last_review_on', false);
  const review = reviewedOn ? { reviewedOn, summary: r.text('last_review_summary') } : null;
  if (!reviewedOn && !row.values.last_review_on) {
    r.notApplicable('last_review_summary', {
      reason: 'last_review_on is empty: give the date of the review it summarises',
      reasonJa: '直近の検証・検討日が空欄です。その日付を入力してください',
    });
  }
  return { ...base, coordinator, review };
}

function parseParticipant(row: CsvRow, problems: RowProblem[], warnings: RowProblem[]): ImportedParticipant {
  const r = new RowReader(row, problems, warnings);
  const baseExternalId = r.text('base_id');
  const fn = r.oneOf('function', Object.values(BaseFunction), FUNCTION_LABELS);
  const organizationName = r.text('organization_name');
  const externalId = `${baseExternalId}|${fn}|${organizationName}`;
  return {
    id: participantId(externalId),
    externalId,
    version: 1,
    baseExternalId,
    function: fn,
    organizationName,
    organizationKind: r.oneOf('organization_kind', Object.values(OrganizationKind), ORGANIZATION_KIND_LABELS),
  };
}

/** A base as a row of the import's file (parseBase backwards): its imported coordinators, its latest review. */
const baseRow = (b: ImportedBase): DownloadRow => ({
  base_id: b.externalId,
  prefecture_code: b.prefectureCode,
  name: b.name,
  model: b.model,
  municipality_codes: b.municipalityCodes.join(LIST_SEPARATOR),
  established_on: b.establishedOn,
  closed_on: b.closedOn,
  functions: b.functions.join(LIST_SEPARATOR),
  emergency_preregistrations: b.emergencyPreregistrations,
  coordinator_count: b.coordinator?.count ?? 0,
  coordinator_funding: b.coordinator?.funding ?? null,
  coordinator_host: b.coordinator?.hostOrganization ?? null,
  coordinator_started_on: b.coordinator?.startedOn ?? null,
  last_review_on: b.review?.reviewedOn ?? null,
  last_review_summary: b.review?.summary ?? null,
  source_name: b.sourceName,
  source_as_of: b.sourceAsOf,
  sample: b.sample,
});

const reviewId = (baseExternalId: string, reviewedOn: string) => uuidFromKey(`base-review:${baseExternalId}:${reviewedOn}`);

const baseImport = (): ImportSpec<ImportedBase> => {
  const write = async (manager: EntityManager, inserted: ImportedBase[], updated: ImportedBase[]) => {
    const store = new BaseStore(manager);
    const changed = [...inserted, ...updated];
    await store.save(changed.map(({ coordinator: _c, review: _r, ...base }) => base));
    await store.deleteCoordinators(changed.filter((b) => !b.coordinator).map((b) => coordinatorId(b.externalId!)));
    await store.saveCoordinators(
      changed.flatMap((b) =>
        b.coordinator ? [{ ...b.coordinator, id: coordinatorId(b.externalId!), externalId: b.externalId, baseId: b.id, endedOn: null }] : [],
      ),
    );
    await store.saveReviews(changed.flatMap((b) => (b.review ? [{ ...b.review, id: reviewId(b.externalId!, b.review.reviewedOn), baseId: b.id }] : [])));
  };
  return {
    columns: BASE_COLUMNS,
    headerAliases: { 拠点名: 'name', 拠点等の名称: 'name' },
    idColumns: ['base_id'],
    prefectureOf: (b) => b.prefectureCode,
    parse: parseBase,
    // A row's review is compared with the stored review of the same date when there is one (a newer review
    // recorded since does not make the row differ), else with the latest.
    existing: async (manager, ids, records) => {
      const store = new BaseStore(manager);
      const bases = await store.findByExternalIds(ids);
      const coordinators = new Map((await store.coordinatorsOf(bases.map((b) => b.id))).filter((c) => c.externalId).map((c) => [c.baseId, c]));
      const wantedDate = new Map(records.map((r) => [r.externalId, r.review?.reviewedOn]));
      const externalOf = new Map(bases.map((b) => [b.id, b.externalId]));
      const latest = new Map<string, { reviewedOn: string; summary: string }>();
      for (const r of await store.reviewsOf(bases.map((b) => b.id))) {
        const review = { reviewedOn: r.reviewedOn, summary: r.summary };
        if (r.reviewedOn === wantedDate.get(externalOf.get(r.baseId)!)) latest.set(r.baseId, review);
        else if (!latest.has(r.baseId)) latest.set(r.baseId, review);
      }
      return bases.map((b) => {
        const c = coordinators.get(b.id);
        return {
          ...b,
          coordinator: c ? { count: c.count, funding: c.funding, hostOrganization: c.hostOrganization, startedOn: c.startedOn } : null,
          review: latest.get(b.id) ?? null,
        };
      });
    },
    write,
    remove: (manager, bases) => new BaseStore(manager).removeImported(bases.map((b) => b.id)),
    download: {
      keys: (manager, prefectures) => new BaseStore(manager).externalIdsOf(prefectures),
      row: baseRow,
      dates: ['established_on', 'closed_on', 'coordinator_started_on', 'last_review_on', 'source_as_of'],
      labels: { model: { labels: MODEL_LABELS }, functions: { labels: FUNCTION_LABELS, list: true }, coordinator_funding: { labels: FUNDING_LABELS } },
    },
    // A review the import added (a new date) goes; the rest is the base as it was.
    restore: async (manager, changes) => {
      const added = changes.filter((c) => c.after.review && c.after.review.reviewedOn !== c.before.review?.reviewedOn);
      await new BaseStore(manager).deleteReviews(added.map((c) => reviewId(c.after.externalId!, c.after.review!.reviewedOn)));
      await write(
        manager,
        [],
        changes.map((c) => c.before),
      );
    },
  };
};

const participantImport = (): ImportSpec<ImportedParticipant> => {
  const baseIds = new Map<string, string>();
  const save = (manager: EntityManager, participants: ImportedParticipant[]) =>
    new BaseStore(manager).saveParticipants(
      participants.map((p) => ({
        id: p.id,
        baseId: baseIds.get(p.baseExternalId)!,
        function: p.function,
        organizationName: p.organizationName,
        organizationKind: p.organizationKind,
      })),
    );
  return {
    columns: PARTICIPANT_COLUMNS,
    idColumns: ['base_id', 'function', 'organization_name'],
    parse: parseParticipant,
    prefectureOf: () => null, // known from the base: checked in verify
    // Each participant needs its base imported before, providing that function, of the importer's prefectures.
    verify: async (manager, rows, importOptions) => {
      const bases = await new BaseStore(manager).findByExternalIds([...new Set(rows.map((r) => r.record.baseExternalId))]);
      const functions = new Map(bases.map((b) => [b.externalId, b.functions]));
      return rows.flatMap(({ line, record }) => {
        if (!functions.has(record.baseExternalId)) {
          return [
            {
              line,
              column: 'base_id',
              reason: `no imported base has base_id ${record.baseExternalId}`,
              reasonJa: `拠点ID ${record.baseExternalId} の拠点は取り込まれていません（先に拠点を取り込んでください）`,
            },
          ];
        }
        const prefecture = bases.find((b) => b.externalId === record.baseExternalId)!.prefectureCode;
        if (importOptions.prefectures && !importOptions.prefectures.includes(prefecture)) {
          return [
            {
              line,
              column: 'base_id',
              reason: `base ${record.baseExternalId} is of prefecture ${prefecture}; you may import for ${importOptions.prefectures.join(', ')} only`,
              reasonJa: `拠点 ${record.baseExternalId} は都道府県 ${prefecture} の拠点です。取り込めるのは ${importOptions.prefectures.join(', ') || '（なし）'} の拠点だけです`,
            },
          ];
        }
        if (!functions.get(record.baseExternalId)!.includes(record.function)) {
          return [
            {
              line,
              column: 'function',
              reason: `base ${record.baseExternalId} does not provide ${record.function}`,
              reasonJa: `拠点 ${record.baseExternalId} はこの機能（${record.function}）を担っていません`,
            },
          ];
        }
        return [];
      });
    },
    // Matched on base, function and organization, whether the import or the API added it (the API's have other ids).
    existing: async (manager, ids) => {
      const store = new BaseStore(manager);
      // The base's part of each key: every part before a `|` may be it (a base id or an organization's name may hold one).
      const bases = new Set(ids.flatMap((id) => [...id.matchAll(/\|/g)].map((m) => id.slice(0, m.index))));
      for (const b of await store.findByExternalIds([...bases])) baseIds.set(b.externalId!, b.id);
      const externalOfBase = new Map([...baseIds].map(([externalId, id]) => [id, externalId]));
      const wanted = new Set(ids);
      return (await store.participantsOf([...baseIds.values()])).flatMap((p) => {
        const baseExternalId = externalOfBase.get(p.baseId)!;
        const externalId = `${baseExternalId}|${p.function}|${p.organizationName}`;
        if (!wanted.has(externalId)) return [];
        return [
          {
            id: p.id,
            externalId,
            version: 1,
            baseExternalId,
            function: p.function,
            organizationName: p.organizationName,
            organizationKind: p.organizationKind,
          },
        ];
      });
    },
    write: (manager, inserted, updated) => save(manager, [...inserted, ...updated]),
    remove: (manager, participants) => new BaseStore(manager).deleteParticipants(participants.map((p) => p.id)),
    download: {
      keys: (manager, prefectures) => new BaseStore(manager).participantKeysOf(prefectures),
      row: (p) => ({ base_id: p.baseExternalId, function: p.function, organization_name: p.organizationName, organization_kind: p.organizationKind }),
      dates: [],
      labels: { function: { labels: FUNCTION_LABELS }, organization_kind: { labels: ORGANIZATION_KIND_LABELS } },
    },
  };
};

export const baseImporter = rowImporter('bases', baseImport);
export const participantImporter = rowImporter('base-participants', participantImport);
export const importBases = baseImporter.run;
export const importBaseParticipants = participantImporter.run;

export const SERVICE_FIGURES_CSV = projectPath('subgraphs', 'bases', 'reference', 'prefecture-community-transition-services-r6.csv');
const SERVICE_COLUMNS: Record<string, string> = {
  COMMUNITY_TRANSITION: 'community_transition_support',
  COMMUNITY_SETTLEMENT: 'community_settlement_support',
  INDEPENDENT_LIVING: 'independent_living_assistance',
};

/** The FY2024 (令和6年度) figures as rows, prefecture names matched to codes. */
export function serviceFigureRows(csv = readFileSync(SERVICE_FIGURES_CSV, 'utf8')): ServiceFigureRow[] {
  const codeOf = new Map(PREFECTURES.map((p) => [p.name, p.code]));
  return readCsv(csv).rows.flatMap(({ values, line }) => {
    const prefectureCode = codeOf.get(values.prefecture);
    if (!prefectureCode) throw new Error(`${SERVICE_FIGURES_CSV} line ${line}: unknown prefecture ${values.prefecture}`);
    return Object.entries(SERVICE_COLUMNS).map(([service, column]) => ({
      prefectureCode,
      fiscalYear: 2024,
      service,
      designated: Number(values[`${column}_designated`]),
      billing: Number(values[`${column}_billing`]),
    }));
  });
}

export const SAMPLE_FILES = {
  bases: projectPath('subgraphs', 'bases', 'sample', 'bases.sample.csv'),
  participants: projectPath('subgraphs', 'bases', 'sample', 'base-participants.sample.csv'),
};

/** Reference figures always; the sample bases when `sampleData`; each once per version of its file. */
export async function seedBases(dataSource: DataSource, log: Logger | undefined, sampleData: boolean): Promise<void> {
  const figures = readFileSync(SERVICE_FIGURES_CSV, 'utf8');
  await loadOncePerVersion(dataSource, 'service-figures-r6', createHash('sha256').update(figures).digest('hex'), async (manager) => {
    const rows = serviceFigureRows(figures);
    await new BaseStore(manager).saveServiceFigures(rows);
    return rows.length;
  });
  if (!sampleData) return;
  await loadShippedCsv(dataSource, 'bases.sample', SAMPLE_FILES.bases, importBases, log);
  await loadShippedCsv(dataSource, 'base-participants.sample', SAMPLE_FILES.participants, importBaseParticipants, log);
  await keepReviewsAlive(dataSource, log);
}

/** The living sample's reviews (sample/living.ts) for the days since the last start, up to yesterday, at most 365 days back. */
export async function keepReviewsAlive(dataSource: DataSource, log?: Logger, today = todayInJapan()): Promise<void> {
  await extendToDate(dataSource, 'bases.sample.living-reviews', addDays(today, -365), addDays(today, -1), async (manager, from, until) => {
    const bases = (await manager.query('SELECT id, external_id, established_on::text, closed_on::text FROM base WHERE sample AND external_id IS NOT NULL')).map(
      (b: { id: string; external_id: string; established_on: string; closed_on: string | null }) => ({
        id: b.id,
        externalId: b.external_id,
        establishedOn: b.established_on,
        closedOn: b.closed_on,
      }),
    );
    const reviews = livingReviews(from, until, bases);
    await new BaseStore(manager).saveReviews(reviews);
    log?.info({ dataset: 'bases.sample.living-reviews', from, until, reviews: reviews.length }, 'living sample extended');
    return reviews.length;
  });
}
