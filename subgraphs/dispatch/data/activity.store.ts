/**
 * The advisors' activity per prefecture and fiscal year (活動指標), read in one statement for a whole
 * batch of (prefecture, period) keys: the advisors active in the period, its visits, and the follow-ups
 * agreed on visits of the prefecture. A period is a fiscal year's counted days (`countedPeriod`): to today
 * while the year is in progress.
 */
import type { DataSource, EntityManager } from 'typeorm';
import type { CountedPeriod } from '../../../shared/fiscal-year';

export interface StoredActivity {
  prefectureCode: string;
  period: CountedPeriod;
  advisors: Array<{ id: string; qualifications: string[] }>;
  visits: Array<{ format: string; purposes: string[]; municipalities: string[] }>;
  followUps: { opened: number; completed: number; overdue: number };
}

/** One municipality's activity in a fiscal year: the year's visits to it and the follow-ups agreed for it. */
export interface StoredMunicipalityActivity {
  municipalityCode: string;
  period: CountedPeriod;
  visits: Array<{ format: string; purposes: string[] }>;
  followUps: { opened: number; completed: number; overdue: number };
}

/** Follow-ups `f` of visits `v` agreed, completed and overdue in the period `r` (one rule for both readings). */
const FOLLOW_UP_COUNTS = `json_build_object(
  'opened', count(*) FILTER (WHERE v.visited_on BETWEEN r.from_d AND r.to_d),
  'completed', count(*) FILTER (WHERE f.completed_on BETWEEN r.from_d AND r.to_d),
  'overdue', count(*) FILTER (WHERE v.visited_on <= r.to_d AND f.due_on < r.to_d AND f.status <> 'DROPPED'
                                AND (f.completed_on IS NULL OR f.completed_on > r.to_d)))`;

export class ActivityStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** Rows in the order of `keys`. */
  async byKeys(keys: ReadonlyArray<{ prefectureCode: string; period: CountedPeriod }>): Promise<StoredActivity[]> {
    const rows = await this.db.query(
      `WITH r AS (
         SELECT k.i, k.prefecture_code, k.from_d, k.to_d
         FROM unnest($1::char(2)[], $2::date[], $3::date[]) WITH ORDINALITY AS k(prefecture_code, from_d, to_d, i))
       SELECT r.i,
         (SELECT coalesce(json_agg(json_build_object('id', a.id, 'qualifications', a.qualifications)), '[]')
            FROM advisor a WHERE a.prefecture_code = r.prefecture_code AND a.active_from <= r.to_d
              AND (a.active_until IS NULL OR a.active_until >= r.from_d)) AS advisors,
         (SELECT coalesce(json_agg(json_build_object('format', v.format, 'purposes', v.purposes,
                   'municipalities', (SELECT array_agg(vm.municipality_code) FROM visit_municipality vm WHERE vm.visit_id = v.id))), '[]')
            FROM visit v WHERE v.prefecture_code = r.prefecture_code AND v.status = 'ACTIVE' AND v.visited_on BETWEEN r.from_d AND r.to_d) AS visits,
         (SELECT ${FOLLOW_UP_COUNTS}
            FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE v.prefecture_code = r.prefecture_code AND v.status = 'ACTIVE') AS follow_ups
       FROM r ORDER BY r.i`,
      [keys.map((k) => k.prefectureCode), keys.map((k) => k.period.from), keys.map((k) => k.period.to)],
    );
    return rows.map((r: any, i: number) => ({
      ...keys[i],
      advisors: r.advisors,
      visits: r.visits.map((v: any) => ({ ...v, municipalities: (v.municipalities ?? []).map((m: string) => m.trim()) })),
      followUps: r.follow_ups,
    }));
  }

  /** Rows in the order of `keys`. */
  async byMunicipalities(keys: ReadonlyArray<{ municipalityCode: string; period: CountedPeriod }>): Promise<StoredMunicipalityActivity[]> {
    const rows = await this.db.query(
      `WITH r AS (
         SELECT k.i, k.municipality_code, k.from_d, k.to_d
         FROM unnest($1::char(6)[], $2::date[], $3::date[]) WITH ORDINALITY AS k(municipality_code, from_d, to_d, i))
       SELECT r.i,
         (SELECT coalesce(json_agg(json_build_object('format', v.format, 'purposes', v.purposes)), '[]')
            FROM visit_municipality vm JOIN visit v ON v.id = vm.visit_id
            WHERE vm.municipality_code = r.municipality_code AND v.status = 'ACTIVE' AND v.visited_on BETWEEN r.from_d AND r.to_d) AS visits,
         (SELECT ${FOLLOW_UP_COUNTS}
            FROM follow_up f JOIN visit v ON v.id = f.visit_id WHERE f.municipality_code = r.municipality_code AND v.status = 'ACTIVE') AS follow_ups
       FROM r ORDER BY r.i`,
      [keys.map((k) => k.municipalityCode), keys.map((k) => k.period.from), keys.map((k) => k.period.to)],
    );
    return rows.map((r: any, i: number) => ({ ...keys[i], visits: r.visits, followUps: r.follow_ups }));
  }
}
