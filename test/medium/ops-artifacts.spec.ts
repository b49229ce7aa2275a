import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { createTestApp, TestApp } from '../setup/test-app';

const ROOT = resolve(__dirname, '../..');
const ALERTS = resolve(ROOT, 'deploy/prometheus/alerts.yml');
const DASHBOARD = resolve(ROOT, 'deploy/grafana/zhengqitong.json');

/** Series Prometheus makes itself for every target: not ours to export. */
const PROMETHEUS_SERIES = new Set(['up']);
const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression reads: identifiers left once strings, label matchers, ranges,
 * grouping clauses and function calls are taken out.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)) {
    if (m[2]) continue; // a function
    if (PROMQL_WORDS.has(m[1].toLowerCase())) continue;
    names.add(m[1]);
  }
  return [...names];
}

/** Every sample name /metrics can carry: counters and gauges as named, histograms and summaries with their suffixes. */
function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = m;
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

function dashboardExprs(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(dashboardExprs);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = typeof o.expr === 'string' ? [o.expr] : [];
  return [...own, ...Object.values(o).flatMap(dashboardExprs)];
}

/**
 * The alert rules and the Grafana dashboard in deploy/ load, and name only metrics the service
 * exports: the names come from /metrics of the real app after start, not from a list kept by hand.
 */
describe('deploy/: Prometheus alert rules and Grafana dashboard', () => {
  let t: TestApp;
  let exported: Set<string>;
  const rules: Rule[] = (
    parse(readFileSync(ALERTS, 'utf8')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((g) => g.rules);
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { title: string; panels: unknown[] };

  beforeAll(async () => {
    t = await createTestApp();
    exported = exportedNames((await t.http().get('/metrics').expect(200)).text);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the name extraction finds metrics and skips functions, labels, ranges and groupings', () => {
    expect(
      metricNames(
        'sum by (kind) (increase(zqt_a_total{le="60", x=~"y"}[10m])) - on (kind) zqt_b_bucket offset 5m > 0 or up == 0',
      ).sort(),
    ).toEqual(['up', 'zqt_a_total', 'zqt_b_bucket']);
    expect(metricNames('histogram_quantile(0.99, rate(zqt_c_bucket[$__rate_interval]))')).toEqual([
      'zqt_c_bucket',
    ]);
  });

  it('/metrics exports the operations metrics', () => {
    for (const name of [
      'zqt_queue_jobs',
      'zqt_queue_oldest_waiting_age_seconds',
      'zqt_deadline_firing_lateness_seconds_bucket',
      'zqt_deadline_sweeper_fired_total',
      'zqt_webhook_deliveries_pending',
      'zqt_webhook_oldest_pending_age_seconds',
      'zqt_webhook_attempts_total',
      'zqt_report_deltas_pending',
      'zqt_report_fold_lag_seconds',
      'zqt_routing_pending',
      'zqt_routing_oldest_pending_age_seconds',
      'zqt_appeals',
      'zqt_dependency_up',
    ])
      expect(exported).toContain(name);
  });

  it('every alert rule parses, is complete, and names only exported metrics', () => {
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect(rule.alert).toMatch(/^Zqt[A-Za-z]+$/);
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      for (const key of ['summary', 'description', 'runbook']) expect(rule.annotations?.[key]).toBeTruthy();
      const names = metricNames(rule.expr);
      expect(names.length).toBeGreaterThan(0);
      const unknown = names.filter((n) => !exported.has(n) && !PROMETHEUS_SERIES.has(n));
      expect({ alert: rule.alert, unknown }).toEqual({ alert: rule.alert, unknown: [] });
    }
  });

  it('the rules cover late deadlines, the sweeper, queues, webhooks, the fold, routing and health', () => {
    const byMetric = (metric: string) => rules.filter((r) => metricNames(r.expr).includes(metric));
    expect(byMetric('zqt_deadline_firing_lateness_seconds_bucket')).not.toHaveLength(0);
    expect(byMetric('zqt_deadline_sweeper_fired_total')).not.toHaveLength(0);
    expect(byMetric('zqt_queue_oldest_waiting_age_seconds')).not.toHaveLength(0);
    expect(byMetric('zqt_webhook_failing_seconds')).not.toHaveLength(0);
    expect(byMetric('zqt_report_fold_lag_seconds')).not.toHaveLength(0);
    expect(byMetric('zqt_routing_oldest_pending_age_seconds')).not.toHaveLength(0);
    expect(byMetric('zqt_dependency_up')).not.toHaveLength(0);
  });

  it('every dashboard query names only exported metrics, and the dashboard shows every metric the rules use', () => {
    const exprs = dashboardExprs(dashboard.panels);
    expect(exprs.length).toBeGreaterThan(10);
    const shown = new Set(exprs.flatMap(metricNames));
    const unknown = [...shown].filter((n) => !exported.has(n));
    expect(unknown).toEqual([]);
    const ruleMetrics = new Set(
      rules.flatMap((r) => metricNames(r.expr)).filter((n) => !PROMETHEUS_SERIES.has(n)),
    );
    expect([...ruleMetrics].filter((n) => !shown.has(n))).toEqual([]);
  });
});
