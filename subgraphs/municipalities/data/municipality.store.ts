/**
 * Data access of the municipalities subgraph. Every read by key takes a list of keys and is one SQL
 * statement (`= ANY($1)`), so the loaders can batch a whole request's worth of lookups.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { PREFECTURES, type Region } from '../../../shared/reference/prefectures';
import { NAME_VARIANTS_SQL } from '../../../shared/text';
import { BRACKETS, type MunicipalityKind, type PopulationBracket } from '../rules';

/** A validated, normalised filter (see MunicipalityFilter for the GraphQL side). */
export interface MunicipalityCriteria {
  codes?: string[];
  prefectureCodes?: string[];
  regions?: Region[];
  kinds?: MunicipalityKind[];
  brackets?: PopulationBracket[];
  populationAtLeast?: number;
  populationBelow?: number;
  /** The search text's two forms (shared/text.ts searchForms): matched anywhere in the name, or in the reading. */
  text?: { name: string; reading: string };
}

export type MunicipalitySortField = 'code' | 'population' | 'kana' | 'name';

export interface MunicipalityOrdering {
  field: MunicipalitySortField;
  descending: boolean;
}

const COLUMN: Record<MunicipalitySortField, string> = {
  code: 'm.code',
  population: 'm.population',
  kana: 'm.kana',
  name: 'm.name',
};

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A municipality as stored (市区町村). */
export interface StoredMunicipality {
  /** 全国地方公共団体コード, six digits with check digit. */
  code: string;
  prefectureCode: string;
  name: string;
  kana: string;
  /** A MunicipalityKind value, e.g. TOWN. */
  kind: string;
  population: number;
  /** YYYY-MM-DD. */
  populationAsOf: string;
  populationSource: string;
}

/** A prefecture as stored (都道府県). */
export interface StoredPrefecture {
  code: string;
  name: string;
  kana: string;
  /** Key of the eight-region division, e.g. TOHOKU. */
  region: string;
}

const MUNICIPALITY_COLUMNS = `m.code, m.prefecture_code AS "prefectureCode", m.name, m.kana, m.kind, m.population,
  m.population_as_of AS "populationAsOf", m.population_source AS "populationSource"`;

/** A WHERE clause built from conditions, each adding its parameters ($1, $2, …) in order. */
class Conditions {
  readonly parameters: unknown[] = [];
  private readonly parts: string[] = [];
  /** Adds a condition; `$` in it stands for the next parameter, once per value given. */
  add(condition: string, ...values: unknown[]): void {
    let i = 0;
    this.parts.push(condition.replace(/\$(?!\d)/g, () => `$${this.parameters.push(values[i++])}`));
  }
  get sql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

export class MunicipalityStore {
  constructor(private readonly db: DataSource | EntityManager) {}

  findByCodes(codes: readonly string[]): Promise<StoredMunicipality[]> {
    return this.db.query(`SELECT ${MUNICIPALITY_COLUMNS} FROM municipality m WHERE m.code = ANY($1::char(6)[])`, [codes]);
  }

  /** All municipalities of the given prefectures, in code order. */
  findByPrefectureCodes(prefectureCodes: readonly string[]): Promise<StoredMunicipality[]> {
    return this.db.query(`SELECT ${MUNICIPALITY_COLUMNS} FROM municipality m WHERE m.prefecture_code = ANY($1::char(2)[]) ORDER BY m.code`, [prefectureCodes]);
  }

  findPrefectures(codes?: readonly string[]): Promise<StoredPrefecture[]> {
    return this.db.query('SELECT code, name, kana, region FROM prefecture WHERE $1::char(2)[] IS NULL OR code = ANY($1::char(2)[]) ORDER BY code', [
      codes ?? null,
    ]);
  }

  /** One page: rows after `afterKey` (the sort key of the last row seen) in the given order. */
  search(
    criteria: MunicipalityCriteria,
    ordering: MunicipalityOrdering,
    limit: number,
    afterKey?: ReadonlyArray<string | number>,
  ): Promise<StoredMunicipality[]> {
    const where = this.filtered(criteria);
    const direction = ordering.descending ? 'DESC' : 'ASC';
    const column = COLUMN[ordering.field];
    if (afterKey) {
      const op = ordering.descending ? '<' : '>';
      if (ordering.field === 'code') where.add(`m.code ${op} $`, afterKey[0]);
      else where.add(`(${column}, m.code) ${op} ($, $)`, afterKey[0], afterKey[1]);
    }
    const order = ordering.field === 'code' ? `m.code ${direction}` : `${column} ${direction}, m.code ${direction}`;
    return this.db.query(`SELECT ${MUNICIPALITY_COLUMNS} FROM municipality m ${where.sql} ORDER BY ${order} LIMIT ${Math.trunc(limit)}`, where.parameters);
  }

  async count(criteria: MunicipalityCriteria): Promise<number> {
    const where = this.filtered(criteria);
    const [{ count }] = await this.db.query(`SELECT count(*)::int AS count FROM municipality m ${where.sql}`, where.parameters);
    return count;
  }

  private filtered(c: MunicipalityCriteria): Conditions {
    const where = new Conditions();
    if (c.codes) where.add('m.code = ANY($::char(6)[])', c.codes);
    if (c.prefectureCodes) where.add('m.prefecture_code = ANY($::char(2)[])', c.prefectureCodes);
    if (c.regions)
      where.add(
        'm.prefecture_code = ANY($::char(2)[])',
        PREFECTURES.filter((p) => c.regions!.includes(p.region)).map((p) => p.code),
      );
    if (c.kinds) where.add('m.kind = ANY($::text[])', c.kinds);
    if (c.brackets) {
      const ranges = c.brackets.map((b) => BRACKETS[b]);
      if (ranges.length === 0) where.add('FALSE');
      else {
        const parts = ranges.map((r) => (r.below === null ? 'm.population >= $' : '(m.population >= $ AND m.population < $)'));
        where.add(`(${parts.join(' OR ')})`, ...ranges.flatMap((r) => (r.below === null ? [r.min] : [r.min, r.below])));
      }
    }
    if (c.populationAtLeast !== undefined) where.add('m.population >= $', c.populationAtLeast);
    if (c.populationBelow !== undefined) where.add('m.population < $', c.populationBelow);
    if (c.text) {
      where.add(
        "(translate(m.name, $, $) LIKE $ ESCAPE '\\' OR m.kana LIKE $ ESCAPE '\\')",
        NAME_VARIANTS_SQL.from,
        NAME_VARIANTS_SQL.to,
        `%${escapeLike(c.text.name)}%`,
        `%${escapeLike(c.text.reading)}%`,
      );
    }
    return where;
  }
}
