import { DataSource } from 'typeorm';
import { UsernameUniqueIgnoringCase1796070100000 } from '../../migrations/1796070100000-UsernameUniqueIgnoringCase';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * The migration that makes usernames unique whatever their case: on a database that already holds
 * names differing only in case it stops and names them (it never renames on its own); once they are
 * resolved it creates the index, and the database then refuses a new case twin.
 */
describe('migration: usernames unique whatever their case', () => {
  let name: string;
  let ds: DataSource;
  const migration = new UsernameUniqueIgnoringCase1796070100000();

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
  });
  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  const run = async (step: 'up' | 'down') => {
    const qr = ds.createQueryRunner();
    try {
      await qr.startTransaction();
      await migration[step](qr);
      await qr.commitTransaction();
    } catch (err) {
      await qr.rollbackTransaction();
      throw err;
    } finally {
      await qr.release();
    }
  };
  const addUser = async (username: string): Promise<string> => {
    const [row] = await ds.query(
      `INSERT INTO users (username, password_hash, role) VALUES ($1, 'x', 'dispatcher') RETURNING id`,
      [username],
    );
    return row.id as string;
  };
  const indexExists = async () =>
    (await ds.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'uq_users_username_lower'`)).length === 1;

  it('fails loudly naming the twins, renames nothing, and creates the index once they are resolved', async () => {
    await run('down');
    expect(await indexExists()).toBe(false);
    const hd4 = await addUser('hd4');
    const HD4 = await addUser('HD4');
    await addUser('Ops.Lead');
    await addUser('ops.lead');
    await addUser('alone');

    const failure = await run('up').then(
      () => null,
      (err: Error) => err,
    );
    expect(failure).toBeInstanceOf(Error);
    const message = failure!.message;
    expect(message).toContain(`[HD4 (id ${HD4}), hd4 (id ${hd4})]`);
    expect(message).toMatch(/Ops\.Lead \(id [0-9a-f-]{36}\), ops\.lead \(id [0-9a-f-]{36}\)/);
    expect(message).not.toContain('alone');
    expect(await indexExists()).toBe(false);
    // nothing was renamed behind anyone's back
    expect(
      (
        await ds.query(`SELECT username FROM users WHERE lower(username) IN ('hd4', 'ops.lead') ORDER BY 1`)
      ).map((r: { username: string }) => r.username),
    ).toEqual(['HD4', 'Ops.Lead', 'hd4', 'ops.lead']);

    await ds.query(`UPDATE users SET username = 'hd4-2' WHERE id = $1`, [HD4]);
    await ds.query(`DELETE FROM users WHERE username = 'Ops.Lead'`);
    await run('up');
    expect(await indexExists()).toBe(true);
    await expect(addUser('Hd4')).rejects.toMatchObject({ code: '23505' });
  });
});
