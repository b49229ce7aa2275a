import { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_SQL_1796091000000 } from './frozen/1796091000000-report-sql';
import { REPORT_SQL_1796092000000 } from './frozen/1796092000000-report-sql';

/**
 * The knowledge base and direct handling (SPEC §10): entries, their versions and their append-only event
 * log; on appeals the knowledge suggestions (the centre's working note) and the entries an answer on the
 * spot cited; the report counters `onSpot` and `onSpotCited` (直办率, knowledge cited share). The report
 * definitions of src/modules/reports/report-counters.sql.ts are applied again and the rollups rebuilt,
 * since the new counters start from the rows already there (minutes at 10 M appeals).
 */

/** reportSqlDigest() of the definitions this migration applies (see report-counters.sql.ts). */
export const REPORT_SQL_DIGEST = '28dad0aa61b53cc14378bafcdb21b7ab4aff7f0868bcf0a585798ddc7ae1fb57';

export class KnowledgeBase1796092000000 implements MigrationInterface {
  name = 'KnowledgeBase1796092000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "knowledge_entries" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "source_department_id" uuid, "status" character varying(16) NOT NULL, "version" integer NOT NULL, "published_version" integer, "category_code" character varying(32), "kind" character varying(24), "title" character varying(128), "public" boolean NOT NULL DEFAULT false, "expires_at" TIMESTAMP WITH TIME ZONE, "review_due_at" TIMESTAMP WITH TIME ZONE, "published_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "edited_at" TIMESTAMP WITH TIME ZONE, "search_vector" tsvector, "head_vector" tsvector, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_knowledge_entries_status" CHECK ("status" IN ('draft','pending_review','published','expired','withdrawn')), CONSTRAINT "PK_knowledge_entries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_knowledge_entries_department" ON "knowledge_entries" ("source_department_id", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_knowledge_entries_updated" ON "knowledge_entries" ("updated_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_versions" ("entry_id" uuid NOT NULL, "version" integer NOT NULL, "status" character varying(16) NOT NULL, "category_code" character varying(32) NOT NULL, "title" character varying(128) NOT NULL, "question" text, "answer" text NOT NULL, "kind" character varying(24) NOT NULL, "keywords" text array NOT NULL DEFAULT '{}', "policy_ref" character varying(256), "effective_from" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "review_due_at" TIMESTAMP WITH TIME ZONE, "public" boolean NOT NULL, "reject_reason" text, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE, "published_at" TIMESTAMP WITH TIME ZONE, "published_by" uuid, CONSTRAINT "ck_knowledge_versions_status" CHECK ("status" IN ('draft','pending_review','published','superseded','withdrawn')), CONSTRAINT "PK_knowledge_versions" PRIMARY KEY ("entry_id", "version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "knowledge_events" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "entry_id" uuid NOT NULL, "version" integer NOT NULL, "action" character varying(32) NOT NULL, "actor_id" uuid, "actor_role" character varying(16) NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_knowledge_events" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_knowledge_events_entry" ON "knowledge_events" ("entry_id", "id") `,
    );
    await queryRunner.query(`ALTER TABLE "appeals" ADD "knowledge_suggestions" jsonb`);
    await queryRunner.query(
      `ALTER TABLE "appeals" ADD "knowledge_entry_ids" uuid array NOT NULL DEFAULT '{}'`,
    );
    for (const table of ['report_deltas', 'report_rollup_full', 'report_rollup_dim']) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "on_spot" integer NOT NULL DEFAULT '0'`);
      await queryRunner.query(`ALTER TABLE "${table}" ADD "on_spot_cited" integer NOT NULL DEFAULT '0'`);
    }
    await queryRunner.query(
      `ALTER TABLE "knowledge_entries" ADD CONSTRAINT "fk_knowledge_entries_department" FOREIGN KEY ("source_department_id") REFERENCES "departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "knowledge_versions" ADD CONSTRAINT "fk_knowledge_versions_entry" FOREIGN KEY ("entry_id") REFERENCES "knowledge_entries"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // ---- hand-written
    // search (knowledge-search.ts): the published entries' bigram vectors
    await queryRunner.query(
      `CREATE INDEX "ix_knowledge_entries_search" ON "knowledge_entries" USING gin ("search_vector") WHERE "status" = 'published'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_knowledge_entries_head" ON "knowledge_entries" USING gin ("head_vector") WHERE "status" = 'published'`,
    );
    // the event log is append-only (SPEC §10: every change is kept)
    await queryRunner.query(`CREATE FUNCTION knowledge_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'knowledge_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(
      `CREATE TRIGGER knowledge_events_no_update BEFORE UPDATE OR DELETE ON "knowledge_events" FOR EACH STATEMENT EXECUTE FUNCTION knowledge_events_append_only()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER knowledge_events_no_truncate BEFORE TRUNCATE ON "knowledge_events" FOR EACH STATEMENT EXECUTE FUNCTION knowledge_events_append_only()`,
    );
    for (const d of REPORT_SQL_1796092000000) await queryRunner.query(d.sql);
    await queryRunner.query(`SELECT report_rebuild()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // the report SQL as the PlannedResolution migration left it, before the columns it no longer has go
    for (const d of REPORT_SQL_1796091000000) await queryRunner.query(d.sql);
    await queryRunner.query(`DROP TRIGGER knowledge_events_no_truncate ON "knowledge_events"`);
    await queryRunner.query(`DROP TRIGGER knowledge_events_no_update ON "knowledge_events"`);
    await queryRunner.query(`DROP FUNCTION knowledge_events_append_only()`);
    for (const table of ['report_deltas', 'report_rollup_full', 'report_rollup_dim']) {
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "on_spot_cited"`);
      await queryRunner.query(`ALTER TABLE "${table}" DROP COLUMN "on_spot"`);
    }
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "knowledge_entry_ids"`);
    await queryRunner.query(`ALTER TABLE "appeals" DROP COLUMN "knowledge_suggestions"`);
    await queryRunner.query(`DROP TABLE "knowledge_events"`);
    await queryRunner.query(`DROP TABLE "knowledge_versions"`);
    await queryRunner.query(`DROP TABLE "knowledge_entries"`);
    await queryRunner.query(`SELECT report_rebuild()`);
  }
}
