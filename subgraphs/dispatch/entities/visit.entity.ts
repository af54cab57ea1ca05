/** Rows of advisors and their visits (the data access in data/ reads and writes them with SQL). */
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** 相談支援体制整備アドバイザー. `subject` ties the advisor to a token's `sub`. */
@Entity({ name: 'advisor' })
export class AdvisorEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  @Column({ name: 'prefecture_code', type: 'char', length: 2 }) prefectureCode!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) affiliation!: string;
  @Column({ type: 'text', array: true }) qualifications!: string[];
  @Column({ type: 'text', nullable: true }) subject!: string | null;
  @Column({ name: 'active_from', type: 'date' }) activeFrom!: string;
  @Column({ name: 'active_until', type: 'date', nullable: true }) activeUntil!: string | null;
  @Column({ type: 'boolean' }) sample!: boolean;
}

/** One visit (派遣): never deleted; cancelling sets `status`. `notes` may hold sensitive personal information. */
@Entity({ name: 'visit' })
export class VisitEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'external_id', type: 'text', nullable: true }) externalId!: string | null;
  @Column({ name: 'prefecture_code', type: 'char', length: 2 }) prefectureCode!: string;
  @Column({ name: 'visited_on', type: 'date' }) visitedOn!: string;
  @Column({ type: 'text' }) format!: string;
  @Column({ type: 'text', array: true }) purposes!: string[];
  @Column({ type: 'text', array: true }) topics!: string[];
  @Column({ type: 'text' }) summary!: string;
  @Column({ name: 'issues_found', type: 'text' }) issuesFound!: string;
  @Column({ type: 'jsonb' }) attendees!: Array<{ role: string; count: number }>;
  @Column({ type: 'text', nullable: true }) notes!: string | null;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'cancel_reason', type: 'text', nullable: true }) cancelReason!: string | null;
  @Column({ type: 'boolean' }) sample!: boolean;
  @Column({ name: 'created_by', type: 'text' }) createdBy!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'updated_by', type: 'text' }) updatedBy!: string;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ type: 'integer' }) version!: number;
}

@Entity({ name: 'visit_advisor' })
export class VisitAdvisorEntity {
  @PrimaryColumn({ name: 'visit_id', type: 'uuid' }) visitId!: string;
  @PrimaryColumn({ name: 'advisor_id', type: 'uuid' }) advisorId!: string;
}

@Entity({ name: 'visit_municipality' })
export class VisitMunicipalityEntity {
  @PrimaryColumn({ name: 'visit_id', type: 'uuid' }) visitId!: string;
  @PrimaryColumn({ name: 'municipality_code', type: 'char', length: 6 }) municipalityCode!: string;
  /** Copies of the visit's date and status, for the newest-first index (see the migration). */
  @Column({ name: 'visited_on', type: 'date' }) visitedOn!: string;
  @Column({ type: 'boolean' }) active!: boolean;
}
