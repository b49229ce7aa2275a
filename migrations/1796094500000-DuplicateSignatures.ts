import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Duplicate detection (重复件) compares a new appeal's title and content with an enterprise's recent
 * appeals by trigram similarity. pg_trgm's similarity() extracts both texts' trigrams on every call, which
 * for a 200-character account is most of its cost; here each appeal's trigram set is extracted once, when it
 * is routed, as a sorted array of the trigrams' hashes, and the similarity of two stored sets is
 * |A ∩ B| / (|A| + |B| − |A ∩ B|) through intarray's C intersection — pg_trgm's own formula over pg_trgm's
 * own trigrams (show_trgm). Appeals without a signature (filed before it existed) are compared with
 * similarity() as before.
 */
export class DuplicateSignatures1796094500000 implements MigrationInterface {
  name = 'DuplicateSignatures1796094500000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // intarray, like pg_trgm, is a trusted extension (PostgreSQL 13+)
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS intarray`);
    await queryRunner.query(
      `CREATE FUNCTION trgm_signature(t text) RETURNS int4[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS
       $$ SELECT uniq(sort(ARRAY(SELECT hashtext(g) FROM unnest(show_trgm(t)) AS g))) $$`,
    );
    // pg_trgm's similarity formula over two signatures: 0 when either has no trigram, identical sets 1
    // without intersecting them; with a floor, 0 when the sizes alone prove it below the floor
    // (|A ∩ B| / |A ∪ B| ≤ min(|A|, |B|) / max(|A|, |B|)). One expression without STRICT, so PostgreSQL
    // inlines it into the calling query instead of running a SQL function per pair.
    await queryRunner.query(
      `CREATE FUNCTION trgm_signature_similarity(a int4[], b int4[], floor real DEFAULT 0) RETURNS real
       LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
       $$ SELECT CASE WHEN a = b THEN (icount(a) > 0)::int::real
                      WHEN least(icount(a), icount(b)) < floor * greatest(icount(a), icount(b)) THEN 0::real
                      ELSE icount(a & b)::real / (icount(a) + icount(b) - icount(a & b)) END $$`,
    );
    await queryRunner.query(
      `CREATE TABLE "appeal_signatures" ("appeal_id" uuid NOT NULL, "title_trgm" int4[] NOT NULL,
         "content_trgm" int4[] NOT NULL,
         CONSTRAINT "PK_appeal_signatures" PRIMARY KEY ("appeal_id"),
         CONSTRAINT "FK_appeal_signatures_appeal" FOREIGN KEY ("appeal_id") REFERENCES "appeals"("id") ON DELETE CASCADE)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "appeal_signatures"`);
    await queryRunner.query(`DROP FUNCTION trgm_signature_similarity(int4[], int4[], real)`);
    await queryRunner.query(`DROP FUNCTION trgm_signature(text)`);
  }
}
