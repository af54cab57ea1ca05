import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `prefecture` (都道府県). */
@Entity({ name: 'prefecture' })
export class PrefectureEntity {
  @PrimaryColumn({ type: 'char', length: 2 })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kana!: string;

  /** Key of the eight-region division, e.g. TOHOKU. */
  @Column({ type: 'text' })
  region!: string;
}
