import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SPEC §11: evidence files (attachments, content-addressed by SHA-256, shared with departments on
 * confidential appeals), webhooks' `contact_access` (a webhook without it gets masked contacts), and
 * the contact retention columns of appeals: a keyed hash of the phone kept after anonymisation, and when
 * the contact was anonymised. The masking functions are the SQL twins of disclosure.ts's maskPhone and
 * maskName (the filing statement masks its webhook snapshot in SQL).
 *
 * No event data changes: the hash-chained events have never carried the filer's contact (the appeal row
 * does), so every existing chain stays verifiable as it is.
 */
export class AttachmentsAndContacts1796093000000 implements MigrationInterface {
  name = 'AttachmentsAndContacts1796093000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "attachments" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "appeal_id" uuid NOT NULL,
      "file_name" character varying(255) NOT NULL,
      "media_type" character varying(128) NOT NULL,
      "size" integer NOT NULL,
      "sha256" character varying(64) NOT NULL,
      "purpose" character varying(16) NOT NULL,
      "uploaded_by" uuid NOT NULL,
      "uploader_role" character varying(16) NOT NULL,
      "metadata_stripped" boolean NOT NULL DEFAULT false,
      "shared_at" TIMESTAMP WITH TIME ZONE,
      "shared_by" uuid,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      CONSTRAINT "ck_attachments_purpose" CHECK ("purpose" IN ('evidence','supplement','reply','minutes')),
      CONSTRAINT "pk_attachments" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_attachments_appeal" ON "attachments" ("appeal_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_attachments_sha256" ON "attachments" ("sha256") `);
    await queryRunner.query(
      `ALTER TABLE "attachments" ADD CONSTRAINT "fk_attachments_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "webhooks" ADD "contact_access" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "contact_phone_hash" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "appeals" ADD "contact_anonymised_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_contact_phone_hash" ON "appeals" ("contact_phone_hash") WHERE "contact_phone_hash" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE FUNCTION contact_mask_phone(p text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN p IS NULL THEN NULL
                    WHEN char_length(p) >= 8 THEN left(p, 3) || '****' || right(p, 4)
                    ELSE repeat('*', char_length(p)) END $$`);
    await queryRunner.query(`CREATE FUNCTION contact_mask_name(n text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CASE WHEN n IS NULL THEN NULL
                    WHEN char_length(n) = 0 THEN ''
                    WHEN char_length(n) = 1 THEN '*'
                    ELSE left(n, 1) || repeat('*', char_length(n) - 1) END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION contact_mask_name(text)`);
    await queryRunner.query(`DROP FUNCTION contact_mask_phone(text)`);
    await queryRunner.query(`DROP INDEX "ix_appeals_contact_phone_hash"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "contact_anonymised_at"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "contact_phone_hash"`);
    await queryRunner.query(`ALTER TABLE "webhooks" DROP COLUMN "contact_access"`);
    await queryRunner.query(`DROP TABLE "attachments"`);
  }
}
