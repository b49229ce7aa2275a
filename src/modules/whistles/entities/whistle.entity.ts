import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Department } from '../../departments/department.entity';
import type { WhistleStatus } from '../whistle-states';

/**
 * A whistle (SPEC §12, 企业吹哨): an enterprise (or the centre for it) summons the departments of a case
 * that is being pushed back and forth to one joint meeting. At most one active whistle per appeal (the
 * partial unique index). Its timers are columns (SPEC §3): the review (`review_warn_at`, `review_due_at`
 * while requested) and the meeting (`meeting_warn_at`, `meeting_due_at` while approved), each with a
 * `*_fired_at` mark set once by a conditional UPDATE.
 */
@Entity('whistles')
@Check('ck_whistles_status', `"status" IN ('requested','approved','denied','cancelled','held','closed')`)
@Index('uq_whistles_active_appeal', ['appealId'], {
  unique: true,
  where: `"status" IN ('requested','approved','held')`,
})
@Index('ix_whistles_appeal', ['appealId', 'createdAt'])
@Index('ix_whistles_created', ['createdAt'])
@Index('ix_whistles_review_due', ['reviewDueAt'], { where: `"status" = 'requested'` })
@Index('ix_whistles_meeting_due', ['meetingDueAt'], { where: `"status" = 'approved'` })
export class Whistle {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ type: 'varchar', length: 16, default: 'requested' })
  status: WhistleStatus;

  @Column({ type: 'text' })
  reason: string;

  /** The departments the requester named (may be empty); the reviewer decides whom to summon. */
  @Column({ name: 'requested_department_ids', type: 'uuid', array: true, default: () => `'{}'` })
  requestedDepartmentIds: string[];

  @Column({ name: 'requested_by', type: 'uuid', nullable: true })
  requestedBy: string | null;

  @Column({ name: 'requested_role', type: 'varchar', length: 16 })
  requestedRole: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  // ---- review (whistleReviewWithin) ----
  @Column({ name: 'review_due_at', type: 'timestamptz' })
  reviewDueAt: Date;

  @Column({ name: 'review_warn_at', type: 'timestamptz', nullable: true })
  reviewWarnAt: Date | null;

  @Column({ name: 'review_warn_fired_at', type: 'timestamptz', nullable: true })
  reviewWarnFiredAt: Date | null;

  @Column({ name: 'review_overdue_fired_at', type: 'timestamptz', nullable: true })
  reviewOverdueFiredAt: Date | null;

  @Column({ name: 'reviewed_by', type: 'uuid', nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'timestamptz', nullable: true })
  reviewedAt: Date | null;

  /** Reviewed by its due (recorded when it happens, SPEC §4's rule for verdicts). */
  @Column({ name: 'reviewed_on_time', type: 'boolean', nullable: true })
  reviewedOnTime: boolean | null;

  /** Why it was denied or cancelled. */
  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  // ---- the meeting (whistleMeetingWithin) ----
  @Column({ name: 'lead_department_id', type: 'uuid', nullable: true })
  leadDepartmentId: string | null;

  @Column({ name: 'meeting_at', type: 'timestamptz', nullable: true })
  meetingAt: Date | null;

  @Column({ type: 'text', nullable: true })
  location: string | null;

  @Column({ name: 'meeting_due_at', type: 'timestamptz', nullable: true })
  meetingDueAt: Date | null;

  @Column({ name: 'meeting_warn_at', type: 'timestamptz', nullable: true })
  meetingWarnAt: Date | null;

  @Column({ name: 'meeting_warn_fired_at', type: 'timestamptz', nullable: true })
  meetingWarnFiredAt: Date | null;

  @Column({ name: 'meeting_overdue_fired_at', type: 'timestamptz', nullable: true })
  meetingOverdueFiredAt: Date | null;

  // ---- the minutes (纪要) ----
  @Column({ name: 'held_at', type: 'timestamptz', nullable: true })
  heldAt: Date | null;

  @Column({ name: 'held_on_time', type: 'boolean', nullable: true })
  heldOnTime: boolean | null;

  @Column({ name: 'minutes_summary', type: 'text', nullable: true })
  minutesSummary: string | null;

  @Column({ name: 'resolved_on_site', type: 'boolean', nullable: true })
  resolvedOnSite: boolean | null;

  @Column({ name: 'minutes_by', type: 'uuid', nullable: true })
  minutesBy: string | null;

  // ---- closing (销号) ----
  @Column({ name: 'closed_by', type: 'uuid', nullable: true })
  closedBy: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_note', type: 'text', nullable: true })
  closeNote: string | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt: Date | null;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_whistles_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'lead_department_id', foreignKeyConstraintName: 'fk_whistles_lead_department' })
  leadDepartment?: Department;
}
