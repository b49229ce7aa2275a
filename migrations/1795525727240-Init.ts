import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795525727240 implements MigrationInterface {
  name = 'Init1795525727240';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_keys" ("user_id" uuid NOT NULL, "key" character varying(128) NOT NULL, "request_hash" character(64) NOT NULL, "appeal_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_392b1af86f210d98d3f0c764728" PRIMARY KEY ("user_id", "key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_idempotency_keys_expires" ON "idempotency_keys"  ("expires_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "departments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name" character varying(128) NOT NULL, "kind" character varying(16) NOT NULL DEFAULT 'department', "parent_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_departments_kind" CHECK ("kind" IN ('department', 'district')), CONSTRAINT "PK_839517a681a86bb84cbcc6a1e9d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_departments_code" ON "departments"  ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_departments_parent" ON "departments"  ("parent_id") `);
    await queryRunner.query(
      `CREATE TABLE "categories" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" character varying(32) NOT NULL, "name" character varying(128) NOT NULL, "parent_code" character varying(32), "default_department_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_categories_code" ON "categories"  ("code") `);
    await queryRunner.query(`CREATE INDEX "ix_categories_parent" ON "categories"  ("parent_code") `);
    await queryRunner.query(
      `CREATE TABLE "enterprises" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(200) NOT NULL, "uscc" character(18) NOT NULL, "district" character varying(64), "industry" character varying(64), "contact_name" character varying(64) NOT NULL, "contact_phone" character varying(32) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a019e9afe6517b4f2a4588f2cce" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_enterprises_uscc" ON "enterprises"  ("uscc") `);
    await queryRunner.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "password_hash" character varying(255) NOT NULL, "role" character varying(16) NOT NULL, "display_name" character varying(128), "department_id" uuid, "enterprise_id" uuid, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_users_enterprise_link" CHECK (("role" = 'enterprise') = ("enterprise_id" IS NOT NULL)), CONSTRAINT "ck_users_handler_department" CHECK ("role" <> 'handler' OR "department_id" IS NOT NULL), CONSTRAINT "ck_users_role" CHECK ("role" IN ('enterprise', 'dispatcher', 'handler', 'supervisor', 'admin')), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_users_username" ON "users"  ("username") `);
    await queryRunner.query(`CREATE INDEX "ix_users_department" ON "users"  ("department_id") `);
    await queryRunner.query(`CREATE INDEX "ix_users_enterprise" ON "users"  ("enterprise_id") `);
    await queryRunner.query(
      `ALTER TABLE "departments" ADD CONSTRAINT "fk_departments_parent" FOREIGN KEY ("parent_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "categories" ADD CONSTRAINT "fk_categories_parent" FOREIGN KEY ("parent_code") REFERENCES "categories"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "categories" ADD CONSTRAINT "fk_categories_default_department" FOREIGN KEY ("default_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_enterprise"`);
    await queryRunner.query(`ALTER TABLE "users" DROP CONSTRAINT "fk_users_department"`);
    await queryRunner.query(`ALTER TABLE "categories" DROP CONSTRAINT "fk_categories_default_department"`);
    await queryRunner.query(`ALTER TABLE "categories" DROP CONSTRAINT "fk_categories_parent"`);
    await queryRunner.query(`ALTER TABLE "departments" DROP CONSTRAINT "fk_departments_parent"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_enterprise"`);
    await queryRunner.query(`DROP INDEX "public"."ix_users_department"`);
    await queryRunner.query(`DROP INDEX "public"."uq_users_username"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP INDEX "public"."uq_enterprises_uscc"`);
    await queryRunner.query(`DROP TABLE "enterprises"`);
    await queryRunner.query(`DROP INDEX "public"."ix_categories_parent"`);
    await queryRunner.query(`DROP INDEX "public"."uq_categories_code"`);
    await queryRunner.query(`DROP TABLE "categories"`);
    await queryRunner.query(`DROP INDEX "public"."ix_departments_parent"`);
    await queryRunner.query(`DROP INDEX "public"."uq_departments_code"`);
    await queryRunner.query(`DROP TABLE "departments"`);
    await queryRunner.query(`DROP INDEX "public"."ix_idempotency_keys_expires"`);
    await queryRunner.query(`DROP TABLE "idempotency_keys"`);
  }
}
