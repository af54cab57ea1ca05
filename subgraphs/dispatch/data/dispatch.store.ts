/**
 * SQL of the visit log. Reads take lists of keys and are one statement each, so the loaders can
 * batch a whole request; visit pages of many municipalities (or prefectures, or advisors) come from
 * one statement with a window function.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityManager } from 'typeorm';
import { conflict } from '../../../shared/errors';
import { type StoredErasureRecord, erasureRecordOf } from '../../../shared/erasure';
import { historyWithoutTextsNotHeld } from '../../../shared/history';
import { uuidFromKey } from '../../../shared/ids';
import { fiscalYearRange } from '../../../shared/fiscal-year';
import type { RecordOnVisit } from '../rules';
import {
  type AssessmentResult,
  type Attendee,
  type ErasureKind,
  FollowUpStatus,
  type RequestStatus,
  type VisitFormat,
  type VisitPurpose,
  type VisitRecord,
  VisitStatus,
} from '../rules';

/** An assessment's results, in the template's order, as one JSON column. */
const ASSESSMENT_RESULTS = `(SELECT coalesce(json_agg(json_build_object('itemId', r.item_id, 'result', r.result, 'comment', r.comment) ORDER BY i.position), '[]')
  FROM assessment_result r JOIN checklist_item i ON i.template_id = r.template_id AND i.item_id = r.item_id
  WHERE r.assessment_id = a.id) AS results`;

/**
 * The free texts each record of a visit keeps, by their keys in the history's records: what may identify a person
 * (README: Security), which eraseEarlierVisitTexts erases from the history in their earlier versions.
 */
export const FREE_TEXTS = {
  visit: ['topics', 'summary', 'issuesFound', 'attendees', 'cancelReason', 'notes'],
  followUp: ['description', 'dropReason'],
  request: ['summary', 'response'],
  /** A self-check's answers (eraseEarlierAssessmentTexts). */
  assessmentResult: ['comment'],
} as const;

/** A history entry's record without the texts `current` no longer holds (null each); the same object when none. */
function withoutEarlierTexts(side: Record<string, unknown> | null, current: Record<string, unknown>, texts: readonly string[]): Record<string, unknown> | null {
  if (side === null) return side;
  const earlier = texts.filter((key) => side[key] !== undefined && side[key] !== null && !isDeepStrictEqual(side[key], current[key]));
  return earlier.length === 0 ? side : { ...side, ...Object.fromEntries(earlier.map((key) => [key, null])) };
}

export interface StoredAdvisor {
  id: string;
  externalId: string | null;
  prefectureCode: string;
  name: string;
  affiliation: string;
  qualifications: string[];
  subject: string | null;
  activeFrom: string;
  activeUntil: string | null;
  sample: boolean;
  version: number;
}

export interface StoredVisit extends VisitRecord {
  id: string;
  externalId: string | null;
  status: VisitStatus;
  cancelReason: string | null;
  sample: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

export interface StoredFollowUp {
  id: string;
  /** Its key in files (`follow_up_id`); a follow-up saved without one is keyed by its id. */
  externalId?: string;
  visitId: string;
  municipalityCode: string;
  description: string;
  ownerKind: 'MUNICIPALITY' | 'ADVISOR';
  ownerAdvisorId: string | null;
  dueOn: string;
  status: FollowUpStatus;
  completedOn: string | null;
  dropReason: string | null;
  version: number;
}

export interface StoredRequest {
  id: string;
  /** Its key in files (`request_id`); a request saved without one is keyed by its id. */
  externalId?: string;
  visitId: string | null;
  municipalityCode: string;
  summary: string;
  status: RequestStatus;
  response: string | null;
  raisedOn: string;
  version: number;
}

/** Which reads of notes a prefecture's audit lists: a period of days in Japan, one reader. */
export interface NotesReadFilter {
  since?: string | null;
  until?: string | null;
  reader?: string | null;
}

const toNotesRead = (r: any): StoredNotesRead => ({
  id: String(r.id),
  visitId: r.visit_id,
  reader: r.reader,
  requestId: r.request_id,
  readAt: new Date(r.read_at).toISOString(),
});

/** One erasure of a visit's notes (notes_erasure). */
export interface StoredNotesErasure extends StoredErasureRecord {
  visitId: string;
  /** What was erased: the notes, or the earlier versions of the free texts (eraseEarlierVisitTexts). */
  kind: ErasureKind;
  batchId: string | null;
}

/** One read of a visit's notes (notes_read_audit). */
export interface StoredNotesRead {
  /** Its place in the audit, in the order reads were recorded. */
  id: string;
  visitId: string;
  reader: string;
  requestId: string;
  readAt: string;
}

export interface TemplateItem {
  templateId: string;
  itemId: string;
  position: number;
  section: string;
  text: string;
}

export interface StoredTemplate {
  id: string;
  name: string;
  source: string;
}

export interface StoredAssessment {
  id: string;
  templateId: string;
  municipalityCode: string;
  assessedOn: string;
  visitId: string | null;
  recordedBy: string;
  sample: boolean;
  results: Array<{ itemId: string; result: AssessmentResult; comment: string }>;
}

/** An assessment by the key files give it: its template, municipality and date (`template|municipality|date`). */
export const assessmentKey = (a: { templateId: string; municipalityCode: string; assessedOn: string }) =>
  `${a.templateId}|${a.municipalityCode}|${a.assessedOn}`;
/** One answer of an assessment by the key files give it: the assessment's, then the item. */
export const answerKey = (a: AssessmentResultKey) => `${assessmentKey(a)}|${a.itemId}`;
/** The id an answer's import rows are kept under in the history (one per answer, whichever assessment it joined). */
export const assessmentAnswerId = (key: string) => uuidFromKey(`assessment-result:${key}`);

/** One erasure of an assessment's earlier texts (assessment_text_erasure). */
export interface StoredAssessmentTextErasure extends StoredErasureRecord {
  assessmentId: string;
}

/** One answer of an assessment, by the key files give it: the assessment's template, municipality and date, and the item. */
export interface AssessmentResultKey {
  templateId: string;
  municipalityCode: string;
  assessedOn: string;
  itemId: string;
}

/** One answer as stored, with its assessment and that assessment's visit (by its id in files). */
export interface StoredAssessmentResult extends AssessmentResultKey {
  assessmentId: string;
  result: AssessmentResult;
  comment: string;
  visitKey: string | null;
}

/** One answer to write: its assessment's id if the assessment is new, and the assessment's visit. */
export interface NewAssessmentResult extends AssessmentResultKey {
  newAssessmentId: string;
  visitId: string | null;
  result: AssessmentResult;
  comment: string;
}

/** Which visits a page is of: a municipality's, a prefecture's or an advisor's. */
export type VisitScope = 'municipality' | 'prefecture' | 'advisor';
/**
 * Where each scope's visit rows are, with the key column in its own type (compared as itself, so
 * PostgreSQL uses its index) and the columns that order and filter them. A municipality's links carry
 * a copy of the visit's date and status, indexed newest first, so its pages and counts read the index.
 */
const SCOPE: Record<VisitScope, { rows: string; key: string; type: string; date: string; id: string; active: string }> = {
  municipality: { rows: 'visit_municipality s', key: 's.municipality_code', type: 'char(6)', date: 's.visited_on', id: 's.visit_id', active: 's.active' },
  prefecture: { rows: 'visit s', key: 's.prefecture_code', type: 'char(2)', date: 's.visited_on', id: 's.id', active: "s.status = 'ACTIVE'" },
  advisor: {
    rows: 'visit_advisor s JOIN visit sv ON sv.id = s.visit_id',
    key: 's.advisor_id',
    type: 'uuid',
    date: 'sv.visited_on',
    id: 'sv.id',
    active: "sv.status = 'ACTIVE'",
  },
};

/** The filters of a page or count ($2 since, $3 until, $4 purposes) on a scope's rows. */
const scopeFilter = ({ date, id, active }: (typeof SCOPE)[VisitScope]) => `${active}
  AND ($2::date IS NULL OR ${date} >= $2::date) AND ($3::date IS NULL OR ${date} <= $3::date)
  AND ($4::text[] IS NULL OR EXISTS (SELECT 1 FROM visit f WHERE f.id = ${id} AND f.purposes && $4::text[]))`;

export interface VisitFilter {
  since?: string | null;
  until?: string | null;
  purposes?: VisitPurpose[] | null;
}

/** Arrays of arrays cannot be unnested row by row: a visit's topics travel as one text, split again on this. */
const SEP = '\u001f';

const VISIT_PARTS = `
  ARRAY(SELECT va.advisor_id FROM visit_advisor va WHERE va.visit_id = v.id ORDER BY va.advisor_id) AS advisor_ids,
  ARRAY(SELECT vm.municipality_code FROM visit_municipality vm WHERE vm.visit_id = v.id ORDER BY vm.municipality_code) AS municipality_codes`;

// pg rows are untyped; these functions are where they get their types.
const toVisit = (r: any): StoredVisit => ({
  id: r.id,
  externalId: r.external_id,
  prefectureCode: r.prefecture_code,
  visitedOn: r.visited_on,
  advisorIds: r.advisor_ids,
  municipalityCodes: r.municipality_codes,
  format: r.format as VisitFormat,
  purposes: r.purposes,
  topics: r.topics,
  summary: r.summary,
  issuesFound: r.issues_found,
  attendees: r.attendees as Attendee[],
  notes: r.notes,
  status: r.status,
  cancelReason: r.cancel_reason,
  sample: r.sample,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedBy: r.updated_by,
  updatedAt: new Date(r.updated_at).toISOString(),
  version: r.version,
});

const toAdvisor = (r: any): StoredAdvisor => ({
  id: r.id,
  externalId: r.external_id,
  prefectureCode: r.prefecture_code,
  name: r.name,
  affiliation: r.affiliation,
  qualifications: r.qualifications,
  subject: r.subject,
  activeFrom: r.active_from,
  activeUntil: r.active_until,
  sample: r.sample,
  version: r.version,
});

const toFollowUp = (r: any): StoredFollowUp => ({
  id: r.id,
  externalId: r.external_id,
  visitId: r.visit_id,
  municipalityCode: r.municipality_code,
  description: r.description,
  ownerKind: r.owner_kind,
  ownerAdvisorId: r.owner_advisor_id,
  dueOn: r.due_on,
  status: r.status,
  completedOn: r.completed_on,
  dropReason: r.drop_reason,
  version: r.version,
});

const toRequest = (r: any): StoredRequest => ({
  id: r.id,
  externalId: r.external_id,
  visitId: r.visit_id,
  municipalityCode: r.municipality_code,
  summary: r.summary,
  status: r.status,
  response: r.response,
  raisedOn: r.raised_on,
  version: r.version,
});

export class DispatchStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  // --- advisors ---

