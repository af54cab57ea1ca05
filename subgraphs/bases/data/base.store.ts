/**
 * SQL of bases and their parts, and of the service figures. Reads take lists of keys and are one
 * statement each (the loaders batch a request's lookups into them); writes take lists of records.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { type StoredErasureRecord, erasureRecordOf } from '../../../shared/erasure';
import { historyWithoutTextsNotHeld } from '../../../shared/history';
import { type KeysetOrdering, keysetSql } from '../../../shared/ordering';
import type { BaseFunction, BaseModel, BaseRecord, CoordinatorFunding, OrganizationKind } from '../rules';

export interface StoredBase extends BaseRecord {
  id: string;
  externalId: string | null;
  version: number;
}

export interface StoredParticipant {
  id: string;
  baseId: string;
  function: BaseFunction;
  organizationName: string;
  organizationKind: OrganizationKind;
}

export interface StoredCoordinator {
  id: string;
  externalId: string | null;
  baseId: string;
  count: number;
  funding: CoordinatorFunding;
  hostOrganization: string;
  startedOn: string;
  endedOn: string | null;
}

/** One erasure of a base's earlier texts (text_erasure). */
export interface StoredTextErasure extends StoredErasureRecord {
  baseId: string;
}

/**
 * The free texts the bases subgraph keeps, by their keys in the history's records (a request, an import's row): what
 * may identify a person (README: Security), which eraseEarlierBaseTexts erases from the history in their earlier
 * versions. A base's other texts are names of organisations.
 */
export const BASE_FREE_TEXTS = { review: ['summary'] } as const;

export interface StoredReview {
  id: string;
  baseId: string;
  reviewedOn: string;
  summary: string;
}

/** One active base covering a municipality, as the coverage and gap rules see it. */
export interface BaseStatusRow {
  code: string;
  baseId: string;
  municipalityCount: number;
  hasCoordinator: boolean;
  lastReviewOn: string | null;
  functions: BaseFunction[];
}

export interface ServiceFigureRow {
  prefectureCode: string;
  fiscalYear: number;
  service: string;
  designated: number;
  billing: number;
}

export interface BaseCriteria {
  prefectureCodes?: string[];
  municipalityCodes?: string[];
  models?: BaseModel[];
  activeOn?: string;
  sample?: boolean;
}

const PARTS = `
  (SELECT array_agg(bm.municipality_code ORDER BY bm.municipality_code) FROM base_municipality bm WHERE bm.base_id = b.id) AS municipality_codes,
  ARRAY(SELECT bf.function FROM base_function bf WHERE bf.base_id = b.id) AS functions`;
const BASE_SELECT = `SELECT b.*, ${PARTS} FROM base b`;
const ACTIVE = `b.established_on <= $2::date AND (b.closed_on IS NULL OR b.closed_on > $2::date)`;
const FUNCTION_ORDER = ['CONSULTATION', 'EMERGENCY_RESPONSE', 'EXPERIENCE_OPPORTUNITIES', 'SPECIALIST_DEVELOPMENT', 'COMMUNITY_COORDINATION'];

// pg rows are untyped; these functions are where they get their types.
function toBase(row: any): StoredBase {
  return {
    id: row.id,
    externalId: row.external_id,
    prefectureCode: row.prefecture_code,
    name: row.name,
    model: row.model,
    municipalityCodes: row.municipality_codes ?? [],
    establishedOn: row.established_on,
    closedOn: row.closed_on,
    functions: [...row.functions].sort((a: string, b: string) => FUNCTION_ORDER.indexOf(a) - FUNCTION_ORDER.indexOf(b)),
    emergencyPreregistrations: row.emergency_preregistrations,
    sourceName: row.source_name,
    sourceAsOf: row.source_as_of,
    sample: row.sample,
    version: row.version,
  };
}

function toCoordinator(row: any): StoredCoordinator {
  return {
    id: row.id,
    externalId: row.external_id,
    baseId: row.base_id,
    count: row.count,
    funding: row.funding,
    hostOrganization: row.host_organization,
    startedOn: row.started_on,
    endedOn: row.ended_on,
  };
}

