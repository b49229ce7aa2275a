import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796090000000 } from './frozen/1796090000000-report-sql';
import { REPORT_SQL_1796091000000 } from './frozen/1796091000000-report-sql';

/**
 * Planned resolution (计划解决, SPEC §9.3): the plans table with its two timers and their fired marks, the
 * plan windows of SLA policies (seeded defaults as column defaults: P3M and P1M on the natural clock),
 * the supervision sources of a plan's timers (plan_feedback reminders, plan_overdue supervisions) and the
 * plan counters of the reports.
 *
 * The supervision source check is rebuilt from the values the database already allows plus the two new
 * ones, so a migration that added other sources before this one keeps them.
 *
 * The report definitions of src/modules/reports/report-counters.sql.ts are applied again (a plan trigger,
 * new counters) and the rollups rebuilt, since new counters start from the rows already there. The
 * rebuild holds report writers off for its duration (minutes at 10 M appeals).
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '9540d877d24245c929ec948efa6f9eb392c50b03f07d97f20e426f5aa0688fee';

const NEW_SOURCES = ['plan_feedback', 'plan_overdue'];

export class PlannedResolution1796091000000 implements MigrationInterface {
  name = 'PlannedResolution1796091000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "plans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "department_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "content" text NOT NULL, "promised_by" TIMESTAMP WITH TIME ZONE NOT NULL, "next_feedback_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "updates" jsonb NOT NULL DEFAULT '[]', "feedback_fired_at" TIMESTAMP WITH TIME ZONE, "feedbacks_missed" integer NOT NULL DEFAULT '0', "overdue_fired_at" TIMESTAMP WITH TIME ZONE, "fulfil_content" text, "fulfilled_at" TIMESTAMP WITH TIME ZONE, "fulfilled_by" uuid, "fulfilled_on_time" boolean, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmed_by" uuid, "confirmed_role" character varying(16), "confirmed_resolved" boolean, "confirm_comment" text, "cancelled_at" TIMESTAMP WITH TIME ZONE, "cancel_reason" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_plans_status" CHECK ("status" IN ('open','fulfilled','confirmed','cancelled')), CONSTRAINT "PK_3720521a81c7c24fe9b7202ba61" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_plans_promise_due" ON "plans"  ("promised_by") WHERE "status" = 'open' AND "overdue_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_plans_feedback_due" ON "plans"  ("next_feedback_at") WHERE "status" = 'open' AND "feedback_fired_at" IS NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_plans_open_appeal" ON "plans"  ("appeal_id") WHERE "status" = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_plans_created" ON "plans"  ("created_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_plans_department" ON "plans"  ("department_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_plans_appeal" ON "plans"  ("appeal_id") `);
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "plan_max_within" character varying(32) NOT NULL DEFAULT 'P3M'`,
    );
    await queryRunner.query(
      `ALTER TABLE "sla_policies" ADD "plan_feedback_every" character varying(32) NOT NULL DEFAULT 'P1M'`,
    );
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "planned" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "plans_open" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_deltas" ADD "plans_overdue" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "plans_fulfilled_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "plans_fulfil_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_deltas" ADD "plans_confirmed_resolved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_full" ADD "planned" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" ADD "plans_open" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "plans_overdue" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "plans_fulfilled_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "plans_fulfil_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_full" ADD "plans_confirmed_resolved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "planned" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" ADD "plans_open" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "plans_overdue" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "plans_fulfilled_on_time" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "plans_fulfil_due" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_rollup_dim" ADD "plans_confirmed_resolved" integer NOT NULL DEFAULT '0'`,
    );
    await queryRunner.query(
      `ALTER TABLE "plans" ADD CONSTRAINT "fk_plans_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "plans" ADD CONSTRAINT "fk_plans_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // ---- hand-written
    const sources = await supervisionSources(queryRunner);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_source"`);
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_source" CHECK ("source" IN (${[
        ...new Set([...sources, ...NEW_SOURCES]),
      ]
        .map((v) => `'${v}'`)
        .join(',')}))`,
    );
    // the definitions as this migration shipped them (frozen); report_time_zone() keeps the database's zone
    for (const d of REPORT_SQL_1796091000000) await queryRunner.query(d.sql);
    await queryRunner.query(`SELECT report_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the report SQL as the ContactAndFollowThrough migration left it, before the columns it no longer reads go
    await queryRunner.query(`DROP TRIGGER trg_plans_report ON plans`);
    await queryRunner.query(`DROP FUNCTION report_plans_delta()`);
    for (const d of REPORT_SQL_1796090000000) await queryRunner.query(d.sql);
    const sources = (await supervisionSources(queryRunner)).filter((s) => !NEW_SOURCES.includes(s));
    await queryRunner.query(`DELETE FROM supervisions WHERE source = ANY($1)`, [NEW_SOURCES]);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "ck_supervisions_source"`);
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "ck_supervisions_source" CHECK ("source" IN (${sources
        .map((v) => `'${v}'`)
        .join(',')}))`,
    );
    await queryRunner.query(`ALTER TABLE "plans" DROP CONSTRAINT "fk_plans_department"`);
    await queryRunner.query(`ALTER TABLE "plans" DROP CONSTRAINT "fk_plans_appeal"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "plans_confirmed_resolved"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "plans_fulfil_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "plans_fulfilled_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "plans_overdue"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "plans_open"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_dim" DROP COLUMN "planned"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "plans_confirmed_resolved"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "plans_fulfil_due"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "plans_fulfilled_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "plans_overdue"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "plans_open"`);
    await queryRunner.query(`ALTER TABLE "report_rollup_full" DROP COLUMN "planned"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "plans_confirmed_resolved"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "plans_fulfil_due"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "plans_fulfilled_on_time"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "plans_overdue"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "plans_open"`);
    await queryRunner.query(`ALTER TABLE "report_deltas" DROP COLUMN "planned"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "plan_feedback_every"`);
    await queryRunner.query(`ALTER TABLE "sla_policies" DROP COLUMN "plan_max_within"`);
    await queryRunner.query(`DROP INDEX "public"."ix_plans_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_plans_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_plans_created"`);
    await queryRunner.query(`DROP INDEX "public"."uq_plans_open_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_plans_feedback_due"`);
    await queryRunner.query(`DROP INDEX "public"."ix_plans_promise_due"`);
    await queryRunner.query(`DROP TABLE "plans"`);
    await queryRunner.query(`SELECT report_rebuild()`);
  }
}

/** The values ck_supervisions_source allows now, read from its definition. */
async function supervisionSources(queryRunner: QueryRunner): Promise<string[]> {
  const [{ def }]: { def: string }[] = await queryRunner.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_supervisions_source'`,
  );
  return [...def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
}
