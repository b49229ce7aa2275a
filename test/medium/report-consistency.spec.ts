import { EntityManager } from 'typeorm';
import { FakeClock } from '../../src/common/clock';
import { COUNTERS } from '../../src/modules/reports/report-counters.sql';
import { COUNTER_KEYS } from '../../src/modules/reports/report-formulas';
import { GroupBy, Grouped, ReportFilter } from '../../src/modules/reports/reports.repository';
import { ReportsService } from '../../src/modules/reports/reports.service';
import { Factory } from '../setup/factories';
import { createTestApp, TestApp } from '../setup/test-app';

/** Small, seeded PRNG (mulberry32): the same "random" history every run. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const H = 3600_000;

/**
 * After a random history — written by direct SQL that does what the actions do (the triggers see
 * the same row changes): filings over several days, dispatches with co-handlers, on-time and late
 * acknowledgements, returns re-dispatched to another department, replies, surveys replaced by later
 * ones, reopen rounds, rejections, withdrawals, merges, and re-categorisations — every rollup-backed
 * figure equals its recomputation from the raw rows, for several filters and ranges (ragged instants
 * too), with some deltas folded and others not, leader-led or not (SPEC §8.2: derived from the raw rows
 * of the leader-led appeals, so checked against a direct filter); and report_rebuild() leaves the same
 * rollups.
 */
