import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/** Fails when an entity changed without a migration (or a migration without its entity). */
describe('entities and migrations agree', () => {
  let name: string;
  let ds: DataSource;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  it('schema sync would change nothing on a migrated database', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    const statements = sql.upQueries.map((q) => q.query);
    expect(statements).toEqual([]);
  });

  it('every migration has run and none is pending', async () => {
    expect(await ds.showMigrations()).toBe(false);
  });

  it('the event log refuses UPDATE and DELETE', async () => {
    await expect(ds.query(`DELETE FROM appeal_events`)).rejects.toThrow(/append-only/);
  });
});
