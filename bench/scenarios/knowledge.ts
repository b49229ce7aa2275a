/**
 * Knowledge search (SPEC §10): GET /knowledge/search latency at 100,000 published entries (goal: p95 < 50 ms)
 * and how often the right entry is among the first three for 200 held-out caller questions.
 *
 * The entries come from the demo's templates (scripts/demo-knowledge.ts: 26 SME policy topics × 10
 * aspects, scoped by 16 districts, 10 industries and 3 years), inserted in bulk as the centre's published
 * entries with the same vectors the service writes. The held-out questions are written the way a caller
 * asks (`asked`), from phrasings that are not the entry's title, question or answer: 200 entries spread
 * over the set. Then a dispatcher's short searches: topic names, and the same with one character typed
 * wrong by its sound (首代 for 首贷), whose first answer must be an entry of that topic.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { BenchContext, Measurement, Scenario, ScenarioResult } from '../context';
import { fmtMs, percentile, round } from '../stats';
import {
  benchEntries,
  GeneratedEntry,
  insertPublished,
  publishedRow,
  TOPICS,
} from '../../scripts/demo-knowledge';
import { PasswordService } from '../../src/modules/users/password.service';

const ENTRIES = Number(process.env.BENCH_KNOWLEDGE_ENTRIES ?? 100_000);
const PAIRS = 200;
const CHUNK = 2000;
const DAY = 86_400_000;

/** Topic names with one character typed wrong by its sound, and the topic they mean. */
const TYPOS: [string, string][] = [
  ['首代', '首贷'],
  ['留底退税', '留抵退税'],
  ['稳刚返还', '稳岗返还'],
  ['用电包装', '用电报装'],
  ['社保费缓交', '社保费缓缴'],
  ['贷款帖息', '贷款贴息'],
  ['技改补住', '技改补助'],
  ['出口推税', '出口退税'],
];

