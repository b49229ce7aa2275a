import { MigrationInterface, QueryRunner } from 'typeorm';

export class Appeals1795525879078 implements MigrationInterface {
  name = 'Appeals1795525879078';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "appeals" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" character varying(24) NOT NULL, "type" character varying(16) NOT NULL, "category_code" character varying(32) NOT NULL, "title" character varying(200) NOT NULL, "content" text NOT NULL, "urgency" character varying(8) NOT NULL DEFAULT 'normal', "district" character varying(64), "channel" character varying(16) NOT NULL, "enterprise_id" uuid NOT NULL, "contact_name" character varying(64), "contact_phone" character varying(32), "confidential" boolean NOT NULL DEFAULT false, "status" character varying(16) NOT NULL, "lead_department_id" uuid, "reopen_count" integer NOT NULL DEFAULT '0', "supervised" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT '1', "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "dispatched_at" TIMESTAMP WITH TIME ZONE, "reply_content" text, "reply_outcome" character varying(24), "replied_at" TIMESTAMP WITH TIME ZONE, "survey_due_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" character varying(16), "status_reason" text, "merged_into_id" uuid, "suggested_routing" jsonb, "possible_duplicates" jsonb, CONSTRAINT "ck_appeals_urgency" CHECK ("urgency" IN ('normal','urgent')), CONSTRAINT "ck_appeals_channel" CHECK ("channel" IN ('web','app','hotline','meeting','visit')), CONSTRAINT "ck_appeals_type" CHECK ("type" IN ('consultation','complaint','help','suggestion','report','praise')), CONSTRAINT "ck_appeals_status" CHECK ("status" IN ('submitted','dispatched','in_progress','returned','replied','closed','rejected','withdrawn','merged')), CONSTRAINT "PK_ebd2050a02aa78081b5346152bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_appeals_number" ON "appeals"  ("number") `);
    await queryRunner.query(`CREATE INDEX "ix_appeals_category" ON "appeals"  ("category_code") `);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_lead_department" ON "appeals"  ("lead_department_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_status_created" ON "appeals"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_enterprise_created" ON "appeals"  ("enterprise_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_appeals_created" ON "appeals"  ("created_at", "id") `);
    await queryRunner.query(
      `CREATE TABLE "appeal_events" ("appeal_id" uuid NOT NULL, "seq" integer NOT NULL, "action" character varying(48) NOT NULL, "actor_id" uuid, "actor_role" character varying(16) NOT NULL, "from_status" character varying(16), "to_status" character varying(16), "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "prev_hash" character(64) NOT NULL, "hash" character(64) NOT NULL, CONSTRAINT "PK_2b21ed7f3d96721c4ee1111414a" PRIMARY KEY ("appeal_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "department_id" uuid NOT NULL, "role" character varying(4) NOT NULL, "status" character varying(16) NOT NULL, "round" integer NOT NULL DEFAULT '0', "dispatched_at" TIMESTAMP WITH TIME ZONE NOT NULL, "dispatched_by" uuid, "ack_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ack_warn_at" TIMESTAMP WITH TIME ZONE, "reply_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "reply_warn_at" TIMESTAMP WITH TIME ZONE, "original_reply_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "extended_days" integer NOT NULL DEFAULT '0', "acknowledged_at" TIMESTAMP WITH TIME ZONE, "acknowledged_by" uuid, "ack_on_time" boolean, "replied_at" TIMESTAMP WITH TIME ZONE, "reply_on_time" boolean, "opinion" text, "return_reason" text, "ended_at" TIMESTAMP WITH TIME ZONE, "overdue" boolean NOT NULL DEFAULT false, "warning" boolean NOT NULL DEFAULT false, CONSTRAINT "ck_assignments_status" CHECK ("status" IN ('dispatched','in_progress','completed','returned','cancelled')), CONSTRAINT "ck_assignments_role" CHECK ("role" IN ('lead','co')), CONSTRAINT "PK_c54ca359535e0012b04dcbd80ee" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_assignments_open_per_department" ON "assignments"  ("appeal_id", "department_id") WHERE "status" IN ('dispatched','in_progress')`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assignments_department_status" ON "assignments"  ("department_id", "status") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_assignments_appeal" ON "assignments"  ("appeal_id") `);
    await queryRunner.query(
      `CREATE TABLE "extension_requests" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "assignment_id" uuid NOT NULL, "days" integer NOT NULL, "reason" text NOT NULL, "status" character varying(16) NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_reason" text, "previous_due_at" TIMESTAMP WITH TIME ZONE, "new_due_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_extension_requests_days" CHECK ("days" BETWEEN 1 AND 60), CONSTRAINT "ck_extension_requests_status" CHECK ("status" IN ('pending','approved','denied')), CONSTRAINT "PK_cf652cfbd6bc847a21929fd703f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_extension_requests_pending" ON "extension_requests"  ("assignment_id") WHERE "status" = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_extension_requests_appeal" ON "extension_requests"  ("appeal_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "surveys" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "satisfaction" character varying(24) NOT NULL, "resolved" boolean NOT NULL, "comment" text, "round" integer NOT NULL, "recorded_by" uuid NOT NULL, "recorded_role" character varying(16) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_surveys_satisfaction" CHECK ("satisfaction" IN ('satisfied','basically_satisfied','unsatisfied')), CONSTRAINT "PK_1b5e3d4aaeb2321ffa98498c971" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_surveys_appeal_created" ON "surveys"  ("appeal_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "supervisions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "assignment_id" uuid, "source" character varying(16) NOT NULL, "note" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_supervisions_source" CHECK ("source" IN ('manual','overdue','reopen_limit')), CONSTRAINT "PK_aa7f50a204c91d215e69a3235a9" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_supervisions_appeal" ON "supervisions"  ("appeal_id") `);
    await queryRunner.query(
      `CREATE TABLE "supplements" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "appeal_id" uuid NOT NULL, "content" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a6e672a936a1d1a967caeaef962" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_supplements_appeal" ON "supplements"  ("appeal_id") `);
    await queryRunner.query(
      `CREATE TABLE "appeal_number_counters" ("day" date NOT NULL, "last" integer NOT NULL, CONSTRAINT "PK_6cccd8283b2b845de939d4e17f0" PRIMARY KEY ("day"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_category" FOREIGN KEY ("category_code") REFERENCES "categories"("code") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_enterprise" FOREIGN KEY ("enterprise_id") REFERENCES "enterprises"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_lead_department" FOREIGN KEY ("lead_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD CONSTRAINT "fk_appeals_merged_into" FOREIGN KEY ("merged_into_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "appeal_events" ADD CONSTRAINT "fk_appeal_events_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD CONSTRAINT "fk_assignments_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assignments" ADD CONSTRAINT "fk_assignments_department" FOREIGN KEY ("department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "extension_requests" ADD CONSTRAINT "fk_extension_requests_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "extension_requests" ADD CONSTRAINT "fk_extension_requests_assignment" FOREIGN KEY ("assignment_id") REFERENCES "assignments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "surveys" ADD CONSTRAINT "fk_surveys_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supervisions" ADD CONSTRAINT "fk_supervisions_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "supplements" ADD CONSTRAINT "fk_supplements_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // Hand-written: what TypeORM entities cannot express.
    // ?q= on title and content uses a trigram index (pg_trgm is a trusted extension in PostgreSQL 13+).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_search_trgm" ON "appeals" USING gin ((title || ' ' || content) gin_trgm_ops)`,
    );
    // The event log is append-only (SPEC §2): nothing updates or deletes a stored event.
    await queryRunner.query(`CREATE FUNCTION appeal_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'appeal_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER appeal_events_no_update BEFORE UPDATE OR DELETE ON "appeal_events" FOR EACH STATEMENT EXECUTE FUNCTION appeal_events_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER appeal_events_no_truncate BEFORE TRUNCATE ON "appeal_events" FOR EACH STATEMENT EXECUTE FUNCTION appeal_events_append_only()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER appeal_events_no_truncate ON "appeal_events"`);
    await queryRunner.query(`DROP TRIGGER appeal_events_no_update ON "appeal_events"`);
    await queryRunner.query(`DROP FUNCTION appeal_events_append_only()`);
    await queryRunner.query(`DROP INDEX "ix_appeals_search_trgm"`);
    await queryRunner.query(`ALTER TABLE "supplements" DROP CONSTRAINT "fk_supplements_appeal"`);
    await queryRunner.query(`ALTER TABLE "supervisions" DROP CONSTRAINT "fk_supervisions_appeal"`);
    await queryRunner.query(`ALTER TABLE "surveys" DROP CONSTRAINT "fk_surveys_appeal"`);
    await queryRunner.query(
      `ALTER TABLE "extension_requests" DROP CONSTRAINT "fk_extension_requests_assignment"`,
    );
    await queryRunner.query(
      `ALTER TABLE "extension_requests" DROP CONSTRAINT "fk_extension_requests_appeal"`,
    );
    await queryRunner.query(`ALTER TABLE "assignments" DROP CONSTRAINT "fk_assignments_department"`);
    await queryRunner.query(`ALTER TABLE "assignments" DROP CONSTRAINT "fk_assignments_appeal"`);
    await queryRunner.query(`ALTER TABLE "appeal_events" DROP CONSTRAINT "fk_appeal_events_appeal"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_merged_into"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_created_by"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_lead_department"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_enterprise"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP CONSTRAINT "fk_appeals_category"`);
    await queryRunner.query(`DROP TABLE "appeal_number_counters"`);
    await queryRunner.query(`DROP INDEX "public"."ix_supplements_appeal"`);
    await queryRunner.query(`DROP TABLE "supplements"`);
    await queryRunner.query(`DROP INDEX "public"."ix_supervisions_appeal"`);
    await queryRunner.query(`DROP TABLE "supervisions"`);
    await queryRunner.query(`DROP INDEX "public"."ix_surveys_appeal_created"`);
    await queryRunner.query(`DROP TABLE "surveys"`);
    await queryRunner.query(`DROP INDEX "public"."ix_extension_requests_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_extension_requests_pending"`);
    await queryRunner.query(`DROP TABLE "extension_requests"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_appeal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assignments_department_status"`);
    await queryRunner.query(`DROP INDEX "public"."uq_assignments_open_per_department"`);
    await queryRunner.query(`DROP TABLE "assignments"`);
    await queryRunner.query(`DROP TABLE "appeal_events"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_enterprise_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_status_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_lead_department"`);
    await queryRunner.query(`DROP INDEX "public"."ix_appeals_category"`);
    await queryRunner.query(`DROP INDEX "public"."uq_appeals_number"`);
    await queryRunner.query(`DROP TABLE "appeals"`);
  }
}
