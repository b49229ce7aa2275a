import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Category } from '../../categories/category.entity';
import { Department } from '../../departments/department.entity';
import { Enterprise } from '../../enterprises/enterprise.entity';
import { Meeting } from '../../meetings/meeting.entity';
import { User } from '../../users/user.entity';
import type { AppealStatus } from '../../workflow/appeal-state-machine';

export const APPEAL_TYPES = ['consultation', 'complaint', 'help', 'suggestion', 'report', 'praise'] as const;
export type AppealType = (typeof APPEAL_TYPES)[number];
export const CHANNELS = ['web', 'app', 'hotline', 'meeting', 'visit'] as const;
export type Channel = (typeof CHANNELS)[number];
export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** planned: an answer with a plan and a date (计划解决, SPEC §9.3) */
export const REPLY_OUTCOMES = ['resolved', 'partially_resolved', 'explained', 'planned'] as const;
export type ReplyOutcome = (typeof REPLY_OUTCOMES)[number];
export const CLOSE_REASONS = ['rated', 'not_rated', 'reopen_limit'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** What automatic routing proposes for the dispatcher (SPEC §2). */
export interface SuggestedRouting {
  leadDepartmentId: string;
  coDepartmentIds: string[];
  source: string;
  ruleId: string | null;
}

/** 批示: one instruction of the leader leading the case (SPEC §8.2). */
export interface LeaderInstruction {
  text: string;
  at: string;
  /** the leader who gave it (the leader can change) */
  leaderName: string;
}

/** An earlier open appeal of the same enterprise that looks like this one (重复件). */
/** SPEC §10: a published knowledge entry that may answer the appeal, found for the centre with routing. */
export interface KnowledgeSuggestion {
  entryId: string;
  version: number;
  title: string;
  kind: string;
  score: number;
}

export interface PossibleDuplicate {
  appealId: string;
  number: string;
  title: string;
  similarity: number;
}

/** 企业诉求: one appeal through its whole closed loop (SPEC §2). */
@Entity('appeals')
@Check(
  'ck_appeals_status',
  `"status" IN ('submitted','dispatched','in_progress','returned','replied','closed','rejected','withdrawn','merged')`,
)
@Check('ck_appeals_type', `"type" IN ('consultation','complaint','help','suggestion','report','praise')`)
@Check('ck_appeals_channel', `"channel" IN ('web','app','hotline','meeting','visit')`)
@Check('ck_appeals_urgency', `"urgency" IN ('normal','urgent')`)
@Index('ix_appeals_created', ['createdAt', 'id'])
@Index('ix_appeals_enterprise_created', ['enterpriseId', 'createdAt'])
@Index('ix_appeals_status_created', ['status', 'createdAt'])
@Index('ix_appeals_survey_due', ['surveyDueAt'], { where: `"status" = 'replied'` })
/** trigram index for ?q= on title and content: expression index, written by hand in the migration */
@Index('ix_appeals_search_trgm', { synchronize: false })
/** ?q= by the number's last digits (reverse(number) text_pattern_ops) and by the contact's name or phone
 * (trigrams): expression indexes, written by hand in the migration */
@Index('ix_appeals_number_reverse', { synchronize: false })
@Index('ix_appeals_contact_trgm', { synchronize: false })
/** a meeting's issues, covering what the meetings report reads (INCLUDE): written by hand in the migration */
@Index('ix_appeals_meeting', { synchronize: false })
@Index('ix_appeals_leader_led', ['createdAt', 'id'], { where: `"leader_name" IS NOT NULL` })
export class Appeal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('uq_appeals_number', { unique: true })
  @Column({ type: 'varchar', length: 24 })
  number: string;

  @Column({ type: 'varchar', length: 16 })
  type: AppealType;

  @Index('ix_appeals_category')
  @Column({ name: 'category_code', type: 'varchar', length: 32 })
  categoryCode: string;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  content: string;

  @Column({ type: 'varchar', length: 8, default: 'normal' })
  urgency: Urgency;

  @Column({ type: 'varchar', length: 64, nullable: true })
  district: string | null;

  @Column({ type: 'varchar', length: 16 })
  channel: Channel;

  @Column({ name: 'enterprise_id', type: 'uuid' })
  enterpriseId: string;

  @Column({ name: 'contact_name', type: 'varchar', length: 64, nullable: true })
  contactName: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', length: 32, nullable: true })
  contactPhone: string | null;

  /**
   * A keyed hash (HMAC-SHA256, CONTACT_HASH_KEY) of the phone's digits, written when the contact is
   * anonymised (SPEC §11 retention): the centre still finds the appeals of a phone after the phone is gone.
   */
  @Index('ix_appeals_contact_phone_hash', { where: `"contact_phone_hash" IS NOT NULL` })
  @Column({ name: 'contact_phone_hash', type: 'varchar', length: 64, nullable: true })
  contactPhoneHash: string | null;

  /** When the retention job anonymised the contact (CONTACT_RETENTION_DAYS after the appeal ended). */
  @Column({ name: 'contact_anonymised_at', type: 'timestamptz', nullable: true })
  contactAnonymisedAt: Date | null;

  @Column({ type: 'boolean', default: false })
  confidential: boolean;

  @Column({ type: 'varchar', length: 16 })
  status: AppealStatus;

  @Index('ix_appeals_lead_department')
  @Column({ name: 'lead_department_id', type: 'uuid', nullable: true })
  leadDepartmentId: string | null;

  @Column({ name: 'reopen_count', type: 'int', default: 0 })
  reopenCount: number;

  @Column({ type: 'boolean', default: false })
  supervised: boolean;

  @Column({ type: 'int', default: 1 })
  version: number;

  /**
   * The event log's head: how many events the appeal has and the last one's hash, written with every
   * append, so verifying the chain also catches events cut off its end.
   */
  @Column({ name: 'event_count', type: 'int', default: 0 })
  eventCount: number;

  @Column({ name: 'event_head', type: 'varchar', length: 64, nullable: true })
  eventHead: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt: Date | null;

  @Column({ name: 'reply_content', type: 'text', nullable: true })
  replyContent: string | null;

  @Column({ name: 'reply_outcome', type: 'varchar', length: 24, nullable: true })
  replyOutcome: ReplyOutcome | null;

  @Column({ name: 'replied_at', type: 'timestamptz', nullable: true })
  repliedAt: Date | null;

  @Column({ name: 'survey_due_at', type: 'timestamptz', nullable: true })
  surveyDueAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 16, nullable: true })
  closeReason: CloseReason | null;

  /** Why the centre refused it or the enterprise withdrew it. */
  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason: string | null;

  /** The latest survey's verdict (latest by created_at, id), kept here when a survey is recorded so the
   *  report triggers need only appeals and assignments rows (SPEC §4 "on each appeal's latest survey"). */
  @Column({ name: 'latest_satisfaction', type: 'varchar', length: 24, nullable: true })
  latestSatisfaction: 'satisfied' | 'basically_satisfied' | 'unsatisfied' | null;

  @Column({ name: 'latest_resolved', type: 'boolean', nullable: true })
  latestResolved: boolean | null;

  /** The latest survey's answer to "did anyone contact you?" (SPEC §9.1 contactRate); null: not asked. */
  @Column({ name: 'latest_contacted', type: 'boolean', nullable: true })
  latestContacted: boolean | null;

  /** Whether the latest survey is a valid return visit (有效回访, SPEC §7.2): false once an assessment
   *  appeal on it is approved. Only valid latest surveys count as rated. */
  @Column({ name: 'latest_survey_valid', type: 'boolean', default: true })
  latestSurveyValid: boolean;

  /** Assessment appeals filed on this appeal's surveys, and how many were approved (SPEC §7.2 figures). */
  @Column({ name: 'assessment_appeals', type: 'int', default: 0 })
  assessmentAppeals: number;

  @Column({ name: 'assessment_appeals_approved', type: 'int', default: 0 })
  assessmentAppealsApproved: number;

  @Column({ name: 'merged_into_id', type: 'uuid', nullable: true })
  mergedIntoId: string | null;

  @Column({ name: 'suggested_routing', type: 'jsonb', nullable: true })
  suggestedRouting: SuggestedRouting | null;

  @Column({ name: 'possible_duplicates', type: 'jsonb', nullable: true })
  possibleDuplicates: PossibleDuplicate[] | null;

  /**
   * When automatic routing (and duplicate detection) ran; null until it has, so a lost job is found again
   * (routing_pending lists the appeals with none, kept in step by trigger).
   */
  @Column({ name: 'routed_at', type: 'timestamptz', nullable: true })
  routedAt: Date | null;

  /** The meeting (政企恳谈会) whose issue this is (SPEC §8.1). */
  @Column({ name: 'meeting_id', type: 'uuid', nullable: true })
  meetingId: string | null;

  /** Answered by the centre on the spot (即时办结 / 现场解决). */
  @Column({ name: 'resolved_on_spot', type: 'boolean', default: false })
  resolvedOnSpot: boolean;

  /** SPEC §10: up to 3 published entries matching the appeal, for the centre (routing writes them). */
  @Column({ name: 'knowledge_suggestions', type: 'jsonb', nullable: true })
  knowledgeSuggestions: KnowledgeSuggestion[] | null;

  /** SPEC §10: the knowledge entries an answer on the spot rested on. */
  @Column({ name: 'knowledge_entry_ids', type: 'uuid', array: true, default: () => "'{}'" })
  knowledgeEntryIds: string[];

  /** 领导领衔: the leader leading the case; null while it is not leader-led (SPEC §8.2). */
  @Column({ name: 'leader_name', type: 'varchar', length: 64, nullable: true })
  leaderName: string | null;

  @Column({ name: 'leader_instructions', type: 'jsonb', nullable: true })
  leaderInstructions: LeaderInstruction[] | null;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({
    name: 'category_code',
    referencedColumnName: 'code',
    foreignKeyConstraintName: 'fk_appeals_category',
  })
  category?: Category;

  @ManyToOne(() => Enterprise, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'enterprise_id', foreignKeyConstraintName: 'fk_appeals_enterprise' })
  enterprise?: Enterprise;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'lead_department_id', foreignKeyConstraintName: 'fk_appeals_lead_department' })
  leadDepartment?: Department;

  @ManyToOne(() => User, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'fk_appeals_created_by' })
  creator?: User;

  @ManyToOne(() => Meeting, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'meeting_id', foreignKeyConstraintName: 'fk_appeals_meeting' })
  meeting?: Meeting;

  @ManyToOne(() => Appeal, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'merged_into_id', foreignKeyConstraintName: 'fk_appeals_merged_into' })
  mergedInto?: Appeal;
}
