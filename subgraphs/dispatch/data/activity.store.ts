/**
 * The advisors' activity per prefecture and fiscal year (活動指標), read in one statement for a whole
 * batch of (prefecture, fiscal year) keys: the advisors active in the year, the year's visits, and the
 * follow-ups agreed on visits of the prefecture.
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface StoredActivity {
  prefectureCode: string;
  fiscalYear: number;
  advisors: Array<{ id: string; qualifications: string[] }>;
  visits: Array<{ format: string; purposes: string[]; municipalities: string[] }>;
  followUps: { opened: number; completed: number; overdue: number };
}

/** One municipality's activity in a fiscal year: the year's visits to it and the follow-ups agreed for it. */
export interface StoredMunicipalityActivity {
  municipalityCode: string;
  fiscalYear: number;
  visits: Array<{ format: string; purposes: string[] }>;
  followUps: { opened: number; completed: number; overdue: number };
}

/** Follow-ups `f` of visits `v` agreed, completed and overdue in the fiscal year of range `r` (one rule for both readings). */
const FOLLOW_UP_COUNTS = `json_build_object(
  'opened', count(*) FILTER (WHERE v.visited_on BETWEEN r.from_d AND r.to_d),
  'completed', count(*) FILTER (WHERE f.completed_on BETWEEN r.from_d AND r.to_d),
  'overdue', count(*) FILTER (WHERE v.visited_on <= r.to_d AND f.due_on < r.to_d AND f.status <> 'DROPPED'
                                AND (f.completed_on IS NULL OR f.completed_on > r.to_d)))`;

export class ActivityStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  async byKeys(keys: ReadonlyArray<{ prefectureCode: string; fiscalYear: number }>): Promise<StoredActivity[]> {
    const rows = await this.db.query(
      `WITH r AS (
         SELECT k.prefecture_code, k.fiscal_year, make_date(k.fiscal_year, 4, 1) AS from_d, make_date(k.fiscal_year + 1, 3, 31) AS to_d
         FROM unnest($1::char(2)[], $2::int[]) AS k(prefecture_code, fiscal_year))
       SELECT r.prefecture_code, r.fiscal_year,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'qualifications', a.qualifications)), '[]')
            FROM advisor a WHERE a.prefecture_code = r.prefecture_code AND a.active_from <= r.to_d
              AND (a.active_until IS NULL OR a.active_until > r.from_d)) AS advisors,
         (SELECT coalesce(json_agg(json_build_object('format', v.format, 'purposes', v.purposes,
                   'municipalities', (SELECT array_agg(vm.municipality_code) FROM visit_municipality vm WHERE vm.visit_id = v.id))), '[]')
            FROM visit v WHERE v.prefecture_code = r.prefecture_code AND v.status = 'ACTIVE' AND v.visited_on BETWEEN r.from_d AND r.to_d) AS visits,
         (SELECT ${FOLLOW_UP_COUNTS}
            FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE v.prefecture_code = r.prefecture_code AND v.status = 'ACTIVE') AS follow_ups
       FROM r`,
      [keys.map((k) => k.prefectureCode), keys.map((k) => k.fiscalYear)],
    );
    return rows.map((r: any) => ({
      prefectureCode: r.prefecture_code,
      fiscalYear: r.fiscal_year,
      advisors: r.advisors,
      visits: r.visits.map((v: any) => ({ ...v, municipalities: (v.municipalities ?? []).map((m: string) => m.trim()) })),
      followUps: r.follow_ups,
    }));
  }

  async byMunicipalities(keys: ReadonlyArray<{ municipalityCode: string; fiscalYear: number }>): Promise<StoredMunicipalityActivity[]> {
    const rows = await this.db.query(
      `WITH r AS (
         SELECT k.municipality_code, k.fiscal_year, make_date(k.fiscal_year, 4, 1) AS from_d, make_date(k.fiscal_year + 1, 3, 31) AS to_d
         FROM unnest($1::char(6)[], $2::int[]) AS k(municipality_code, fiscal_year))
       SELECT r.municipality_code, r.fiscal_year,
         (SELECT coalesce(json_agg(json_build_object('format', v.format, 'purposes', v.purposes)), '[]')
            FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
            WHERE vm.municipality_code = r.municipality_code AND v.status = 'ACTIVE' AND v.visited_on BETWEEN r.from_d AND r.to_d) AS visits,
         (SELECT ${FOLLOW_UP_COUNTS}
            FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE f.municipality_code = r.municipality_code AND v.status = 'ACTIVE') AS follow_ups
       FROM r`,
      [keys.map((k) => k.municipalityCode), keys.map((k) => k.fiscalYear)],
    );
    return rows.map((r: any) => ({ municipalityCode: r.municipality_code.trim(), fiscalYear: r.fiscal_year, visits: r.visits, followUps: r.follow_ups }));
  }
}