describe('report rollups equal the raw recomputation', () => {
  let t: TestApp;
  let reports: ReportsService;
  const clock = new FakeClock(new Date('2026-05-01T00:00:00+08:00'));
  const rnd = prng(20260501);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
  let departments: string[];
  let categories: string[];
  let parentCategory: string;
  const start = new Date('2026-04-06T00:00:00+08:00').getTime();
  // SPEC §9 contact and follow-through on its own PRNG, so the rest of the history is what it was without it
  const follow = prng(9);

  beforeAll(async () => {
    // ROLE=api: no background fold — the test decides what is folded and what is not
    t = await createTestApp({ clock, env: { ROLE: 'api' } });
    reports = t.app.get(ReportsService);
    const f = new Factory(t.db);
    departments = (await Promise.all(Array.from({ length: 5 }, () => f.department()))).map((d) => d.id);
    const parent = await f.category();
    parentCategory = parent.code;
    const kids = await Promise.all([
      f.category({ parentCode: parent.code }),
      f.category({ parentCode: parent.code }),
    ]);
    const other = await f.category();
    categories = [parent.code, ...kids.map((k) => k.code), other.code];
    const enterprise = await f.enterprise();
    const creator = await f.user('dispatcher');
    await history(enterprise.id, creator.id);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function history(enterpriseId: string, creatorId: string) {
    const q = (sql: string, params: unknown[] = []) => t.db.query(sql, params);
    const ids: string[] = [];
    const N = 160;
    // 领导领衔 on its own PRNG, so the rest of the history is what it was without it
    const leaders = prng(8);
    // plans (SPEC §9.3) on their own PRNG too
    const plans = prng(93);
    for (let i = 0; i < N; i++) {
      // spread over 20 days at any hour (local midnights included)
      const created = new Date(
        start + Math.floor(rnd() * 20 * 24) * H + (rnd() < 0.1 ? 0 : Math.floor(rnd() * H)),
      );
      const [row] = await q(
        `INSERT INTO appeals (number, type, category_code, title, content, district, channel, enterprise_id, status, created_by, created_at, updated_at, leader_name)
         VALUES ($1, 'help', $2, 't', 'c', $3, $4, $5, 'submitted', $6, $7, $7, $8) RETURNING id`,
        [
          `ZQTC${String(i).padStart(8, '0')}`,
          pick(categories),
          pick(['吴兴区', '南浔区', null]),
          pick(['web', 'app', 'hotline']),
          enterpriseId,
          creatorId,
          created,
          leaders() < 0.12 ? '王副市长' : null,
        ],
      );
      ids.push(row.id);
    }
    const steps = 1400;
    for (let s = 0; s < steps; s++) {
      const id = pick(ids);
      await t.db.transaction(async (m) => {
        const [a] = await m.query(`SELECT * FROM appeals WHERE id = $1 FOR UPDATE`, [id]);
        const base = new Date(a.created_at).getTime() + Math.floor(rnd() * 9 * 24) * H;
        await step(m, a, new Date(base), creatorId);
      });
      // SPEC §9.1, §9.2: a lead contacts its enterprise or gives a staged reply, on time or late
      if (follow() < 0.2)
        await t.db.transaction((m) => followUpStep(m, ids[Math.floor(follow() * ids.length)]));
      if (s % 97 === 0) await reports.fold();
      if (plans() < 0.25) {
        const pid = ids[Math.floor(plans() * ids.length)];
        await t.db.transaction(async (m) => {
          const [a] = await m.query(`SELECT * FROM appeals WHERE id = $1 FOR UPDATE`, [pid]);
          const at = new Date(new Date(a.created_at).getTime() + Math.floor(plans() * 9 * 24) * H);
          await planStep(m, a, at, creatorId, plans);
        });
      }
      // a leader takes over an appeal now and then, whatever its state
      if (leaders() < 0.01)
        await t.db.query(`UPDATE appeals SET leader_name = '李市长' WHERE id = $1`, [
          ids[Math.floor(leaders() * ids.length)],
        ]);
    }
  }

  /** The open lead assignment's contact counted or its staged reply given, at a random instant after dispatch. */
  async function followUpStep(m: EntityManager, id: string) {
    const [lead] = await m.query(
      `SELECT * FROM assignments WHERE appeal_id = $1 AND role = 'lead' AND status IN ('dispatched','in_progress')
       FOR UPDATE`,
      [id],
    );
    if (!lead) return;
    const at = new Date(new Date(lead.dispatched_at).getTime() + follow() * 4 * 24 * H);
    if (lead.contacted_at === null && follow() < 0.6)
      await m.query(
        `UPDATE assignments SET contacted_at = $2, contacted_on_time = CASE WHEN contact_due_at IS NOT NULL
           THEN $2 <= contact_due_at END WHERE id = $1`,
        [lead.id, new Date(new Date(lead.dispatched_at).getTime() + follow() * 3 * H)],
      );
    else if (lead.staged_replied_at === null && lead.staged_due_at !== null)
      await m.query(
        `UPDATE assignments SET staged_replied_at = $2, staged_on_time = $2 <= staged_due_at WHERE id = $1`,
        [lead.id, at],
      );
  }

  /**
   * SPEC §7.3: a supervision record at any level opened on the appeal, or one of its records answered
   * (on time or late), escalated to a notice, or closed.
   */
  async function supervisionStep(m: EntityManager, a: Record<string, unknown>, at: Date) {
    const q = (sql: string, params: unknown[] = []) => m.query(sql, params);
    // a fixed order and the seeded PRNG: the same choice every run
    const open = pick<Record<string, unknown> | undefined>(
      await q(
        `SELECT * FROM supervisions WHERE appeal_id = $1 AND status <> 'closed'
         ORDER BY created_at, level, answer_due_at NULLS FIRST, status`,
        [a.id],
      ),
    );
    const r = rnd();
    if (!open || r < 0.3) {
      const level = pick(['reminder', 'supervision', 'supervision', 'notice']);
      const department = rnd() < 0.15 ? null : pick(departments);
      const due =
        level === 'supervision' && department
          ? new Date(at.getTime() + Math.floor(rnd() * 6 * 24) * H)
          : null;
      await q(
        `INSERT INTO supervisions (appeal_id, department_id, level, source, note, status, answer_due_at, created_at)
         VALUES ($1, $2, $3, $4, 'n', 'open', $5, $6)`,
        [a.id, department, level, level === 'notice' ? 'escalation' : pick(['manual', 'overdue']), due, at],
      );
      return;
    }
    if (open.status === 'open' && open.level !== 'reminder' && r < 0.7) {
      await q(
        `UPDATE supervisions SET status = 'answered', answer = 'a', answered_at = $2,
           answered_on_time = CASE WHEN answer_due_at IS NULL THEN NULL ELSE $2 <= answer_due_at END WHERE id = $1`,
        [open.id, at],
      );
    } else if (
      open.level === 'supervision' &&
      open.status === 'open' &&
      !open.escalated_at &&
      open.answer_due_at &&
      r < 0.85
    ) {
      await q(`UPDATE supervisions SET escalated_at = answer_due_at WHERE id = $1`, [open.id]);
      await q(
        `INSERT INTO supervisions (appeal_id, department_id, level, source, note, status, escalated_from_id, created_at)
         VALUES ($1, $2, 'notice', 'escalation', 'n', 'open', $3, $4)`,
        [a.id, open.department_id, open.id, open.answer_due_at],
      );
    } else {
      await q(`UPDATE supervisions SET status = 'closed', closed_at = $2 WHERE id = $1`, [open.id, at]);
    }
  }

  /**
   * SPEC §9.3: a plan made on the appeal (by a department, as a planned reply makes it), or one of its
   * plans moved on: fulfilled (in time or late), its promise timer fired, cancelled, confirmed.
   */
  async function planStep(
    m: EntityManager,
    a: Record<string, unknown>,
    at: Date,
    creatorId: string,
    r: () => number,
  ) {
    const q = (sql: string, params: unknown[] = []) => m.query(sql, params);
    const rows: Record<string, unknown>[] = await q(
      `SELECT * FROM plans WHERE appeal_id = $1 ORDER BY created_at, id`,
      [a.id],
    );
    const open = rows.find((p) => p.status === 'open');
    const fulfilled = rows.find((p) => p.status === 'fulfilled');
    const x = r();
    if (!open && (x < 0.5 || !fulfilled)) {
      await q(
        `INSERT INTO plans (appeal_id, department_id, assignment_id, content, promised_by, next_feedback_at, status, created_by, created_at)
         VALUES ($1, $2, gen_random_uuid(), 'p', $3, $4, 'open', $5, $6)`,
        [
          a.id,
          departments[Math.floor(r() * departments.length)],
          new Date(at.getTime() + Math.floor(r() * 10 * 24) * H),
          new Date(at.getTime() + 24 * H),
          creatorId,
          at,
        ],
      );
    } else if (open) {
      if (x < 0.35)
        await q(
          `UPDATE plans SET status = 'fulfilled', fulfil_content = 'f', fulfilled_at = $2, fulfilled_on_time = $2 <= promised_by
           WHERE id = $1`,
          [open.id, at],
        );
      else if (x < 0.7)
        await q(
          `UPDATE plans SET overdue_fired_at = promised_by WHERE id = $1 AND overdue_fired_at IS NULL`,
          [open.id],
        );
      else if (x < 0.85)
        await q(
          `UPDATE plans SET feedback_fired_at = $2, feedbacks_missed = feedbacks_missed + 1 WHERE id = $1`,
          [open.id, at],
        );
      else await q(`UPDATE plans SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, [open.id, at]);
    } else if (fulfilled) {
      await q(
        `UPDATE plans SET status = 'confirmed', confirmed_at = $2, confirmed_resolved = $3 WHERE id = $1`,
        [fulfilled.id, at, r() < 0.7],
      );
    }
  }

  /** SPEC §7.2: an assessment appeal filed on a contestable survey of the appeal, or one decided. */
  async function assessmentStep(m: EntityManager, a: Record<string, unknown>, at: Date, creatorId: string) {
    const q = (sql: string, params: unknown[] = []) => m.query(sql, params);
    const [pending] = await q(
      `SELECT * FROM assessment_appeals WHERE appeal_id = $1 AND status = 'pending'`,
      [a.id],
    );
    if (pending) {
      const approve = rnd() < 0.6;
      await q(`UPDATE assessment_appeals SET status = $2, decided_at = $3 WHERE id = $1`, [
        pending.id,
        approve ? 'approved' : 'denied',
        at,
      ]);
      if (approve) {
        await q(`UPDATE surveys SET valid = false WHERE id = $1`, [pending.survey_id]);
        await q(
          `UPDATE appeals SET assessment_appeals_approved = assessment_appeals_approved + 1,
             latest_survey_valid = (SELECT valid FROM surveys WHERE appeal_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1)
           WHERE id = $1`,
          [a.id],
        );
      }
      return;
    }
    const survey = pick<Record<string, unknown> | undefined>(
      await q(
        `SELECT v.id FROM surveys v WHERE v.appeal_id = $1 AND (v.satisfaction = 'unsatisfied' OR NOT v.resolved)
           AND NOT EXISTS (SELECT 1 FROM assessment_appeals x WHERE x.survey_id = v.id)
         ORDER BY v.created_at, v.satisfaction, v.resolved`,
        [a.id],
      ),
    );
    if (!survey) return;
    await q(
      `INSERT INTO assessment_appeals (appeal_id, survey_id, department_id, reason, explanation, recontacted, status, filed_by, created_at)
       VALUES ($1, $2, $3, 'untrue', 'e', true, 'pending', $4, $5)`,
      [a.id, survey.id, a.lead_department_id ?? departments[0], creatorId, at],
    );
    await q(`UPDATE appeals SET assessment_appeals = assessment_appeals + 1 WHERE id = $1`, [a.id]);
  }

  /** One plausible action on appeal a at instant `at`, as the service would write it. */
  async function step(m: EntityManager, a: Record<string, unknown>, at: Date, creatorId: string) {
    const q = (sql: string, params: unknown[] = []) => m.query(sql, params);
    if (a.status !== 'submitted' && rnd() < 0.18) return supervisionStep(m, a, at);
    const r = rnd();
    const open: Record<string, unknown>[] = await q(
      `SELECT * FROM assignments WHERE appeal_id = $1 AND status IN ('dispatched','in_progress')
       ORDER BY dispatched_at, role DESC, department_id`,
      [a.id],
    );
    const dispatch = async (lead: string, round: number, acked = false) => {
      const co = departments.filter((d) => d !== lead);
      const rows = [[lead, 'lead'], ...(rnd() < 0.4 && !acked ? [[pick(co), 'co']] : [])];
      for (const [dept, role] of rows)
        await q(
          `INSERT INTO assignments (appeal_id, department_id, role, status, round, dispatched_at, ack_due_at, reply_due_at, original_reply_due_at, acknowledged_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
          [
            a.id,
            dept,
            role,
            acked ? 'in_progress' : 'dispatched',
            round,
            at,
            new Date(at.getTime() + (acked ? 0 : 4 * H)),
            new Date(at.getTime() + 5 * 24 * H),
            acked ? at : null,
          ],
        );
      // SPEC §9: the lead's contact due (a dispatch's only) and staged-reply due, when its policy sets them
      await q(
        `UPDATE assignments SET contact_due_at = $3, staged_due_at = $4
          WHERE appeal_id = $1 AND role = 'lead' AND status IN ('dispatched','in_progress') AND dispatched_at = $2`,
        [
          a.id,
          at,
          !acked && follow() < 0.8 ? new Date(at.getTime() + H) : null,
          follow() < 0.7 ? new Date(at.getTime() + 3 * 24 * H) : null,
        ],
      );
      await q(`UPDATE appeals SET status = $2, lead_department_id = $3, updated_at = $4 WHERE id = $1`, [
        a.id,
        acked ? 'in_progress' : 'dispatched',
        lead,
        at,
      ]);
    };
    const endOpen = async (status: string) => {
      // pending return requests lapse with their assignments (SPEC §7.1)
      await q(`UPDATE return_requests SET status = 'cancelled' WHERE appeal_id = $1 AND status = 'pending'`, [
        a.id,
      ]);
      await q(
        `UPDATE assignments SET status = $2, ended_at = $3,
           return_status = CASE WHEN return_status = 'pending' THEN 'cancelled' ELSE return_status END
         WHERE appeal_id = $1 AND status IN ('dispatched','in_progress')`,
        [a.id, status, at],
      );
    };
    /** SPEC §7.1: a return request, or the centre's decision on the pending one; false when neither applies */
    const returnStep = async (mine: Record<string, unknown>): Promise<boolean> => {
      if (mine.return_status === null) {
        await q(
          `INSERT INTO return_requests (appeal_id, assignment_id, department_id, reason, status, requested_by, requested_at)
           VALUES ($1, $2, $3, 'r', 'pending', $4, $5)`,
          [a.id, mine.id, mine.department_id, creatorId, at],
        );
        await q(`UPDATE assignments SET return_status = 'pending' WHERE id = $1`, [mine.id]);
        return true;
      }
      if (mine.return_status !== 'pending') return false;
      if (rnd() < 0.4) {
        await q(`UPDATE return_requests SET status = 'denied' WHERE assignment_id = $1`, [mine.id]);
        await q(`UPDATE assignments SET return_status = 'denied' WHERE id = $1`, [mine.id]);
        return true;
      }
      // 退单 approved: the assignment returns; the lead's sends the case back to the centre
      await q(`UPDATE return_requests SET status = 'approved' WHERE assignment_id = $1`, [mine.id]);
      await q(
        `UPDATE assignments SET status = 'returned', ended_at = $2, return_status = 'approved' WHERE id = $1`,
        [mine.id, at],
      );
      if (mine.role === 'lead') {
        await endOpen('cancelled');
        await q(`UPDATE appeals SET status = 'returned' WHERE id = $1`, [a.id]);
      }
      return true;
    };
    switch (a.status) {
      case 'submitted':
      case 'returned':
        if (r < 0.75)
          await dispatch(
            pick(departments.filter((d) => d !== a.lead_department_id)),
            a.reopen_count as number,
          );
        else if (r < 0.85) await q(`UPDATE appeals SET status = 'rejected' WHERE id = $1`, [a.id]);
        else if (r < 0.92) await q(`UPDATE appeals SET status = 'withdrawn' WHERE id = $1`, [a.id]);
        else await q(`UPDATE appeals SET status = 'merged' WHERE id = $1`, [a.id]);
        return;
      case 'dispatched':
      case 'in_progress': {
        const mine = pick(open);
        if (!mine) return;
        if (mine.status === 'dispatched' && r < 0.7) {
          await q(
            `UPDATE assignments SET status = 'in_progress', acknowledged_at = $2, ack_on_time = $2 <= ack_due_at WHERE id = $1`,
            [mine.id, new Date(new Date(mine.dispatched_at as Date).getTime() + rnd() * 8 * H)],
          );
          if (mine.role === 'lead')
            await q(`UPDATE appeals SET status = 'in_progress' WHERE id = $1`, [a.id]);
        } else if (r < 0.8 && (mine.role === 'lead' || rnd() < 0.3) && (await returnStep(mine))) {
          // a return request or its decision
        } else if (mine.status === 'in_progress' && mine.role === 'co') {
          await q(
            `UPDATE assignments SET status = 'completed', replied_at = $2, reply_on_time = $2 <= reply_due_at, ended_at = $2 WHERE id = $1`,
            [mine.id, at],
          );
        } else if (mine.status === 'in_progress' && mine.role === 'lead') {
          const repliedAt = new Date(new Date(mine.dispatched_at as Date).getTime() + rnd() * 8 * 24 * H);
          await q(
            `UPDATE assignments SET status = 'completed', replied_at = $2, reply_on_time = $2 <= reply_due_at,
               reply_working_seconds = $3, ended_at = $2,
               staged_on_time = CASE WHEN staged_due_at IS NOT NULL AND staged_replied_at IS NULL
                 THEN $2 <= staged_due_at ELSE staged_on_time END,
               staged_replied_at = CASE WHEN staged_due_at IS NOT NULL AND staged_replied_at IS NULL
                 THEN $2 ELSE staged_replied_at END
             WHERE id = $1`,
            [mine.id, repliedAt, Math.floor(rnd() * 40 * 3600)],
          );
          await endOpen('cancelled');
          await q(`UPDATE appeals SET status = 'replied', replied_at = $2 WHERE id = $1`, [a.id, repliedAt]);
        } else if (r < 0.9) {
          // an approved extension moves the reply deadline
          await q(
            `UPDATE assignments SET reply_due_at = reply_due_at + interval '3 days', extended_days = extended_days + 3 WHERE id = $1`,
            [mine.id],
          );
        } else if (r < 0.95) {
          await endOpen('cancelled');
          await q(`UPDATE appeals SET status = 'withdrawn' WHERE id = $1`, [a.id]);
        } else {
          // re-categorised while open: its open assignments follow
          await q(`UPDATE appeals SET category_code = $2, district = $3, channel = 'app' WHERE id = $1`, [
            a.id,
            pick(categories),
            pick(['南浔区', null]),
          ]);
        }
        return;
      }
      case 'replied':
      case 'closed': {
        if (a.status === 'closed' && r > 0.15 && r < 0.8) return assessmentStep(m, a, at, creatorId);
        if (a.status === 'closed' && r > 0.15) return;
        // a survey (a later one replaces the earlier on the appeal); sometimes recorded with an earlier instant
        const sat = pick(['satisfied', 'basically_satisfied', 'unsatisfied']);
        const createdAt = rnd() < 0.2 ? new Date(at.getTime() - 30 * 24 * H) : at;
        await q(
          `INSERT INTO surveys (appeal_id, satisfaction, resolved, round, recorded_by, recorded_role, created_at, contacted) VALUES ($1, $2, $3, $4, $5, 'dispatcher', $6, $7)`,
          [
            a.id,
            sat,
            rnd() < 0.6,
            a.reopen_count,
            creatorId,
            createdAt,
            follow() < 0.3 ? null : follow() < 0.8,
          ],
        );
        const [latest] = await q(
          `SELECT satisfaction, resolved, valid, contacted FROM surveys WHERE appeal_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`,
          [a.id],
        );
        await q(
          `UPDATE appeals SET latest_satisfaction = $2, latest_resolved = $3, latest_survey_valid = $4, latest_contacted = $5 WHERE id = $1`,
          [a.id, latest.satisfaction, latest.resolved, latest.valid, latest.contacted],
        );
        if (a.status === 'closed') return;
        if (sat === 'unsatisfied' && (a.reopen_count as number) < 2) {
          await q(`UPDATE appeals SET reopen_count = reopen_count + 1 WHERE id = $1`, [a.id]);
          await dispatch(a.lead_department_id as string, (a.reopen_count as number) + 1, true);
        } else {
          await q(`UPDATE appeals SET status = 'closed', closed_at = $2 WHERE id = $1`, [a.id, at]);
        }
        return;
      }
      default:
        // closed / rejected / withdrawn / merged: now and then re-categorised (moves every counter of the appeal)
        if (r < 0.05)
          await q(`UPDATE appeals SET category_code = $2, district = $3 WHERE id = $1`, [
            a.id,
            pick(categories),
            pick(['吴兴区', null]),
          ]);
    }
  }

  const nonZero = (g: Grouped) =>
    Object.fromEntries(
      [...g].filter(([, c]) => COUNTER_KEYS.some((k) => c[k] !== 0)).sort(([a], [b]) => a.localeCompare(b)),
    );

  async function compareAll(label: string) {
    clock.set(new Date('2026-04-20T15:30:00+08:00'));
    const ranges: [string, string][] = [
      ['2026-04-06T00:00:00+08:00', '2026-05-06T00:00:00+08:00'],
      ['2026-04-08T07:13:00+08:00', '2026-04-19T22:41:00+08:00'],
      ['2026-04-10T10:00:00+08:00', '2026-04-10T18:00:00+08:00'],
      ['2026-04-09T16:00:00Z', '2026-04-15T16:00:00Z'],
      // most of the first day and little of the last: the first edge is likelier read as its day minus
      // the rest, the last directly (the other way round from the range above)
      ['2026-04-07T02:30:00+08:00', '2026-04-17T03:00:00+08:00'],
      // whole months (April, May) from the monthly rollup, the days around them from the daily one
      ['2026-03-20T09:00:00+08:00', '2026-06-03T10:00:00+08:00'],
      // April from the monthly rollup minus its days before the period (with appeals), May as its days
      ['2026-04-08T07:13:00+08:00', '2026-05-20T10:00:00+08:00'],
      // inside April: the month minus a day at either end
      ['2026-04-02T10:00:00+08:00', '2026-04-29T10:00:00+08:00'],
    ];
    const filters: ReportFilter[] = [
      {},
      { departmentId: departments[0] },
      { categoryCodes: [parentCategory, categories[1], categories[2]] },
      // the history writes district names; the database stores their codes (districts migration)
      { district: '330502' },
      { channel: 'app' },
      { departmentId: departments[1], categoryCodes: [categories[3]] },
      { district: '330503', channel: 'hotline' },
      { leaderLed: true },
      { leaderLed: false },
      { departmentId: departments[2], leaderLed: false },
      { categoryCodes: [parentCategory, categories[1], categories[2]], leaderLed: true },
    ];
    const groups: GroupBy[] = ['none', 'department', 'category', 'day', 'week', 'month'];
    let compared = 0;
    for (const [from, to] of ranges)
      for (const f of filters)
        for (const g of groups) {
          const r = { from: new Date(from), to: new Date(to) };
          const rollup = nonZero(await reports.read(r, f, g, 'rollup'));
          const raw = nonZero(await reports.read(r, f, g, 'raw'));
          expect([label, from, to, f, g, rollup]).toEqual([label, from, to, f, g, raw]);
          compared++;
        }
    // the ranking (one statement: counters, knowledge and whistles by department) equals its raw recomputation
    for (const [from, to] of ranges)
      for (const q of [
        {},
        { channel: 'app' as const },
        { district: '330502' },
        { leaderLed: true },
        { leaderLed: false },
      ]) {
        // the figures, without the snapshot's time (`freshness`), which differs from one read to the next
        const figures = ({ freshness: _, ...rest }: { freshness?: unknown }) => rest;
        const ranking = figures(await reports.departments({ from, to, ...q }));
        expect([label, from, to, q, ranking]).toEqual([
          label,
          from,
          to,
          q,
          figures(await reports.departments({ from, to, ...q }, 'raw')),
        ]);
        compared++;
      }
    return compared;
  }

  it('the history is not trivial', async () => {
    const [s] = await t.db.query(
      `SELECT (SELECT count(*) FROM assignments WHERE status = 'returned')::int AS returned,
              (SELECT count(*) FROM assignments WHERE round > 0)::int AS reopened,
              (SELECT count(*) FROM (SELECT appeal_id FROM surveys GROUP BY 1 HAVING count(*) > 1) x)::int AS resurveyed,
              (SELECT count(*) FROM assignments WHERE role = 'co')::int AS co,
              (SELECT count(*) FROM assignments WHERE status IN ('dispatched','in_progress'))::int AS open,
              (SELECT count(*) FROM report_deltas)::int AS unfolded,
              (SELECT count(*) FROM appeals WHERE leader_name IS NOT NULL)::int AS led`,
    );
    expect(s.returned).toBeGreaterThan(3);
    expect(s.reopened).toBeGreaterThan(3);
    expect(s.resurveyed).toBeGreaterThan(3);
    expect(s.co).toBeGreaterThan(10);
    expect(s.open).toBeGreaterThan(3);
    expect(s.unfolded).toBeGreaterThan(0);
    // SPEC §7: return requests approved and denied, assessment appeals approved and denied, and
    // supervisions at every level, answered on time and late, escalated, and past due unescalated
    const [x] = await t.db.query(
      `SELECT (SELECT count(*) FROM return_requests WHERE status = 'approved')::int AS returns_approved,
              (SELECT count(*) FROM return_requests WHERE status = 'denied')::int AS returns_denied,
              (SELECT count(*) FROM assessment_appeals WHERE status = 'approved')::int AS contests_approved,
              (SELECT count(*) FROM assessment_appeals WHERE status = 'denied')::int AS contests_denied,
              (SELECT count(*) FROM appeals WHERE NOT latest_survey_valid AND latest_satisfaction IS NOT NULL)::int AS invalid_latest,
              (SELECT count(DISTINCT level) FROM supervisions)::int AS levels,
              (SELECT count(*) FROM supervisions WHERE answered_on_time)::int AS on_time,
              (SELECT count(*) FROM supervisions WHERE answered_on_time = false)::int AS late,
              (SELECT count(*) FROM supervisions WHERE escalated_at IS NOT NULL)::int AS escalated,
              (SELECT count(*) FROM supervisions WHERE level = 'supervision' AND status = 'open'
                 AND escalated_at IS NULL AND answer_due_at <= '2026-04-20T15:30:00+08:00')::int AS live_due`,
    );
    if (process.env.DEBUG_HISTORY) console.log(x);
    expect(x.returns_approved).toBeGreaterThan(3);
    expect(x.returns_denied).toBeGreaterThan(3);
    expect(x.contests_approved).toBeGreaterThan(1);
    expect(x.contests_denied).toBeGreaterThan(0);
    expect(x.invalid_latest).toBeGreaterThan(0);
    expect(x.levels).toBe(3);
    expect(x.on_time).toBeGreaterThan(0);
    expect(x.late).toBeGreaterThan(0);
    expect(x.escalated).toBeGreaterThan(0);
    expect(x.live_due).toBeGreaterThan(0);
    expect(s.led).toBeGreaterThan(10);
    // SPEC §9: contacts and staged replies on time and late, pending ones past due at "now", surveys that asked
    const [y] = await t.db.query(
      `SELECT (SELECT count(*) FROM assignments WHERE contacted_on_time)::int AS contact_on_time,
              (SELECT count(*) FROM assignments WHERE contacted_on_time = false)::int AS contact_late,
              (SELECT count(*) FROM assignments WHERE staged_on_time)::int AS staged_on_time,
              (SELECT count(*) FROM assignments WHERE staged_on_time = false)::int AS staged_late,
              (SELECT count(*) FROM assignments WHERE status IN ('dispatched','in_progress') AND role = 'lead'
                 AND contacted_at IS NULL AND contact_due_at <= '2026-04-20T15:30:00+08:00')::int AS contact_live,
              (SELECT count(*) FROM assignments WHERE status IN ('dispatched','in_progress') AND role = 'lead'
                 AND staged_replied_at IS NULL AND staged_due_at <= '2026-04-20T15:30:00+08:00')::int AS staged_live,
              (SELECT count(*) FROM assignments WHERE status NOT IN ('dispatched','in_progress') AND role = 'lead'
                 AND contacted_at IS NULL AND ended_at > contact_due_at)::int AS contact_ended_late,
              (SELECT count(*) FROM appeals WHERE latest_contacted)::int AS said_contacted,
              (SELECT count(*) FROM appeals WHERE latest_contacted = false)::int AS said_not`,
    );
    if (process.env.DEBUG_HISTORY) console.log(y);
    for (const [k, v] of Object.entries(y)) expect([k, v]).toEqual([k, expect.any(Number)]);
    for (const [k, v] of Object.entries(y)) expect([k, (v as number) > 0]).toEqual([k, true]);
    // SPEC §9.3: plans in every status, fulfilled in time and late, overdue fired and still live
    const [p] = await t.db.query(
      `SELECT (SELECT count(DISTINCT status) FROM plans)::int AS statuses,
              (SELECT count(*) FROM plans WHERE fulfilled_on_time)::int AS on_time,
              (SELECT count(*) FROM plans WHERE fulfilled_on_time = false)::int AS late,
              (SELECT count(*) FROM plans WHERE overdue_fired_at IS NOT NULL AND status = 'open')::int AS fired_open,
              (SELECT count(*) FROM plans WHERE status = 'confirmed' AND confirmed_resolved)::int AS confirmed,
              (SELECT count(*) FROM plans WHERE status = 'open' AND overdue_fired_at IS NULL
                 AND promised_by <= '2026-04-20T15:30:00+08:00')::int AS live_due`,
    );
    if (process.env.DEBUG_HISTORY) console.log(p);
    expect(p.statuses).toBe(4);
    expect(p.on_time).toBeGreaterThan(0);
    expect(p.late).toBeGreaterThan(0);
    expect(p.fired_open).toBeGreaterThan(0);
    expect(p.confirmed).toBeGreaterThan(0);
    expect(p.live_due).toBeGreaterThan(0);
  });

  it('40 writers on the same day and department at once, folds running meanwhile: all commit, the counts are exact', async () => {
    const [{ id: enterpriseId }] = await t.db.query(`SELECT id FROM enterprises LIMIT 1`);
    const [{ id: creatorId }] = await t.db.query(`SELECT id FROM users LIMIT 1`);
    const day = new Date('2026-04-28T10:00:00+08:00');
    const writers = Array.from({ length: 40 }, (_, i) =>
      t.db.transaction(async (m) => {
        const [a] = await m.query(
          `INSERT INTO appeals (number, type, category_code, title, content, channel, enterprise_id, status, created_by, created_at, updated_at, lead_department_id)
           VALUES ($1, 'help', $2, 't', 'c', 'web', $3, 'dispatched', $4, $5, $5, $6) RETURNING id`,
          [`ZQTP${String(i).padStart(8, '0')}`, categories[0], enterpriseId, creatorId, day, departments[0]],
        );
        await m.query(
          `INSERT INTO assignments (appeal_id, department_id, role, status, dispatched_at, ack_due_at, reply_due_at, original_reply_due_at, acknowledged_at, ack_on_time)
           VALUES ($1, $2, 'lead', 'in_progress', $3, $4, $4, $4, $3, true)`,
          [a.id, departments[0], day, new Date(day.getTime() + 4 * H)],
        );
      }),
    );
    await Promise.all([...writers, reports.fold(), reports.fold(), reports.fold()]);
    const r = { from: new Date('2026-04-28T00:00:00+08:00'), to: new Date('2026-04-29T00:00:00+08:00') };
    const f = { departmentId: departments[0] };
    const raw = (await reports.read(r, f, 'none', 'raw')).get('')!;
    expect(raw.received).toBeGreaterThanOrEqual(40);
    expect((await reports.read(r, f, 'none', 'rollup')).get('')).toEqual(raw);
  });

  it('with deltas partly folded, fully folded, and after rebuild()', async () => {
    expect(await compareAll('partly folded')).toBeGreaterThan(100);
    await reports.fold();
    expect(Number((await t.db.query(`SELECT count(*) AS n FROM report_deltas`))[0].n)).toBe(0);
    await compareAll('folded');
    const dump = async () => ({
      full: await t.db.query(
        `SELECT * FROM report_rollup_full WHERE ${COUNTER_SQL} ORDER BY day, department_id, category_code, district, channel`,
      ),
      dim: await t.db.query(
        `SELECT * FROM report_rollup_dim WHERE ${COUNTER_SQL} ORDER BY day, dim, dim_value`,
      ),
      month: await t.db.query(
        `SELECT * FROM report_rollup_month WHERE ${COUNTER_SQL} ORDER BY month, dim, dim_value`,
      ),
      open: await t.db.query(`SELECT * FROM report_open_assignments ORDER BY assignment_id`),
    });
    const before = await dump();
    await reports.rebuild();
    expect(await dump()).toEqual(before);
    await compareAll('rebuilt');
    // three passes of 568 comparisons, each read twice: minutes on a loaded machine
  }, 300_000);
});

const COUNTER_SQL = `(${COUNTERS.map((c) => c.column).join(', ')}) IS DISTINCT FROM
  (${COUNTERS.map((c) => `0::${c.type}`).join(', ')})`;
