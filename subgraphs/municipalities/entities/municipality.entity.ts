import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `municipality` (市区町村). */
@Entity({ name: 'municipality' })
export class MunicipalityEntity {
  /** 全国地方公共団体コード, six digits with check digit. */
  @PrimaryColumn({ type: 'char', length: 6 })
  code!: string;

  @Column({ name: 'prefecture_code', type: 'char', length: 2 })
  prefectureCode!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kana!: string;

  /** A MunicipalityKind value, e.g. TOWN. */
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'integer' })
  population!: number;

  /** YYYY-MM-DD (pg returns `date` as a string, which is what we want). */
  @Column({ name: 'population_as_of', type: 'date' })
  populationAsOf!: string;

  @Column({ name: 'population_source', type: 'text' })
  populationSource!: string;
}
