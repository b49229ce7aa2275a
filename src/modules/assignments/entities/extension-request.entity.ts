import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Assignment } from './assignment.entity';

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
