import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';
import { Assignment } from '../../assignments/entities/assignment.entity';

/**
 * A staged reply (阶段性答复, SPEC §9.2): the lead department tells the enterprise where its case stands
 * and, optionally, when it will hear next. Shown to the enterprise; the reply clock keeps running.
 */
@Entity('staged_replies')
@Index('ix_staged_replies_appeal', ['appealId', 'createdAt'])
export class StagedReply {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'next_feedback_at', type: 'timestamptz', nullable: true })
  nextFeedbackAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_staged_replies_appeal' })
  appeal?: Appeal;

  @ManyToOne(() => Assignment, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'assignment_id', foreignKeyConstraintName: 'fk_staged_replies_assignment' })
  assignment?: Assignment;
}
