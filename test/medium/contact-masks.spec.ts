import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { maskName, maskPhone } from '../../src/modules/appeals/disclosure';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * SPEC §11: the filing statement masks its webhook snapshot in SQL (contact_mask_phone, contact_mask_name),
 * everything else in TypeScript (maskPhone, maskName). The twins must agree on every input, or a webhook
 * would see one mask for the filing and another for later events.
 */
describe('the SQL masks equal the TypeScript masks', () => {
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

  const phones = [
    '13812345678',
    '0571-87654321',
    '+86 138 1234 5678',
    '12345678',
    '1234567',
    '1',
    '',
    '𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷𠮷',
  ];
  const names = ['张三丰', '张三', '王', '欧阳娜娜', 'Li Lei', '𠮷野家', '', ' 李 '];

  it('on phones and names, nulls, empty strings and characters outside the BMP included', async () => {
    const rows: { p: string | null; mp: string | null }[] = await ds.query(
      `SELECT p, contact_mask_phone(p) AS mp FROM unnest($1::text[]) AS p`,
      [[...phones, null]],
    );
    expect(rows.map((r) => r.mp)).toEqual([...phones, null].map((p) => maskPhone(p)));
    const named: { n: string | null; mn: string | null }[] = await ds.query(
      `SELECT n, contact_mask_name(n) AS mn FROM unnest($1::text[]) AS n`,
      [[...names, null]],
    );
    expect(named.map((r) => r.mn)).toEqual([...names, null].map((n) => maskName(n)));
  });
});