const scenario: Scenario = {
  name: 'knowledge',
  description: `GET /knowledge/search at ${ENTRIES.toLocaleString('en-US')} entries: latency, and top-3 on ${PAIRS} held-out questions`,

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const summary: string[] = [];
    const failures: string[] = [];
    const { app, baseUrl } = await ctx.app();
    const seed = await ctx.seed();
    const pool = ctx.pgPool(2);

    // ---- the entries, in bulk
    const t0 = performance.now();
    const now = Date.now();
    const pairs: { entry: GeneratedEntry; id?: string; index: number }[] = [];
    const every = Math.floor(ENTRIES / PAIRS);
    let chunk: GeneratedEntry[] = [];
    let index = 0;
    const flush = async () => {
      const rows = chunk.map((e, i) =>
        publishedRow(e, new Date(now - ((index + i) % 300) * DAY), new Date(now + 90 * DAY)),
      );
      const ids = await insertPublished(
        pool,
        rows,
        chunk.map(() => seed.department.id),
        chunk.map((e) => e.category),
        seed.user.id,
      );
      // RETURNING comes in insert order
      for (const p of pairs)
        if (p.index >= index && p.index < index + chunk.length) p.id = ids[p.index - index];
      index += chunk.length;
      chunk = [];
    };
    let i = 0;
    for (const e of benchEntries(ENTRIES)) {
      if (i % every === Math.floor(every / 2) && pairs.length < PAIRS) pairs.push({ entry: e, index: i });
      chunk.push(e);
      i++;
      if (chunk.length === CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
    // a base in steady state: hint bits set and the visibility map written, as autovacuum leaves it
    await pool.query('VACUUM ANALYZE knowledge_entries');
    await pool.query('VACUUM ANALYZE knowledge_versions');
    const loadS = (performance.now() - t0) / 1000;
    const [{ n, size }] = (
      await pool.query(
        `SELECT count(*)::int AS n, pg_size_pretty(pg_total_relation_size('knowledge_entries')) AS size
           FROM knowledge_entries WHERE status = 'published'`,
      )
    ).rows;
    summary.push(
      `${n.toLocaleString('en-US')} published entries (${size} with indexes) loaded in ${loadS.toFixed(0)} s`,
    );
    if (n !== ENTRIES) failures.push(`expected ${ENTRIES} entries, found ${n}`);

    // ---- a dispatcher
    const password = `bench-${randomBytes(6).toString('hex')}`;
    const hash = await app.get(PasswordService).hash(password);
    await pool.query(
      `INSERT INTO users (username, password_hash, role) VALUES ('bench_dispatcher', $1, 'dispatcher')`,
      [hash],
    );
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench_dispatcher', password }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    const search = async (q: string, limit = 10) => {
      const t = performance.now();
      const res = await fetch(
        `${baseUrl}/api/v1/knowledge/search?q=${encodeURIComponent(q)}&limit=${limit}`,
        {
          headers: auth,
        },
      );
      if (res.status !== 200) throw new Error(`search ${q}: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { items: { id: string; title: string }[] };
      return { ms: performance.now() - t, items: body.items };
    };

    // ---- measurements
    for (const p of pairs.slice(0, 5)) await search(p.entry.asked); // warm-up
    const measurements: Measurement[] = [];
    const details: Record<string, unknown> = { entries: n, loadS: round(loadS, 1) };
    const line = (label: string, ms: number[]) => {
      const s = [...ms].sort((a, b) => a - b);
      const r = {
        p50: percentile(s, 50),
        p95: percentile(s, 95),
        p99: percentile(s, 99),
        max: s[s.length - 1],
      };
      summary.push(
        `${label.padEnd(34)} ${fmtMs(r.p50).padStart(9)} ${fmtMs(r.p95).padStart(9)} ${fmtMs(r.max).padStart(9)}   n=${ms.length}`,
      );
      return r;
    };
    summary.push('', `${'search'.padEnd(34)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`);

    // held-out questions: the right entry in the first three
    const heldMs: number[] = [];
    let top1 = 0;
    let top3 = 0;
    const misses: string[] = [];
    for (const p of pairs) {
      const r = await search(p.entry.asked, 3);
      heldMs.push(r.ms);
      const at = r.items.findIndex((x) => x.id === p.id);
      if (at === 0) top1++;
      if (at >= 0) top3++;
      else if (misses.length < 5)
        misses.push(`${p.entry.asked} → ${r.items[0]?.title ?? '(nothing)'} (wanted ${p.entry.title})`);
    }
    const held = line('held-out caller questions (top 3)', heldMs);
    // a dispatcher's words: topic names, and with a character of the same sound typed wrong
    const wordMs: number[] = [];
    for (let k = 0; k < 3; k++) for (const t of TOPICS) wordMs.push((await search(t.name)).ms);
    const words = line('topic names (top 10)', wordMs);
    const typoMs: number[] = [];
    let typoHits = 0;
    for (let k = 0; k < 5; k++)
      for (const [typo, meant] of TYPOS) {
        const r = await search(typo);
        typoMs.push(r.ms);
        if (k === 0 && r.items[0]?.title.includes(meant)) typoHits++;
      }
    const typos = line('a character of the same sound wrong', typoMs);
    const all = [...heldMs, ...wordMs, ...typoMs];
    const overall = line('all searches', all);
    summary.push(
      '',
      `held-out questions: the right entry first in ${top1}/${pairs.length} (${((100 * top1) / pairs.length).toFixed(1)} %), ` +
        `in the first three in ${top3}/${pairs.length} (${((100 * top3) / pairs.length).toFixed(1)} %)`,
      `typos: the first answer is of the meant topic for ${typoHits}/${TYPOS.length}`,
      ...misses.map((m) => `  missed: ${m}`),
      'sequential HTTP requests as a dispatcher, after 5 warm-ups; goal p95 < 50 ms',
    );
    if (overall.p95 >= 50) failures.push(`p95 ${overall.p95.toFixed(1)} ms is not under the 50 ms goal`);
    if (typoHits < TYPOS.length)
      failures.push(`${TYPOS.length - typoHits} typo searches did not find their topic first`);
    Object.assign(details, {
      heldOut: { pairs: pairs.length, top1, top3, p50Ms: round(held.p50, 2), p95Ms: round(held.p95, 2) },
      words: { p50Ms: round(words.p50, 2), p95Ms: round(words.p95, 2) },
      typos: { hits: typoHits, of: TYPOS.length, p50Ms: round(typos.p50, 2), p95Ms: round(typos.p95, 2) },
      all: { p50Ms: round(overall.p50, 2), p95Ms: round(overall.p95, 2), maxMs: round(overall.max, 2) },
    });
    measurements.push({
      key: 'knowledge_search',
      label: 'knowledge search (HTTP)',
      unit: 'req/s',
      rate: 1000 / overall.p50,
      p50Ms: overall.p50,
      p99Ms: overall.p99,
      ok: all.length,
      failed: 0,
      durationS: all.reduce((x, y) => x + y, 0) / 1000,
    });
    return { measurements, summary, failures, details };
  },
};

export default scenario;
