import type { EntityManager } from 'typeorm';
import { PendingTimer, TimerSource, TimerSources } from '../../src/modules/appeals/deadlines/timer-sources';
import { DeadlinesService } from '../../src/modules/deadlines/deadlines.service';
import { appealBody, client, world, World } from '../setup/appeal-helpers';
import { createTestApp, TestApp } from '../setup/test-app';
import { waitFor } from '../setup/wait';

/**
 * A room's own timers through the deadline machinery, against real Redis and PostgreSQL: a source
 * kept on a table of its own is armed after the writer commits, woken by its `deadline.timer` job,
 * caught by the sweeper when its wake-up is lost, and fires once.
 */
class TableTimers implements TimerSource {
  readonly name = 'test-table';
  woken: string[] = [];

  constructor(private readonly t: TestApp) {}

  async pending(m: EntityManager, appealIds: string[] | undefined, until: Date): Promise<PendingTimer[]> {
    const rows: { id: string; at: Date }[] = await m.query(
      `SELECT id, at FROM test_timers WHERE fired_at IS NULL AND ${appealIds ? 'appeal_id = ANY($1)' : 'at <= $1'}`,
      [appealIds ?? until],
    );
    return rows.map((r) => ({ id: r.id, kind: 'due', at: r.at }));
  }

  async wake(id: string, kind: string): Promise<boolean> {
    this.woken.push(`${id}.${kind}`);
    const [early]: { early: boolean }[] = await this.t.db.query(
      `SELECT at > now() AS early FROM test_timers WHERE id = $1 AND fired_at IS NULL`,
      [id],
    );
    if (early?.early) throw new Error('early');
    return (await this.fire(id)) > 0;
  }

  async sweep(): Promise<number> {
    return this.fire();
  }

  private async fire(id?: string): Promise<number> {
    const [, n]: [unknown, number] = await this.t.db.query(
      `UPDATE test_timers SET fired_at = now(), times = times + 1
       WHERE fired_at IS NULL AND at <= now() ${id ? 'AND id = $1' : ''}`,
      id ? [id] : [],
    );
    return n;
  }
}

describe('timer sources (BullMQ + PostgreSQL)', () => {
  let t: TestApp;
  let w: World;
  let api: ReturnType<typeof client>;
  let source: TableTimers;

  beforeAll(async () => {
    t = await createTestApp();
    w = await world(t);
    api = client(t);
    await t.db.query(
      `CREATE TABLE test_timers (id text PRIMARY KEY, appeal_id uuid NOT NULL, at timestamptz NOT NULL,
         fired_at timestamptz, times int NOT NULL DEFAULT 0)`,
    );
    source = new TableTimers(t);
    t.app.get(TimerSources).register(source);
  });
  afterAll(async () => {
    await t?.close();
  });

  const filed = async () =>
    (await api.post('/appeals', w.enterprise.auth, appealBody(w)).expect(201)).body.id as string;

  it('a timer of a changed appeal is armed after commit and fires once at its instant', async () => {
    const id = await filed();
    await t.db.query(`INSERT INTO test_timers (id, appeal_id, at) VALUES ('a', $1, now() + interval '1.5 s')`, [id]);
    // any change through the writer arms the appeal's pending timers, the source's among them
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
    await waitFor(async () => (await t.db.query(`SELECT fired_at FROM test_timers WHERE id = 'a'`))[0].fired_at);
    expect(source.woken).toContain('a.due');
    // woken again, and swept: still once
    expect(await source.wake('a', 'due')).toBe(false);
    await t.app.get(DeadlinesService).sweep();
    expect(await t.db.query(`SELECT times FROM test_timers WHERE id = 'a'`)).toEqual([{ times: 1 }]);
  });

  it('the sweeper fires a due timer whose wake-up never came', async () => {
    const id = await filed();
    // written behind the writer's back: nothing armed it
    await t.db.query(`INSERT INTO test_timers (id, appeal_id, at) VALUES ('b', $1, now() - interval '1 s')`, [id]);
    const result = await t.app.get(DeadlinesService).sweep();
    expect(result.fired).toBeGreaterThanOrEqual(1);
    expect(await t.db.query(`SELECT times FROM test_timers WHERE id = 'b'`)).toEqual([{ times: 1 }]);
    expect(source.woken).not.toContain('b.due');
  });

  it('refuses a second source of the same name and answers an unknown one with an error', () => {
    const sources = t.app.get(TimerSources);
    expect(() => sources.register(new TableTimers(t))).toThrow(/registered twice/);
    expect(() => sources.get('nobody')).toThrow(/no timer source/);
  });
});
