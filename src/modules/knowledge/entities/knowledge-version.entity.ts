import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { VersionStatus } from '../knowledge-rules';
import { KnowledgeEntry } from './knowledge-entry.entity';

/**
 * One version of an entry's texts (SPEC §10): every version stays readable. A version is drafted, submitted,
 * published (the one in force) and superseded by the next one published, or withdrawn with its entry.
 */
@Entity('knowledge_versions')
@Check(
  'ck_knowledge_versions_status',
  `"status" IN ('draft','pending_review','published','superseded','withdrawn')`,
)
export class KnowledgeVersion {
  @PrimaryColumn({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 16 })
  status: VersionStatus;

  @Column({ name: 'category_code', type: 'varchar', length: 32 })
  categoryCode: string;

  @Column({ type: 'varchar', length: 128 })
  title: string;

  @Column({ type: 'text', nullable: true })
  question: string | null;

  @Column({ type: 'text' })
  answer: string;

  @Column({ type: 'varchar', length: 24 })
  kind: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  @Column({ name: 'policy_ref', type: 'varchar', length: 256, nullable: true })
  policyRef: string | null;

  @Column({ name: 'effective_from', type: 'timestamptz' })
  effectiveFrom: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** as asked for; null: six months after publication */
  @Column({ name: 'review_due_at', type: 'timestamptz', nullable: true })
  reviewDueAt: Date | null;

  @Column({ type: 'boolean' })
  public: boolean;

  @Column({ name: 'reject_reason', type: 'text', nullable: true })
  rejectReason: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'published_by', type: 'uuid', nullable: true })
  publishedBy: string | null;

  @ManyToOne(() => KnowledgeEntry, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_knowledge_versions_entry' })
  entry?: KnowledgeEntry;
}
