import { meetingsReport, zeroMeetingCounts } from './meeting-report';
import { COLUMN_LABELS, FIGURE_LABELS, LABELS, labelsModule, zhLabel } from './metric-labels';
import { meetingsCsv, METRIC_COLUMNS, reportCsv, summaryCsv } from './report-csv-views';
import {
  checkTargets,
  DEFAULT_WEIGHTS,
  metricsOf,
  TARGET_METRIC_NAMES,
  zeroCounters,
} from './report-formulas';

const headerOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')[0]
    .split(',');
/** A bilingual header is `中文 key`; a bare key means the column has no label. */
const unlabelled = (header: string[]) => header.filter((h) => !/^\S+ \S+$/.test(h));

describe('the reports’ one table of labels', () => {
  it('labels every figure the summary returns (SPEC §4, §7)', () => {
    const metrics = metricsOf(zeroCounters(), DEFAULT_WEIGHTS);
    expect(Object.keys(metrics).length).toBeGreaterThan(20);
    for (const key of Object.keys(metrics)) {
      expect([key, zhLabel(key)]).toEqual([key, expect.stringMatching(/\p{Script=Han}/u)]);
      expect(FIGURE_LABELS[key as keyof typeof FIGURE_LABELS].formula).toBeTruthy();
    }
    for (const key of [...METRIC_COLUMNS, ...TARGET_METRIC_NAMES]) expect(zhLabel(key)).toBeDefined();
  });

  it('labels every figure and column of the meetings report (§8.1)', () => {
    const report = meetingsReport(
      { meetings: 1, enterprisesAttending: 0, attendeeCount: 0, counts: zeroMeetingCounts() },
      [
        {
          meetingId: 'm',
          title: '恳谈会',
          heldAt: new Date(0),
          heldAtKey: new Date(0).toISOString(),
          district: null,
          districtName: null,
          leaderName: null,
          attendeeCount: 0,
          counts: zeroMeetingCounts(),
        },
      ],
    );
    for (const key of [...Object.keys(report.totals), ...Object.keys(report.items[0])])
      expect([key, zhLabel(key)]).toEqual([key, expect.any(String)]);
  });

  it('every CSV header is bilingual, named as the table names it', () => {
    const metrics = metricsOf(zeroCounters(), DEFAULT_WEIGHTS);
    const targets = checkTargets(metrics, { closureRate: 0.9, satisfactionRate: 0.95 });
    const summary = headerOf(summaryCsv({ from: 'a', to: 'b', ...metrics, targets }));
    expect(unlabelled(summary)).toEqual([]);
    expect(summary).toEqual(
      expect.arrayContaining([
        '有效诉求 valid',
        '已撤回 withdrawn',
        '已合并 merged',
        '有效回访 rated',
        '全部回访（含无效） ratedAll',
        '响应率（按时签收率） responseRate',
        '平均答复用时（工作小时） avgReplyWorkingHours',
        '督办按时反馈率 supervisionAnsweredOnTimeRate',
        '目标·办结率 closureRateTarget',
        '达标·满意率 satisfactionRateMet',
      ]),
    );
    const body = { items: [], targets: { closureRate: 0.9 } };
    const departments = headerOf(
      reportCsv(['departmentId', 'code', 'name', 'rank', 'insufficientSample'], body, 'departments'),
    );
    expect(unlabelled(departments)).toEqual([]);
    expect(departments.slice(2, 4)).toEqual(['部门 name', '名次 rank']);
    const categories = headerOf(reportCsv(['categoryCode', 'name', 'share'], body, 'categories'));
    expect(categories.slice(0, 3)).toEqual(['代码 categoryCode', '类别 name', '占比 share']);
    expect(headerOf(reportCsv(['periodStart'], body))[0]).toBe('起始日 periodStart');
    const meetings = headerOf(meetingsCsv({ totals: {}, items: [] }));
    expect(unlabelled(meetings)).toEqual([]);
    expect(meetings).toEqual(
      expect.arrayContaining(['会议 title', '领衔领导 leaderName', '恳谈会场次 meetings', '收集问题 issues']),
    );
  });

  it('one label per column: no two keys share a Chinese label', () => {
    const all = [...Object.values(FIGURE_LABELS).map((l) => l.zh), ...Object.values(COLUMN_LABELS)];
    expect(new Set(all).size).toBe(all.length);
  });

  it('the browser module is the table itself', () => {
    const text = labelsModule();
    const json = /^export default ([\s\S]*);\n$/m.exec(text.slice(text.indexOf('export default')))![1];
    expect(JSON.parse(json)).toEqual(LABELS);
  });
});
