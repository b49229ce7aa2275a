import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { toErrorBody } from '../../src/infra/http/error.filter';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * The error filter's last line (SPEC §5: no input produces a 500; messages never echo SQL): the errors
 * real PostgreSQL raises for values a caller chose become 400 VALIDATION_FAILED. The HTTP layer refuses
 * NUL and lone surrogates before any query; this covers a path that would reach the database anyway.
 */
describe('PostgreSQL errors caused by the input are 400', () => {
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

  const failure = (sql: string, params: unknown[]) =>
    ds.query(sql, params).then(
      () => {
        throw new Error(`expected ${sql} to fail`);
      },
      (err: Error & { code?: string }) => err,
    );

  it.each([
    ['NUL in a text parameter', `SELECT 1 FROM users WHERE username = $1`, ['adm\u0000in'], '22021'],
    ['\\u0000 in jsonb', `SELECT $1::jsonb`, ['{"a":"\\u0000"}'], '22P05'],
    ['a LIKE pattern ending in the escape character', `SELECT 'ab' LIKE $1`, ['a\\'], '22025'],
    ['an invalid regular expression', `SELECT 'a' ~ $1`, ['('], '2201B'],
    ['a negative LIMIT', `SELECT 1 LIMIT $1`, [-1], '2201W'],
    ['an unknown time zone', `SELECT now() AT TIME ZONE $1`, ['Mars/Olympus'], '22023'],
  ])('%s', async (_, sql, params, sqlstate) => {
    const err = await failure(sql, params);
    expect(err.code).toBe(sqlstate);
    const { body } = toErrorBody(err);
    expect(body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(body.message).not.toMatch(/SELECT|UTF8|users|LIKE|jsonb|0x00/i);
  });

  it('a fault of the service itself stays a 500', async () => {
    const err = await failure(`SELECT 1 / $1::int`, [0]);
    expect(err.code).toBe('22012');
    expect(toErrorBody(err).body).toMatchObject({ statusCode: 500, code: 'INTERNAL_ERROR' });
  });
});
