import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Appeal numbers come from appeal_number_seq (AppealNumberSequence); the per-day counters of the earlier
 * 5-digit numbers were kept only for a rolling upgrade from that release and nothing reads them.
 */
export class DropAppealNumberCounters1796070000000 implements MigrationInterface {
  name = 'DropAppealNumberCounters1796070000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "appeal_number_counters"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "appeal_number_counters" ("day" date NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_6cccd8283b2b845de939d4e17f0" PRIMARY KEY ("day"))`,
    );
  }
}
