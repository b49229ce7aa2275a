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
import { Appeal } from './appeal.entity';
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

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_surveys_appeal' })
  appeal?: Appeal;
}

/** 督办: by a supervisor, or automatic (overdue, reopen limit). */
@Entity('supervisions')
@Check('ck_supervisions_source', `"source" IN ('manual','overdue','reopen_limit')`)
@Index('ix_supervisions_appeal', ['appealId'])
export class Supervision {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'assignment_id', type: 'uuid', nullable: true })
  assignmentId: string | null;

  @Column({ type: 'varchar', length: 16 })
  source: 'manual' | 'overdue' | 'reopen_limit';

  @Column({ type: 'text' })
  note: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_supervisions_appeal' })
  appeal?: Appeal;
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
