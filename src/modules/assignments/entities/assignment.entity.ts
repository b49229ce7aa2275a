import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../departments/department.entity';
import { Appeal } from '../../appeals/entities/appeal.entity';

export const ASSIGNMENT_STATUSES = [
  'dispatched',
  'in_progress',
  'completed',
  'returned',
  'cancelled',
] as const;
export type AssignmentStatus = (typeof ASSIGNMENT_STATUSES)[number];
/** A department still at work on its step: the queue, the timers and the reports' open figures read these. */
export const OPEN_ASSIGNMENT: readonly AssignmentStatus[] = Object.freeze([
  'dispatched',
  'in_progress',
] as const);
/** OPEN_ASSIGNMENT as an SQL list: `('dispatched','in_progress')`. */
export const OPEN_ASSIGNMENT_SQL = `(${OPEN_ASSIGNMENT.map((s) => `'${s}'`).join(',')})`;
/** A return request (SPEC §7.1): cancelled when its assignment ends some other way before a decision. */
export const RETURN_REQUEST_STATUSES = ['pending', 'approved', 'denied', 'cancelled'] as const;
export type ReturnRequestStatus = (typeof RETURN_REQUEST_STATUSES)[number];

/**
 * One department's part of an appeal (SPEC §2): the lead (主办) or a co-handler (协办), each with its
 * own deadlines. Status: dispatched (待签收) → in_progress (签收) → completed (lead replied / co gave
 * its opinion); or returned (退单) / cancelled (the appeal left the loop). On-time verdicts are kept
 * when each step happens so later calendar edits never rewrite history (SPEC §4).
 */
