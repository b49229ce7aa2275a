import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message to an enterprise or a department, written in the same transaction as its cause. */
@Entity('notifications')
@Check('ck_notifications_recipient_type', `"recipient_type" IN ('enterprise','department')`)
@Index('ix_notifications_recipient', ['recipientType', 'recipientId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'recipient_type', type: 'varchar', length: 16 })
  recipientType: 'enterprise' | 'department';

  @Column({ name: 'recipient_id', type: 'uuid' })
  recipientId: string;

  @Column({ type: 'varchar', length: 48 })
  kind: string;

  @Column({ name: 'appeal_id', type: 'uuid', nullable: true })
  appealId: string | null;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  @Column({ type: 'text' })
  body: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
