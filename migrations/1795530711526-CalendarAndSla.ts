import { MigrationInterface, QueryRunner } from 'typeorm';

export class CalendarAndSla1795530711526 implements MigrationInterface {
  name = 'CalendarAndSla1795530711526';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "calendar_days" ("date" date NOT NULL, "kind" character varying(8) NOT NULL, "name" character varying(64) NOT NULL DEFAULT '', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_calendar_days_kind" CHECK ("kind" IN ('holiday','workday')), CONSTRAINT "PK_1c04d56e8833eb6827f104f17e0" PRIMARY KEY ("date"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "sla_policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(128) NOT NULL, "category_code" character varying(32), "type" character varying(16), "urgency" character varying(8), "clock" character varying(8) NOT NULL, "ack_within" character varying(32) NOT NULL, "reply_within" character varying(32) NOT NULL, "warn_at" double precision NOT NULL DEFAULT '0.8', "survey_within" character varying(32) NOT NULL DEFAULT 'P3D', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_sla_policies_warn_at" CHECK ("warn_at" > 0 AND "warn_at" < 1), CONSTRAINT "ck_sla_policies_clock" CHECK ("clock" IN ('working','natural')), CONSTRAINT "PK_41b6803cef982534243a67b6302" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD CONSTRAINT "fk_sla_policies_category" FOREIGN KEY ("category_code") REFERENCES "categories"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Hand-written seed: the State Council's 《关于20xx年部分节假日安排的通知》 for 2024, 2025
    // (gov.cn zhengce/content/202411/content_6986382) and 2026 (issued 2025-11-04, gov.cn
    // zhengce/content/202511/content_7047090), transcribed day by day and cross-checked against the
    // chinese-days package in src/modules/calendar/official-days.spec.ts. Later years are entered
    // through PUT /api/v1/calendar/days/{date} the day the notice is published.
    await queryRunner.query(`INSERT INTO "calendar_days" ("date", "kind", "name") VALUES
            ('2024-01-01', 'holiday', '元旦'),
            ('2024-02-04', 'workday', '春节调休上班'),
            ('2024-02-10', 'holiday', '春节'),
            ('2024-02-11', 'holiday', '春节'),
            ('2024-02-12', 'holiday', '春节'),
            ('2024-02-13', 'holiday', '春节'),
            ('2024-02-14', 'holiday', '春节'),
            ('2024-02-15', 'holiday', '春节'),
            ('2024-02-16', 'holiday', '春节'),
            ('2024-02-17', 'holiday', '春节'),
            ('2024-02-18', 'workday', '春节调休上班'),
            ('2024-04-04', 'holiday', '清明节'),
            ('2024-04-05', 'holiday', '清明节'),
            ('2024-04-06', 'holiday', '清明节'),
            ('2024-04-07', 'workday', '清明节调休上班'),
            ('2024-04-28', 'workday', '劳动节调休上班'),
            ('2024-05-01', 'holiday', '劳动节'),
            ('2024-05-02', 'holiday', '劳动节'),
            ('2024-05-03', 'holiday', '劳动节'),
            ('2024-05-04', 'holiday', '劳动节'),
            ('2024-05-05', 'holiday', '劳动节'),
            ('2024-05-11', 'workday', '劳动节调休上班'),
            ('2024-06-10', 'holiday', '端午节'),
            ('2024-09-14', 'workday', '中秋节调休上班'),
            ('2024-09-15', 'holiday', '中秋节'),
            ('2024-09-16', 'holiday', '中秋节'),
            ('2024-09-17', 'holiday', '中秋节'),
            ('2024-09-29', 'workday', '国庆节调休上班'),
            ('2024-10-01', 'holiday', '国庆节'),
            ('2024-10-02', 'holiday', '国庆节'),
            ('2024-10-03', 'holiday', '国庆节'),
            ('2024-10-04', 'holiday', '国庆节'),
            ('2024-10-05', 'holiday', '国庆节'),
            ('2024-10-06', 'holiday', '国庆节'),
            ('2024-10-07', 'holiday', '国庆节'),
            ('2024-10-12', 'workday', '国庆节调休上班'),
            ('2025-01-01', 'holiday', '元旦'),
            ('2025-01-26', 'workday', '春节调休上班'),
            ('2025-01-28', 'holiday', '春节'),
            ('2025-01-29', 'holiday', '春节'),
            ('2025-01-30', 'holiday', '春节'),
            ('2025-01-31', 'holiday', '春节'),
            ('2025-02-01', 'holiday', '春节'),
            ('2025-02-02', 'holiday', '春节'),
            ('2025-02-03', 'holiday', '春节'),
            ('2025-02-04', 'holiday', '春节'),
            ('2025-02-08', 'workday', '春节调休上班'),
            ('2025-04-04', 'holiday', '清明节'),
            ('2025-04-05', 'holiday', '清明节'),
            ('2025-04-06', 'holiday', '清明节'),
            ('2025-04-27', 'workday', '劳动节调休上班'),
            ('2025-05-01', 'holiday', '劳动节'),
            ('2025-05-02', 'holiday', '劳动节'),
            ('2025-05-03', 'holiday', '劳动节'),
            ('2025-05-04', 'holiday', '劳动节'),
            ('2025-05-05', 'holiday', '劳动节'),
            ('2025-05-31', 'holiday', '端午节'),
            ('2025-06-01', 'holiday', '端午节'),
            ('2025-06-02', 'holiday', '端午节'),
            ('2025-09-28', 'workday', '国庆节、中秋节调休上班'),
            ('2025-10-01', 'holiday', '国庆节、中秋节'),
            ('2025-10-02', 'holiday', '国庆节、中秋节'),
            ('2025-10-03', 'holiday', '国庆节、中秋节'),
            ('2025-10-04', 'holiday', '国庆节、中秋节'),
            ('2025-10-05', 'holiday', '国庆节、中秋节'),
            ('2025-10-06', 'holiday', '国庆节、中秋节'),
            ('2025-10-07', 'holiday', '国庆节、中秋节'),
            ('2025-10-08', 'holiday', '国庆节、中秋节'),
            ('2025-10-11', 'workday', '国庆节、中秋节调休上班'),
            ('2026-01-01', 'holiday', '元旦'),
            ('2026-01-02', 'holiday', '元旦'),
            ('2026-01-03', 'holiday', '元旦'),
            ('2026-01-04', 'workday', '元旦调休上班'),
            ('2026-02-14', 'workday', '春节调休上班'),
            ('2026-02-15', 'holiday', '春节'),
            ('2026-02-16', 'holiday', '春节'),
            ('2026-02-17', 'holiday', '春节'),
            ('2026-02-18', 'holiday', '春节'),
            ('2026-02-19', 'holiday', '春节'),
            ('2026-02-20', 'holiday', '春节'),
            ('2026-02-21', 'holiday', '春节'),
            ('2026-02-22', 'holiday', '春节'),
            ('2026-02-23', 'holiday', '春节'),
            ('2026-02-28', 'workday', '春节调休上班'),
            ('2026-04-04', 'holiday', '清明节'),
            ('2026-04-05', 'holiday', '清明节'),
            ('2026-04-06', 'holiday', '清明节'),
            ('2026-05-01', 'holiday', '劳动节'),
            ('2026-05-02', 'holiday', '劳动节'),
            ('2026-05-03', 'holiday', '劳动节'),
            ('2026-05-04', 'holiday', '劳动节'),
            ('2026-05-05', 'holiday', '劳动节'),
            ('2026-05-09', 'workday', '劳动节调休上班'),
            ('2026-06-19', 'holiday', '端午节'),
            ('2026-06-20', 'holiday', '端午节'),
            ('2026-06-21', 'holiday', '端午节'),
            ('2026-09-20', 'workday', '国庆节调休上班'),
            ('2026-09-25', 'holiday', '中秋节'),
            ('2026-09-26', 'holiday', '中秋节'),
            ('2026-09-27', 'holiday', '中秋节'),
            ('2026-10-01', 'holiday', '国庆节'),
            ('2026-10-02', 'holiday', '国庆节'),
            ('2026-10-03', 'holiday', '国庆节'),
            ('2026-10-04', 'holiday', '国庆节'),
            ('2026-10-05', 'holiday', '国庆节'),
            ('2026-10-06', 'holiday', '国庆节'),
            ('2026-10-07', 'holiday', '国庆节'),
            ('2026-10-10', 'workday', '国庆节调休上班')`);
    // Default SLA policies following published practice (README, "SLA policies"): Shanghai's "1515"
    // (contact within 1 working day, answer simple cases within 5), consultations within 2 working
    // days, Beijing's urgent cases (2 hours to respond, 24 hours to answer, natural time), a return
    // visit within 3 working days of the reply, warnings at 80 %.
    await queryRunner.query(`INSERT INTO "sla_policies"
            ("name", "category_code", "type", "urgency", "clock", "ack_within", "reply_within", "warn_at", "survey_within", "created_at") VALUES
            ('默认: 1个工作日内联系企业, 5个工作日内答复 (上海1515)', NULL, NULL, NULL, 'working', 'P1D', 'P5D', 0.8, 'P3D', '2026-01-01T00:00:00Z'),
            ('咨询: 1个工作日内签收, 2个工作日内答复', NULL, 'consultation', NULL, 'working', 'P1D', 'P2D', 0.8, 'P3D', '2026-01-01T00:00:01Z'),
            ('紧急: 2小时内响应, 24小时内答复 (北京)', NULL, NULL, 'urgent', 'natural', 'PT2H', 'PT24H', 0.8, 'P3D', '2026-01-01T00:00:02Z')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "sla_policies"`);
    await queryRunner.query(`DELETE FROM "calendar_days"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP CONSTRAINT "fk_sla_policies_category"`);
    await queryRunner.query(`DROP TABLE "sla_policies"`);
    await queryRunner.query(`DROP TABLE "calendar_days"`);
  }
}
