import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

export interface ScoreWeights {
  responseRate: number;
  resolutionRate: number;
  satisfactionRate: number;
}

/** The one row of report targets (SPEC §4): per-metric thresholds, score weights, minimum sample. */
@Entity('report_targets')
@Check('ck_report_targets_single', `"id" = 1`)
export class ReportTargetsRow {
  @PrimaryColumn({ type: 'smallint' })
  id: number;

  /** metric name -> threshold; rates (and score) must reach it, avgReplyWorkingHours/overdueOpen stay at or under it */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  thresholds: Record<string, number>;

  @Column({ name: 'score_weights', type: 'jsonb' })
  scoreWeights: ScoreWeights;

  @Column({ name: 'min_sample', type: 'int', default: 10 })
  minSample: number;

  @Column({ name: 'updated_at', type: 'timestamptz', nullable: true })
  updatedAt: Date | null;

  @Column({ name: 'updated_by', type: 'uuid', nullable: true })
  updatedBy: string | null;
}
