import { MigrationInterface, QueryRunner } from 'typeorm';

/** The demo city (湖州市) and its districts and counties, GB/T 2260: shipped like the calendar's official days. */
export const SEEDED_DISTRICTS: [code: string, name: string][] = [
  ['330500', '湖州市'],
  ['330502', '吴兴区'],
  ['330503', '南浔区'],
  ['330521', '德清县'],
  ['330522', '长兴县'],
  ['330523', '安吉县'],
];

/** Tables whose `district` column held what people typed and now holds the GB/T 2260 code. */
const DISTRICT_TABLES = ['enterprises', 'meetings', 'routing_rules'] as const;

/**
 * SPEC §5.1: districts are reference data. The `districts` table (GB/T 2260 code, unique exact name),
 * seeded for the demo city; `district_code(text)`, the code of a code or an exact name (NULL for neither),
 * for statements that resolve a district in SQL; a trigger that stores an appeal's district given by its
 * exact name as the code, whichever statement writes it; and the stored names of enterprises, meetings,
 * routing rules and appeals converted to codes. Values that name no district stay as they were.
 *
 * Appeals are converted with their report triggers off (a re-keyed delta for every appeal, assignment and
 * supervision would be millions of rows on a large history); the rollups, whose keys carry the district,
 * and the open-assignment copy are then rebuilt from the converted rows in the same transaction.
 */
export class Districts1796064000000 implements MigrationInterface {
  name = 'Districts1796064000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "districts" ("code" character varying(6) NOT NULL, "name" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_districts_code" CHECK ("code" ~ '^[0-9]{6}$'), CONSTRAINT "pk_districts" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_districts_name" ON "districts" ("name") `);
    await queryRunner.query(
      `INSERT INTO "districts" ("code", "name") VALUES ${SEEDED_DISTRICTS.map((_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(', ')}`,
      SEEDED_DISTRICTS.flat(),
    );
    await queryRunner.query(
      `CREATE FUNCTION district_code(value text) RETURNS varchar LANGUAGE sql STABLE PARALLEL SAFE AS $$
         SELECT code FROM districts WHERE code = value
         UNION ALL SELECT code FROM districts WHERE name = value
         LIMIT 1 $$`,
    );
    await queryRunner.query(
      `CREATE FUNCTION district_store_code() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.district := coalesce((SELECT code FROM districts WHERE name = NEW.district), NEW.district);
         RETURN NEW;
       END $$`,
    );
    // a code (six digits) is stored as it is, without a look-up
    await queryRunner.query(
      `CREATE TRIGGER trg_appeals_district_code BEFORE INSERT OR UPDATE OF district ON appeals FOR EACH ROW
         WHEN (NEW.district IS NOT NULL AND NEW.district !~ '^[0-9]{6}$') EXECUTE FUNCTION district_store_code()`,
    );
    for (const table of DISTRICT_TABLES)
      await queryRunner.query(
        `UPDATE "${table}" t SET district = d.code FROM districts d WHERE t.district = d.name`,
      );
    await convertAppeals(
      queryRunner,
      `UPDATE appeals a SET district = d.code FROM districts d WHERE a.district = d.name`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER trg_appeals_district_code ON appeals`);
    await convertAppeals(
      queryRunner,
      `UPDATE appeals a SET district = d.name FROM districts d WHERE a.district = d.code`,
    );
    for (const table of DISTRICT_TABLES)
      await queryRunner.query(
        `UPDATE "${table}" t SET district = d.name FROM districts d WHERE t.district = d.code`,
      );
    await queryRunner.query(`DROP FUNCTION district_store_code()`);
    await queryRunner.query(`DROP FUNCTION district_code(text)`);
    await queryRunner.query(`DROP INDEX "public"."uq_districts_name"`);
    await queryRunner.query(`DROP TABLE "districts"`);
  }
}

/** Rewrites appeals' districts with the report triggers off, then rebuilds the reports when any changed. */
async function convertAppeals(queryRunner: QueryRunner, update: string): Promise<void> {
  await queryRunner.query(`ALTER TABLE appeals DISABLE TRIGGER trg_appeals_report`);
  await queryRunner.query(`ALTER TABLE appeals DISABLE TRIGGER trg_appeals_report_open`);
  const [, changed] = (await queryRunner.query(update)) as [unknown, number];
  await queryRunner.query(`ALTER TABLE appeals ENABLE TRIGGER trg_appeals_report`);
  await queryRunner.query(`ALTER TABLE appeals ENABLE TRIGGER trg_appeals_report_open`);
  if (changed > 0) await queryRunner.query(`SELECT report_rebuild()`);
}
