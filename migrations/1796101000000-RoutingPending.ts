import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The appeals waiting for automatic routing, in a table of their own (routing_pending: the appeal and
 * when it was filed) instead of a partial index of appeals (`created_at WHERE routed_at IS NULL`).
 *
 * A column named by any index of a table, in its key or its predicate, makes every update that changes
 * it a non-HOT update: a new entry in each of the table's indexes. Routing sets `routed_at` on every
 * appeal, so with the partial index each routing wrote fifteen index entries, the trigram GIN of the
 * whole title and content among them (its trigrams extracted again). Routing's notes name no indexed
 * column, so with the pending appeals kept beside the table, routing an appeal without dispatching it
 * is a HOT update when its page has room (appeals is filled to 80 %).
 *
 * The table follows `routed_at` by trigger, as the partial index did by definition, whatever writes the
 * appeal: an appeal inserted unrouted is added; one whose `routed_at` is set is removed; one whose
 * `routed_at` is cleared (an operator re-routing it) is added again. The WHEN clauses keep every other
 * insert and update of appeals from calling the function at all.
 */
export class RoutingPending1796101000000 implements MigrationInterface {
  name = 'RoutingPending1796101000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "routing_pending" ("appeal_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
         CONSTRAINT "PK_routing_pending" PRIMARY KEY ("appeal_id"),
         CONSTRAINT "FK_routing_pending_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE CASCADE)`,
    );
    await queryRunner.query(`CREATE INDEX "ix_routing_pending_created" ON "routing_pending" ("created_at")`);
    await queryRunner.query(
      `CREATE FUNCTION routing_pending_follow() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF NEW.routed_at IS NULL THEN
           INSERT INTO routing_pending (appeal_id, created_at) VALUES (NEW.id, NEW.created_at)
             ON CONFLICT (appeal_id) DO NOTHING;
         ELSE
           DELETE FROM routing_pending WHERE appeal_id = NEW.id;
         END IF;
         RETURN NULL;
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_appeals_routing_pending_insert AFTER INSERT ON appeals FOR EACH ROW
         WHEN (NEW.routed_at IS NULL) EXECUTE FUNCTION routing_pending_follow()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_appeals_routing_pending_update AFTER UPDATE OF routed_at ON appeals FOR EACH ROW
         WHEN ((OLD.routed_at IS NULL) <> (NEW.routed_at IS NULL)) EXECUTE FUNCTION routing_pending_follow()`,
    );
    await queryRunner.query(
      `INSERT INTO routing_pending (appeal_id, created_at)
       SELECT id, created_at FROM appeals WHERE routed_at IS NULL`,
    );
    await queryRunner.query(`DROP INDEX "ix_appeals_unrouted"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_appeals_unrouted" ON "appeals" ("created_at") WHERE "routed_at" IS NULL`,
    );
    await queryRunner.query(`DROP TRIGGER trg_appeals_routing_pending_update ON appeals`);
    await queryRunner.query(`DROP TRIGGER trg_appeals_routing_pending_insert ON appeals`);
    await queryRunner.query(`DROP FUNCTION routing_pending_follow()`);
    await queryRunner.query(`DROP TABLE "routing_pending"`);
  }
}
