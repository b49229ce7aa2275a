/**
 * Finding an appeal (SPEC §5.1): latency of GET /appeals?q= over the prepared database of N appeals
 * (--appeals; the reports scenario's zqt_bench_volume_<N>), as a supervisor (who may also search by the
 * enterprise and the contact), by the whole number, by its last 6 digits, by a Chinese word of the title
 * and by the contact's phone, each query for another appeal picked at random. A number or phone search
 * that does not find its appeal fails the run. The target: p95 < 200 ms at 10 M appeals.
 */
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { BenchContext, Measurement, Scenario, ScenarioResult, urlForDatabase } from '../context';
import { fmtMs, percentile, round } from '../stats';
import { stats, Timed, volumeApp, volumeDatabase } from './reports';

interface Sample {
  id: string;
  number: string;
  title: string;
  contact_phone: string | null;
}

const RUNS = 40;

const scenario: Scenario = {
  name: 'search',
  description: 'GET /appeals?q= latency over N appeals: by number, last 6 digits, a Chinese word, a phone',

  async run(ctx: BenchContext): Promise<ScenarioResult> {
    const summary: string[] = [];
    const failures: string[] = [];
    const { name } = await volumeDatabase(ctx, summary);
    const url = urlForDatabase(name);
    const pg = new Client({ connectionString: url });
    await pg.connect();
    const samples = (
      await pg
        .query<Sample>(
          `SELECT id, number, title, contact_phone FROM appeals TABLESAMPLE SYSTEM (1) LIMIT ${RUNS}`,
        )
        .finally(() => pg.end())
    ).rows;
    if (samples.length === 0) {
      failures.push(`${name} has no appeals`);
      return { measurements: [], summary, failures, details: {} };
    }
    const { app, base, auth, span } = await volumeApp(ctx, url);
    try {
      summary.push(`${name}: ${span.appeals.toLocaleString('en-US')} appeals; as a supervisor, limit 20`);
      const cases: { key: string; label: string; q: (s: Sample) => string; mustFind: boolean }[] = [
        { key: 'search_number', label: 'by the whole number', q: (s) => s.number, mustFind: true },
        {
          key: 'search_suffix',
          label: 'by the last 6 digits',
          q: (s) => s.number.slice(-6),
          mustFind: false,
        },
        // the title's first word (seed:volume titles start with one of 20 topics, e.g. 光伏并网验收)
        { key: 'search_word', label: 'by a Chinese word', q: (s) => s.title.split(' ')[0], mustFind: false },
        {
          key: 'search_phone',
          label: 'by the contact phone',
          q: (s) => s.contact_phone ?? '',
          mustFind: true,
        },
      ];
      const measurements: Measurement[] = [];
      const details: Record<string, unknown> = { appeals: span.appeals, database: name };
      summary.push(
        '',
        `${'search'.padEnd(26)} ${'p50'.padStart(9)} ${'p95'.padStart(9)} ${'max'.padStart(9)}`,
      );
      for (const c of cases) {
        const get = async (s: Sample) => {
          const res = await fetch(`${base}/appeals?q=${encodeURIComponent(c.q(s))}&limit=20`, {
            headers: auth,
          });
          if (res.status !== 200) throw new Error(`${c.label}: ${res.status} ${await res.text()}`);
          return (await res.json()) as { items: { id: string }[] };
        };
        for (let i = 0; i < 3; i++) await get(samples[i % samples.length]); // warm-up
        const served: Timed = { label: c.label, ms: [] };
        let missed = 0;
        for (let i = 0; i < RUNS; i++) {
          const s = samples[i % samples.length];
          const t = performance.now();
          const body = await get(s);
          served.ms.push(performance.now() - t);
          if (c.mustFind && !body.items.some((x) => x.id === s.id)) missed++;
        }
        if (missed) failures.push(`${c.label}: ${missed} of ${RUNS} searches did not find their appeal`);
        const r = stats(served);
        const max = Math.max(...served.ms);
        summary.push(
          `${c.label.padEnd(26)} ${fmtMs(r.p50).padStart(9)} ${fmtMs(r.p95).padStart(9)} ${fmtMs(max).padStart(9)}`,
        );
        details[c.key] = { p50Ms: round(r.p50, 2), p95Ms: round(r.p95, 2), maxMs: round(max, 2), runs: r.n };
        measurements.push({
          key: c.key,
          label: `search ${c.label} (HTTP)`,
          unit: 'req/s',
          rate: 1000 / r.p50,
          p50Ms: r.p50,
          p99Ms: percentile(
            [...served.ms].sort((x, y) => x - y),
            99,
          ),
          ok: served.ms.length,
          failed: 0,
          durationS: served.ms.reduce((x, y) => x + y, 0) / 1000,
        });
      }
      summary.push(`${RUNS} sequential HTTP requests per search after 3 warm-ups, each for another appeal`);
      return { measurements, summary, failures, details };
    } finally {
      await app.close();
    }
  },
};

export default scenario;
