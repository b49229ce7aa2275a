import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Department } from '../../departments/department.entity';
import type { SupervisionLevel, SupervisionSource, SupervisionStatus } from '../../workflow/assessment-rules';
import { Appeal } from './appeal.entity';
import { Assignment, type ReturnRequestStatus } from './assignment.entity';

/** 延期申请: at most one pending per assignment (partial unique index). */
@Entity('extension_requests')
@Check('ck_extension_requests_status', `"status" IN ('pending','approved','denied')`)
@Check('ck_extension_requests_days', `"days" BETWEEN 1 AND 60`)
@Index('ix_extension_requests_appeal', ['appealId'])
@Index('uq_extension_requests_pending', ['assignmentId'], { unique: true, where: `"status" = 'pending'` })
export class ExtensionRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ type: 'int' })
  days: number;

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'varchar', length: 16 })
  status: 'pending' | 'approved' | 'denied';

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ name: 'previous_due_at', type: 'timestamptz', nullable: true })
  previousDueAt: Date | null;

  @Column({ name: 'new_due_at', type: 'timestamptz', nullable: true })
  newDueAt: Date | null;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_extension_requests_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Assignment, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'assignment_id', foreignKeyConstraintName: 'fk_extension_requests_assignment' })
  assignment?: Assignment;
}

/** 回访评价: every survey is kept; the latest one counts (SPEC §2, §4). */
@Entity('surveys')
@Check('ck_surveys_satisfaction', `"satisfaction" IN ('satisfied','basically_satisfied','unsatisfied')`)
@Index('ix_surveys_appeal_created', ['appealId', 'createdAt'])
export class Survey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ type: 'varchar', length: 24 })
  satisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied';

  @Column({ type: 'boolean' })
  resolved: boolean;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  /** Which reply round it rates: the appeal's reopenCount when it was recorded. */
  @Column({ type: 'int' })
  round: number;

  @Column({ name: 'recorded_by', type: 'uuid' })
  recordedBy: string;

  @Column({ name: 'recorded_role', type: 'varchar', length: 16 })
  recordedRole: string;

  /** 有效回访 (SPEC §7.2): false once an assessment appeal on this survey is approved. */
  @Column({ type: 'boolean', default: true })
  valid: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_surveys_appeal' })
  appeal?: Appeal;
}

/**
 * A supervision record (SPEC §7.3, 催办 → 督办 → 通报): by a supervisor, automatic (overdue, reopen limit),
 * or a notice the system opens when a supervision is not answered by its due. `escalated_at` is the
 * escalation timer's fired mark (SPEC §3 guarantees: set once, by a conditional UPDATE); a notice names
 * the supervision it escalates, at most one notice each (unique index).
 */
@Entity('supervisions')
@Check('ck_supervisions_source', `"source" IN ('manual','overdue','reopen_limit','escalation')`)
@Check('ck_supervisions_level', `"level" IN ('reminder','supervision','notice')`)
@Check('ck_supervisions_status', `"status" IN ('open','answered','closed')`)
@Index('ix_supervisions_appeal', ['appealId'])
@Index('ix_supervisions_department', ['departmentId', 'createdAt'])
@Index('ix_supervisions_answer_due', ['answerDueAt'], {
  where: `"level" = 'supervision' AND "status" = 'open' AND "escalated_at" IS NULL`,
})
@Index('uq_supervisions_escalated_from', ['escalatedFromId'], {
  unique: true,
  where: `"escalated_from_id" IS NOT NULL`,
})
export class Supervision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid', nullable: true })
  assignmentId: string | null;

  /** The supervised department; null when the case was still with the centre. */
  @Column({ name: 'department_id', type: 'uuid', nullable: true })
  departmentId: string | null;

  @Column({ type: 'varchar', length: 16, default: 'supervision' })
  level: SupervisionLevel;

  @Column({ type: 'varchar', length: 16 })
  source: SupervisionSource;

  @Column({ type: 'text' })
  note: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: SupervisionStatus;

  /** When the department's answer is due (level supervision with a department); null: no answer owed. */
  @Column({ name: 'answer_due_at', type: 'timestamptz', nullable: true })
  answerDueAt: Date | null;

  @Column({ type: 'text', nullable: true })
  answer: string | null;

  @Column({ name: 'answered_by', type: 'uuid', nullable: true })
  answeredBy: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'answered_on_time', type: 'boolean', nullable: true })
  answeredOnTime: boolean | null;

  /** When the unanswered supervision was escalated to a notice (the timer's fired mark). */
  @Column({ name: 'escalated_at', type: 'timestamptz', nullable: true })
  escalatedAt: Date | null;

  /** A notice: the supervision it escalates. */
  @Column({ name: 'escalated_from_id', type: 'uuid', nullable: true })
  escalatedFromId: string | null;

  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_note', type: 'text', nullable: true })
  closeNote: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_supervisions_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_supervisions_department' })
  department?: Department;
}

/**
 * 退单申请 (SPEC §7.1): a department asks to hand its assignment back; a dispatcher approves or denies.
 * One request per assignment, ever (unique index): a denied department may not ask again, and an
 * approved or cancelled request's assignment has ended.
 */
@Entity('return_requests')
@Check('ck_return_requests_status', `"status" IN ('pending','approved','denied','cancelled')`)
@Index('ix_return_requests_appeal', ['appealId'])
@Index('uq_return_requests_assignment', ['assignmentId'], { unique: true })
export class ReturnRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'text' })
  reason: string;

  @Column({ name: 'suggested_department_id', type: 'uuid', nullable: true })
  suggestedDepartmentId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: ReturnRequestStatus;

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt: Date;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  /** The dispatcher's note (approved), reason (denied), or why it lapsed (cancelled). */
  @Column({ name: 'decision_note', type: 'text', nullable: true })
  decisionNote: string | null;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_return_requests_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Assignment, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'assignment_id', foreignKeyConstraintName: 'fk_return_requests_assignment' })
  assignment?: Assignment;
}

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

/** 补充材料 from the enterprise. */
@Entity('supplements')
@Index('ix_supplements_appeal', ['appealId'])
export class Supplement {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_supplements_appeal' })
  appeal?: Appeal;
}

/**
 * Per-day counters of the earlier 5-digit appeal numbers (ZQT + yyyymmdd + 5 digits). Numbers now come from
 * the appeal_number_seq sequence and nothing here reads or writes this table; it stays for a process of the
 * previous release during a rolling upgrade (migration AppealNumberSequence).
 */
@Entity('appeal_number_counters')
export class AppealNumberCounter {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @Column({ type: 'int' })
  last: number;
}
