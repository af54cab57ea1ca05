import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `base` (地域生活支援拠点等). Never deleted: closing sets `closed_on`. */
@Entity({ name: 'base' })
export class BaseEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** The record's id in the imported file (`base_id`). */
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  @Column({ name: 'prefecture_code', type: 'char', length: 2 }) prefectureCode!: string;
  @Column({ type: 'text' }) name!: string;
  /** BaseModel */
  @Column({ type: 'text' }) model!: string;
  @Column({ name: 'established_on', type: 'date' }) establishedOn!: string;
  @Column({ name: 'closed_on', type: 'date', nullable: true }) closedOn!: string | null;
  @Column({ name: 'emergency_preregistrations', type: 'integer' }) emergencyPreregistrations!: number;
  @Column({ name: 'source_name', type: 'text' }) sourceName!: string;
  @Column({ name: 'source_as_of', type: 'date' }) sourceAsOf!: string;
  @Column({ type: 'boolean' }) sample!: boolean;
  @Column({ type: 'integer' }) version!: number;
}
