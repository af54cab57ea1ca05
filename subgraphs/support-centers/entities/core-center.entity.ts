import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Row of `core_center` (基幹相談支援センター). Never deleted: closing sets `closed_on`. */
@Entity({ name: 'core_center' })
export class CoreCenterEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The record's id in the imported file (CSV `center_id`), so a re-import updates rather than duplicates. */
  @Column({ name: 'external_id', type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ name: 'prefecture_code', type: 'char', length: 2 })
  prefectureCode!: string;

  @Column({ type: 'text' })
  name!: string;

  /** CoreCenterSetup */
  @Column({ type: 'text' })
  setup!: string;

  /** CoreCenterOperation */
  @Column({ type: 'text' })
  operation!: string;

  @Column({ name: 'operator_name', type: 'text', nullable: true })
  operatorName!: string | null;

  @Column({ name: 'established_on', type: 'date' })
  establishedOn!: string;

  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  /** CoreCenterFunction values */
  @Column({ type: 'text', array: true })
  functions!: string[];

  @Column({ name: 'chief_specialists', type: 'integer' })
  chiefSpecialists!: number;

  @Column({ type: 'integer' })
  specialists!: number;

  @Column({ name: 'social_workers', type: 'integer' })
  socialWorkers!: number;

  @Column({ name: 'psychiatric_social_workers', type: 'integer' })
  psychiatricSocialWorkers!: number;

  @Column({ name: 'public_health_nurses', type: 'integer' })
  publicHealthNurses!: number;

  @Column({ name: 'other_staff', type: 'integer' })
  otherStaff!: number;

  @Column({ name: 'also_functions_as_base', type: 'boolean' })
  alsoFunctionsAsBase!: boolean;

  @Column({ name: 'runs_abuse_prevention_center', type: 'boolean' })
  runsAbusePreventionCenter!: boolean;

  @Column({ name: 'has_medical_care_child_coordinator', type: 'boolean' })
  hasMedicalCareChildCoordinator!: boolean;

  @Column({ name: 'source_name', type: 'text' })
  sourceName!: string;

  @Column({ name: 'source_as_of', type: 'date' })
  sourceAsOf!: string;

  @Column({ type: 'boolean' })
  sample!: boolean;

  /** Optimistic concurrency: every change increments it; a write naming an older version is refused. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
