/**
 * npm run seed:volume -- --appeals N [--database-url URL] [--days D] [--chunk C] [--no-search-index]
 *
 * Fills a database with a realistic multi-year history for benchmarks and demos, fast, with
 * set-based SQL (INSERT … SELECT FROM generate_series, in chunks, with progress): ~40 departments,
 * ~30 categories in a two-level tree, N/20 enterprises, N appeals over D days (default 3 years) ending
 * now — mostly closed, some rejected / withdrawn / merged, a few still open (recent ones mostly, older
 * ones overdue) — with lead and co-handling assignments (on-time and late acknowledgements and
 * replies, approved extensions, returns re-dispatched to another department), reopen rounds and
 * return-visit surveys (mostly satisfied, unsatisfied ones reopening, some not rated). About 10 % of the
 * appeals are a meeting's issues (政企恳谈会: one meeting per ~10 issues, held before them, its attending
 * enterprises those that raised them; a tenth of them answered on the spot); about 1 % are leader-led.
 *
 * For speed the rows are loaded with triggers and foreign-key checks off (session_replication_role =
 * replica) and without the trigram search index; afterwards report_rebuild() recomputes the report
 * rollups from the rows, the index is rebuilt and the database vacuumed. The event log stays empty for
 * volume data (the hash chain is not what reports read). Appends to whatever is there (appeal numbers
 * ZQV…, codes VD…/VC…).
 * Never point it at a production database.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { migrate } from '../src/infra/database/data-source-options';

const DAY = 86_400;
/** Share of the appeals raised at meetings, and issues per meeting (Huzhou 2022: 2,229 issues from 201). */
const MEETING_SHARE = 0.1;
const ISSUES_PER_MEETING = 10;

async function main() {
  const { values } = parseArgs({
    options: {
      appeals: { type: 'string' },
      'database-url': { type: 'string' },
      days: { type: 'string' },
      chunk: { type: 'string' },
      'no-search-index': { type: 'boolean' },
    },
    strict: true,
  });
  const n = Number(values.appeals);
  if (!Number.isInteger(n) || n < 1) throw new Error('--appeals N (a positive whole number) is required');
  const days = Number(values.days ?? 3 * 365);
  const chunk = Number(values.chunk ?? 250_000);
  const url = values['database-url'] ?? process.env.DATABASE_URL;
  if (!url) throw new Error('--database-url or DATABASE_URL is required');
  const t0 = performance.now();
  const lap = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  await seedVolume(url, n, { days, chunk, searchIndex: !values['no-search-index'], log: console.log });
  console.log(`done in ${lap()}`);
}

/** Migrates the database at `url` and appends `n` appeals of history (see the file comment). */
export async function seedVolume(
  url: string,
  n: number,
  opts: { days?: number; chunk?: number; searchIndex?: boolean; log?: (line: string) => void } = {},
): Promise<void> {
  const t0 = performance.now();
  const lap = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const log = opts.log ?? (() => undefined);
  await migrate(url);
  const c = new Client({ connectionString: url, application_name: 'zqt-seed-volume' });
  await c.connect();
  try {
    await seed(c, n, opts.days ?? 3 * 365, opts.chunk ?? 250_000, opts.searchIndex ?? true, lap, log);
  } finally {
    await c.end();
  }
}

