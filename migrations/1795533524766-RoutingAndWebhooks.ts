import { MigrationInterface, QueryRunner } from 'typeorm';

export class RoutingAndWebhooks1795533524766 implements MigrationInterface {
  name = 'RoutingAndWebhooks1795533524766';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "routing_rules" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "priority" integer NOT NULL, "category_code" character varying(32), "keywords" jsonb NOT NULL, "district" character varying(64), "lead_department_id" uuid NOT NULL, "co_department_ids" jsonb NOT NULL, "auto_dispatch" boolean NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b744c5cc71053ea4d3fc8a860c2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_routing_rules_enabled_priority" ON "routing_rules"  ("enabled", "priority") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhooks" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "url" character varying(2048) NOT NULL, "events" jsonb NOT NULL, "secret" character varying(256) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" text, "disabled_at" TIMESTAMP WITH TIME ZONE, "failing_since" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_deliveries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "webhook_id" uuid NOT NULL, "appeal_id" uuid NOT NULL, "event_seq" integer NOT NULL, "event" character varying(48) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "body" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "claimed_until" TIMESTAMP WITH TIME ZONE, "last_status_code" integer, "last_error" text, "delivered_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_webhook_deliveries_status" CHECK ("status" IN ('pending','delivered','failed')), CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_deliveries_due" ON "webhook_deliveries"  ("next_attempt_at") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_deliveries_webhook_created" ON "webhook_deliveries"  ("webhook_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "webhook_attempts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "delivery_id" uuid NOT NULL, "attempt" integer NOT NULL, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status_code" integer, "ok" boolean NOT NULL, "error" text, "duration_ms" integer NOT NULL, CONSTRAINT "PK_2de7e7887ad97de459adab62638" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "ix_webhook_attempts_delivery" ON "webhook_attempts"  ("delivery_id", "attempt") `,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "routed_at" TIMESTAMP WITH TIME ZONE`);
    // appeals filed before routing existed were routed by hand: the sweeper must not pick them up
    await queryRunner.query(`UPDATE "appeals" SET "routed_at" = "created_at"`);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_unrouted" ON "appeals"  ("created_at") WHERE "routed_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "routing_rules" ADD CONSTRAINT "fk_routing_rules_category" FOREIGN KEY ("category_code") REFERENCES "categories"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "routing_rules" ADD CONSTRAINT "fk_routing_rules_lead_department" FOREIGN KEY ("lead_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "fk_webhook_deliveries_webhook" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "webhook_attempts" ADD CONSTRAINT "fk_webhook_attempts_delivery" FOREIGN KEY ("delivery_id") REFERENCES "webhook_deliveries"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhook_attempts" DROP CONSTRAINT "fk_webhook_attempts_delivery"`);
    await queryRunner.query(
      `ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "fk_webhook_deliveries_webhook"`,
    );
    await queryRunner.query(`ALTER TABLE "routing_rules" DROP CONSTRAINT "fk_routing_rules_lead_department"`);
    await queryRunner.query(`ALTER TABLE "routing_rules" DROP CONSTRAINT "fk_routing_rules_category"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_unrouted"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "routed_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_attempts_delivery"`);
    await queryRunner.query(`DROP TABLE "webhook_attempts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_webhook_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_webhook_deliveries_due"`);
    await queryRunner.query(`DROP TABLE "webhook_deliveries"`);
    await queryRunner.query(`DROP TABLE "webhooks"`);
    await queryRunner.query(`DROP INDEX "public"."ix_routing_rules_enabled_priority"`);
    await queryRunner.query(`DROP TABLE "routing_rules"`);
  }
}
