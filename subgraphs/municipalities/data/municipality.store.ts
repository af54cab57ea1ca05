/**
 * Data access of the municipalities subgraph. Every read by key takes a list of keys and is one SQL
 * statement (`= ANY($1)`), so the loaders can batch a whole request's worth of lookups.
 */
import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { PREFECTURES, type Region } from '../../../shared/reference/prefectures';
import { BRACKETS, type MunicipalityKind, type PopulationBracket } from '../classification';
import { MunicipalityEntity } from '../entities/municipality.entity';
import { PrefectureEntity } from '../entities/prefecture.entity';

/** A validated, normalised filter (see MunicipalityFilter for the GraphQL side). */
export interface MunicipalityCriteria {
  codes?: string[];
  prefectureCodes?: string[];
  regions?: Region[];
  kinds?: MunicipalityKind[];
  brackets?: PopulationBracket[];
  populationAtLeast?: number;
  populationBelow?: number;
  /** Already normalised to hiragana/NFKC; matched anywhere in name or kana. */
  text?: string;
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

export class MunicipalityStore {
  constructor(private readonly dataSource: DataSource) {}

  findByCodes(codes: readonly string[]): Promise<MunicipalityEntity[]> {
    return this.dataSource
      .getRepository(MunicipalityEntity)
      .createQueryBuilder('m')
      .where('m.code = ANY(:codes)', { codes })
      .getMany();
  }

  /** All municipalities of the given prefectures, in code order. */
  findByPrefectureCodes(prefectureCodes: readonly string[]): Promise<MunicipalityEntity[]> {
    return this.dataSource
      .getRepository(MunicipalityEntity)
      .createQueryBuilder('m')
      .where('m.prefecture_code = ANY(:prefectureCodes)', { prefectureCodes })
      .orderBy('m.code')
      .getMany();
  }

  findPrefectures(codes?: readonly string[]): Promise<PrefectureEntity[]> {
    const query = this.dataSource.getRepository(PrefectureEntity).createQueryBuilder('p').orderBy('p.code');
    if (codes) query.where('p.code = ANY(:codes)', { codes });
    return query.getMany();
  }

  /** One page: rows after `afterKey` (the sort key of the last row seen) in the given order. */
  search(
    criteria: MunicipalityCriteria,
    ordering: MunicipalityOrdering,
    limit: number,
    afterKey?: ReadonlyArray<string | number>,
  ): Promise<MunicipalityEntity[]> {
    const query = this.filtered(criteria);
    const direction = ordering.descending ? 'DESC' : 'ASC';
    const column = COLUMN[ordering.field];
    if (afterKey) {
      const op = ordering.descending ? '<' : '>';
      if (ordering.field === 'code') {
        query.andWhere(`m.code ${op} :afterCode`, { afterCode: afterKey[0] });
      } else {
        query.andWhere(`(${column}, m.code) ${op} (:afterValue, :afterCode)`, {
          afterValue: afterKey[0],
          afterCode: afterKey[1],
        });
      }
    }
    if (ordering.field !== 'code') query.orderBy(column, direction).addOrderBy('m.code', direction);
    else query.orderBy('m.code', direction);
    return query.limit(limit).getMany();
  }

  count(criteria: MunicipalityCriteria): Promise<number> {
    return this.filtered(criteria).getCount();
  }

  private filtered(c: MunicipalityCriteria): SelectQueryBuilder<MunicipalityEntity> {
    const query = this.dataSource.getRepository(MunicipalityEntity).createQueryBuilder('m').where('TRUE');
    if (c.codes) query.andWhere('m.code = ANY(:codes)', { codes: c.codes });
    if (c.prefectureCodes) query.andWhere('m.prefecture_code = ANY(:prefectureCodes)', { prefectureCodes: c.prefectureCodes });
    if (c.regions) {
      const inRegions = PREFECTURES.filter((p) => c.regions!.includes(p.region)).map((p) => p.code);
      query.andWhere('m.prefecture_code = ANY(:inRegions)', { inRegions });
    }
    if (c.kinds) query.andWhere('m.kind = ANY(:kinds)', { kinds: c.kinds });
    if (c.brackets) {
      const ranges = c.brackets.map((b, i) => {
        const { min, below } = BRACKETS[b];
        query.setParameter(`bracketMin${i}`, min);
        if (below === null) return `m.population >= :bracketMin${i}`;
        query.setParameter(`bracketBelow${i}`, below);
        return `(m.population >= :bracketMin${i} AND m.population < :bracketBelow${i})`;
      });
      query.andWhere(ranges.length > 0 ? `(${ranges.join(' OR ')})` : 'FALSE');
    }
    if (c.populationAtLeast !== undefined) query.andWhere('m.population >= :atLeast', { atLeast: c.populationAtLeast });
    if (c.populationBelow !== undefined) query.andWhere('m.population < :below', { below: c.populationBelow });
    if (c.text) {
      query.andWhere('(m.name LIKE :pattern OR m.kana LIKE :pattern)', { pattern: `%${escapeLike(c.text)}%` });
    }
    return query;
  }
}
