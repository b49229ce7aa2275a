import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Assignment, type ReturnRequestStatus } from './assignment.entity';

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
