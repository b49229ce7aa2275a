import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Survey } from './survey.entity';

export const ASSESSMENT_APPEAL_REASONS = [
  'beyond_duty',
  'unreasonable_demand',
  'untrue',
  'misrated',
] as const;
export type AssessmentAppealReason = (typeof ASSESSMENT_APPEAL_REASONS)[number];

/**
 * 考核申诉 (SPEC §7.2): the department that was lead for a survey's round contests the rating; a
 * supervisor decides. One per survey (unique index). Enterprises never see these.
 */
@Entity('assessment_appeals')
@Check('ck_assessment_appeals_status', `"status" IN ('pending','approved','denied')`)
@Check(
  'ck_assessment_appeals_reason',
  `"reason" IN ('beyond_duty','unreasonable_demand','untrue','misrated')`,
)
@Index('ix_assessment_appeals_appeal', ['appealId'])
@Index('uq_assessment_appeals_survey', ['surveyId'], { unique: true })
export class AssessmentAppeal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'survey_id', type: 'uuid' })
  surveyId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'varchar', length: 24 })
  reason: AssessmentAppealReason;

  @Column({ type: 'text' })
  explanation: string;

  /** Whether the department contacted the enterprise again before contesting. */
  @Column({ type: 'boolean' })
  recontacted: boolean;

  @Column({ type: 'varchar', length: 16 })
  status: 'pending' | 'approved' | 'denied';

  @Column({ name: 'filed_by', type: 'uuid' })
  filedBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_assessment_appeals_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Survey, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'survey_id', foreignKeyConstraintName: 'fk_assessment_appeals_survey' })
  survey?: Survey;
}
