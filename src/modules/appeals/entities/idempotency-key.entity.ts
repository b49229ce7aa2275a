import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * SPEC §2: POST /appeals honours Idempotency-Key. The key row is written in the same transaction as
 * the appeal, so a retry finds either nothing (the first attempt rolled back) or the finished appeal.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'varchar', length: 128 })
  key: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'appeal_id', type: 'uuid', nullable: true })
  appealId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Index('ix_idempotency_keys_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
