/** The rows that belong to one base: its municipalities, functions, participants, coordinators, reviews. */
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'base_municipality' })
export class BaseMunicipalityEntity {
  @PrimaryColumn({ name: 'base_id', type: 'uuid' }) baseId!: string;
  @PrimaryColumn({ name: 'municipality_code', type: 'char', length: 6 }) municipalityCode!: string;
}

/** A function the base provides; absent rows are the functions it lacks. */
@Entity({ name: 'base_function' })
export class BaseFunctionEntity {
  @PrimaryColumn({ name: 'base_id', type: 'uuid' }) baseId!: string;
  @PrimaryColumn({ type: 'text' }) function!: string;
}

/** An organization taking part in one function of a base. */
@Entity({ name: 'base_participant' })
export class BaseParticipantEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'base_id', type: 'uuid' }) baseId!: string;
  @Column({ type: 'text' }) function!: string;
  @Column({ name: 'organization_name', type: 'text' }) organizationName!: string;
  @Column({ name: 'organization_kind', type: 'text' }) organizationKind!: string;
}

/** 拠点コーディネーター: how many, how funded, hosted where, from when (and until when). */
@Entity({ name: 'base_coordinator' })
export class BaseCoordinatorEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  @Column({ name: 'base_id', type: 'uuid' }) baseId!: string;
  @Column({ type: 'integer' }) count!: number;
  @Column({ type: 'text' }) funding!: string;
  @Column({ name: 'host_organization', type: 'text' }) hostOrganization!: string;
  @Column({ name: 'started_on', type: 'date' }) startedOn!: string;
  @Column({ name: 'ended_on', type: 'date', nullable: true }) endedOn!: string | null;
}

/** 運用状況の検証・検討: one annual operational review. */
@Entity({ name: 'base_review' })
export class BaseReviewEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'base_id', type: 'uuid' }) baseId!: string;
  @Column({ name: 'reviewed_on', type: 'date' }) reviewedOn!: string;
  @Column({ type: 'text' }) summary!: string;
}

/** Designated and billing offices of one community-life service in one prefecture and fiscal year. */
@Entity({ name: 'service_figure' })
export class ServiceFigureEntity {
  @PrimaryColumn({ name: 'prefecture_code', type: 'char', length: 2 }) prefectureCode!: string;
  @PrimaryColumn({ name: 'fiscal_year', type: 'integer' }) fiscalYear!: number;
  @PrimaryColumn({ type: 'text' }) service!: string;
  @Column({ type: 'integer' }) designated!: number;
  @Column({ type: 'integer' }) billing!: number;
}
