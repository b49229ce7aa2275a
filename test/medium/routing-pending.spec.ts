import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/infra/database/data-source-options';
import { Factory } from '../setup/factories';
import { createDatabaseFromTemplate, dropDatabase, urlFor } from '../setup/test-env';

/** What routing writes on an appeal it does not dispatch (RoutingService.routeOne's annotation). */
const ROUTING_NOTES = ['routed_at', 'suggested_routing', 'possible_duplicates', 'knowledge_suggestions'];

/**
 * routing_pending lists exactly the appeals whose routed_at is null, whatever writes them (its triggers),
 * and no index of appeals names a column routing writes, so routing an appeal it does not dispatch is a
 * HOT update: no entry in any of the appeals' indexes.
 */
describe('routing_pending follows routed_at', () => {
  let name: string;
  let ds: DataSource;
  let insert: (routedAt: Date | null, createdAt?: Date) => Promise<string>;

  beforeAll(async () => {
    name = await createDatabaseFromTemplate();
    ds = new DataSource(dataSourceOptions(urlFor(name), 2));
    await ds.initialize();
    const f = new Factory(ds);
    const category = await f.category();
    const enterprise = await f.enterprise();
    const creator = await f.user('dispatcher');
    let n = 0;
    insert = async (routedAt, createdAt = new Date()) => {
      n += 1;
      const [{ id }] = await ds.query<{ id: string }[]>(
        `INSERT INTO appeals (number, type, category_code, title, content, channel, enterprise_id, status,
                              created_by, created_at, updated_at, routed_at)
         VALUES ($1, 'help', $2, '贷款审批', '技改项目贷款审批超过三个月仍无结果', 'web', $3, 'submitted', $4, $5, $5, $6)
         RETURNING id`,
        [
          `ZQTPEND${String(n).padStart(6, '0')}`,
          category.code,
          enterprise.id,
          creator.id,
          createdAt,
          routedAt,
        ],
      );
      return id;
    };
  });
  afterAll(async () => {
    await ds?.destroy();
    if (name) await dropDatabase(name);
  });

  const pending = async (id: string): Promise<Date | null> => {
    const rows = await ds.query<{ created_at: Date }[]>(
      `SELECT created_at FROM routing_pending WHERE appeal_id = $1`,
      [id],
    );
    return rows[0]?.created_at ?? null;
  };

  it('an appeal filed unrouted waits with its filing time; one inserted routed does not', async () => {
    const filedAt = new Date(Date.now() - 60_000);
    const waiting = await insert(null, filedAt);
    const routed = await insert(new Date());
    expect(await pending(waiting)).toEqual(filedAt);
    expect(await pending(routed)).toBeNull();
  });

  it('routing it removes it; clearing routed_at adds it again; other updates leave it be', async () => {
    const id = await insert(null);
    await ds.query(`UPDATE appeals SET title = '贷款审批进度' WHERE id = $1`, [id]);
    expect(await pending(id)).not.toBeNull();
    await ds.query(`UPDATE appeals SET routed_at = now() WHERE id = $1`, [id]);
    expect(await pending(id)).toBeNull();
    await ds.query(`UPDATE appeals SET routed_at = now(), title = '贷款' WHERE id = $1`, [id]);
    expect(await pending(id)).toBeNull();
    await ds.query(`UPDATE appeals SET routed_at = NULL WHERE id = $1`, [id]);
    expect(await pending(id)).not.toBeNull();
    // cleared twice: still one row
    await ds.query(`UPDATE appeals SET routed_at = NULL, title = '贷款审批' WHERE id = $1`, [id]);
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM routing_pending WHERE appeal_id = $1`,
      [id],
    );
    expect(n).toBe(1);
  });

  it('a deleted appeal leaves nothing waiting', async () => {
    const id = await insert(null);
    await ds.query(`DELETE FROM appeals WHERE id = $1`, [id]);
    expect(await pending(id)).toBeNull();
  });

  it('no index of appeals names a column routing writes', async () => {
    const indexes = await ds.query<{ def: string }[]>(
      `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = 'appeals'::regclass`,
    );
    expect(indexes.length).toBeGreaterThan(10);
    const naming = indexes.filter((i) => ROUTING_NOTES.some((c) => new RegExp(`\\b${c}\\b`).test(i.def)));
    expect(naming).toEqual([]);
  });

  it('routing an appeal without dispatching it is a HOT update', async () => {
    const id = await insert(null);
    const hot = await ds.transaction(async (m) => {
      // this backend's counts not yet reported (a transaction reports nothing before it ends)
      const counts = async () => {
        const [c] = await m.query<{ updated: string; hot: string }[]>(
          `SELECT n_tup_upd AS updated, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'appeals'`,
        );
        return { updated: Number(c.updated), hot: Number(c.hot) };
      };
      const before = await counts();
      await m.query(
        `UPDATE appeals SET routed_at = now(), suggested_routing = '{"source":"category"}',
                possible_duplicates = '[]', knowledge_suggestions = '[]' WHERE id = $1`,
        [id],
      );
      const after = await counts();
      return { updated: after.updated - before.updated, hot: after.hot - before.hot };
    });
    expect(hot).toEqual({ updated: 1, hot: 1 });
    expect(await pending(id)).toBeNull();
  });
});
