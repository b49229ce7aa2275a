import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Department } from '../../departments/department.entity';

export const PLAN_STATUSES = ['open', 'fulfilled', 'confirmed', 'cancelled'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** One progress report of the lead department on its plan, as the enterprise reads it. */
export interface PlanUpdate {
  content: string;
  nextFeedbackAt: string;
  at: string;
  by: string;
}

/**
 * A planned resolution (计划解决, SPEC §9.3): a reply with a plan and a date, for a problem that cannot be
 * solved within the deadline. It outlives the appeal's return visit: the lead department reports on it
 * (`updates`), fulfils it, and the enterprise confirms it. Two timers live on the row with their fired
 * marks (SPEC §3 guarantees, set once by a conditional UPDATE): the next feedback (`next_feedback_at`,
 * its mark cleared when an update names a new one) and the promise (`promised_by`).
 */
@Entity('plans')
@Check('ck_plans_status', `"status" IN ('open','fulfilled','confirmed','cancelled')`)
@Index('ix_plans_appeal', ['appealId'])
@Index('ix_plans_department', ['departmentId', 'createdAt'])
@Index('ix_plans_created', ['createdAt'])
@Index('uq_plans_open_appeal', ['appealId'], { unique: true, where: `"status" = 'open'` })
@Index('ix_plans_feedback_due', ['nextFeedbackAt'], {
  where: `"status" = 'open' AND "feedback_fired_at" IS NULL`,
})
@Index('ix_plans_promise_due', ['promisedBy'], {
  where: `"status" = 'open' AND "overdue_fired_at" IS NULL`,
})
export class Plan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  /** The lead department that replied with the plan, and owes it. */
  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  /** The lead assignment whose reply made the plan. */
  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'promised_by', type: 'timestamptz' })
  promisedBy: Date;

  @Column({ name: 'next_feedback_at', type: 'timestamptz' })
  nextFeedbackAt: Date;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: PlanStatus;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  updates: PlanUpdate[];

  /** When the current next feedback was missed (its timer's fired mark); cleared by an update. */
  @Column({ name: 'feedback_fired_at', type: 'timestamptz', nullable: true })
  feedbackFiredAt: Date | null;

  /** How many feedbacks were missed so far. */
  @Column({ name: 'feedbacks_missed', type: 'int', default: 0 })
  feedbacksMissed: number;

  /** When the promise passed while the plan was open (the promise timer's fired mark). */
  @Column({ name: 'overdue_fired_at', type: 'timestamptz', nullable: true })
  overdueFiredAt: Date | null;

  @Column({ name: 'fulfil_content', type: 'text', nullable: true })
  fulfilContent: string | null;

  @Column({ name: 'fulfilled_at', type: 'timestamptz', nullable: true })
  fulfilledAt: Date | null;

  @Column({ name: 'fulfilled_by', type: 'uuid', nullable: true })
  fulfilledBy: string | null;

  /** The verdict recorded when fulfilled: by `promised_by` (SPEC §4: verdicts are never recomputed). */
  @Column({ name: 'fulfilled_on_time', type: 'boolean', nullable: true })
  fulfilledOnTime: boolean | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  @Column({ name: 'confirmed_by', type: 'uuid', nullable: true })
  confirmedBy: string | null;

  /** enterprise, or dispatcher (a phone call) */
  @Column({ name: 'confirmed_role', type: 'varchar', length: 16, nullable: true })
  confirmedRole: string | null;

  @Column({ name: 'confirmed_resolved', type: 'boolean', nullable: true })
  confirmedResolved: boolean | null;

  @Column({ name: 'confirm_comment', type: 'text', nullable: true })
  confirmComment: string | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'cancel_reason', type: 'text', nullable: true })
  cancelReason: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_plans_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_plans_department' })
  department?: Department;
}
