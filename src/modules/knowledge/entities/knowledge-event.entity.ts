import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every change of a knowledge entry (SPEC §10), append-only: statement triggers refuse UPDATE, DELETE and
 * TRUNCATE. Entries are not appeals, so these are not in the appeals' hash-chained log.
 */
@Entity('knowledge_events')
@Index('ix_knowledge_events_entry', ['entryId', 'id'])
export class KnowledgeEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @Column({ type: 'int' })
  version: number;

  /** knowledge.created, .edited, .submitted, .published, .rejected, .withdrawn, .confirmed */
  @Column({ type: 'varchar', length: 32 })
  action: string;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
