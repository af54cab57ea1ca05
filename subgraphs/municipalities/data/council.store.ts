/** SQL of council status and self-plan rates: one statement per batch of municipalities. */
import type { DataSource, EntityManager } from 'typeorm';
import type { MunicipalityKind, SelfPlans, SelfPlansOfMunicipality } from '../rules';

export interface StoredCouncil {
  municipalityCode: string;
  asOf: string;
  established: boolean;
  joint: boolean;
  subcommittees: string[];
  secretariatWithCoreCenter: boolean;
  meetingsLastYear: number;
  caseReviewHeld: boolean;
  sourceName: string;
  sample: boolean;
}

export interface StoredSelfPlanRate {
  municipalityCode: string;
  asOf: string;
  planning: SelfPlans;
  child: SelfPlans;
  sourceName: string;
  sample: boolean;
}

// pg rows are untyped; these functions are where they get their types.
const toCouncil = (r: any): StoredCouncil => ({
  municipalityCode: r.municipality_code,
  asOf: r.as_of,
  established: r.established,
  joint: r.joint,
  subcommittees: r.subcommittees,
  secretariatWithCoreCenter: r.secretariat_with_core_center,
  meetingsLastYear: r.meetings_last_year,
  caseReviewHeld: r.case_review_held,
  sourceName: r.source_name,
  sample: r.sample,
});

const rate = (value: string | null) => (value === null ? null : Number(value));
const toSelfPlanRate = (r: any): StoredSelfPlanRate => ({
  municipalityCode: r.municipality_code,
  asOf: r.as_of,
  planning: { plans: r.planning_plans, selfPlans: r.planning_self_plans, rate: rate(r.planning_rate) },
  child: { plans: r.child_plans, selfPlans: r.child_self_plans, rate: rate(r.child_rate) },
  sourceName: r.source_name,
  sample: r.sample,
});

