import { MigrationInterface, QueryRunner } from 'typeorm';

/** webhooks.confidential_access: whether deliveries of confidential appeals carry the filer (SPEC §2). */
export class WebhookConfidentialAccess1796056100000 implements MigrationInterface {
  name = 'WebhookConfidentialAccess1796056100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "webhooks" ADD "confidential_access" boolean NOT NULL DEFAULT false`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "webhooks" DROP COLUMN "confidential_access"`);
  }
}