async function seed(
  c: Client,
  n: number,
  days: number,
  chunk: number,
  searchIndex: boolean,
  lap: () => string,
  log: (line: string) => void,
) {
  await c.query(`SET session_replication_role = replica`);
  await c.query(`SET synchronous_commit = off`);
  await c.query(`SET work_mem = '256MB'`);
  await c.query(`SET maintenance_work_mem = '512MB'`);

  // ---- reference data (idempotent by code)
  await c.query(`
    INSERT INTO departments (code, name, kind)
    SELECT 'VD' || lpad(i::text, 2, '0'),
           (ARRAY['市发展改革委','市经信局','市商务局','市市场监管局','市人社局','市税务局','市自然资源局','市住建局','市生态环境局','市交通局',
                  '市财政局','市科技局','市金融办','市数据局','市应急局','市水利局','市农业农村局','市文旅局','市卫健委','市公安局'])[1 + (i - 1) % 20]
             || CASE WHEN i > 20 THEN '（' || (ARRAY['吴兴区','南浔区','德清县','长兴县','安吉县'])[1 + (i - 21) % 5] || '）' ELSE '' END,
           CASE WHEN i > 20 THEN 'district' ELSE 'department' END
    FROM generate_series(1, 40) i
    ON CONFLICT (code) DO NOTHING`);
  await c.query(`
    INSERT INTO categories (code, name, parent_code)
    SELECT 'VC' || i, (ARRAY['政策咨询','融资信贷','用工社保','税费服务','审批许可','要素保障'])[i], NULL
    FROM generate_series(1, 6) i
    ON CONFLICT (code) DO NOTHING`);
  await c.query(`
    INSERT INTO categories (code, name, parent_code)
    SELECT 'VC' || p || '.' || k, (ARRAY['政策咨询','融资信贷','用工社保','税费服务','审批许可','要素保障'])[p] || '·子类' || k, 'VC' || p
    FROM generate_series(1, 6) p, generate_series(1, 4) k
    ON CONFLICT (code) DO NOTHING`);
  const { rows: existingEnt } = await c.query(
    `SELECT count(*)::int AS n FROM enterprises WHERE name LIKE '卷%'`,
  );
  const wantEnt = Math.max(1, Math.ceil(n / 20));
  if (existingEnt[0].n < wantEnt) {
    // districts as stored: GB/T 2260 codes; the city's functional zones (经开区, 度假区) count under the city, 330500
    await c.query(
      `INSERT INTO enterprises (name, uscc, district, industry, contact_name, contact_phone)
       SELECT '卷' || i || '号测试企业有限公司', '9V' || lpad(i::text, 16, '0'),
              (ARRAY['330502','330503','330521','330522','330523','330500','330500'])[1 + i % 7],
              '制造业', '联系人', '139' || lpad(i::text, 8, '0')
       FROM generate_series($1::int + 1, $2::int) i
       ON CONFLICT (uscc) DO NOTHING`,
      [existingEnt[0].n, wantEnt],
    );
  }
  await c.query(`
    INSERT INTO users (username, password_hash, role, display_name)
    VALUES ('volume_dispatcher', '!disabled', 'dispatcher', '批量数据') ON CONFLICT (username) DO NOTHING`);
  await c.query(
    `CREATE TEMP TABLE vd AS SELECT row_number() OVER (ORDER BY code) AS k, id FROM departments WHERE code LIKE 'VD%'`,
  );
  await c.query(
    `CREATE TEMP TABLE vc AS SELECT row_number() OVER (ORDER BY code) AS k, code FROM categories WHERE code LIKE 'VC%.%'`,
  );
  await c.query(
    `CREATE TEMP TABLE ve AS SELECT row_number() OVER (ORDER BY uscc) AS k, id FROM enterprises WHERE name LIKE '卷%'`,
  );
  await c.query(`ALTER TABLE ve ADD PRIMARY KEY (k)`);
  await c.query(`ANALYZE ve`);
  const [{ nd, nc, ne }] = (
    await c.query(
      `SELECT (SELECT count(*) FROM vd)::int nd, (SELECT count(*) FROM vc)::int nc, (SELECT count(*) FROM ve)::int ne`,
    )
  ).rows;
  const [{ creator }] = (
    await c.query(`SELECT id AS creator FROM users WHERE username = 'volume_dispatcher'`)
  ).rows;
  const [{ offset }] = (await c.query(`SELECT count(*)::int AS offset FROM appeals WHERE number LIKE 'ZQV%'`))
    .rows;
  log(`reference data ready (${nd} departments, ${nc} leaf categories, ${ne} enterprises) · ${lap()}`);

  await c.query(`DROP INDEX IF EXISTS ix_appeals_search_trgm`);
  await c.query(`DROP INDEX IF EXISTS ix_appeals_contact_trgm`);
  const end = Math.floor(Date.now() / 1000);
  const span = days * DAY;

  // this run's meetings, one per ~10 meeting issues, evenly over the span: meeting k is held at the start
  // of its slot, and the meeting issues created in that slot are its issues
  const meetings = Math.max(1, Math.ceil((n * MEETING_SHARE) / ISSUES_PER_MEETING));
  await c.query(
    `CREATE TEMP TABLE vm AS
     SELECT k, gen_random_uuid() AS id, to_timestamp(${end - span} + k * ${span}::float8 / ${meetings}) AS held_at
       FROM generate_series(0, ${meetings - 1}) k`,
  );
  await c.query(`ALTER TABLE vm ADD PRIMARY KEY (k)`);
  await c.query(
    `INSERT INTO meetings (id, title, held_at, district, leader_name, attendee_count, created_by, created_at)
     SELECT id, '亲清直通车·政企恳谈会（卷' || k || '期）', held_at,
            (ARRAY['330502','330503','330521','330522','330523'])[1 + k % 5],
            (ARRAY['王建华副市长','李卫东副市长','赵明常务副市长','孙立群副市长'])[1 + k % 4], 0, '${creator}', held_at
       FROM vm`,
  );
  log(`${meetings.toLocaleString('en-US')} meetings · ${lap()}`);

  for (let a = 1; a <= n; a += chunk) {
    const b = Math.min(n, a + chunk - 1);
    await c.query('BEGIN');
    // one row of random choices per appeal; everything else is derived from it, so rows agree
    await c.query(
      `CREATE TEMP TABLE gen ON COMMIT DROP AS
       SELECT g, gen_random_uuid() AS id,
         to_timestamp(${end - span} + (g - 1 + random()) * ${span}::float8 / ${n}) AS created_at,
         random() AS r_status, random() AS r_dept, random() AS r_cat, random() AS r_ent, random() AS r_co,
         random() AS r_ack, random() AS r_reply, random() AS r_sat, random() AS r_reopen, random() AS r_misc,
         random() AS r_chan, random() AS r_type
       FROM generate_series($1::int, $2::int) g`,
      [a, b],
    );
    await c.query(`
      CREATE TEMP TABLE plan ON COMMIT DROP AS
      SELECT gen.*,
        age_days,
        -- status: open mostly among the last 30 days; old open ones are the overdue tail
        CASE
          WHEN r_status < 0.03 THEN 'rejected'
          WHEN r_status < 0.05 THEN 'withdrawn'
          WHEN r_status < 0.07 THEN 'merged'
          WHEN r_status < 0.07 + CASE WHEN age_days < 30 THEN 0.25 ELSE 0.003 END THEN
            (ARRAY['submitted','dispatched','in_progress','in_progress','replied'])[1 + floor(r_misc * 5)::int]
          ELSE 'closed' END AS status,
        d.a[1 + floor(r_dept * ${nd})::int] AS lead,
        d.a[1 + floor(r_co * 997)::int % ${nd}] AS co,
        d.a[1 + (floor(r_dept * ${nd})::int + 7) % ${nd}] AS first_lead,
        cs.a[1 + floor(r_cat * ${nc})::int] AS category,
        ve.id AS enterprise,
        CASE WHEN r_chan < ${MEETING_SHARE} THEN 'meeting'
             ELSE (ARRAY['web','web','app','app','hotline','hotline','hotline','visit'])[1 + floor((r_chan - ${MEETING_SHARE}) / ${1 - MEETING_SHARE} * 8)::int] END AS channel,
        CASE WHEN r_chan < ${MEETING_SHARE} THEN
          (SELECT vm.id FROM vm WHERE vm.k = least(${meetings - 1},
            floor((extract(epoch FROM gen.created_at) - ${end - span}) / (${span}::float8 / ${meetings}))::int)) END AS meeting_id
      FROM gen
      JOIN ve ON ve.k = 1 + floor(gen.r_ent * ${ne})::int
      CROSS JOIN (SELECT array_agg(id ORDER BY k) AS a FROM vd) d
      CROSS JOIN (SELECT array_agg(code ORDER BY k) AS a FROM vc) cs
      CROSS JOIN LATERAL (SELECT extract(epoch FROM now() - gen.created_at) / ${DAY} AS age_days) x`);
    await c.query(`
      CREATE TEMP TABLE p2 ON COMMIT DROP AS
      SELECT plan.*,
        on_spot,
        NOT on_spot AND status NOT IN ('submitted','rejected') AND NOT (status IN ('withdrawn','merged') AND r_misc < 0.5) AS dispatched,
        CASE WHEN on_spot THEN 0 WHEN status = 'closed' OR status = 'replied' OR status = 'in_progress' THEN
          CASE WHEN r_reopen < 0.02 THEN 2 WHEN r_reopen < 0.10 THEN 1 ELSE 0 END ELSE 0 END AS reopens,
        r_co < 0.15 AS has_co,
        r_misc > 0.97 AS was_returned,
        r_reply > 0.95 AS extended,
        status = 'closed' AND r_sat < 0.82 AS rated,
        created_at + interval '1 hour' * (1 + r_misc * 3) AS d0,
        -- 领导领衔: the hardest few, meeting issues more often
        CASE WHEN r_reopen > (CASE WHEN channel = 'meeting' THEN 0.97 ELSE 0.99 END)
             THEN (ARRAY['王建华副市长','李卫东副市长','赵明常务副市长','孙立群副市长'])[1 + floor(r_ent * 4)::int] END AS leader
      FROM plan CROSS JOIN LATERAL (
        SELECT channel = 'meeting' AND r_type < 0.1 AND status IN ('closed','replied') AS on_spot) o`);
    await c.query(`
      INSERT INTO appeals (id, number, type, category_code, title, content, urgency, district, channel, enterprise_id,
        contact_name, contact_phone, confidential, status, lead_department_id, reopen_count, supervised, version,
        created_by, created_at, updated_at, dispatched_at, reply_content, reply_outcome, replied_at, survey_due_at,
        closed_at, close_reason, status_reason, latest_satisfaction, latest_resolved, meeting_id, resolved_on_spot,
        leader_name, leader_instructions, routed_at)
      SELECT id, 'ZQV' || lpad((g + ${offset})::text, 12, '0'),
        (ARRAY['consultation','complaint','help','suggestion','report','praise','help','consultation'])[1 + floor(r_type * 8)::int],
        category,
        (ARRAY['光伏并网验收','技改贷款贴息','用地指标审批','排水接驳许可','消防验收备案','电力增容申请','人才公寓申请',
               '出口退税进度','环评审批','物流园区道路','招工用工','融资担保','厂房租金补贴','特种设备检验','知识产权质押',
               '高新企业认定','污水处理收费','天然气供应','施工许可','信用修复'])[1 + g % 20] || ' 企业诉求 ' || g,
        '批量生成的诉求内容 ' || g, CASE WHEN r_type > 0.93 THEN 'urgent' ELSE 'normal' END,
        CASE WHEN r_chan > 0.9 THEN NULL ELSE (ARRAY['330502','330503','330521','330522','330523','330500','330500'])[1 + floor(r_ent * 7)::int] END,
        channel,
        enterprise,
        (ARRAY['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + g % 10]
          || (ARRAY['伟','芳','娜','敏','静','强','磊','军','洋','勇','艳','杰','涛','明','超'])[1 + (g / 10) % 15]
          || (ARRAY['华','平','刚','桂英','建国','丽','海','文','斌','玉兰'])[1 + (g / 150) % 10],
        '13' || lpad(((g::bigint * 7919) % 1000000000)::text, 9, '0'), false, status,
        CASE WHEN dispatched THEN lead END, reopens, false, 1 + reopens * 3,
        '${creator}', created_at, created_at, CASE WHEN dispatched THEN d0 END,
        CASE WHEN status IN ('closed','replied') THEN '已答复' END,
        CASE WHEN status IN ('closed','replied') THEN 'resolved' END,
        CASE WHEN status IN ('closed','replied') THEN d0 + interval '7 days' * reopens + interval '1 day' * (0.5 + r_reply * 5) END,
        CASE WHEN status = 'replied' THEN d0 + interval '7 days' * reopens + interval '1 day' * (3.5 + r_reply * 5) END,
        CASE WHEN status = 'closed' THEN d0 + interval '7 days' * reopens + interval '1 day' * (1.5 + r_reply * 5) END,
        CASE WHEN status = 'closed' THEN CASE WHEN rated THEN 'rated' ELSE 'not_rated' END END,
        CASE WHEN status IN ('rejected','withdrawn') THEN '批量数据' END,
        CASE WHEN rated THEN (CASE WHEN r_sat < 0.62 THEN 'satisfied' WHEN r_sat < 0.78 THEN 'basically_satisfied' ELSE 'unsatisfied' END)
             WHEN reopens > 0 THEN 'unsatisfied' END,
        CASE WHEN rated THEN r_sat < 0.74 WHEN reopens > 0 THEN false END,
        meeting_id, on_spot, leader,
        CASE WHEN leader IS NOT NULL THEN jsonb_build_array(jsonb_build_object('text', '请牵头专题研究，限期解决。',
          'at', to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'leaderName', leader)) END,
        created_at -- routed as filed: history has nothing waiting for routing
      FROM p2`);
    // returned first leads (退单), re-dispatched to another department
    await c.query(`
      INSERT INTO assignments (appeal_id, department_id, role, status, round, dispatched_at, dispatched_by, ack_due_at,
        reply_due_at, original_reply_due_at, acknowledged_at, ack_on_time, ended_at, return_reason)
      SELECT id, first_lead, 'lead', 'returned', 0, d0 - interval '1 day', '${creator}', d0 - interval '20 hours',
        d0 + interval '4 days', d0 + interval '4 days', d0 - interval '21 hours', true, d0 - interval '2 hours', '不属本单位职责'
      FROM p2 WHERE dispatched AND was_returned AND first_lead <> lead`);
    // lead assignment, round 0..reopens; the last round carries the appeal's current state
    await c.query(`
      INSERT INTO assignments (appeal_id, department_id, role, status, round, dispatched_at, dispatched_by, ack_due_at,
        reply_due_at, original_reply_due_at, extended_days, acknowledged_at, ack_on_time, replied_at, reply_on_time,
        reply_working_seconds, ended_at, ack_overdue_fired_at, reply_overdue_fired_at, overdue)
      SELECT id, lead, 'lead', st, k, ds, CASE WHEN k = 0 THEN '${creator}'::uuid END, ack_due,
        reply_due, reply_due - interval '1 day' * ext_days, ext_days,
        ack_at, CASE WHEN k = 0 AND ack_at IS NOT NULL THEN ack_at <= ack_due END,
        rep_at, CASE WHEN rep_at IS NOT NULL THEN rep_at <= reply_due END,
        CASE WHEN rep_at IS NOT NULL THEN (extract(epoch FROM rep_at - ds) * 0.29)::int END,
        CASE WHEN st IN ('completed','cancelled') THEN coalesce(rep_at, ds + interval '1 day') END,
        CASE WHEN st = 'dispatched' AND ack_due <= now() THEN ack_due END,
        CASE WHEN st = 'in_progress' AND reply_due <= now() THEN reply_due END,
        (st = 'dispatched' AND ack_due <= now()) OR (st = 'in_progress' AND reply_due <= now())
      FROM (
        SELECT p2.*, k, ds,
          ds + CASE WHEN k = 0 THEN interval '4 hours' ELSE interval '0' END AS ack_due,
          ds + interval '5 days' + interval '1 day' * ext_days AS reply_due,
          ext_days,
          CASE WHEN k > 0 THEN ds
               WHEN last AND status = 'dispatched' THEN NULL
               WHEN status IN ('withdrawn','merged') AND r_ack < 0.5 THEN NULL
               ELSE ds + interval '1 hour' * (CASE WHEN r_ack < 0.93 THEN r_ack * 4 ELSE 4 + r_ack * 20 END) END AS ack_at,
          CASE WHEN NOT last OR status IN ('closed','replied')
               THEN ds + interval '1 day' * (CASE WHEN r_reply < 0.9 THEN 0.5 + r_reply * 4 ELSE 4 + r_reply * 4 + ext_days * 0.5 END) END AS rep_at,
          CASE WHEN NOT last OR status IN ('closed','replied') THEN 'completed'
               WHEN status IN ('dispatched','in_progress') THEN status
               ELSE 'cancelled' END AS st
        FROM p2, LATERAL generate_series(0, p2.reopens) k,
          LATERAL (SELECT d0 + interval '7 days' * k AS ds, k = p2.reopens AS last,
                          CASE WHEN extended AND k = 0 THEN 3 ELSE 0 END AS ext_days) y
        WHERE dispatched
      ) z
      -- an open appeal that is still 'dispatched' has never been acknowledged
      WHERE NOT (status = 'dispatched' AND k > 0)`);
    // co-handling assignments (opinion given, or cancelled with the appeal)
    await c.query(`
      INSERT INTO assignments (appeal_id, department_id, role, status, round, dispatched_at, dispatched_by, ack_due_at,
        reply_due_at, original_reply_due_at, acknowledged_at, ack_on_time, replied_at, reply_on_time, opinion, ended_at)
      SELECT id, co, 'co', st, 0, d0, '${creator}', d0 + interval '4 hours', d0 + interval '5 days', d0 + interval '5 days',
        ack_at, CASE WHEN ack_at IS NOT NULL THEN ack_at <= d0 + interval '4 hours' END,
        rep_at, CASE WHEN rep_at IS NOT NULL THEN rep_at <= d0 + interval '5 days' END,
        CASE WHEN rep_at IS NOT NULL THEN '协办意见' END,
        CASE WHEN st <> 'dispatched' AND st <> 'in_progress' THEN coalesce(rep_at, d0 + interval '2 days') END
      FROM (
        SELECT p2.*,
          CASE WHEN status = 'dispatched' THEN NULL ELSE d0 + interval '1 hour' * (r_co * 30) END AS ack_at,
          CASE WHEN status IN ('closed','replied') OR (status = 'in_progress' AND r_co < 0.07)
               THEN d0 + interval '1 day' * (r_co * 40) END AS rep_at,
          CASE WHEN status IN ('closed','replied') OR (status = 'in_progress' AND r_co < 0.07) THEN 'completed'
               WHEN status IN ('dispatched','in_progress') THEN status ELSE 'cancelled' END AS st
        FROM p2 WHERE dispatched AND has_co AND co <> lead
      ) z`);
    // surveys: an unsatisfied one per reopen round, then the final rating when rated
    await c.query(`
      INSERT INTO surveys (appeal_id, satisfaction, resolved, comment, round, recorded_by, recorded_role, created_at)
      SELECT id, 'unsatisfied', false, '未解决', k, '${creator}'::uuid, 'dispatcher', d0 + interval '7 days' * k + interval '6 days'
      FROM p2, generate_series(0, p2.reopens - 1) k WHERE reopens > 0
      UNION ALL
      SELECT a.id, a.latest_satisfaction, a.latest_resolved, NULL, a.reopen_count, '${creator}'::uuid, 'dispatcher', a.closed_at
      FROM p2 JOIN appeals a ON a.id = p2.id WHERE p2.rated`);
    await c.query('COMMIT');
    log(`appeals ${b.toLocaleString('en-US')} / ${n.toLocaleString('en-US')} · ${lap()}`);
  }

  // the meetings' attending enterprises: those that raised their issues; attendees a few more
  await c.query(
    `INSERT INTO meeting_enterprises (meeting_id, enterprise_id, held_at, district)
     SELECT DISTINCT a.meeting_id, a.enterprise_id, m.held_at, m.district
       FROM appeals a JOIN vm ON vm.id = a.meeting_id JOIN meetings m ON m.id = a.meeting_id
     ON CONFLICT DO NOTHING`,
  );
  // each attendance linked to the enterprise's previous one (as MeetingsService.create keeps them)
  await c.query(
    `UPDATE meeting_enterprises me SET prev_held_at = x.prev, prev_held_at_in_district = x.prev_in_district
       FROM (SELECT meeting_id, enterprise_id,
                    lag(held_at) OVER (PARTITION BY enterprise_id ORDER BY held_at, meeting_id) AS prev,
                    lag(held_at) OVER (PARTITION BY enterprise_id, district ORDER BY held_at, meeting_id) AS prev_in_district
               FROM meeting_enterprises) x
      WHERE me.meeting_id = x.meeting_id AND me.enterprise_id = x.enterprise_id
        AND (me.prev_held_at IS DISTINCT FROM x.prev OR me.prev_held_at_in_district IS DISTINCT FROM x.prev_in_district)`,
  );
  await c.query(
    `UPDATE meetings m SET attendee_count = x.n + (x.n % 3)
       FROM (SELECT meeting_id, count(*)::int AS n FROM meeting_enterprises me JOIN vm ON vm.id = me.meeting_id
              GROUP BY 1) x
      WHERE x.meeting_id = m.id`,
  );
  log(`meetings' enterprises · ${lap()}`);

  log(`rebuilding report rollups … (${lap()})`);
  const { rows } = await c.query(`SELECT report_rebuild() AS n`);
  log(`report_rollup_full: ${rows[0].n} rows · ${lap()}`);
  if (searchIndex) {
    log(`recreating the trigram search index … (${lap()})`);
    await c.query(
      `CREATE INDEX IF NOT EXISTS "ix_appeals_search_trgm" ON "appeals" USING gin ((title || ' ' || content) gin_trgm_ops)`,
    );
    await c.query(
      `CREATE INDEX IF NOT EXISTS "ix_appeals_contact_trgm" ON "appeals" USING gin ((coalesce("contact_name", '') || ' ' || coalesce("contact_phone", '')) gin_trgm_ops)`,
    );
  }
  await c.query(`SET session_replication_role = origin`);
  // VACUUM as autovacuum would on a database in service: the visibility map lets the meetings report read
  // a meeting's issues from the covering index alone (an index-only scan), as it does in production
  await c.query(`VACUUM (ANALYZE)`);
  log(`vacuumed and analyzed · ${lap()}`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error('seed:volume failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