@Entity('assignments')
@Check('ck_assignments_role', `"role" IN ('lead','co')`)
@Check('ck_assignments_status', `"status" IN ('dispatched','in_progress','completed','returned','cancelled')`)
@Index('ix_assignments_appeal', ['appealId'])
@Index('ix_assignments_department_status', ['departmentId', 'status'])
@Index('ix_assignments_pending_ack', ['ackDueAt'], { where: `"status" = 'dispatched'` })
@Index('ix_assignments_pending_reply', ['replyDueAt'], { where: `"status" = 'in_progress'` })
@Index('ix_assignments_pending_contact', ['contactDueAt'], {
  where: `"status" IN ('dispatched','in_progress') AND "contacted_at" IS NULL`,
})
@Index('ix_assignments_pending_staged', ['stagedDueAt'], {
  where: `"status" IN ('dispatched','in_progress') AND "staged_replied_at" IS NULL`,
})
// the instant of the next pending timer (an expression index, migration 1796097000000; NEXT_DUE)
@Index('ix_assignments_next_due', { synchronize: false })
@Index('uq_assignments_open_per_department', ['appealId', 'departmentId'], {
  unique: true,
  where: `"status" IN ('dispatched','in_progress')`,
})
export class Assignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'varchar', length: 4 })
  role: 'lead' | 'co';

  @Column({ type: 'varchar', length: 16 })
  status: AssignmentStatus;

  /** 0 for the first dispatch; a reopen (重办) gives the lead a fresh assignment with round = reopenCount. */
  @Column({ type: 'int', default: 0 })
  round: number;

  @Column({ name: 'dispatched_at', type: 'timestamptz' })
  dispatchedAt: Date;

  @Column({ name: 'dispatched_by', type: 'uuid', nullable: true })
  dispatchedBy: string | null;

  @Column({ name: 'ack_due_at', type: 'timestamptz' })
  ackDueAt: Date;

  @Column({ name: 'ack_warn_at', type: 'timestamptz', nullable: true })
  ackWarnAt: Date | null;

  @Column({ name: 'reply_due_at', type: 'timestamptz' })
  replyDueAt: Date;

  @Column({ name: 'reply_warn_at', type: 'timestamptz', nullable: true })
  replyWarnAt: Date | null;

  /** The reply deadline before any extension: reports can tell extended cases apart. */
  @Column({ name: 'original_reply_due_at', type: 'timestamptz' })
  originalReplyDueAt: Date;

  @Column({ name: 'extended_days', type: 'int', default: 0 })
  extendedDays: number;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'uuid', nullable: true })
  acknowledgedBy: string | null;

  @Column({ name: 'ack_on_time', type: 'boolean', nullable: true })
  ackOnTime: boolean | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt: Date | null;

  @Column({ name: 'reply_on_time', type: 'boolean', nullable: true })
  replyOnTime: boolean | null;

  /** Working seconds from dispatched_at to replied_at on the calendar of the reply instant (lead
   *  replies only): recorded like the on-time verdicts, for avgReplyWorkingHours (SPEC §4). */
  @Column({ name: 'reply_working_seconds', type: 'int', nullable: true })
  replyWorkingSeconds: number | null;

  @Column({ name: 'opinion', type: 'text', nullable: true })
  opinion: string | null;

  @Column({ name: 'return_reason', type: 'text', nullable: true })
  returnReason: string | null;

  /** The state of this assignment's return request (SPEC §7.1), kept here for the report counters
   *  (returnsDenied); the request itself is a return_requests row. Null: never asked. */
  @Column({ name: 'return_status', type: 'varchar', length: 16, nullable: true })
  returnStatus: ReturnRequestStatus | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  /** When each deadline event fired (SPEC §3): a wake-up that finds these set does nothing. */
  @Column({ name: 'ack_warn_fired_at', type: 'timestamptz', nullable: true })
  ackWarnFiredAt: Date | null;

  @Column({ name: 'ack_overdue_fired_at', type: 'timestamptz', nullable: true })
  ackOverdueFiredAt: Date | null;

  @Column({ name: 'reply_warn_fired_at', type: 'timestamptz', nullable: true })
  replyWarnFiredAt: Date | null;

  @Column({ name: 'reply_overdue_fired_at', type: 'timestamptz', nullable: true })
  replyOverdueFiredAt: Date | null;

  /** SPEC §9.1 首次联系: the lead's contact deadline from its dispatch (null: the policy sets none, or a
   *  co assignment or a reopen round), its warning, and when each fired. */
  @Column({ name: 'contact_due_at', type: 'timestamptz', nullable: true })
  contactDueAt: Date | null;

  @Column({ name: 'contact_warn_at', type: 'timestamptz', nullable: true })
  contactWarnAt: Date | null;

  @Column({ name: 'contact_warn_fired_at', type: 'timestamptz', nullable: true })
  contactWarnFiredAt: Date | null;

  @Column({ name: 'contact_overdue_fired_at', type: 'timestamptz', nullable: true })
  contactOverdueFiredAt: Date | null;

  /** When the lead's contact counted (its first reached attempt, or the second unreached one a working
   *  hour after the first), and whether that was by contactDueAt: recorded once. */
  @Column({ name: 'contacted_at', type: 'timestamptz', nullable: true })
  contactedAt: Date | null;

  @Column({ name: 'contacted_on_time', type: 'boolean', nullable: true })
  contactedOnTime: boolean | null;

  /** SPEC §9.2 阶段性答复: the lead's staged-reply deadline (null: the policy sets none) and its firing. */
  @Column({ name: 'staged_due_at', type: 'timestamptz', nullable: true })
  stagedDueAt: Date | null;

  @Column({ name: 'staged_overdue_fired_at', type: 'timestamptz', nullable: true })
  stagedOverdueFiredAt: Date | null;

  /** When the staged-reply deadline was answered — the first staged reply, or the reply if it came first —
   *  and whether by stagedDueAt: recorded once (only when there is a stagedDueAt). */
  @Column({ name: 'staged_replied_at', type: 'timestamptz', nullable: true })
  stagedRepliedAt: Date | null;

  @Column({ name: 'staged_on_time', type: 'boolean', nullable: true })
  stagedOnTime: boolean | null;

  @Column({ type: 'boolean', default: false })
  overdue: boolean;

  @Column({ type: 'boolean', default: false })
  warning: boolean;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_assignments_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_assignments_department' })
  department?: Department;
}
