import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Category } from '../categories/category.entity';

/**
 * SLA policy (SPEC §3): acknowledge within, reply within, warn at a fraction, survey window, and the
 * windows of the assessment rules (SPEC §7); on the working or the natural clock. Matched by category (or
 * an ancestor), channel, type and urgency; the most
 * specific match wins.
 */
@Entity('sla_policies')
@Check('ck_sla_policies_clock', `"clock" IN ('working','natural')`)
@Check('ck_sla_policies_warn_at', `"warn_at" > 0 AND "warn_at" < 1`)
export class SlaPolicy {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 128 })
  name: string;

  @Column({ name: 'category_code', type: 'varchar', length: 32, nullable: true })
  categoryCode: string | null;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'category_code',
    referencedColumnName: 'code',
    foreignKeyConstraintName: 'fk_sla_policies_category',
  })
  category?: Category;

  /** the appeal's channel (a meeting's issues can run on their own clock, SPEC §8.1) */
  @Column({ type: 'varchar', length: 16, nullable: true })
  channel: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  type: string | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  urgency: string | null;

  @Column({ type: 'varchar', length: 8 })
  clock: 'working' | 'natural';

  @Column({ name: 'ack_within', type: 'varchar', length: 32 })
  ackWithin: string;

  @Column({ name: 'reply_within', type: 'varchar', length: 32 })
  replyWithin: string;

  @Column({ name: 'warn_at', type: 'double precision', default: 0.8 })
  warnAt: number;

  @Column({ name: 'survey_within', type: 'varchar', length: 32, default: 'P3D' })
  surveyWithin: string;

  /** SPEC §7.1: a department asks to return an assignment within this of its dispatch. */
  @Column({ name: 'return_within', type: 'varchar', length: 32, default: 'P2D' })
  returnWithin: string;

  /** SPEC §7.2: the lead department contests a rating within this of the survey. */
  @Column({ name: 'assessment_appeal_within', type: 'varchar', length: 32, default: 'P3D' })
  assessmentAppealWithin: string;

  /** SPEC §7.3: a supervision (督办) is answered within this of its opening. */
  @Column({ name: 'supervision_answer_within', type: 'varchar', length: 32, default: 'P3D' })
  supervisionAnswerWithin: string;

  /** SPEC §9.1: the lead contacts the enterprise within this of its dispatch; null: no contact deadline. */
  @Column({ name: 'contact_within', type: 'varchar', length: 32, nullable: true })
  contactWithin: string | null;

  /** SPEC §9.2: the lead gives a staged reply (or the reply) within this of its dispatch; null: none. */
  @Column({ name: 'staged_reply_within', type: 'varchar', length: 32, nullable: true })
  stagedReplyWithin: string | null;
  /** SPEC §9.3: a plan's promise lies within this of the reply (natural clock; months allowed). */
  @Column({ name: 'plan_max_within', type: 'varchar', length: 32, default: 'P3M' })
  planMaxWithin: string;

  /** SPEC §9.3: a plan's next feedback lies within this of now (natural clock; months allowed). */
  @Column({ name: 'plan_feedback_every', type: 'varchar', length: 32, default: 'P1M' })
  planFeedbackEvery: string;
  /** SPEC §12: a whistle is reviewed within this of its request. */
  @Column({ name: 'whistle_review_within', type: 'varchar', length: 32, default: 'PT4H' })
  whistleReviewWithin: string;

  /** SPEC §12: the whistle's joint meeting is held within this of its approval. */
  @Column({ name: 'whistle_meeting_within', type: 'varchar', length: 32, default: 'P3D' })
  whistleMeetingWithin: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