export class CouncilStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** The latest council status on or before `asOf` of each municipality. */
  async councilsOn(codes: readonly string[], asOf: string): Promise<StoredCouncil[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (municipality_code) * FROM council_status
       WHERE municipality_code = ANY($1::char(6)[]) AND as_of <= $2::date ORDER BY municipality_code, as_of DESC`,
      [codes, asOf],
    );
    return rows.map(toCouncil);
  }

  /** The latest self-plan rates on or before `asOf` of each municipality. */
  async selfPlanRatesOn(codes: readonly string[], asOf: string): Promise<StoredSelfPlanRate[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (municipality_code) * FROM self_plan_rate
       WHERE municipality_code = ANY($1::char(6)[]) AND as_of <= $2::date ORDER BY municipality_code, as_of DESC`,
      [codes, asOf],
    );
    return rows.map(toSelfPlanRate);
  }

  /** Every municipality's latest self-plan record on or before `asOf`, with its prefecture, kind and population: one statement. */
  async selfPlansOfAllOn(asOf: string): Promise<SelfPlansOfMunicipality[]> {
    const rows = await this.db.query(
      `SELECT DISTINCT ON (s.municipality_code) s.*, m.prefecture_code, m.kind, m.population
       FROM self_plan_rate s JOIN municipality m ON m.code = s.municipality_code
       WHERE s.as_of <= $1::date ORDER BY s.municipality_code, s.as_of DESC`,
      [asOf],
    );
    return rows.map((r: any) => {
      const { planning, child } = toSelfPlanRate(r);
      return {
        municipalityCode: r.municipality_code,
        prefectureCode: r.prefecture_code,
        kind: r.kind as MunicipalityKind,
        population: r.population,
        planning,
        child,
      };
    });
  }

  /** The council rows' keys (`code|as_of`) of municipalities of these prefectures (all when undefined), by code then date. */
  councilKeysOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    return this.keysOf('council_status', prefectures);
  }

  /** The self-plan rows' keys (`code|as_of`) of municipalities of these prefectures (all when undefined), by code then date. */
  selfPlanKeysOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    return this.keysOf('self_plan_rate', prefectures);
  }

  private async keysOf(table: 'council_status' | 'self_plan_rate', prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT municipality_code || '|' || as_of::text AS key FROM ${table} WHERE $1::text[] IS NULL OR left(municipality_code, 2) = ANY($1)
       ORDER BY municipality_code, as_of`,
      [prefectures ?? null],
    );
    return rows.map((r: { key: string }) => r.key);
  }

  /** Rows for the given (code, as_of) pairs, to tell what an import changes. */
  async councilsAt(keys: ReadonlyArray<[string, string]>): Promise<StoredCouncil[]> {
    const rows = await this.db.query(
      `SELECT c.* FROM council_status c JOIN unnest($1::char(6)[], $2::date[]) AS k(code, as_of)
         ON c.municipality_code = k.code AND c.as_of = k.as_of`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    return rows.map(toCouncil);
  }

  async selfPlanRatesAt(keys: ReadonlyArray<[string, string]>): Promise<StoredSelfPlanRate[]> {
    const rows = await this.db.query(
      `SELECT s.* FROM self_plan_rate s JOIN unnest($1::char(6)[], $2::date[]) AS k(code, as_of)
         ON s.municipality_code = k.code AND s.as_of = k.as_of`,
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    return rows.map(toSelfPlanRate);
  }

  /** Deletes the council rows (municipality, date) an import added: a revert. */
  async removeCouncils(keys: ReadonlyArray<[string, string]>): Promise<void> {
    await this.db.query(
      'DELETE FROM council_status c USING unnest($1::char(6)[], $2::date[]) AS k(code, as_of) WHERE c.municipality_code = k.code AND c.as_of = k.as_of',
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
  }

  async removeSelfPlanRates(keys: ReadonlyArray<[string, string]>): Promise<void> {
    await this.db.query(
      'DELETE FROM self_plan_rate s USING unnest($1::char(6)[], $2::date[]) AS k(code, as_of) WHERE s.municipality_code = k.code AND s.as_of = k.as_of',
      [keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
  }

  async saveCouncils(rows: readonly StoredCouncil[]): Promise<void> {
    if (rows.length === 0) return;
    const c = <T>(f: (r: StoredCouncil) => T) => rows.map(f);
    await this.db.query(
      `INSERT INTO council_status (municipality_code, as_of, established, joint, subcommittees, secretariat_with_core_center,
         meetings_last_year, case_review_held, source_name, sample)
       SELECT u.code, u.as_of, u.established, u.joint, CASE WHEN u.subcommittees = '' THEN '{}'::text[] ELSE string_to_array(u.subcommittees, ';') END,
              u.secretariat, u.meetings, u.case_review, u.source_name, u.sample
       FROM unnest($1::char(6)[], $2::date[], $3::bool[], $4::bool[], $5::text[], $6::bool[], $7::int[], $8::bool[], $9::text[], $10::bool[])
         AS u(code, as_of, established, joint, subcommittees, secretariat, meetings, case_review, source_name, sample)
       ON CONFLICT (municipality_code, as_of) DO UPDATE SET established = EXCLUDED.established, joint = EXCLUDED.joint,
         subcommittees = EXCLUDED.subcommittees, secretariat_with_core_center = EXCLUDED.secretariat_with_core_center,
         meetings_last_year = EXCLUDED.meetings_last_year, case_review_held = EXCLUDED.case_review_held,
         source_name = EXCLUDED.source_name, sample = EXCLUDED.sample`,
      [
        c((r) => r.municipalityCode),
        c((r) => r.asOf),
        c((r) => r.established),
        c((r) => r.joint),
        c((r) => r.subcommittees.join(';')),
        c((r) => r.secretariatWithCoreCenter),
        c((r) => r.meetingsLastYear),
        c((r) => r.caseReviewHeld),
        c((r) => r.sourceName),
        c((r) => r.sample),
      ],
    );
  }

  async saveSelfPlanRates(rows: readonly StoredSelfPlanRate[]): Promise<void> {
    if (rows.length === 0) return;
    const c = <T>(f: (r: StoredSelfPlanRate) => T) => rows.map(f);
    await this.db.query(
      `INSERT INTO self_plan_rate (municipality_code, as_of, planning_rate, child_rate, source_name, sample,
         planning_plans, planning_self_plans, child_plans, child_self_plans)
       SELECT * FROM unnest($1::char(6)[], $2::date[], $3::numeric[], $4::numeric[], $5::text[], $6::bool[], $7::int[], $8::int[], $9::int[], $10::int[])
       ON CONFLICT (municipality_code, as_of) DO UPDATE SET planning_rate = EXCLUDED.planning_rate, child_rate = EXCLUDED.child_rate,
         source_name = EXCLUDED.source_name, sample = EXCLUDED.sample, planning_plans = EXCLUDED.planning_plans,
         planning_self_plans = EXCLUDED.planning_self_plans, child_plans = EXCLUDED.child_plans, child_self_plans = EXCLUDED.child_self_plans`,
      [
        c((r) => r.municipalityCode),
        c((r) => r.asOf),
        c((r) => r.planning.rate),
        c((r) => r.child.rate),
        c((r) => r.sourceName),
        c((r) => r.sample),
        c((r) => r.planning.plans),
        c((r) => r.planning.selfPlans),
        c((r) => r.child.plans),
        c((r) => r.child.selfPlans),
      ],
    );
  }
}
