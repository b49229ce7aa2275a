import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Department } from '../../departments/department.entity';
import type { EntryStatus } from '../knowledge-rules';

/**
 * A knowledge entry (知识库条目, SPEC §10): its identity, its status and the version in force. The texts of
 * every version are in knowledge_versions; the entry carries what search and the figures read of the
 * version in force (published) — its category, kind, title, dates, visibility and the search vector —
 * so a search touches one table. `version` is the newest version; `publishedVersion` the one in force.
 */
@Entity('knowledge_entries')
@Check(
  'ck_knowledge_entries_status',
  `"status" IN ('draft','pending_review','published','expired','withdrawn')`,
)
@Index('ix_knowledge_entries_department', ['sourceDepartmentId', 'status'])
@Index('ix_knowledge_entries_updated', ['updatedAt', 'id'])
/** GIN over search_vector and head_vector, partial on published entries: written by hand in the migration */
@Index('ix_knowledge_entries_search', { synchronize: false })
@Index('ix_knowledge_entries_head', { synchronize: false })
export class KnowledgeEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** the department that provides it; null for the centre's own entries */
  @Column({ name: 'source_department_id', type: 'uuid', nullable: true })
  sourceDepartmentId: string | null;

  @Column({ type: 'varchar', length: 16 })
  status: EntryStatus;

  /** the newest version's number */
  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'published_version', type: 'int', nullable: true })
  publishedVersion: number | null;

  // ---- the version in force (null until one is published)
  @Column({ name: 'category_code', type: 'varchar', length: 32, nullable: true })
  categoryCode: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  kind: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  title: string | null;

  @Column({ type: 'boolean', default: false })
  public: boolean;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'review_due_at', type: 'timestamptz', nullable: true })
  reviewDueAt: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt: Date | null;

  /** the last edit by its department: an edit after the review due ends `stale` */
  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  /** bigrams and pinyin bigrams of the version in force (knowledge-search.ts), weights A–D */
  @Column({ name: 'search_vector', type: 'tsvector', nullable: true, select: false })
  searchVector: string | null;

  /** the same of the title and keywords alone (weights A, B) */
  @Column({ name: 'head_vector', type: 'tsvector', nullable: true, select: false })
  headVector: string | null;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @ManyToOne(() => Department, { onDelete: 'RESTRICT', createForeignKeyConstraints: true })
  @JoinColumn({
    name: 'source_department_id',
    foreignKeyConstraintName: 'fk_knowledge_entries_department',
  })
  sourceDepartment?: Department;
}
