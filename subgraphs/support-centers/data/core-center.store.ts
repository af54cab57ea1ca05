/**
 * SQL of core centers and consultation offices. Reads take lists of keys and are one statement each
 * (the loaders batch a request's lookups into them); writes take lists of records and are one
 * statement per table, so an import of a whole prefecture costs a handful of round trips.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { type KeysetOrdering, keysetSql } from '../../../shared/ordering';
import { type CoreCenterFunction, type CoreCenterOperation, type CoreCenterRecord, type CoreCenterSetup } from '../rules';

export interface StoredCoreCenter extends CoreCenterRecord {
  id: string;
  externalId: string | null;
  version: number;
}

export interface StoredOffice {
  id: string;
  externalId: string | null;
  municipalityCode: string;
  name: string;
  designations: string[];
  feeTier: string;
  chiefSpecialists: number;
  specialists: number;
  contractedForMunicipalProgram: boolean;
  collaborativeArrangement: boolean;
  sourceName: string;
  sourceAsOf: string;
  sample: boolean;
  version: number;
}

const MUNICIPALITY_CODES = `(SELECT array_agg(cm.municipality_code ORDER BY cm.municipality_code)
  FROM core_center_municipality cm WHERE cm.core_center_id = c.id) AS municipality_codes`;
const CENTER_SELECT = `SELECT c.*, ${MUNICIPALITY_CODES} FROM core_center c`;

// pg rows are untyped; these two functions are where they get their types.
function toCenter(row: any): StoredCoreCenter {
  return {
    id: row.id,
    externalId: row.external_id,
    prefectureCode: row.prefecture_code,
    name: row.name,
    setup: row.setup as CoreCenterSetup,
    municipalityCodes: row.municipality_codes ?? [],
    operation: row.operation as CoreCenterOperation,
    operatorName: row.operator_name,
    establishedOn: row.established_on,
    closedOn: row.closed_on,
    functions: row.functions as CoreCenterFunction[],
    chiefSpecialists: row.chief_specialists,
    specialists: row.specialists,
    socialWorkers: row.social_workers,
    psychiatricSocialWorkers: row.psychiatric_social_workers,
    publicHealthNurses: row.public_health_nurses,
    otherStaff: row.other_staff,
    alsoFunctionsAsBase: row.also_functions_as_base,
    runsAbusePreventionCenter: row.runs_abuse_prevention_center,
    hasMedicalCareChildCoordinator: row.has_medical_care_child_coordinator,
    sourceName: row.source_name,
    sourceAsOf: row.source_as_of,
    sample: row.sample,
    version: row.version,
  };
}

function toOffice(row: any): StoredOffice {
  return {
    id: row.id,
    externalId: row.external_id,
    municipalityCode: row.municipality_code,
    name: row.name,
    designations: row.designations,
    feeTier: row.fee_tier,
    chiefSpecialists: row.chief_specialists,
    specialists: row.specialists,
    contractedForMunicipalProgram: row.contracted_for_municipal_program,
    collaborativeArrangement: row.collaborative_arrangement,
    sourceName: row.source_name,
    sourceAsOf: row.source_as_of,
    sample: row.sample,
    version: row.version,
  };
}

/** Centers active on `asOf` (established on or before, not closed by then). */
const ACTIVE = `c.established_on <= $2::date AND (c.closed_on IS NULL OR c.closed_on > $2::date)`;

export interface CoreCenterCriteria {
  prefectureCodes?: string[];
  municipalityCodes?: string[];
  setups?: CoreCenterSetup[];
  /** Only centers active on this date; all centers, closed ones included, when undefined. */
  activeOn?: string;
  sample?: boolean;
}

