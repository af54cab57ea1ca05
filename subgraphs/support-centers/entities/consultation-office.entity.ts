import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `consultation_office` (相談支援事業所). */
@Entity({ name: 'consultation_office' })
export class ConsultationOfficeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ name: 'municipality_code', type: 'char', length: 6 })
  municipalityCode!: string;

  @Column({ type: 'text' })
  name!: string;

  /** OfficeDesignation values */
  @Column({ type: 'text', array: true })
  designations!: string[];

  /** FeeTier: NONE or I–IV (機能強化型) */
  @Column({ name: 'fee_tier', type: 'text' })
  feeTier!: string;

  @Column({ name: 'chief_specialists', type: 'integer' })
  chiefSpecialists!: number;

  @Column({ type: 'integer' })
  specialists!: number;

  @Column({ name: 'contracted_for_municipal_program', type: 'boolean' })
  contractedForMunicipalProgram!: boolean;

  @Column({ name: 'collaborative_arrangement', type: 'boolean' })
  collaborativeArrangement!: boolean;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  @Column({ name: 'source_as_of', type: 'date' })
  sourceAsOf!: string;

  @Column({ type: 'boolean' })
  sample!: boolean;

  @Column({ type: 'integer' })
  version!: number;
}
