import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Assignment } from '../../assignments/entities/assignment.entity';

export const CONTACT_METHODS = ['phone', 'sms', 'visit', 'online', 'three_way_call'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];
export const CONTACT_OUTCOMES = ['reached', 'unreachable', 'left_message'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];

/**
 * One attempt to reach the enterprise (SPEC §9.1 首次联系): by a handler for its own department's open
 * assignment, or by the centre for the lead's (a three-way call on a confidential appeal). `at` is when
 * the attempt was made (given or now); `assignment_id` is the assignment it counts for. Never changed.
 */
@Entity('contact_attempts')
@Check('ck_contact_attempts_method', `"method" IN ('phone','sms','visit','online','three_way_call')`)
@Check('ck_contact_attempts_outcome', `"outcome" IN ('reached','unreachable','left_message')`)
@Index('ix_contact_attempts_appeal', ['appealId', 'at'])
@Index('ix_contact_attempts_assignment', ['assignmentId', 'at'])
export class ContactAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  /** The department of that assignment (the lead's when the centre logs it). */
  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'varchar', length: 16 })
  method: ContactMethod;

  @Column({ type: 'varchar', length: 16 })
  outcome: ContactOutcome;

  @Column({ type: 'timestamptz' })
  at: Date;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'logged_by', type: 'uuid' })
  loggedBy: string;

  @Column({ name: 'logged_role', type: 'varchar', length: 16 })
  loggedRole: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_contact_attempts_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Assignment, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'assignment_id', foreignKeyConstraintName: 'fk_contact_attempts_assignment' })
  assignment?: Assignment;
}
