import { DataSource } from 'typeorm';
import { DomainError } from '../../src/common/domain-error';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { DistrictsService } from '../../src/modules/districts/districts.service';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * DistrictsService.resolve against the real table: a code or an exact name gives the code, anything else
 * a 400 naming the field; each process keeps a copy of the table and reloads it on a miss, so a district
 * another process (another instance here) has just added resolves at once.
 */
describe('resolving a district (medium)', () => {
  let name: string;
  let ds: DataSource;
  let one: DistrictsService;
  let other: DistrictsService;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
    one = new DistrictsService(ds);
    other = new DistrictsService(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  it('a code, an exact name, full-width digits or surrounding spaces give the code', async () => {
    expect(await one.resolve('330503')).toBe('330503');
    expect(await one.resolve('南浔区')).toBe('330503');
    expect(await one.resolve(' ３３０５２３ ')).toBe('330523');
    expect(await one.resolveOptional(undefined)).toBeNull();
    expect(await one.resolveOptional(null)).toBeNull();
  });

  it('anything else is 400 VALIDATION_FAILED with one details entry on the field', async () => {
    for (const value of ['南浔', '330599', '', '湖州']) {
      const err = await one.resolve(value, 'items.3.district').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: [{ field: 'items.3.district', message: expect.any(String) }],
      });
    }
  });

  it('a district added by another instance resolves at once, by code and by name, with its name', async () => {
    expect(await other.resolve('吴兴区')).toBe('330502'); // its copy is loaded now
    await one.create({ code: '330599', name: '南太湖新区' });
    expect(await other.resolve('南太湖新区')).toBe('330599');
    expect(await other.resolve('330599')).toBe('330599');
    expect(await other.nameOf('330599')).toBe('南太湖新区');
  });

  it('names: the name of each code; a stored value that names no district has none', async () => {
    const names = await one.names(['330502', '330521', '湖州经开区', null, '330502']);
    expect([...names]).toEqual([
      ['330502', '吴兴区'],
      ['330521', '德清县'],
    ]);
  });

  it('inside a transaction: what it sees, kept out of the copy (the transaction may roll back)', async () => {
    const rolledBack = new Error('roll back');
    await expect(
      ds.transaction(async (m) => {
        await m.query(`INSERT INTO districts (code, name) VALUES ('330598', '湖州经开区')`);
        // only this transaction sees the row: resolving through its manager finds it
        expect(await other.resolve('湖州经开区', 'district', m)).toBe('330598');
        expect(await other.nameOf('330598', m)).toBe('湖州经开区');
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    await expect(other.resolve('湖州经开区')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(await other.nameOf('330598')).toBeNull();
  });
});
