import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An outside system that hears about appeal events (SPEC §5): every matching event of the event log
 * is delivered as a signed POST. `failingSince` marks the start of the current run of failures; a URL
 * failing for a day is disabled with `disabledReason`.
 */
@Entity('webhooks')
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Event actions to deliver, or ["*"] for all. */
  @Column({ type: 'jsonb' })
  events: string[];

  /** The HMAC key; kept to sign deliveries, never returned by the API. */
  @Column({ type: 'varchar', length: 256 })
  secret: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /**
   * SPEC §2: deliveries of a confidential appeal carry its filer (enterprise and contacts) only when
   * true; otherwise those fields are null, as for a department.
   */
  @Column({ name: 'confidential_access', type: 'boolean', default: false })
  confidentialAccess: boolean;

  /**
   * SPEC §11: deliveries carry the filer's contact name and phone whole only when true; otherwise masked
   * (`张**`, `138****5678`), as departments see them.
   */
  @Column({ name: 'contact_access', type: 'boolean', default: false })
  contactAccess: boolean;

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt: Date | null;

  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * The outbox: one row per (webhook, event), written in the transaction that appended the event, with
 * the exact body that is signed and sent on every attempt. A worker claims a due row (`claimedUntil`),
 * posts it outside any transaction, and records the attempt.
 */
@Entity('webhook_deliveries')
@Check('ck_webhook_deliveries_status', `"status" IN ('pending','delivered','failed')`)
@Index('ix_webhook_deliveries_webhook_created', ['webhookId', 'createdAt'])
@Index('ix_webhook_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId: string;

  @Column({ name: 'appeal_id', type: 'uuid' })
  appealId: string;

  @Column({ name: 'event_seq', type: 'int' })
  eventSeq: number;

  @Column({ type: 'varchar', length: 48 })
  event: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** The raw JSON body: signed and sent unchanged on every attempt. */
  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'claimed_until', type: 'timestamptz', nullable: true })
  claimedUntil: Date | null;

  @Column({ name: 'last_status_code', type: 'int', nullable: true })
  lastStatusCode: number | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'fk_webhook_deliveries_webhook' })
  webhook?: Webhook;
}

/** One HTTP attempt of a delivery: what was answered, or why nothing was. */
@Entity('webhook_attempts')
@Index('ix_webhook_attempts_delivery', ['deliveryId', 'attempt'], { unique: true })
export class WebhookAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'delivery_id', type: 'uuid' })
  deliveryId: string;

  @Column({ type: 'int' })
  attempt: number;

  @Column({ name: 'attempted_at', type: 'timestamptz' })
  attemptedAt: Date;

  @Column({ name: 'status_code', type: 'int', nullable: true })
  statusCode: number | null;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'duration_ms', type: 'int' })
  durationMs: number;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id', foreignKeyConstraintName: 'fk_webhook_attempts_delivery' })
  delivery?: WebhookDelivery;
}