export class CoreCenterStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async findByIds(ids: readonly string[]): Promise<StoredCoreCenter[]> {
    return (await this.db.query(`${CENTER_SELECT} WHERE c.id = ANY($1::uuid[])`, [ids])).map(toCenter);
  }

  async findByExternalIds(externalIds: readonly string[]): Promise<StoredCoreCenter[]> {
    return (await this.db.query(`${CENTER_SELECT} WHERE c.external_id = ANY($1)`, [externalIds])).map(toCenter);
  }

  /** The centers' external ids, of these prefectures (all when undefined), by prefecture then id. */
  async externalIdsOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT external_id FROM core_center WHERE external_id IS NOT NULL AND ($1::text[] IS NULL OR prefecture_code = ANY($1)) ORDER BY prefecture_code, external_id`,
      [prefectures ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  /** The offices' external ids, of municipalities of these prefectures (all when undefined), by municipality then id. */
  async officeExternalIdsOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT external_id FROM consultation_office WHERE external_id IS NOT NULL AND ($1::text[] IS NULL OR left(municipality_code, 2) = ANY($1))
       ORDER BY municipality_code, external_id`,
      [prefectures ?? null],
    );
    return rows.map((r: { external_id: string }) => r.external_id);
  }

  /** Locks one center for an update in the current transaction. */
  async lock(id: string): Promise<StoredCoreCenter | undefined> {
    const [row] = await this.db.query(`${CENTER_SELECT} WHERE c.id = $1 FOR UPDATE OF c`, [id]);
    return row && toCenter(row);
  }

  /** Active centers covering each municipality on `asOf`: rows of (municipality code, center). */
  async activeCentersOf(codes: readonly string[], asOf: string): Promise<Array<{ code: string; center: StoredCoreCenter }>> {
    const rows = await this.db.query(
      `SELECT m.municipality_code AS covered_code, c.*, ${MUNICIPALITY_CODES}
       FROM core_center_municipality m JOIN core_center c ON c.id = m.core_center_id
       WHERE m.municipality_code = ANY($1::char(6)[]) AND ${ACTIVE}
       ORDER BY c.established_on, c.id`,
      [codes, asOf],
    );
    return rows.map((row: { covered_code: string }) => ({ code: row.covered_code, center: toCenter(row) }));
  }

  /** The setups of the centers covering each municipality on `asOf` (enough to tell coverage). */
  async activeSetupsOf(codes: readonly string[], asOf: string): Promise<Array<{ code: string; setup: CoreCenterSetup }>> {
    const rows = await this.db.query(
      `SELECT DISTINCT m.municipality_code AS code, c.setup
       FROM core_center_municipality m JOIN core_center c ON c.id = m.core_center_id
       WHERE m.municipality_code = ANY($1::char(6)[]) AND ${ACTIVE}`,
      [codes, asOf],
    );
    return rows;
  }

  /** Every center that ever covered each municipality: its dates, for coverage at any date. */
  async centerDatesOf(codes: readonly string[]): Promise<Array<{ code: string; establishedOn: string; closedOn: string | null }>> {
    const rows = await this.db.query(
      `SELECT m.municipality_code AS code, c.established_on, c.closed_on FROM core_center_municipality m
       JOIN core_center c ON c.id = m.core_center_id WHERE m.municipality_code = ANY($1::char(6)[])`,
      [codes],
    );
    return rows.map((r: any) => ({ code: r.code, establishedOn: r.established_on, closedOn: r.closed_on }));
  }

  /** One page of centers in id order after `afterId`. */
  /** One page in `ordering`, after the row of the cursor `after`. */
  async search(criteria: CoreCenterCriteria, ordering: KeysetOrdering, limit: number, after?: string | null): Promise<StoredCoreCenter[]> {
    const { where, params } = this.where(criteria);
    const keyset = keysetSql(ordering, after, params.length + 1);
    params.push(...keyset.parameters, limit);
    const rows = await this.db.query(`${CENTER_SELECT} WHERE ${where} AND ${keyset.condition} ORDER BY ${keyset.orderBy} LIMIT $${params.length}`, params);
    return rows.map(toCenter);
  }

  async count(criteria: CoreCenterCriteria): Promise<number> {
    const { where, params } = this.where(criteria);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM core_center c WHERE ${where}`, params);
    return count;
  }

  private where(c: CoreCenterCriteria): { where: string; params: unknown[] } {
    const conditions = ['TRUE'];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      conditions.push(sql(`$${params.length}`));
    };
    if (c.prefectureCodes) add((p) => `c.prefecture_code = ANY(${p}::char(2)[])`, c.prefectureCodes);
    if (c.municipalityCodes) {
      add(
        (p) => `EXISTS (SELECT 1 FROM core_center_municipality cm WHERE cm.core_center_id = c.id AND cm.municipality_code = ANY(${p}::char(6)[]))`,
        c.municipalityCodes,
      );
    }
    if (c.setups) add((p) => `c.setup = ANY(${p}::text[])`, c.setups);
    if (c.activeOn) add((p) => `c.established_on <= ${p}::date AND (c.closed_on IS NULL OR c.closed_on > ${p}::date)`, c.activeOn);
    if (c.sample !== undefined) add((p) => `c.sample = ${p}`, c.sample);
    return { where: conditions.join(' AND '), params };
  }

  /** Inserts centers and their municipalities: two statements whatever the count. */
  async insert(centers: readonly StoredCoreCenter[]): Promise<void> {
    if (centers.length === 0) return;
    await this.db.query(
      `INSERT INTO core_center (id, external_id, prefecture_code, name, setup, operation, operator_name, established_on,
         closed_on, functions, chief_specialists, specialists, social_workers, psychiatric_social_workers,
         public_health_nurses, other_staff, also_functions_as_base, runs_abuse_prevention_center,
         has_medical_care_child_coordinator, source_name, source_as_of, sample, version)
       SELECT u.id, u.external_id, u.prefecture_code, u.name, u.setup, u.operation, u.operator_name, u.established_on,
         u.closed_on, string_to_array(u.functions, ';'), u.chief, u.specialists, u.social, u.psw, u.phn, u.other,
         u.base, u.abuse, u.medical, u.source_name, u.source_as_of, u.sample, 1
       FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
         $9::date[], $10::text[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[], $16::int[], $17::bool[],
         $18::bool[], $19::bool[], $20::text[], $21::date[], $22::bool[])
         AS u(id, external_id, prefecture_code, name, setup, operation, operator_name, established_on, closed_on,
              functions, chief, specialists, social, psw, phn, other, base, abuse, medical, source_name, source_as_of, sample)`,
      centerColumns(centers),
    );
    await this.replaceMunicipalities(centers);
  }

  /** Overwrites centers (matched by id), bumping their versions; two or three statements whatever the count. */
  async update(centers: readonly StoredCoreCenter[]): Promise<void> {
    if (centers.length === 0) return;
    await this.db.query(
      `UPDATE core_center c SET external_id = u.external_id, prefecture_code = u.prefecture_code, name = u.name,
         setup = u.setup, operation = u.operation, operator_name = u.operator_name, established_on = u.established_on,
         closed_on = u.closed_on, functions = string_to_array(u.functions, ';'), chief_specialists = u.chief,
         specialists = u.specialists, social_workers = u.social, psychiatric_social_workers = u.psw,
         public_health_nurses = u.phn, other_staff = u.other, also_functions_as_base = u.base,
         runs_abuse_prevention_center = u.abuse, has_medical_care_child_coordinator = u.medical,
         source_name = u.source_name, source_as_of = u.source_as_of, sample = u.sample,
         version = c.version + 1, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[], $6::text[], $7::text[], $8::date[],
         $9::date[], $10::text[], $11::int[], $12::int[], $13::int[], $14::int[], $15::int[], $16::int[], $17::bool[],
         $18::bool[], $19::bool[], $20::text[], $21::date[], $22::bool[])
         AS u(id, external_id, prefecture_code, name, setup, operation, operator_name, established_on, closed_on,
              functions, chief, specialists, social, psw, phn, other, base, abuse, medical, source_name, source_as_of, sample)
       WHERE c.id = u.id`,
      centerColumns(centers),
    );
    await this.replaceMunicipalities(centers);
  }

  private async replaceMunicipalities(centers: readonly StoredCoreCenter[]): Promise<void> {
    const ids = centers.map((c) => c.id);
    await this.db.query('DELETE FROM core_center_municipality WHERE core_center_id = ANY($1::uuid[])', [ids]);
    const pairs = centers.flatMap((c) => c.municipalityCodes.map((code) => [c.id, code]));
    await this.db.query('INSERT INTO core_center_municipality (core_center_id, municipality_code) SELECT * FROM unnest($1::uuid[], $2::char(6)[])', [
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    ]);
  }

  /** Deletes centers an import added (a revert), with their municipalities. */
  async removeImported(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM core_center_municipality WHERE core_center_id = ANY($1::uuid[])', [ids]);
    await this.db.query('DELETE FROM core_center WHERE id = ANY($1::uuid[])', [ids]);
  }

  async removeOffices(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM consultation_office WHERE id = ANY($1::uuid[])', [ids]);
  }

  // --- consultation offices ---

  async findOfficesByIds(ids: readonly string[]): Promise<StoredOffice[]> {
    return (await this.db.query('SELECT * FROM consultation_office WHERE id = ANY($1::uuid[])', [ids])).map(toOffice);
  }

  async findOfficesByExternalIds(externalIds: readonly string[]): Promise<StoredOffice[]> {
    return (await this.db.query('SELECT * FROM consultation_office WHERE external_id = ANY($1)', [externalIds])).map(toOffice);
  }

  /**
   * The first `limit` offices of each municipality in (name, id) order, after the given key:
   * one statement for any number of municipalities.
   */
  async officesOf(codes: readonly string[], limit: number, after?: [string, string]): Promise<StoredOffice[]> {
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT o.*, row_number() OVER (PARTITION BY o.municipality_code ORDER BY o.name, o.id) AS rn
         FROM consultation_office o
         WHERE o.municipality_code = ANY($1::char(6)[]) AND ($2::text IS NULL OR (o.name, o.id) > ($2::text, $3::uuid))
       ) ranked WHERE rn <= $4 ORDER BY municipality_code, name, id`,
      [codes, after?.[0] ?? null, after?.[1] ?? null, limit],
    );
    return rows.map(toOffice);
  }

  async officeCounts(codes: readonly string[]): Promise<Array<{ code: string; count: number }>> {
    return this.db.query(
      `SELECT municipality_code AS code, count(*)::int AS count FROM consultation_office
       WHERE municipality_code = ANY($1::char(6)[]) GROUP BY municipality_code`,
      [codes],
    );
  }

  /** Inserts or overwrites offices by id (bumping versions of existing ones): one statement. */
  async upsertOffices(offices: readonly StoredOffice[]): Promise<void> {
    if (offices.length === 0) return;
    const column = <T>(f: (o: StoredOffice) => T) => offices.map(f);
    await this.db.query(
      `INSERT INTO consultation_office AS o (id, external_id, municipality_code, name, designations, fee_tier,
         chief_specialists, specialists, contracted_for_municipal_program, collaborative_arrangement,
         source_name, source_as_of, sample, version)
       SELECT u.id, u.external_id, u.municipality_code, u.name, string_to_array(u.designations, ';'), u.fee_tier,
         u.chief, u.specialists, u.contracted, u.collaborative, u.source_name, u.source_as_of, u.sample, 1
       FROM unnest($1::uuid[], $2::text[], $3::char(6)[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[],
         $9::bool[], $10::bool[], $11::text[], $12::date[], $13::bool[])
         AS u(id, external_id, municipality_code, name, designations, fee_tier, chief, specialists, contracted,
              collaborative, source_name, source_as_of, sample)
       ON CONFLICT (id) DO UPDATE SET external_id = EXCLUDED.external_id, municipality_code = EXCLUDED.municipality_code,
         name = EXCLUDED.name, designations = EXCLUDED.designations, fee_tier = EXCLUDED.fee_tier,
         chief_specialists = EXCLUDED.chief_specialists, specialists = EXCLUDED.specialists,
         contracted_for_municipal_program = EXCLUDED.contracted_for_municipal_program,
         collaborative_arrangement = EXCLUDED.collaborative_arrangement, source_name = EXCLUDED.source_name,
         source_as_of = EXCLUDED.source_as_of, sample = EXCLUDED.sample, version = o.version + 1`,
      [
        column((o) => o.id),
        column((o) => o.externalId),
        column((o) => o.municipalityCode),
        column((o) => o.name),
        column((o) => o.designations.join(';')),
        column((o) => o.feeTier),
        column((o) => o.chiefSpecialists),
        column((o) => o.specialists),
        column((o) => o.contractedForMunicipalProgram),
        column((o) => o.collaborativeArrangement),
        column((o) => o.sourceName),
        column((o) => o.sourceAsOf),
        column((o) => o.sample),
      ],
    );
  }
}

/** The 22 column arrays of an insert/update of centers, in the order of the statements above. */
function centerColumns(centers: readonly StoredCoreCenter[]): unknown[][] {
  const column = <T>(f: (c: StoredCoreCenter) => T) => centers.map(f);
  return [
    column((c) => c.id),
    column((c) => c.externalId),
    column((c) => c.prefectureCode),
    column((c) => c.name),
    column((c) => c.setup),
    column((c) => c.operation),
    column((c) => c.operatorName),
    column((c) => c.establishedOn),
    column((c) => c.closedOn),
    column((c) => c.functions.join(';')),
    column((c) => c.chiefSpecialists),
    column((c) => c.specialists),
    column((c) => c.socialWorkers),
    column((c) => c.psychiatricSocialWorkers),
    column((c) => c.publicHealthNurses),
    column((c) => c.otherStaff),
    column((c) => c.alsoFunctionsAsBase),
    column((c) => c.runsAbusePreventionCenter),
    column((c) => c.hasMedicalCareChildCoordinator),
    column((c) => c.sourceName),
    column((c) => c.sourceAsOf),
    column((c) => c.sample),
  ];
}