export class BaseStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<StoredBase[]> {
    return (await this.db.query(`${BASE_SELECT} WHERE b.id = ANY($1::uuid[])`, [ids])).map(toBase);
  }

  async findByExternalIds(externalIds: readonly string[]): Promise<StoredBase[]> {
    return (await this.db.query(`${BASE_SELECT} WHERE b.external_id = ANY($1)`, [externalIds])).map(toBase);
  }

  /** The bases' external ids, of these prefectures (all when undefined), by prefecture then id. */
  async externalIdsOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT external_id FROM base WHERE external_id IS NOT NULL AND ($1::text[] IS NULL OR prefecture_code = ANY($1)) ORDER BY prefecture_code, external_id`,
      [prefectures ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  /** The participants' keys (`base_id|function|organization_name`) of bases of these prefectures (all when undefined). */
  async participantKeysOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT b.external_id || '|' || p.function || '|' || p.organization_name AS key
       FROM base_participant p JOIN base b ON b.id = p.base_id
       WHERE b.external_id IS NOT NULL AND ($1::text[] IS NULL OR b.prefecture_code = ANY($1))
       ORDER BY b.prefecture_code, b.external_id, p.function, p.organization_name`,
      [prefectures ?? null],
    );
    return rows.map((r: { key: string }) => r.key);
  }

  async lock(id: string): Promise<StoredBase | undefined> {
    const [row] = await this.db.query(`${BASE_SELECT} WHERE b.id = $1 FOR UPDATE OF b`, [id]);
    return row && toBase(row);
  }

  /** For each municipality, the bases active on `asOf` that cover it, with what the gap rules need. */
  async statusesOf(codes: readonly string[], asOf: string): Promise<BaseStatusRow[]> {
    const rows = await this.db.query(
      `SELECT m.municipality_code AS code, b.id AS base_id,
         (SELECT count(*)::int FROM base_municipality x WHERE x.base_id = b.id) AS municipality_count,
         EXISTS (SELECT 1 FROM base_coordinator c WHERE c.base_id = b.id
                 AND c.started_on <= $2::date AND (c.ended_on IS NULL OR c.ended_on >= $2::date)) AS has_coordinator, -- isCoordinatorWorkingOn
         (SELECT max(r.reviewed_on) FROM base_review r WHERE r.base_id = b.id AND r.reviewed_on <= $2::date) AS last_review_on,
         ARRAY(SELECT f.function FROM base_function f WHERE f.base_id = b.id) AS functions
       FROM base_municipality m JOIN base b ON b.id = m.base_id
       WHERE m.municipality_code = ANY($1::char(6)[]) AND ${ACTIVE}`,
      [codes, asOf],
    );
    return rows.map((r: any) => ({
      code: r.code,
      baseId: r.base_id,
      municipalityCount: r.municipality_count,
      hasCoordinator: r.has_coordinator,
      lastReviewOn: r.last_review_on,
      functions: r.functions,
    }));
  }

  async activeBasesOf(codes: readonly string[], asOf: string): Promise<Array<{ code: string; base: StoredBase }>> {
    const rows = await this.db.query(
      `SELECT m.municipality_code AS covered_code, b.*, ${PARTS}
       FROM base_municipality m JOIN base b ON b.id = m.base_id
       WHERE m.municipality_code = ANY($1::char(6)[]) AND ${ACTIVE}
       ORDER BY b.established_on, b.id`,
      [codes, asOf],
    );
    return rows.map((row: any) => ({ code: row.covered_code, base: toBase(row) }));
  }

  /** One page in `ordering`, after the row of the cursor `after`. */
  async search(criteria: BaseCriteria, ordering: KeysetOrdering, limit: number, after?: string | null): Promise<StoredBase[]> {
    const { where, params } = this.where(criteria);
    const keyset = keysetSql(ordering, after, params.length + 1);
    params.push(...keyset.parameters, limit);
    const rows = await this.db.query(`${BASE_SELECT} WHERE ${where} AND ${keyset.condition} ORDER BY ${keyset.orderBy} LIMIT $${params.length}`, params);
    return rows.map(toBase);
  }

  async count(criteria: BaseCriteria): Promise<number> {
    const { where, params } = this.where(criteria);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM base b WHERE ${where}`, params);
    return count;
  }

  private where(c: BaseCriteria): { where: string; params: unknown[] } {
    const conditions = ['TRUE'];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (c.prefectureCodes) add((p) => `b.prefecture_code = ANY(${p}::char(2)[])`, c.prefectureCodes);
    if (c.municipalityCodes) {
      add((p) => `EXISTS (SELECT 1 FROM base_municipality bm WHERE bm.base_id = b.id AND bm.municipality_code = ANY(${p}::char(6)[]))`, c.municipalityCodes);
    }
    if (c.models) add((p) => `b.model = ANY(${p}::text[])`, c.models);
    if (c.activeOn) add((p) => `b.established_on <= ${p}::date AND (b.closed_on IS NULL OR b.closed_on > ${p}::date)`, c.activeOn);
    if (c.sample !== undefined) add((p) => `b.sample = ${p}`, c.sample);
    return { where: conditions.join(' AND '), params };
  }

  /** Inserts or overwrites bases (by id), with their municipalities and functions; versions go up on change. */
  async save(bases: readonly StoredBase[]): Promise<void> {
    if (bases.length === 0) return;
    const column = <T>(f: (b: StoredBase) => T) => bases.map(f);
    await this.db.query(
      `INSERT INTO base AS b (id, external_id, prefecture_code, name, model, established_on, closed_on,
         emergency_preregistrations, source_name, source_as_of, sample, version)
       SELECT u.*, 1 FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[], $6::date[], $7::date[],
         $8::int[], $9::text[], $10::date[], $11::bool[])
         AS u(id, external_id, prefecture_code, name, model, established_on, closed_on, emergency_preregistrations,
              source_name, source_as_of, sample)
       ON CONFLICT (id) DO UPDATE SET external_id = EXCLUDED.external_id, prefecture_code = EXCLUDED.prefecture_code,
         name = EXCLUDED.name, model = EXCLUDED.model, established_on = EXCLUDED.established_on,
         closed_on = EXCLUDED.closed_on, emergency_preregistrations = EXCLUDED.emergency_preregistrations,
         source_name = EXCLUDED.source_name, source_as_of = EXCLUDED.source_as_of, sample = EXCLUDED.sample,
         version = b.version + 1, updated_at = now()`,
      [
        column((b) => b.id),
        column((b) => b.externalId),
        column((b) => b.prefectureCode),
        column((b) => b.name),
        column((b) => b.model),
        column((b) => b.establishedOn),
        column((b) => b.closedOn),
        column((b) => b.emergencyPreregistrations),
        column((b) => b.sourceName),
        column((b) => b.sourceAsOf),
        column((b) => b.sample),
      ],
    );
    const ids = column((b) => b.id);
    await this.db.query('DELETE FROM base_municipality WHERE base_id = ANY($1::uuid[])', [ids]);
    const covered = bases.flatMap((b) => b.municipalityCodes.map((code) => [b.id, code]));
    await this.db.query('INSERT INTO base_municipality SELECT * FROM unnest($1::uuid[], $2::char(6)[])', [covered.map((p) => p[0]), covered.map((p) => p[1])]);
    // Functions no longer provided go (with their participants); new ones come; the rest keep their participants.
    const provided = bases.flatMap((b) => b.functions.map((f) => [b.id, f]));
    await this.db.query(
      `DELETE FROM base_function f WHERE f.base_id = ANY($1::uuid[])
         AND (f.base_id, f.function) NOT IN (SELECT * FROM unnest($2::uuid[], $3::text[]))`,
      [ids, provided.map((p) => p[0]), provided.map((p) => p[1])],
    );
    await this.db.query(`INSERT INTO base_function SELECT * FROM unnest($1::uuid[], $2::text[]) ON CONFLICT DO NOTHING`, [
      provided.map((p) => p[0]),
      provided.map((p) => p[1]),
    ]);
  }

  /** Deletes bases an import added, with their parts (a revert): refused while a base has participants someone added since. */
  async removeImported(ids: readonly string[]): Promise<void> {
    const [used] = await this.db.query('SELECT base_id FROM base_participant WHERE base_id = ANY($1::uuid[]) LIMIT 1', [ids]);
    if (used) throw Object.assign(new Error('the base has participants'), { code: '23503' });
    for (const table of ['base_review', 'base_coordinator', 'base_function', 'base_municipality']) {
      await this.db.query(`DELETE FROM ${table} WHERE base_id = ANY($1::uuid[])`, [ids]);
    }
    await this.db.query('DELETE FROM base WHERE id = ANY($1::uuid[])', [ids]);
  }

  async deleteReviews(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM base_review WHERE id = ANY($1::uuid[])', [ids]);
  }

  async deleteParticipants(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM base_participant WHERE id = ANY($1::uuid[])', [ids]);
  }

  participantsOf(baseIds: readonly string[]): Promise<StoredParticipant[]> {
    return this.participantsWhere('base_id = ANY($1::uuid[])', [baseIds]);
  }

  async findParticipant(id: string): Promise<StoredParticipant | undefined> {
    const [participant] = await this.participantsWhere('id = $1', [id]);
    return participant;
  }

  private async participantsWhere(where: string, params: unknown[]): Promise<StoredParticipant[]> {
    const rows = await this.db.query(`SELECT * FROM base_participant WHERE ${where} ORDER BY function, organization_name`, params);
    return rows.map((r: any) => ({
      id: r.id,
      baseId: r.base_id,
      function: r.function,
      organizationName: r.organization_name,
      organizationKind: r.organization_kind,
    }));
  }

  /** Adds participants; one already there (same base, function and name) is updated, not doubled. */
  async saveParticipants(participants: readonly StoredParticipant[]): Promise<void> {
    if (participants.length === 0) return;
    await this.db.query(
      `INSERT INTO base_participant (id, base_id, function, organization_name, organization_kind)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (base_id, function, organization_name) DO UPDATE SET organization_kind = EXCLUDED.organization_kind`,
      [
        participants.map((p) => p.id),
        participants.map((p) => p.baseId),
        participants.map((p) => p.function),
        participants.map((p) => p.organizationName),
        participants.map((p) => p.organizationKind),
      ],
    );
  }

  async removeParticipant(id: string): Promise<void> {
    await this.db.query('DELETE FROM base_participant WHERE id = $1', [id]);
  }

  async coordinatorsOf(baseIds: readonly string[]): Promise<StoredCoordinator[]> {
    const rows = await this.db.query('SELECT * FROM base_coordinator WHERE base_id = ANY($1::uuid[]) ORDER BY started_on, id', [baseIds]);
    return rows.map(toCoordinator);
  }

  async saveCoordinators(coordinators: readonly StoredCoordinator[]): Promise<void> {
    if (coordinators.length === 0) return;
    const column = <T>(f: (c: StoredCoordinator) => T) => coordinators.map(f);
    await this.db.query(
      `INSERT INTO base_coordinator (id, external_id, base_id, count, funding, host_organization, started_on, ended_on)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::date[], $8::date[])
       ON CONFLICT (id) DO UPDATE SET count = EXCLUDED.count, funding = EXCLUDED.funding,
         host_organization = EXCLUDED.host_organization, started_on = EXCLUDED.started_on, ended_on = EXCLUDED.ended_on`,
      [
        column((c) => c.id),
        column((c) => c.externalId),
        column((c) => c.baseId),
        column((c) => c.count),
        column((c) => c.funding),
        column((c) => c.hostOrganization),
        column((c) => c.startedOn),
        column((c) => c.endedOn),
      ],
    );
  }

  async deleteCoordinators(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM base_coordinator WHERE id = ANY($1::uuid[])', [ids]);
  }

  async reviewsOf(baseIds: readonly string[]): Promise<StoredReview[]> {
    const rows = await this.db.query('SELECT * FROM base_review WHERE base_id = ANY($1::uuid[]) ORDER BY reviewed_on DESC', [baseIds]);
    return rows.map((r: any) => ({ id: r.id, baseId: r.base_id, reviewedOn: r.reviewed_on, summary: r.summary }));
  }

  /** Records reviews; a second record for the same base and date replaces the summary. */
  async saveReviews(reviews: readonly StoredReview[]): Promise<void> {
    if (reviews.length === 0) return;
    await this.db.query(
      `INSERT INTO base_review (id, base_id, reviewed_on, summary)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::text[])
       ON CONFLICT (base_id, reviewed_on) DO UPDATE SET summary = EXCLUDED.summary`,
      [reviews.map((r) => r.id), reviews.map((r) => r.baseId), reviews.map((r) => r.reviewedOn), reviews.map((r) => r.summary)],
    );
  }

  /**
   * Erases every earlier version of the base's free texts — a review's summary before it was replaced — from the
   * change history: each `summary` a history entry of the base holds (a request, an import's row) that no review of
   * the base holds now; what the reviews hold now stays. Forgets the hashes of the requests that wrote them
   * (idempotency keys), moves the base to its next version, and records the erasure with how many entries held such
   * texts; an import whose rows held them can no longer be reverted (its history says so, and a revert is CONFLICT).
   * Three statements, whatever the history's length.
   */
  async eraseEarlierTexts(baseId: string, erasedBy: string, reason: string): Promise<number> {
    const held = new Set((await this.reviewsOf([baseId])).map((r) => r.summary.trim()));
    const redacted = await historyWithoutTextsNotHeld(this.db, [baseId], BASE_FREE_TEXTS.review, held);
    await this.db.query(
      `WITH redacted AS (
         UPDATE history h SET before = u.before, after = u.after FROM unnest($1::bigint[], $2::jsonb[], $3::jsonb[]) AS u(id, before, after) WHERE h.id = u.id
       ), forgotten AS (
         UPDATE idempotency_key SET request_hash = NULL WHERE entity_id = $4 AND request_hash IS NOT NULL
       ), bases AS (
         UPDATE base SET version = version + 1, updated_at = now() WHERE id = $4
       ), imports AS (
         INSERT INTO history (entity, entity_id, action, actor, before, after, import_id)
         SELECT 'import', i, 'erasure', $5, NULL, jsonb_build_object('baseId', $4::uuid), i FROM unnest($8::uuid[]) AS i
       )
       INSERT INTO text_erasure (base_id, erased_by, reason, history_entries) VALUES ($4, $5, $6, $7)`,
      [redacted.ids, redacted.befores, redacted.afters, baseId, erasedBy, reason, redacted.ids.length, redacted.imports],
    );
    return redacted.ids.length;
  }

  /** Every erasure of each base's earlier texts, newest first (one statement for a batch). */
  async textErasuresOf(baseIds: readonly string[]): Promise<StoredTextErasure[]> {
    const rows = await this.db.query(
      'SELECT base_id, erased_by, erased_at, reason, history_entries FROM text_erasure WHERE base_id = ANY($1::uuid[]) ORDER BY base_id, erased_at DESC, id DESC',
      [baseIds],
    );
    return rows.map((r: any) => ({ baseId: r.base_id, ...erasureRecordOf(r) }));
  }

  /** Marks a base changed (its parts were written), for optimistic concurrency. */
  async touch(baseId: string): Promise<void> {
    await this.db.query('UPDATE base SET version = version + 1, updated_at = now() WHERE id = $1', [baseId]);
  }

  async serviceFigures(prefectureCodes: readonly string[] | null, fiscalYear: number): Promise<ServiceFigureRow[]> {
    const rows = await this.db.query(
      `SELECT * FROM service_figure WHERE fiscal_year = $2 AND ($1::char(2)[] IS NULL OR prefecture_code = ANY($1::char(2)[]))
       ORDER BY prefecture_code, service`,
      [prefectureCodes, fiscalYear],
    );
    return rows.map((r: any) => ({
      prefectureCode: r.prefecture_code,
      fiscalYear: r.fiscal_year,
      service: r.service,
      designated: r.designated,
      billing: r.billing,
    }));
  }

  async saveServiceFigures(rows: readonly ServiceFigureRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO service_figure (prefecture_code, fiscal_year, service, designated, billing)
       SELECT * FROM unnest($1::char(2)[], $2::int[], $3::text[], $4::int[], $5::int[])
       ON CONFLICT (prefecture_code, fiscal_year, service) DO UPDATE SET designated = EXCLUDED.designated, billing = EXCLUDED.billing`,
      [rows.map((r) => r.prefectureCode), rows.map((r) => r.fiscalYear), rows.map((r) => r.service), rows.map((r) => r.designated), rows.map((r) => r.billing)],
    );
  }
}
