import { MigrationInterface, QueryRunner } from "typeorm";

export class Drift1796543530688 implements MigrationInterface {
    name = 'Drift1796543530688'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "plans" ALTER COLUMN "updates" SET DEFAULT '[]'::jsonb`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "plans" ALTER COLUMN "updates" SET DEFAULT '[]'`);
    }

}
