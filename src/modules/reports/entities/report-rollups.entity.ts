import { Check, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { COUNTERS } from '../report-counters.sql';

/**
 * The counter vector every rollup row carries: one column per counter of report-counters.sql.ts
 * (SPEC §4 numerators and denominators; appeal-level ones attach to the appeal's lead department,
 * assignment-level ones to the assignment's own department; see docs/reports.md, "How the figures
 * are attributed"). The live parts (open assignments past
 * a deadline *now*) are never stored. The columns have no TypeScript fields: rollup rows are read
 * and written in SQL only (ReportsRepository, the report functions).
 */
export abstract class ReportCounters {}
for (const c of COUNTERS)
  Column({ name: c.column, type: c.type, default: 0 })(ReportCounters.prototype, c.key);

/**
 * Insert-only signed deltas written by the row triggers on appeals and assignments; the
 * maintenance fold moves them into the rollups. No shared row is updated inside a user transaction.
 * Null department / district are stored as the nil uuid / '' so keys compare with '='.
 */
@Entity('report_deltas')
export class ReportDelta extends ReportCounters {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ type: 'date' })
  day: string;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ name: 'category_code', type: 'varchar', length: 32 })
  categoryCode: string;

  @Column({ type: 'varchar', length: 64 })
  district: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  /** When the delta was written: the age of the oldest one is the fold's lag (operations metrics). */
  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}

/** Counters per local day and full key: answers combined filters. */
@Entity('report_rollup_full')
@Index('ix_report_rollup_full_department', ['departmentId', 'day'])
@Index('ix_report_rollup_full_category', ['categoryCode', 'day'])
export class ReportRollupFull extends ReportCounters {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @PrimaryColumn({ name: 'category_code', type: 'varchar', length: 32 })
  categoryCode: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  district: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel: string;
}

/**
 * Counters per local day and ONE dimension (GROUPING SETS of the full key): ~86 rows a day answer
 * unfiltered and single-filter reports over years. dim 'all' has dim_value ''.
 */
@Entity('report_rollup_dim')
@Check('ck_report_rollup_dim_dim', `"dim" IN ('all','department','category','district','channel')`)
@Index('ix_report_rollup_dim_value', ['dim', 'dimValue', 'day'])
export class ReportRollupDim extends ReportCounters {
  @PrimaryColumn({ type: 'date' })
  day: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  dim: string;

  @PrimaryColumn({ name: 'dim_value', type: 'varchar', length: 64 })
  dimValue: string;
}

/**
 * The narrow rollup by month (`month`: its first day): the same rows as report_rollup_dim summed over
 * the days of each local month, folded from the same deltas. A period of years reads its whole months
 * here (~86 rows a month) and only the days before the first and after the last whole month from the
 * daily rollup.
 */
@Entity('report_rollup_month')
@Check('ck_report_rollup_month_dim', `"dim" IN ('all','department','category','district','channel')`)
@Index('ix_report_rollup_month_value', ['dim', 'dimValue', 'month'])
export class ReportRollupMonth extends ReportCounters {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_report_rollup_month' })
  month: string;

  @PrimaryColumn({ type: 'varchar', length: 16, primaryKeyConstraintName: 'pk_report_rollup_month' })
  dim: string;

  @PrimaryColumn({
    name: 'dim_value',
    type: 'varchar',
    length: 64,
    primaryKeyConstraintName: 'pk_report_rollup_month',
  })
  dimValue: string;
}

/**
 * The open assignments (dispatched / in_progress) with the keys of their appeal, kept by a row
 * trigger: the "now"-dependent parts of a report (SPEC §4: past-deadline denominators, overdueOpen)
 * read this small table instead of joining every open assignment to the big appeals table.
 * One row per assignment (never a shared row), deleted when the assignment ends.
 */
@Entity('report_open_assignments')
@Index('ix_report_open_assignments_appeal', ['appealId'])
export class ReportOpenAssignment {
  @PrimaryColumn({ name: 'assignment_id', type: 'uuid' })
  assignmentId: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  /** the appeal's created_at: the period of a report is on it */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'department_id', type: 'uuid' })
  departmentId: string;

  @Column({ name: 'category_code', type: 'varchar', length: 32 })
  categoryCode: string;

  @Column({ type: 'varchar', length: 64 })
  district: string;

  @Column({ type: 'varchar', length: 16 })
  channel: string;

  @Column({ type: 'varchar', length: 4 })
  role: string;

  @Column({ type: 'varchar', length: 16 })
  status: string;

  @Column({ name: 'ack_due_at', type: 'timestamptz' })
  ackDueAt: Date;

  @Column({ name: 'reply_due_at', type: 'timestamptz' })
  replyDueAt: Date;

  /** SPEC §9: the lead's contact and staged-reply deadlines while still owed (null once answered). */
  @Column({ name: 'contact_due_at', type: 'timestamptz', nullable: true })
  contactDueAt: Date | null;

  @Column({ name: 'staged_due_at', type: 'timestamptz', nullable: true })
  stagedDueAt: Date | null;
}
