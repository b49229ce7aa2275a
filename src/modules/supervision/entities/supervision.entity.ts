import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../departments/department.entity';
import type { SupervisionLevel, SupervisionSource, SupervisionStatus } from '../../workflow/assessment-rules';
import { Appeal } from '../../appeals/entities/appeal.entity';

/**
 * A supervision record (SPEC §7.3, 催办 → 督办 → 通报): by a supervisor, automatic (overdue, reopen limit),
 * or a notice the system opens when a supervision is not answered by its due. `escalated_at` is the
 * escalation timer's fired mark (SPEC §3 guarantees: set once, by a conditional UPDATE); a notice names
 * the supervision it escalates, at most one notice each (unique index).
 */
@Entity('supervisions')
@Check(
  'ck_supervisions_source',
  `"source" IN ('manual','overdue','reopen_limit','escalation','plan_feedback','plan_overdue')`,
)
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
