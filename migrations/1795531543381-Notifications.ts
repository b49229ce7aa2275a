import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795531543381 implements MigrationInterface {
  name = 'Notifications1795531543381';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient_type" character varying(16) NOT NULL, "recipient_id" uuid NOT NULL, "kind" character varying(48) NOT NULL, "appeal_id" uuid, "title" character varying(200) NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_notifications_recipient_type" CHECK ("recipient_type" IN ('enterprise','department')), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notifications_recipient" ON "notifications"  ("recipient_type", "recipient_id", "created_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_notifications_recipient"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
