import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Appeal } from '../../appeals/entities/appeal.entity';

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

  /** SPEC §9.1: the return visit's question "did anyone contact you?" (响应, Beijing); null: not asked. */
  @Column({ type: 'boolean', nullable: true })
  contacted: boolean | null;

  /** 有效回访 (SPEC §7.2): false once an assessment appeal on this survey is approved. */
  @Column({ type: 'boolean', default: true })
  valid: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'appeal_id', foreignKeyConstraintName: 'fk_surveys_appeal' })
  appeal?: Appeal;
}
