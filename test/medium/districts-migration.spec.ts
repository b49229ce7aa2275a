import { DataSource } from 'typeorm';
import { Districts1796064000000 } from '../../migrations/1796064000000-Districts';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { Factory } from '../setup/factories';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/**
 * The Districts migration on a database that stored district names (SPEC §5.1): enterprises, meetings,
 * routing rules and appeals get the codes; the report rollups, whose keys carry the district, and the
 * open-assignment copy follow; a value that names no district stays as it was. Then the trigger and
 * district_code() that keep appeals stored by code, and the way back down.
 */
describe('the Districts migration converts stored district names to codes', () => {
  let name: string;
  let ds: DataSource;
  const migration = new Districts1796064000000();
  const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => ds.query<T[]>(sql, params);
  const run = (step: 'up' | 'down') =>
    ds.transaction(async (m) => {
      await migration[step](m.queryRunner!);
    });

  const ids: Record<string, string> = {};
  const before: { rollupDistricts?: string[] } = {};

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
    // back to the database as it was before districts were reference data
    await run('down');
    const f = new Factory(ds);
    const department = await f.department();
    const category = await f.category();
    const creator = await f.user('dispatcher');
    const wuxing = await f.enterprise({ district: '吴兴区' });
    ids.wuxing = wuxing.id;
    ids.zone = (await f.enterprise({ district: '湖州经开区' })).id;
    ids.meeting = (
      await q<{ id: string }>(
        `INSERT INTO meetings (title, held_at, district, attendee_count, created_by, created_at)
         VALUES ('恳谈会', now(), '南浔区', 0, $1, now()) RETURNING id`,
        [creator.id],
      )
    )[0].id;
    ids.rule = (
      await q<{ id: string }>(
        `INSERT INTO routing_rules (priority, keywords, district, lead_department_id, co_department_ids, auto_dispatch, created_at)
         VALUES (1, '[]', '德清县', $1, '[]', false, now()) RETURNING id`,
        [department.id],
      )
    )[0].id;
    const appeal = async (n: number, district: string | null) =>
      (
        await q<{ id: string }>(
          `INSERT INTO appeals (number, type, category_code, title, content, district, channel, enterprise_id, status,
             created_by, created_at, updated_at)
           VALUES ($1, 'help', $2, 't', 'c', $3, 'web', $4, 'submitted', $5, now() - interval '3 days', now())
           RETURNING id`,
          [`ZQTMIG${n}`, category.code, district, wuxing.id, creator.id],
        )
      )[0].id;
    for (let i = 0; i < 3; i++) ids[`a${i}`] = await appeal(i, '吴兴区');
    ids.zoneAppeal = await appeal(3, '湖州经开区');
    ids.none = await appeal(4, null);
    // an open assignment: the open-assignment copy carries its appeal's district
    await q(
      `INSERT INTO assignments (appeal_id, department_id, role, status, dispatched_at, ack_due_at, reply_due_at, original_reply_due_at)
       VALUES ($1, $2, 'lead', 'dispatched', now(), now() + interval '1 day', now() + interval '5 days', now() + interval '5 days')`,
      [ids.a0, department.id],
    );
    await q(`UPDATE appeals SET lead_department_id = $2, status = 'dispatched' WHERE id = $1`, [
      ids.a0,
      department.id,
    ]);
    // half the history folded into the rollups, the rest still deltas
    await q(`SELECT report_fold()`);
    await q(`UPDATE appeals SET status = 'rejected' WHERE id = $1`, [ids.a1]);
    before.rollupDistricts = await districtsOf('report_rollup_full');
    await run('up');
  }, 60_000);

  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  async function districtsOf(table: 'report_rollup_full' | 'report_open_assignments' | 'report_deltas') {
    return (await q<{ district: string }>(`SELECT DISTINCT district FROM ${table} ORDER BY district`)).map(
      (r) => r.district,
    );
  }
  const districtOf = async (table: string, id: string) =>
    (await q<{ district: string | null }>(`SELECT district FROM ${table} WHERE id = $1`, [id]))[0].district;

  it('stored names become codes; a value that names no district stays as it was', async () => {
    expect(before.rollupDistricts).toEqual(['', '吴兴区', '湖州经开区']);
    expect(await districtOf('enterprises', ids.wuxing)).toBe('330502');
    expect(await districtOf('enterprises', ids.zone)).toBe('湖州经开区');
    expect(await districtOf('meetings', ids.meeting)).toBe('330503');
    expect(await districtOf('routing_rules', ids.rule)).toBe('330521');
    for (const k of ['a0', 'a1', 'a2']) expect(await districtOf('appeals', ids[k])).toBe('330502');
    expect(await districtOf('appeals', ids.zoneAppeal)).toBe('湖州经开区');
    expect(await districtOf('appeals', ids.none)).toBeNull();
  });

  it('the rollups and the open-assignment copy are rebuilt under the codes, with the same figures', async () => {
    expect(await districtsOf('report_deltas')).toEqual([]);
    expect(await districtsOf('report_rollup_full')).toEqual(['', '330502', '湖州经开区']);
    expect(await districtsOf('report_open_assignments')).toEqual(['330502']);
    const dim = await q<{ dim_value: string; received: number; rejected: number }>(
      `SELECT dim_value, sum(received)::int AS received, sum(rejected)::int AS rejected FROM report_rollup_dim
       WHERE dim = 'district' GROUP BY dim_value ORDER BY dim_value`,
    );
    expect(dim).toEqual([
      { dim_value: '', received: 1, rejected: 0 },
      { dim_value: '330502', received: 3, rejected: 1 },
      { dim_value: '湖州经开区', received: 1, rejected: 0 },
    ]);
  });

  it('seeds the demo city and resolves a code or an exact name in SQL', async () => {
    expect(await q(`SELECT code, name FROM districts ORDER BY code`)).toEqual([
      { code: '330500', name: '湖州市' },
      { code: '330502', name: '吴兴区' },
      { code: '330503', name: '南浔区' },
      { code: '330521', name: '德清县' },
      { code: '330522', name: '长兴县' },
      { code: '330523', name: '安吉县' },
    ]);
    expect(
      await q(
        `SELECT district_code('330502') AS code, district_code('吴兴区') AS name, district_code('吴兴') AS part,
                district_code('999999') AS unknown, district_code(NULL) AS nothing`,
      ),
    ).toEqual([{ code: '330502', name: '330502', part: null, unknown: null, nothing: null }]);
  });

  it('an appeal written with a district name, by any statement, is stored with the code', async () => {
    await q(`UPDATE appeals SET district = '长兴县' WHERE id = $1`, [ids.none]);
    expect(await districtOf('appeals', ids.none)).toBe('330522');
    await q(`UPDATE appeals SET district = '不存在区' WHERE id = $1`, [ids.none]);
    expect(await districtOf('appeals', ids.none)).toBe('不存在区');
    await q(`UPDATE appeals SET district = NULL WHERE id = $1`, [ids.none]);
    expect(await districtOf('appeals', ids.none)).toBeNull();
    // the report keys follow the stored value
    expect(await districtsOf('report_deltas')).toEqual(['', '330522', '不存在区']);
  });

  it('down restores the names, and up again the codes', async () => {
    await run('down');
    expect(await districtOf('appeals', ids.a2)).toBe('吴兴区');
    expect(await districtOf('meetings', ids.meeting)).toBe('南浔区');
    expect(await districtsOf('report_rollup_full')).toEqual(['', '吴兴区', '湖州经开区']);
    expect(
      await q(
        `SELECT count(*)::int AS n FROM pg_proc WHERE proname IN ('district_code', 'district_store_code')`,
      ),
    ).toEqual([{ n: 0 }]);
    await run('up');
    expect(await districtOf('appeals', ids.a2)).toBe('330502');
  });
});
