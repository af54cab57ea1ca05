import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per reference dataset: which version (checksum) is loaded, so a start loads it once. */
@Entity({ name: 'reference_data_import' })
export class ReferenceDataImportEntity {
  @PrimaryColumn({ type: 'text' })
  dataset!: string;

  @Column({ type: 'text' })
  checksum!: string;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  @Column({ name: 'imported_at', type: 'timestamptz' })
  importedAt!: Date;
}