  async advisorsByIds(ids: readonly string[]): Promise<StoredAdvisor[]> {
    return (await this.db.query('SELECT * FROM advisor WHERE id = ANY($1::uuid[])', [ids])).map(toAdvisor);
  }

  /** The advisor, locked for a change in this transaction. */
  async lockAdvisor(id: string): Promise<StoredAdvisor | undefined> {
    const [row] = await this.db.query('SELECT * FROM advisor WHERE id = $1 FOR UPDATE', [id]);
    return row && toAdvisor(row);
  }

  /** The advisors' external ids, of these prefectures (all when undefined), by prefecture then id. */
  async advisorExternalIdsOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT external_id FROM advisor WHERE external_id IS NOT NULL AND ($1::text[] IS NULL OR prefecture_code = ANY($1)) ORDER BY prefecture_code, external_id`,
      [prefectures ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  async advisorsByExternalIds(externalIds: readonly string[]): Promise<StoredAdvisor[]> {
    return (await this.db.query('SELECT * FROM advisor WHERE external_id = ANY($1::text[])', [externalIds])).map(toAdvisor);
  }

  async advisorsBySubjects(subjects: readonly string[]): Promise<StoredAdvisor[]> {
    return (await this.db.query('SELECT * FROM advisor WHERE subject = ANY($1::text[])', [subjects])).map(toAdvisor);
  }

  async advisorBySubject(subject: string): Promise<StoredAdvisor | undefined> {
    const [row] = await this.db.query('SELECT * FROM advisor WHERE subject = $1', [subject]);
    return row && toAdvisor(row);
  }

  async advisorsOfPrefectures(codes: readonly string[]): Promise<StoredAdvisor[]> {
    return (await this.db.query('SELECT * FROM advisor WHERE prefecture_code = ANY($1::char(2)[]) ORDER BY name, id', [codes])).map(toAdvisor);
  }

  /** Deletes advisors an import added (a revert); one named on a visit since is kept by its foreign key (the revert is refused). */
  async removeAdvisors(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM advisor WHERE id = ANY($1::uuid[])', [ids]);
  }

  async saveAdvisors(advisors: readonly StoredAdvisor[]): Promise<void> {
    if (advisors.length === 0) return;
    const c = <T>(f: (a: StoredAdvisor) => T) => advisors.map(f);
    await this.db.query(
      `INSERT INTO advisor (id, external_id, prefecture_code, name, affiliation, qualifications, subject, active_from, active_until, sample)
       SELECT u.id, u.external_id, u.prefecture_code, u.name, u.affiliation, string_to_array(u.qualifications, ';'), u.subject,
              u.active_from, u.active_until, u.sample
       FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[], $9::date[], $10::bool[])
         AS u(id, external_id, prefecture_code, name, affiliation, qualifications, subject, active_from, active_until, sample)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, affiliation = EXCLUDED.affiliation,
         qualifications = EXCLUDED.qualifications, subject = EXCLUDED.subject, active_from = EXCLUDED.active_from,
         active_until = EXCLUDED.active_until, sample = EXCLUDED.sample, version = advisor.version + 1`,
      [
        c((a) => a.id),
        c((a) => a.externalId),
        c((a) => a.prefectureCode),
        c((a) => a.name),
        c((a) => a.affiliation),
        c((a) => a.qualifications.join(';')),
        c((a) => a.subject),
        c((a) => a.activeFrom),
        c((a) => a.activeUntil),
        c((a) => a.sample),
      ],
    );
  }

  // --- visits ---

  async visitsByIds(ids: readonly string[]): Promise<StoredVisit[]> {
    return (await this.db.query(`SELECT v.*, ${VISIT_PARTS} FROM visit v WHERE v.id = ANY($1::uuid[])`, [ids])).map(toVisit);
  }

  async lockVisit(id: string): Promise<StoredVisit | undefined> {
    const [row] = await this.db.query(`SELECT v.*, ${VISIT_PARTS} FROM visit v WHERE v.id = $1 FOR UPDATE OF v`, [id]);
    return row && toVisit(row);
  }

  /**
   * The newest `limit` active visits of each scope key (municipality code, prefecture code or advisor
   * id), after the given (date, id), matching the filter: one statement for any number of keys.
   */
  async visitPages(
    scope: VisitScope,
    keys: readonly string[],
    filter: VisitFilter,
    limit: number,
    after?: [string, string],
  ): Promise<Array<{ key: string; visit: StoredVisit }>> {
    // Per key, only its newest `limit` rows are read (in index order), and only those visits are
    // fetched with their advisors and municipalities: the cost follows the page, not the log.
    const scopeOf = SCOPE[scope];
    const { rows: from, key, type, date, id } = scopeOf;
    const rows = await this.db.query(
      `SELECT k.scope_key, v.*, ${VISIT_PARTS}
       FROM unnest($1::text[]) AS k(scope_key)
       CROSS JOIN LATERAL (
         SELECT ${id} AS visit_id FROM ${from}
         WHERE ${key} = k.scope_key::${type} AND ${scopeFilter(scopeOf)}
           AND ($5::date IS NULL OR (${date}, ${id}) < ($5::date, $6::uuid))
         ORDER BY ${date} DESC, ${id} DESC LIMIT $7
       ) page
       JOIN visit v ON v.id = page.visit_id
       ORDER BY k.scope_key, v.visited_on DESC, v.id DESC`,
      [keys, filter.since ?? null, filter.until ?? null, filter.purposes ?? null, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map((r: any) => ({ key: r.scope_key, visit: toVisit(r) }));
  }

  async visitCounts(scope: VisitScope, keys: readonly string[], filter: VisitFilter): Promise<Array<{ key: string; count: number }>> {
    if (scope === 'municipality' && !filter.since && !filter.until && !filter.purposes) {
      // Kept by triggers (migration MunicipalityVisitCount): no counting, however long the log.
      return this.db.query(
        'SELECT municipality_code::text AS key, active_visits AS count FROM municipality_visit_count WHERE municipality_code = ANY($1::char(6)[])',
        [keys],
      );
    }
    const scopeOf = SCOPE[scope];
    return this.db.query(
      `SELECT ${scopeOf.key}::text AS key, count(*)::int AS count FROM ${scopeOf.rows}
       WHERE ${scopeOf.key} = ANY($1::${scopeOf.type}[]) AND ${scopeFilter(scopeOf)}
       GROUP BY ${scopeOf.key}`,
      [keys, filter.since ?? null, filter.until ?? null, filter.purposes ?? null],
    );
  }

  /** Dates of active visits with purpose CORE_CENTER to each municipality, oldest first. */
  async coreCenterVisitDates(codes: readonly string[]): Promise<Array<{ code: string; date: string }>> {
    return this.db.query(
      `SELECT DISTINCT vm.municipality_code AS code, v.visited_on AS date FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
       WHERE vm.municipality_code = ANY($1::char(6)[]) AND v.status = 'ACTIVE' AND 'CORE_CENTER' = ANY(v.purposes)
       ORDER BY 1, 2`,
      [codes],
    );
  }

  async insertVisit(visit: StoredVisit): Promise<void> {
    await this.insertVisits([visit]);
  }

  /** Inserts visits with their advisors and municipalities: three statements whatever the count. */
  async insertVisits(visits: readonly StoredVisit[]): Promise<void> {
    if (visits.length === 0) return;
    const c = <T>(f: (v: StoredVisit) => T) => visits.map(f);
    await this.db.query(
      `INSERT INTO visit (id, external_id, prefecture_code, visited_on, format, purposes, topics, summary, issues_found, attendees,
         notes, status, cancel_reason, sample, created_by, updated_by, version)
       SELECT u.id, u.external_id, u.prefecture_code, u.visited_on, u.format, string_to_array(u.purposes, ','),
              CASE WHEN u.topics = '' THEN '{}'::text[] ELSE string_to_array(u.topics, $16) END, u.summary, u.issues_found,
              u.attendees::jsonb, u.notes, u.status, u.cancel_reason, u.sample, u.created_by, u.created_by, 1
       FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                   $10::text[], $11::text[], $12::text[], $13::text[], $14::bool[], $15::text[])
         AS u(id, external_id, prefecture_code, visited_on, format, purposes, topics, summary, issues_found, attendees, notes,
              status, cancel_reason, sample, created_by)`,
      [
        c((v) => v.id),
        c((v) => v.externalId),
        c((v) => v.prefectureCode),
        c((v) => v.visitedOn),
        c((v) => v.format),
        c((v) => v.purposes.join(',')),
        c((v) => v.topics.join(SEP)),
        c((v) => v.summary),
        c((v) => v.issuesFound),
        c((v) => JSON.stringify(v.attendees)),
        c((v) => v.notes),
        c((v) => v.status),
        c((v) => v.cancelReason),
        c((v) => v.sample),
        c((v) => v.createdBy),
        SEP,
      ],
    );
    await this.insertVisitLinks(visits);
  }

  /** The advisors and municipalities of visits (whose links are not stored, or were just deleted): two statements. */
  private async insertVisitLinks(visits: ReadonlyArray<Pick<StoredVisit, 'id' | 'advisorIds' | 'municipalityCodes' | 'visitedOn' | 'status'>>): Promise<void> {
    const advisors = visits.flatMap((v) => v.advisorIds.map((a) => [v.id, a]));
    await this.db.query('INSERT INTO visit_advisor SELECT * FROM unnest($1::uuid[], $2::uuid[])', [advisors.map((p) => p[0]), advisors.map((p) => p[1])]);
    const links = visits.flatMap((v) => v.municipalityCodes.map((code) => ({ v, code })));
    await this.db.query(
      `INSERT INTO visit_municipality (visit_id, municipality_code, visited_on, active)
       SELECT * FROM unnest($1::uuid[], $2::char(6)[], $3::date[], $4::bool[])`,
      [links.map((l) => l.v.id), links.map((l) => l.code), links.map((l) => l.v.visitedOn), links.map((l) => l.v.status === VisitStatus.ACTIVE)],
    );
  }

  /**
   * Overwrites what a visits import carries (date, advisors, municipalities, format, purposes, topics, summary,
   * issues, attendees, sample) and bumps the versions; notes, status and who recorded them stay. Six statements
   * whatever the count.
   */
  async updateVisitContents(visits: readonly StoredVisit[], actor: string): Promise<void> {
    if (visits.length === 0) return;
    const c = <T>(f: (v: StoredVisit) => T) => visits.map(f);
    const rows = await this.db.query(
      `UPDATE visit v SET visited_on = u.visited_on, format = u.format, purposes = string_to_array(u.purposes, ','),
         topics = CASE WHEN u.topics = '' THEN '{}'::text[] ELSE string_to_array(u.topics, $10) END, summary = u.summary,
         issues_found = u.issues_found, attendees = u.attendees::jsonb, sample = u.sample, updated_by = $11, updated_at = now(),
         version = v.version + 1
       FROM unnest($1::uuid[], $2::date[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bool[])
         AS u(id, visited_on, format, purposes, topics, summary, issues_found, attendees, sample)
       WHERE v.id = u.id
       RETURNING v.id, v.status`,
      [
        c((v) => v.id),
        c((v) => v.visitedOn),
        c((v) => v.format),
        c((v) => v.purposes.join(',')),
        c((v) => v.topics.join(SEP)),
        c((v) => v.summary),
        c((v) => v.issuesFound),
        c((v) => JSON.stringify(v.attendees)),
        c((v) => v.sample),
        SEP,
        actor,
      ],
    );
    const status = new Map<string, VisitStatus>(rows.map((r: { id: string; status: VisitStatus }) => [r.id, r.status]));
    const ids = c((v) => v.id);
    await this.db.query('DELETE FROM visit_advisor WHERE visit_id = ANY($1::uuid[])', [ids]);
    await this.db.query('DELETE FROM visit_municipality WHERE visit_id = ANY($1::uuid[])', [ids]);
    await this.insertVisitLinks(visits.map((v) => ({ ...v, status: status.get(v.id) ?? v.status })));
  }

  /** The file ids of the active visits of these prefectures (all when undefined), of one fiscal year when given. */
  async visitExternalIdsOf(prefectures: readonly string[] | undefined, fiscalYear?: number): Promise<string[]> {
    const range = fiscalYear === undefined ? null : fiscalYearRange(fiscalYear);
    const rows = await this.db.query(
      `SELECT external_id FROM visit WHERE external_id IS NOT NULL AND status = 'ACTIVE' AND ($1::text[] IS NULL OR prefecture_code = ANY($1))
         AND ($2::date IS NULL OR visited_on BETWEEN $2 AND $3)
       ORDER BY prefecture_code, visited_on, external_id`,
      [prefectures ?? null, range?.from ?? null, range?.to ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  async visitsByExternalIds(externalIds: readonly string[]): Promise<StoredVisit[]> {
    return (await this.db.query(`SELECT v.*, ${VISIT_PARTS} FROM visit v WHERE v.external_id = ANY($1::text[])`, [externalIds])).map(toVisit);
  }

  /**
   * Deletes visits an import added (a revert), with their advisors and municipalities. One given notes or
   * cancelled since keeps the revert from running (CONFLICT: the import would take what the API recorded);
   * one with follow-ups, requests, assessments or notes reads is kept by its foreign keys (the revert is refused).
   */
  async removeImportedVisits(ids: readonly string[]): Promise<void> {
    const touched = await this.db.query(
      `SELECT external_id FROM visit WHERE id = ANY($1::uuid[]) AND (notes IS NOT NULL OR status <> 'ACTIVE') ORDER BY external_id LIMIT 10`,
      [ids],
    );
    if (touched.length > 0) {
      const named = touched.map((r: { external_id: string }) => r.external_id);
      throw conflict(
        `visit(s) ${named.join(', ')} were given notes or cancelled since the import; nothing was reverted`,
        `訪問 ${named.join('、')} は取り込み後にメモの記録または取消がされています。何も取り消していません`,
      );
    }
    await this.db.query('DELETE FROM visit_advisor WHERE visit_id = ANY($1::uuid[])', [ids]);
    await this.db.query('DELETE FROM visit_municipality WHERE visit_id = ANY($1::uuid[])', [ids]);
    await this.db.query('DELETE FROM visit WHERE id = ANY($1::uuid[])', [ids]);
  }

  /** Overwrites a visit and bumps its version. */
  async updateVisit(visit: StoredVisit, actor: string): Promise<void> {
    await this.db.query(
      `UPDATE visit SET visited_on = $2, format = $3, purposes = $4, topics = $5, summary = $6, issues_found = $7, attendees = $8,
         notes = $9, status = $10, cancel_reason = $11, updated_by = $12, updated_at = now(), version = version + 1
       WHERE id = $1`,
      [
        visit.id,
        visit.visitedOn,
        visit.format,
        visit.purposes,
        visit.topics,
        visit.summary,
        visit.issuesFound,
        JSON.stringify(visit.attendees),
        visit.notes,
        visit.status,
        visit.cancelReason,
        actor,
      ],
    );
    await this.replaceVisitLinks(visit);
  }

  private async replaceVisitLinks(visit: StoredVisit): Promise<void> {
    await this.db.query('DELETE FROM visit_advisor WHERE visit_id = $1', [visit.id]);
    await this.db.query('INSERT INTO visit_advisor SELECT $1, unnest($2::uuid[])', [visit.id, visit.advisorIds]);
    await this.db.query('DELETE FROM visit_municipality WHERE visit_id = $1', [visit.id]);
    await this.db.query('INSERT INTO visit_municipality (visit_id, municipality_code, visited_on, active) SELECT $1, unnest($2::char(6)[]), $3, $4', [
      visit.id,
      visit.municipalityCodes,
      visit.visitedOn,
      visit.status === VisitStatus.ACTIVE,
    ]);
  }

  /** The latest reads of each visit's notes (at most `perVisit` each), newest first (one statement for a batch). */
  async notesReadsOfVisits(visitIds: readonly string[], perVisit: number): Promise<StoredNotesRead[]> {
    const rows = await this.db.query(
      `SELECT id, visit_id, reader, request_id, read_at FROM (
         SELECT *, row_number() OVER (PARTITION BY visit_id ORDER BY read_at DESC, id DESC) AS n FROM notes_read_audit WHERE visit_id = ANY($1::uuid[])
       ) r WHERE n <= $2 ORDER BY visit_id, read_at DESC, id DESC`,
      [visitIds, perVisit],
    );
    return rows.map(toNotesRead);
  }

  /**
   * The newest `limit` reads of notes of each prefecture's visits, recorded before the read `afterId`, in a
   * period of days in Japan and by one reader when given: one statement for any number of prefectures.
   */
  async notesReadPages(
    prefectureCodes: readonly string[],
    filter: NotesReadFilter,
    limit: number,
    afterId?: string,
  ): Promise<Array<StoredNotesRead & { prefectureCode: string }>> {
    const rows = await this.db.query(
      `SELECT k.code AS prefecture_code, page.* FROM unnest($1::text[]) AS k(code)
       CROSS JOIN LATERAL (
         SELECT id, visit_id, reader, request_id, read_at FROM notes_read_audit
         WHERE prefecture_code = k.code::char(2)
           AND ($2::date IS NULL OR read_at >= $2::date::timestamp AT TIME ZONE 'Asia/Tokyo')
           AND ($3::date IS NULL OR read_at < ($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')
           AND ($4::text IS NULL OR reader = $4)
           AND ($5::bigint IS NULL OR id < $5)
         ORDER BY id DESC LIMIT $6
       ) page
       ORDER BY k.code, page.id DESC`,
      [prefectureCodes, filter.since ?? null, filter.until ?? null, filter.reader ?? null, afterId ?? null, limit],
    );
    return rows.map((r: any) => ({ ...toNotesRead(r), prefectureCode: r.prefecture_code }));
  }

  /**
   * Erases these visits' notes: from the visits (their versions move) and from every history entry that holds
   * them (the visits' changes, an import's rows), forgets the hashes of the requests that wrote them (their
   * idempotency keys: a hash of a short note can be matched against guesses), and records one erasure per visit
   * with how many entries held them. Two statements for any number of visits.
   */
  async eraseNotes(
    visitIds: readonly string[],
    erasedBy: string,
    reason: string,
    batchId: string | null = null,
  ): Promise<Array<{ visitId: string; historyEntries: number }>> {
    await this.db.query('UPDATE visit SET notes = NULL, updated_by = $2, updated_at = now(), version = version + 1 WHERE id = ANY($1::uuid[])', [
      visitIds,
      erasedBy,
    ]);
    const rows = await this.db.query(
      `WITH forgotten AS (
         UPDATE idempotency_key SET request_hash = NULL WHERE entity_id = ANY($1::uuid[]) AND request_hash IS NOT NULL
       ), redacted AS (
         UPDATE history SET
           before = CASE WHEN jsonb_typeof(before->'notes') = 'string' THEN jsonb_set(before, '{notes}', 'null') ELSE before END,
           after = CASE WHEN jsonb_typeof(after->'notes') = 'string' THEN jsonb_set(after, '{notes}', 'null') ELSE after END
         WHERE entity_id = ANY($1::uuid[]) AND (jsonb_typeof(before->'notes') = 'string' OR jsonb_typeof(after->'notes') = 'string')
         RETURNING entity_id
       )
       INSERT INTO notes_erasure (visit_id, erased_by, reason, history_entries, batch_id)
       SELECT v.id, $2, $3, (SELECT count(*) FROM redacted r WHERE r.entity_id = v.id), $4 FROM unnest($1::uuid[]) AS v(id)
       RETURNING visit_id, history_entries`,
      [visitIds, erasedBy, reason, batchId],
    );
    return rows.map((r: any) => ({ visitId: r.visit_id, historyEntries: r.history_entries }));
  }

  /**
   * Erases every earlier version of the free texts of a visit (locked by the caller) and of its follow-ups and
   * requests from the change history — each value a history entry holds that the record no longer does, e.g. the
   * summary before a correction made on a person's request; what the records hold now stays — and forgets the
   * hashes of the requests that wrote them (idempotency keys). Every record whose history changed moves to its next
   * version, the visit always; an import whose rows held such texts can no longer be reverted (it would put back what
   * was erased: its history says so, and a revert is CONFLICT). Records one erasure (kind EARLIER_TEXTS) with how
   * many entries held such texts. Four statements.
   */
  async eraseEarlierTexts(visit: StoredVisit, erasedBy: string, reason: string): Promise<number> {
    const followUps: StoredFollowUp[] = (await this.db.query('SELECT * FROM follow_up WHERE visit_id = $1 ORDER BY id FOR UPDATE', [visit.id])).map(toFollowUp);
    const requests: StoredRequest[] = (await this.db.query('SELECT * FROM municipal_request WHERE visit_id = $1 ORDER BY id FOR UPDATE', [visit.id])).map(
      toRequest,
    );
    // Each record by its id, with the texts of its kind.
    const current = new Map<string, { record: object; texts: readonly string[] }>([
      [visit.id, { record: visit, texts: FREE_TEXTS.visit }],
      ...followUps.map((f) => [f.id, { record: f, texts: FREE_TEXTS.followUp }] as const),
      ...requests.map((r) => [r.id, { record: r, texts: FREE_TEXTS.request }] as const),
    ]);
    const entries: Array<{
      id: string;
      entity_id: string;
      import_id: string | null;
      before: Record<string, unknown> | null;
      after: Record<string, unknown> | null;
    }> = await this.db.query('SELECT id, entity_id, import_id, before, after FROM history WHERE entity_id = ANY($1::uuid[]) ORDER BY id', [
      [...current.keys()],
    ]);
    const redacted = entries.flatMap((entry) => {
      const { record, texts } = current.get(entry.entity_id)!;
      const [before, after] = [entry.before, entry.after].map((side) => withoutEarlierTexts(side, record as Record<string, unknown>, texts));
      return before === entry.before && after === entry.after ? [] : [{ id: entry.id, entityId: entry.entity_id, importId: entry.import_id, before, after }];
    });
    const changed = [...new Set(redacted.map((r) => r.entityId))];
    // An import whose rows held them can no longer be reverted (it would put back what was erased): said in its history.
    const imports = [...new Set(redacted.flatMap((r) => (r.importId ? [r.importId] : [])))];
    await this.db.query(
      `WITH redacted AS (
         UPDATE history h SET before = u.before, after = u.after FROM unnest($1::bigint[], $2::jsonb[], $3::jsonb[]) AS u(id, before, after) WHERE h.id = u.id
       ), forgotten AS (
         UPDATE idempotency_key SET request_hash = NULL WHERE entity_id = ANY($4::uuid[]) AND request_hash IS NOT NULL
       ), visits AS (
         UPDATE visit SET updated_by = $6, updated_at = now(), version = version + 1 WHERE id = $5
       ), follow_ups AS (
         UPDATE follow_up SET version = version + 1 WHERE id = ANY($4::uuid[]) AND id <> $5
       ), requests AS (
         UPDATE municipal_request SET version = version + 1 WHERE id = ANY($4::uuid[]) AND id <> $5
       ), imports AS (
         INSERT INTO history (entity, entity_id, action, actor, before, after, import_id)
         SELECT 'import', i, 'erasure', $6, NULL, jsonb_build_object('visitId', $5::uuid), i FROM unnest($9::uuid[]) AS i
       )
       INSERT INTO notes_erasure (visit_id, kind, erased_by, reason, history_entries) VALUES ($5, 'EARLIER_TEXTS', $6, $7, $8)`,
      [
        redacted.map((r) => r.id),
        redacted.map((r) => r.before && JSON.stringify(r.before)),
        redacted.map((r) => r.after && JSON.stringify(r.after)),
        [...current.keys()].filter((id) => id === visit.id || changed.includes(id)),
        visit.id,
        erasedBy,
        reason,
        redacted.length,
        imports,
      ],
    );
    return redacted.length;
  }

  /**
   * Erases every earlier version of an assessment's comments from the change history — each comment a history entry
   * holds (recordAssessment's, a corrected sheet's import rows, kept by answer) that no answer of the assessment holds
   * now; what the answers hold now stays. Forgets the hashes of the requests that wrote them, records the erasure with
   * how many entries held such texts; an import whose rows held them can no longer be reverted (its history says so,
   * and a revert is CONFLICT). Two statements, whatever the history's length.
   */
  async eraseEarlierAssessmentTexts(assessment: StoredAssessment, erasedBy: string, reason: string): Promise<number> {
    const held = new Set(assessment.results.map((r) => r.comment.trim()));
    const ids = [assessment.id, ...assessment.results.map((r) => assessmentAnswerId(answerKey({ ...assessment, itemId: r.itemId })))];
    const redacted = await historyWithoutTextsNotHeld(this.db, ids, FREE_TEXTS.assessmentResult, held);
    await this.db.query(
      `WITH redacted AS (
         UPDATE history h SET before = u.before, after = u.after FROM unnest($1::bigint[], $2::jsonb[], $3::jsonb[]) AS u(id, before, after) WHERE h.id = u.id
       ), forgotten AS (
         UPDATE idempotency_key SET request_hash = NULL WHERE entity_id = $4 AND request_hash IS NOT NULL
       ), imports AS (
         INSERT INTO history (entity, entity_id, action, actor, before, after, import_id)
         SELECT 'import', i, 'erasure', $5, NULL, jsonb_build_object('assessmentId', $4::uuid), i FROM unnest($8::uuid[]) AS i
       )
       INSERT INTO assessment_text_erasure (assessment_id, erased_by, reason, history_entries) VALUES ($4, $5, $6, $7)`,
      [redacted.ids, redacted.befores, redacted.afters, assessment.id, erasedBy, reason, redacted.ids.length, redacted.imports],
    );
    return redacted.ids.length;
  }

  /** Every erasure of each assessment's earlier texts, newest first (one statement for a batch). */
  async assessmentTextErasuresOf(assessmentIds: readonly string[]): Promise<StoredAssessmentTextErasure[]> {
    const rows = await this.db.query(
      `SELECT assessment_id, erased_by, erased_at, reason, history_entries FROM assessment_text_erasure
       WHERE assessment_id = ANY($1::uuid[]) ORDER BY assessment_id, erased_at DESC, id DESC`,
      [assessmentIds],
    );
    return rows.map((r: any) => ({ assessmentId: r.assessment_id, ...erasureRecordOf(r) }));
  }

  /** A prefecture's visits before a date whose notes are held anywhere (the visit, or its history), locked for an erasure. */
  async visitsHoldingNotes(prefectureCode: string, visitedBefore: string, lock: boolean): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT v.id FROM visit v WHERE v.prefecture_code = $1 AND v.visited_on < $2
         AND (v.notes IS NOT NULL OR EXISTS (
           SELECT 1 FROM history h WHERE h.entity_id = v.id AND (jsonb_typeof(h.before->'notes') = 'string' OR jsonb_typeof(h.after->'notes') = 'string')))
       ORDER BY v.id ${lock ? 'FOR UPDATE OF v' : ''}`,
      [prefectureCode, visitedBefore],
    );
    return rows.map((r: { id: string }) => r.id);
  }

  /** How many history entries hold these visits' notes. */
  async historyEntriesHoldingNotes(visitIds: readonly string[]): Promise<number> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS n FROM history
       WHERE entity_id = ANY($1::uuid[]) AND (jsonb_typeof(before->'notes') = 'string' OR jsonb_typeof(after->'notes') = 'string')`,
      [visitIds],
    );
    return row.n;
  }

  /** What one erasure of a prefecture's notes before a date did: how many visits, how many history entries. */
  async erasureBatch(batchId: string): Promise<{ visits: number; historyEntries: number }> {
    const [row] = await this.db.query(
      'SELECT count(*)::int AS visits, coalesce(sum(history_entries), 0)::int AS entries FROM notes_erasure WHERE batch_id = $1',
      [batchId],
    );
    return { visits: row.visits, historyEntries: row.entries };
  }

  /** Every erasure of each visit's notes, newest first (one statement for a batch). */
  async notesErasuresOfVisits(visitIds: readonly string[]): Promise<StoredNotesErasure[]> {
    const rows = await this.db.query(
      'SELECT visit_id, kind, erased_by, erased_at, reason, history_entries, batch_id FROM notes_erasure WHERE visit_id = ANY($1::uuid[]) ORDER BY visit_id, erased_at DESC, id DESC',
      [visitIds],
    );
    return rows.map((r: any) => ({ visitId: r.visit_id, kind: r.kind, ...erasureRecordOf(r), batchId: r.batch_id }));
  }

  /** Records who read which visit's notes (one statement for a batch). */
  async recordNoteReads(reads: ReadonlyArray<{ visitId: string; reader: string; requestId: string }>): Promise<void> {
    await this.db.query(
      `INSERT INTO notes_read_audit (visit_id, reader, request_id, prefecture_code)
       SELECT r.visit_id, r.reader, r.request_id, v.prefecture_code FROM unnest($1::uuid[], $2::text[], $3::text[]) AS r(visit_id, reader, request_id)
       JOIN visit v ON v.id = r.visit_id`,
      [reads.map((r) => r.visitId), reads.map((r) => r.reader), reads.map((r) => r.requestId)],
    );
  }

  // --- follow-ups and requests ---

  /**
   * What was recorded at these visits — follow-ups, requests, checklist assessments — as a change to a visit
   * must keep true (rules.ts onChangedVisitProblems): one statement. `fileId`: a follow-up's or a request's id in files.
   */
  async recordsOnVisits(visitIds: readonly string[]): Promise<Array<RecordOnVisit & { visitId: string; fileId: string | null }>> {
    const rows = await this.db.query(
      `SELECT 'follow-up' AS kind, id::text, external_id AS file_id, visit_id, municipality_code,
              array_remove(ARRAY[due_on::text, completed_on::text], NULL) AS dates
         FROM follow_up WHERE visit_id = ANY($1::uuid[])
       UNION ALL
       SELECT 'request', id::text, external_id, visit_id, municipality_code, ARRAY[raised_on::text] FROM municipal_request WHERE visit_id = ANY($1::uuid[])
       UNION ALL
       SELECT 'assessment', id::text, NULL, visit_id, municipality_code, ARRAY[]::text[] FROM assessment WHERE visit_id = ANY($1::uuid[])
       ORDER BY kind, id`,
      [visitIds],
    );
    return rows.map((r: { kind: RecordOnVisit['kind']; id: string; file_id: string | null; visit_id: string; municipality_code: string; dates: string[] }) => ({
      kind: r.kind,
      id: r.id,
      fileId: r.file_id,
      visitId: r.visit_id,
      municipalityCode: r.municipality_code,
      dates: r.dates,
    }));
  }

  async followUpsOfVisits(visitIds: readonly string[]): Promise<StoredFollowUp[]> {
    return (await this.db.query('SELECT * FROM follow_up WHERE visit_id = ANY($1::uuid[]) ORDER BY due_on, id', [visitIds])).map(toFollowUp);
  }

  async followUpsByIds(ids: readonly string[]): Promise<StoredFollowUp[]> {
    return (await this.db.query('SELECT * FROM follow_up WHERE id = ANY($1::uuid[])', [ids])).map(toFollowUp);
  }

  async requestsByIds(ids: readonly string[]): Promise<StoredRequest[]> {
    return (await this.db.query('SELECT * FROM municipal_request WHERE id = ANY($1::uuid[])', [ids])).map(toRequest);
  }

  /**
   * Follow-ups that were open on `date`: agreed on an active visit on or before it, and neither done nor
   * dropped by then (a DONE one counts until its completedOn, a DROPPED one until the day it was dropped).
   */
  async followUpsOpenOn(codes: readonly string[], date: string): Promise<StoredFollowUp[]> {
    const rows = await this.db.query(
      `SELECT f.* FROM follow_up f JOIN visit v ON v.id = f.visit_id
       WHERE f.municipality_code = ANY($1::char(6)[]) AND v.status = 'ACTIVE' AND v.visited_on <= $2::date
         AND (f.status = 'OPEN' OR (f.status = 'DONE' AND f.completed_on > $2::date) OR (f.status = 'DROPPED' AND f.dropped_on > $2::date))
       ORDER BY f.due_on, f.id`,
      [codes, date],
    );
    // As they stood on the date: open.
    return rows.map((row: unknown) => ({ ...toFollowUp(row), status: FollowUpStatus.OPEN, completedOn: null, dropReason: null }));
  }

  async lockFollowUp(id: string): Promise<StoredFollowUp | undefined> {
    const [row] = await this.db.query('SELECT * FROM follow_up WHERE id = $1 FOR UPDATE', [id]);
    return row && toFollowUp(row);
  }

  async saveFollowUps(followUps: readonly StoredFollowUp[]): Promise<void> {
    if (followUps.length === 0) return;
    const c = <T>(f: (x: StoredFollowUp) => T) => followUps.map(f);
    await this.db.query(
      // dropped_on: the day (in Japan) a follow-up was dropped, kept by this statement so the dated worklist
      // can tell what was open on an earlier day; a dropped follow-up inserted as such (the sample) was dropped on its due date.
      // The API never moves a follow-up to another visit or municipality; an import (a follow-ups file) may.
      `INSERT INTO follow_up AS f (id, visit_id, municipality_code, description, owner_kind, owner_advisor_id, due_on, status, completed_on, drop_reason,
         external_id, version, dropped_on)
       SELECT u.id, u.visit_id, u.municipality_code, u.description, u.owner_kind, u.owner_advisor_id, u.due_on, u.status, u.completed_on,
              u.drop_reason, coalesce(u.external_id, u.id::text), 1, CASE WHEN u.status = 'DROPPED' THEN u.due_on END
       FROM unnest($1::uuid[], $2::uuid[], $3::char(6)[], $4::text[], $5::text[], $6::uuid[], $7::date[], $8::text[], $9::date[], $10::text[], $11::text[])
         AS u(id, visit_id, municipality_code, description, owner_kind, owner_advisor_id, due_on, status, completed_on, drop_reason, external_id)
       ON CONFLICT (id) DO UPDATE SET visit_id = EXCLUDED.visit_id, municipality_code = EXCLUDED.municipality_code,
         description = EXCLUDED.description, owner_kind = EXCLUDED.owner_kind,
         owner_advisor_id = EXCLUDED.owner_advisor_id, due_on = EXCLUDED.due_on, status = EXCLUDED.status,
         completed_on = EXCLUDED.completed_on, drop_reason = EXCLUDED.drop_reason, version = f.version + 1,
         dropped_on = CASE WHEN EXCLUDED.status = 'DROPPED' THEN coalesce(f.dropped_on, (now() AT TIME ZONE 'Asia/Tokyo')::date) END`,
      [
        c((x) => x.id),
        c((x) => x.visitId),
        c((x) => x.municipalityCode),
        c((x) => x.description),
        c((x) => x.ownerKind),
        c((x) => x.ownerAdvisorId),
        c((x) => x.dueOn),
        c((x) => x.status),
        c((x) => x.completedOn),
        c((x) => x.dropReason),
        c((x) => x.externalId ?? null),
      ],
    );
  }

  /** The external ids of the follow-ups of these prefectures' active visits (all when undefined), by visit date and due date. */
  /** The file ids of the follow-ups of the active visits of these prefectures (all when undefined), of visits of one fiscal year when given. */
  async followUpExternalIdsOf(prefectures: readonly string[] | undefined, fiscalYear?: number): Promise<string[]> {
    const range = fiscalYear === undefined ? null : fiscalYearRange(fiscalYear);
    const rows = await this.db.query(
      `SELECT f.external_id FROM follow_up f JOIN visit v ON v.id = f.visit_id
       WHERE v.status = 'ACTIVE' AND ($1::text[] IS NULL OR v.prefecture_code = ANY($1))
         AND ($2::date IS NULL OR v.visited_on BETWEEN $2 AND $3)
       ORDER BY v.prefecture_code, v.visited_on, v.external_id, f.due_on, f.external_id`,
      [prefectures ?? null, range?.from ?? null, range?.to ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  async followUpsByExternalIds(externalIds: readonly string[]): Promise<StoredFollowUp[]> {
    return (await this.db.query('SELECT * FROM follow_up WHERE external_id = ANY($1::text[])', [externalIds])).map(toFollowUp);
  }

  /** Deletes follow-ups an import added (a revert). */
  async removeFollowUps(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM follow_up WHERE id = ANY($1::uuid[])', [ids]);
  }

  async requestsOfVisits(visitIds: readonly string[]): Promise<StoredRequest[]> {
    return (await this.db.query('SELECT * FROM municipal_request WHERE visit_id = ANY($1::uuid[]) ORDER BY raised_on, id', [visitIds])).map(toRequest);
  }

  async requestsOf(codes: readonly string[]): Promise<StoredRequest[]> {
    return (await this.db.query('SELECT * FROM municipal_request WHERE municipality_code = ANY($1::char(6)[]) ORDER BY raised_on DESC, id', [codes])).map(
      toRequest,
    );
  }

  async lockRequest(id: string): Promise<StoredRequest | undefined> {
    const [row] = await this.db.query('SELECT * FROM municipal_request WHERE id = $1 FOR UPDATE', [id]);
    return row && toRequest(row);
  }

  async saveRequests(requests: readonly StoredRequest[]): Promise<void> {
    if (requests.length === 0) return;
    const c = <T>(f: (x: StoredRequest) => T) => requests.map(f);
    await this.db.query(
      // The API never moves a request to another visit, municipality or date; an import (a requests file) may.
      `INSERT INTO municipal_request AS m (id, visit_id, municipality_code, summary, status, response, raised_on, external_id, version)
       SELECT u.id, u.visit_id, u.municipality_code, u.summary, u.status, u.response, u.raised_on, coalesce(u.external_id, u.id::text), 1
       FROM unnest($1::uuid[], $2::uuid[], $3::char(6)[], $4::text[], $5::text[], $6::text[], $7::date[], $8::text[])
         AS u(id, visit_id, municipality_code, summary, status, response, raised_on, external_id)
       ON CONFLICT (id) DO UPDATE SET visit_id = EXCLUDED.visit_id, municipality_code = EXCLUDED.municipality_code, raised_on = EXCLUDED.raised_on,
         summary = EXCLUDED.summary, status = EXCLUDED.status, response = EXCLUDED.response, version = m.version + 1`,
      [
        c((x) => x.id),
        c((x) => x.visitId),
        c((x) => x.municipalityCode),
        c((x) => x.summary),
        c((x) => x.status),
        c((x) => x.response),
        c((x) => x.raisedOn),
        c((x) => x.externalId ?? null),
      ],
    );
  }

  /** The file ids of the requests of these prefectures (all when undefined), raised in one fiscal year when given, by prefecture and date. */
  async requestExternalIdsOf(prefectures: readonly string[] | undefined, fiscalYear?: number): Promise<string[]> {
    const range = fiscalYear === undefined ? null : fiscalYearRange(fiscalYear);
    const rows = await this.db.query(
      `SELECT external_id FROM municipal_request
       WHERE ($1::text[] IS NULL OR left(municipality_code, 2) = ANY($1)) AND ($2::date IS NULL OR raised_on BETWEEN $2 AND $3)
       ORDER BY left(municipality_code, 2), raised_on, external_id`,
      [prefectures ?? null, range?.from ?? null, range?.to ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  async requestsByExternalIds(externalIds: readonly string[]): Promise<StoredRequest[]> {
    return (await this.db.query('SELECT * FROM municipal_request WHERE external_id = ANY($1::text[])', [externalIds])).map(toRequest);
  }

  /** Deletes requests an import added (a revert). */
  async removeRequests(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM municipal_request WHERE id = ANY($1::uuid[])', [ids]);
  }

  // --- checklists ---

  async templates(ids?: readonly string[]): Promise<StoredTemplate[]> {
    return this.db.query('SELECT * FROM checklist_template WHERE $1::text[] IS NULL OR id = ANY($1::text[]) ORDER BY id', [ids ?? null]);
  }

  async itemsOf(templateIds: readonly string[]): Promise<TemplateItem[]> {
    const rows = await this.db.query('SELECT * FROM checklist_item WHERE template_id = ANY($1::text[]) ORDER BY template_id, position', [templateIds]);
    return rows.map((r: any) => ({ templateId: r.template_id, itemId: r.item_id, position: r.position, section: r.section, text: r.text }));
  }

  async deleteItems(templateId: string, itemIds: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM checklist_item WHERE template_id = $1 AND item_id = ANY($2::text[])', [templateId, itemIds]);
  }

  async deleteTemplate(id: string): Promise<void> {
    await this.db.query('DELETE FROM checklist_item WHERE template_id = $1', [id]);
    await this.db.query('DELETE FROM checklist_template WHERE id = $1', [id]);
  }

  async saveTemplate(template: StoredTemplate, items: readonly TemplateItem[]): Promise<void> {
    await this.db.query(
      `INSERT INTO checklist_template (id, name, source) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, source = EXCLUDED.source`,
      [template.id, template.name, template.source],
    );
    await this.db.query(
      `INSERT INTO checklist_item (template_id, item_id, position, section, text)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[])
       ON CONFLICT (template_id, item_id) DO UPDATE SET position = EXCLUDED.position, section = EXCLUDED.section, text = EXCLUDED.text`,
      [items.map((i) => i.templateId), items.map((i) => i.itemId), items.map((i) => i.position), items.map((i) => i.section), items.map((i) => i.text)],
    );
  }

  /** The latest assessment of each municipality with a template, with its results. */
  latestAssessments(codes: readonly string[], templateId: string): Promise<StoredAssessment[]> {
    return this.assessments(
      `SELECT DISTINCT ON (a.municipality_code) a.*, ${ASSESSMENT_RESULTS} FROM assessment a
       WHERE a.municipality_code = ANY($1::char(6)[]) AND a.template_id = $2 ORDER BY a.municipality_code, a.assessed_on DESC, a.id`,
      [codes, templateId],
    );
  }

  /** An assessment locked for a change (its erasure), with its answers. */
  async lockAssessment(id: string): Promise<StoredAssessment | undefined> {
    return (await this.assessments(`SELECT a.*, ${ASSESSMENT_RESULTS} FROM assessment a WHERE a.id = $1 FOR UPDATE OF a`, [id]))[0];
  }

  assessmentsByIds(ids: readonly string[]): Promise<StoredAssessment[]> {
    return this.assessments(`SELECT a.*, ${ASSESSMENT_RESULTS} FROM assessment a WHERE a.id = ANY($1::uuid[])`, [ids]);
  }

  private async assessments(sql: string, parameters: unknown[]): Promise<StoredAssessment[]> {
    const rows = await this.db.query(sql, parameters);
    return rows.map((r: any) => ({
      id: r.id,
      templateId: r.template_id,
      municipalityCode: r.municipality_code,
      assessedOn: r.assessed_on,
      visitId: r.visit_id,
      recordedBy: r.recorded_by,
      sample: r.sample,
      results: r.results,
    }));
  }

  /**
   * One answer of an assessment per row, as the assessments file has them, for these keys (template, municipality,
   * date, item): one statement. `visitKey` is the assessment's visit by its id in files.
   */
  async assessmentResultsByKeys(keys: readonly AssessmentResultKey[]): Promise<StoredAssessmentResult[]> {
    const rows = await this.db.query(
      `SELECT a.id AS assessment_id, a.template_id, a.municipality_code, a.assessed_on, k.item_id, r.result, r.comment,
              coalesce(v.external_id, v.id::text) AS visit_key
         FROM unnest($1::text[], $2::char(6)[], $3::date[], $4::text[]) AS k(template_id, municipality_code, assessed_on, item_id)
         JOIN assessment a ON a.template_id = k.template_id AND a.municipality_code = k.municipality_code AND a.assessed_on = k.assessed_on
         JOIN assessment_result r ON r.assessment_id = a.id AND r.item_id = k.item_id
         LEFT JOIN visit v ON v.id = a.visit_id`,
      [keys.map((k) => k.templateId), keys.map((k) => k.municipalityCode), keys.map((k) => k.assessedOn), keys.map((k) => k.itemId)],
    );
    return rows.map((r: any) => ({
      assessmentId: r.assessment_id,
      templateId: r.template_id,
      municipalityCode: r.municipality_code,
      assessedOn: r.assessed_on,
      itemId: r.item_id,
      result: r.result,
      comment: r.comment,
      visitKey: r.visit_key,
    }));
  }

  /** The keys of the answers of these prefectures' assessments (all when undefined), of one fiscal year when given, in the checklist's order. */
  async assessmentResultKeysOf(prefectures: readonly string[] | undefined, fiscalYear?: number): Promise<AssessmentResultKey[]> {
    const range = fiscalYear === undefined ? null : fiscalYearRange(fiscalYear);
    const rows = await this.db.query(
      `SELECT a.template_id, a.municipality_code, a.assessed_on, r.item_id
         FROM assessment a JOIN assessment_result r ON r.assessment_id = a.id
         JOIN checklist_item i ON i.template_id = r.template_id AND i.item_id = r.item_id
        WHERE ($1::text[] IS NULL OR left(a.municipality_code, 2) = ANY($1)) AND ($2::date IS NULL OR a.assessed_on BETWEEN $2 AND $3)
        ORDER BY left(a.municipality_code, 2), a.assessed_on, a.municipality_code, a.template_id, i.position`,
      [prefectures ?? null, range?.from ?? null, range?.to ?? null],
    );
    return rows.map((r: any) => ({ templateId: r.template_id, municipalityCode: r.municipality_code, assessedOn: r.assessed_on, itemId: r.item_id }));
  }

  /**
   * Writes answers given by a file: each assessment (template, municipality, date) is added when new — recorded by
   * `actor` — or given the file's visit; each answer added or changed. Two statements.
   */
  async saveAssessmentResults(results: readonly NewAssessmentResult[], actor: string): Promise<void> {
    if (results.length === 0) return;
    const byAssessment = new Map(results.map((r) => [`${r.templateId}|${r.municipalityCode}|${r.assessedOn}`, r]));
    const headers = [...byAssessment.values()];
    const ids: Array<{ id: string; template_id: string; municipality_code: string; assessed_on: string }> = await this.db.query(
      `INSERT INTO assessment AS a (id, template_id, municipality_code, assessed_on, visit_id, recorded_by, sample)
       SELECT u.id, u.template_id, u.municipality_code, u.assessed_on, u.visit_id, $6, false
         FROM unnest($1::uuid[], $2::text[], $3::char(6)[], $4::date[], $5::uuid[]) AS u(id, template_id, municipality_code, assessed_on, visit_id)
       ON CONFLICT (template_id, municipality_code, assessed_on) DO UPDATE SET visit_id = EXCLUDED.visit_id
       RETURNING a.id, a.template_id, a.municipality_code, a.assessed_on`,
      [
        headers.map((h) => h.newAssessmentId),
        headers.map((h) => h.templateId),
        headers.map((h) => h.municipalityCode),
        headers.map((h) => h.assessedOn),
        headers.map((h) => h.visitId),
        actor,
      ],
    );
    const idOf = new Map(ids.map((a) => [`${a.template_id}|${a.municipality_code}|${a.assessed_on}`, a.id]));
    await this.db.query(
      `INSERT INTO assessment_result AS r (assessment_id, template_id, item_id, result, comment)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (assessment_id, item_id) DO UPDATE SET result = EXCLUDED.result, comment = EXCLUDED.comment`,
      [
        results.map((r) => idOf.get(`${r.templateId}|${r.municipalityCode}|${r.assessedOn}`)),
        results.map((r) => r.templateId),
        results.map((r) => r.itemId),
        results.map((r) => r.result),
        results.map((r) => r.comment),
      ],
    );
  }

  /** Deletes answers a file added (a revert), and the assessments left with none. Two statements. */
  async removeAssessmentResults(keys: readonly AssessmentResultKey[]): Promise<void> {
    const parameters = [keys.map((k) => k.templateId), keys.map((k) => k.municipalityCode), keys.map((k) => k.assessedOn), keys.map((k) => k.itemId)];
    await this.db.query(
      `DELETE FROM assessment_result r USING assessment a,
              unnest($1::text[], $2::char(6)[], $3::date[], $4::text[]) AS k(template_id, municipality_code, assessed_on, item_id)
        WHERE r.assessment_id = a.id AND r.item_id = k.item_id
          AND a.template_id = k.template_id AND a.municipality_code = k.municipality_code AND a.assessed_on = k.assessed_on`,
      parameters,
    );
    await this.db.query(
      `DELETE FROM assessment a USING unnest($1::text[], $2::char(6)[], $3::date[]) AS k(template_id, municipality_code, assessed_on)
        WHERE a.template_id = k.template_id AND a.municipality_code = k.municipality_code AND a.assessed_on = k.assessed_on
          AND NOT EXISTS (SELECT 1 FROM assessment_result r WHERE r.assessment_id = a.id)`,
      parameters.slice(0, 3),
    );
  }

  async saveAssessments(assessments: readonly StoredAssessment[]): Promise<void> {
    if (assessments.length === 0) return;
    const c = <T>(f: (x: StoredAssessment) => T) => assessments.map(f);
    await this.db.query(
      `INSERT INTO assessment (id, template_id, municipality_code, assessed_on, visit_id, recorded_by, sample)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::char(6)[], $4::date[], $5::uuid[], $6::text[], $7::bool[])`,
      [
        c((a) => a.id),
        c((a) => a.templateId),
        c((a) => a.municipalityCode),
        c((a) => a.assessedOn),
        c((a) => a.visitId),
        c((a) => a.recordedBy),
        c((a) => a.sample),
      ],
    );
    const results = assessments.flatMap((a) => a.results.map((r) => ({ ...r, assessmentId: a.id, templateId: a.templateId })));
    await this.db.query(
      `INSERT INTO assessment_result (assessment_id, template_id, item_id, result, comment)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        results.map((r) => r.assessmentId),
        results.map((r) => r.templateId),
        results.map((r) => r.itemId),
        results.map((r) => r.result),
        results.map((r) => r.comment),
      ],
    );
  }
}
