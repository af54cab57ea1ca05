/** Rows of what visits lead to: follow-ups, checklist assessments and municipalities' requests. */
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'follow_up' })
export class FollowUpEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'visit_id', type: 'uuid' }) visitId!: string;
  @Column({ name: 'municipality_code', type: 'char', length: 6 }) municipalityCode!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ name: 'owner_kind', type: 'text' }) ownerKind!: string;
  @Column({ name: 'owner_advisor_id', type: 'uuid', nullable: true }) ownerAdvisorId!: string | null;
  @Column({ name: 'due_on', type: 'date' }) dueOn!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ name: 'completed_on', type: 'date', nullable: true }) completedOn!: string | null;
  @Column({ name: 'drop_reason', type: 'text', nullable: true }) dropReason!: string | null;
  @Column({ type: 'integer' }) version!: number;
}

@Entity({ name: 'checklist_template' })
export class ChecklistTemplateEntity {
  @PrimaryColumn({ type: 'text' }) id!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) source!: string;
}

@Entity({ name: 'checklist_item' })
export class ChecklistItemEntity {
  @PrimaryColumn({ name: 'template_id', type: 'text' }) templateId!: string;
  @PrimaryColumn({ name: 'item_id', type: 'text' }) itemId!: string;
  @Column({ type: 'integer' }) position!: number;
  @Column({ type: 'text' }) section!: string;
  @Column({ type: 'text' }) text!: string;
}

@Entity({ name: 'assessment' })
export class AssessmentEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'template_id', type: 'text' }) templateId!: string;
  @Column({ name: 'municipality_code', type: 'char', length: 6 }) municipalityCode!: string;
  @Column({ name: 'assessed_on', type: 'date' }) assessedOn!: string;
  @Column({ name: 'visit_id', type: 'uuid', nullable: true }) visitId!: string | null;
  @Column({ name: 'recorded_by', type: 'text' }) recordedBy!: string;
  @Column({ type: 'boolean' }) sample!: boolean;
}

@Entity({ name: 'assessment_result' })
export class AssessmentResultEntity {
  @PrimaryColumn({ name: 'assessment_id', type: 'uuid' }) assessmentId!: string;
  @PrimaryColumn({ name: 'item_id', type: 'text' }) itemId!: string;
  @Column({ name: 'template_id', type: 'text' }) templateId!: string;
  @Column({ type: 'text' }) result!: string;
  @Column({ type: 'text' }) comment!: string;
}

@Entity({ name: 'municipal_request' })
export class MunicipalRequestEntity {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ name: 'visit_id', type: 'uuid', nullable: true }) visitId!: string | null;
  @Column({ name: 'municipality_code', type: 'char', length: 6 }) municipalityCode!: string;
  @Column({ type: 'text' }) summary!: string;
  @Column({ type: 'text' }) status!: string;
  @Column({ type: 'text', nullable: true }) response!: string | null;
  @Column({ name: 'raised_on', type: 'date' }) raisedOn!: string;
  @Column({ type: 'integer' }) version!: number;
}
