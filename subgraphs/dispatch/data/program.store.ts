/** Data access of the prefectural programs (都道府県相談支援体制整備事業): one statement per batch. */
import type { DataSource, EntityManager } from 'typeorm';
import { uuidFromKey } from '../../../shared/ids';
import type { AdvisorPosition, ProgramDuty, ProgramRecord } from '../rules';

export interface StoredProgram extends ProgramRecord {
  id: string;
  sourceName: string;
  sourceAsOf: string;
  sample: boolean;
  version: number;
}

/** The id of a prefecture's program in a year: the same wherever it is written (API, import, sample). */
export const programId = (prefectureCode: string, fiscalYear: number) => uuidFromKey(`prefectural-program:${prefectureCode}:${fiscalYear}`);

const toProgram = (r: any): StoredProgram => ({
  id: r.id,
  prefectureCode: r.prefecture_code,
  fiscalYear: r.fiscal_year,
  implemented: r.implemented,
  duties: r.duties as ProgramDuty[],
  advisorPositions: r.advisor_positions as AdvisorPosition[],
  modelProject: r.model_project,
  sourceName: r.source_name,
  sourceAsOf: r.source_as_of,
  sample: r.sample,
  version: r.version,
});

export class ProgramStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  /** The programs of one fiscal year, every prefecture that has one, in code order. */
  async ofYear(fiscalYear: number): Promise<StoredProgram[]> {
    return (await this.db.query('SELECT * FROM prefectural_program WHERE fiscal_year = $1 ORDER BY prefecture_code', [fiscalYear])).map(toProgram);
  }

  /** The programs' keys (`prefecture-fiscalYear`) of these prefectures (all when undefined), by prefecture then year. */
  async keysOf(prefectures: readonly string[] | undefined): Promise<string[]> {
    const rows = await this.db.query(
      `SELECT prefecture_code || '-' || fiscal_year AS key FROM prefectural_program WHERE $1::text[] IS NULL OR prefecture_code = ANY($1)
       ORDER BY prefecture_code, fiscal_year`,
      [prefectures ?? null],
    );
    return rows.map((r: { key: string }) => r.key);
  }

  /** Programs by `fiscalYear|prefectureCode` keys, for the loader: one statement for the batch. */
  async byKeys(keys: ReadonlyArray<{ prefectureCode: string; fiscalYear: number }>): Promise<StoredProgram[]> {
    const rows = await this.db.query(
      'SELECT p.* FROM prefectural_program p JOIN unnest($1::char(2)[], $2::int[]) AS k(prefecture_code, fiscal_year) USING (prefecture_code, fiscal_year)',
      [keys.map((k) => k.prefectureCode), keys.map((k) => k.fiscalYear)],
    );
    return rows.map(toProgram);
  }

  async byIds(ids: readonly string[]): Promise<StoredProgram[]> {
    return (await this.db.query('SELECT * FROM prefectural_program WHERE id = ANY($1::uuid[])', [ids])).map(toProgram);
  }

  async lock(prefectureCode: string, fiscalYear: number): Promise<StoredProgram | undefined> {
    const [row] = await this.db.query('SELECT * FROM prefectural_program WHERE prefecture_code = $1 AND fiscal_year = $2 FOR UPDATE', [
      prefectureCode,
      fiscalYear,
    ]);
    return row && toProgram(row);
  }

  /** Inserts or replaces programs (matched on prefecture and fiscal year); a replaced one's version goes up. */
  /** Deletes programs an import added: a revert. */
  async remove(ids: readonly string[]): Promise<void> {
    await this.db.query('DELETE FROM prefectural_program WHERE id = ANY($1::uuid[])', [ids]);
  }

  async save(programs: readonly StoredProgram[]): Promise<void> {
    if (programs.length === 0) return;
    const c = <T>(f: (p: StoredProgram) => T) => programs.map(f);
    await this.db.query(
      `INSERT INTO prefectural_program AS p (id, prefecture_code, fiscal_year, implemented, duties, advisor_positions, model_project, source_name, source_as_of, sample)
       SELECT u.id, u.prefecture_code, u.fiscal_year, u.implemented, coalesce(string_to_array(nullif(u.duties, ''), ';'), '{}'), u.advisor_positions::jsonb,
              u.model_project, u.source_name, u.source_as_of, u.sample
       FROM unnest($1::uuid[], $2::char(2)[], $3::int[], $4::bool[], $5::text[], $6::text[], $7::bool[], $8::text[], $9::date[], $10::bool[])
         AS u(id, prefecture_code, fiscal_year, implemented, duties, advisor_positions, model_project, source_name, source_as_of, sample)
       ON CONFLICT (prefecture_code, fiscal_year) DO UPDATE SET implemented = EXCLUDED.implemented, duties = EXCLUDED.duties,
         advisor_positions = EXCLUDED.advisor_positions, model_project = EXCLUDED.model_project, source_name = EXCLUDED.source_name,
         source_as_of = EXCLUDED.source_as_of, sample = EXCLUDED.sample, version = p.version + 1`,
      [
        c((p) => p.id),
        c((p) => p.prefectureCode),
        c((p) => p.fiscalYear),
        c((p) => p.implemented),
        c((p) => p.duties.join(';')),
        c((p) => JSON.stringify(p.advisorPositions)),
        c((p) => p.modelProject),
        c((p) => p.sourceName),
        c((p) => p.sourceAsOf),
        c((p) => p.sample),
      ],
    );
  }
}
