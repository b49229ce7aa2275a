import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../departments/department.entity';
import { Whistle } from './whistle.entity';

/**
 * A dated commitment of the minutes (SPEC §12): a department promises `content` by `due_at` (at most the
 * meeting + 3 months). Past its due and not complete, it opens a supervision (督办, SPEC §7.3) on that
 * department once: `overdue_fired_at` is set by a conditional UPDATE.
 */
@Entity('whistle_commitments')
@Index('ix_whistle_commitments_whistle', ['whistleId'])
@Index('ix_whistle_commitments_department', ['departmentId'])
@Index('ix_whistle_commitments_due', ['dueAt'], {
  where: `"completed_at" IS NULL AND "overdue_fired_at" IS NULL`,
})
export class WhistleCommitment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'whistle_id', type: 'uuid' })
  whistleId: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by', type: 'uuid', nullable: true })
  completedBy: string | null;

  @Column({ type: 'text', nullable: true })
  completion: string | null;

  @Column({ name: 'completed_on_time', type: 'boolean', nullable: true })
  completedOnTime: boolean | null;

  @Column({ name: 'overdue_fired_at', type: 'timestamptz', nullable: true })
  overdueFiredAt: Date | null;

  /** The supervision its overdue opened. */
  @Column({ name: 'supervision_id', type: 'uuid', nullable: true })
  supervisionId: string | null;

  @ManyToOne(() => Whistle, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'whistle_id', foreignKeyConstraintName: 'fk_whistle_commitments_whistle' })
  whistle?: Whistle;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_whistle_commitments_department' })
  department?: Department;
}
