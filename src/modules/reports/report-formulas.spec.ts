import {
  bucketOf,
  bucketsBetween,
  checkTargets,
  DEFAULT_WEIGHTS,
  LocalDays,
  metricsOf,
  rank,
  ratio,
  score,
  splitRange,
  zeroCounters,
} from './report-formulas';

describe('report formulas (SPEC §4)', () => {
  it('SPEC §9: first contact, contact and staged-reply rates from their own counters; null on zero', () => {
    expect(metricsOf(zeroCounters(), DEFAULT_WEIGHTS)).toMatchObject({
      firstContactOnTimeRate: null,
      contactRate: null,
      stagedReplyOnTimeRate: null,
    });
    const c = {
      ...zeroCounters(),
      contactOnTime: 3,
      contactDue: 7,
      contactConfirmed: 5,
      contactAsked: 6,
      stagedOnTime: 1,
      stagedDue: 4,
      // the other rates' counters do not leak into them
      ackOnTime: 1,
      ackDue: 2,
      replyOnTime: 1,
      replyDue: 3,
    };
    expect(metricsOf(c, DEFAULT_WEIGHTS)).toMatchObject({
      firstContactOnTimeRate: 3 / 7,
      contactRate: 5 / 6,
      stagedReplyOnTimeRate: 1 / 4,
      responseRate: 1 / 2,
      onTimeReplyRate: 1 / 3,
    });
  });

  it('a zero denominator gives null, never 0 or 1', () => {
    expect(ratio(0, 0)).toBeNull();
    const m = metricsOf(zeroCounters(), DEFAULT_WEIGHTS);
    expect(m).toMatchObject({
      received: 0,
      valid: 0,
      closureRate: null,
      responseRate: null,
      onTimeReplyRate: null,
      satisfactionRate: null,
      resolutionRate: null,
      oneTimeResolutionRate: null,
      avgReplyWorkingHours: null,
      score: null,
      overdueOpen: 0,
    });
  });

  it('derives every rate from its counters at full precision', () => {
    const c = {
      ...zeroCounters(),
      received: 10,
      rejected: 1,
      withdrawn: 1,
      merged: 1,
      closed: 6,
      closedFirst: 4,
      rated: 3,
      satisfied: 2,
      resolved: 1,
      ackOnTime: 2,
      ackDue: 3,
      replyOnTime: 5,
      replyDue: 7,
      repliedLead: 2,
      replyWorkingSeconds: 3 * 3600,
      overdueOpen: 2,
    };
    const m = metricsOf(c, DEFAULT_WEIGHTS);
    expect(m.valid).toBe(7);
    expect(m.closureRate).toBe(6 / 7);
    expect(m.responseRate).toBe(2 / 3);
    expect(m.onTimeReplyRate).toBe(5 / 7);
    expect(m.satisfactionRate).toBe(2 / 3);
    expect(m.resolutionRate).toBe(1 / 3);
    expect(m.oneTimeResolutionRate).toBe(4 / 6);
    expect(m.avgReplyWorkingHours).toBe(1.5);
    expect(m.overdueOpen).toBe(2);
    expect(m.score).toBeCloseTo(100 * (0.1 * (2 / 3) + 0.5 * (1 / 3) + 0.4 * (2 / 3)), 12);
  });

  it('score uses the weights and is null while any part is null', () => {
    const w = { responseRate: 0.2, resolutionRate: 0.3, satisfactionRate: 0.5 };
    expect(score({ responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0 }, w)).toBeCloseTo(35, 12);
    expect(score({ responseRate: null, resolutionRate: 1, satisfactionRate: 1 }, w)).toBeNull();
    expect(score({ responseRate: 1, resolutionRate: 1, satisfactionRate: null }, w)).toBeNull();
  });

  it('targets: rates and score at or above, hours and overdue at or under; null values are not judged', () => {
    const m = {
      ...metricsOf(zeroCounters(), DEFAULT_WEIGHTS),
      closureRate: 0.95,
      satisfactionRate: 0.9,
      avgReplyWorkingHours: 10,
      overdueOpen: 3,
    };
    const checks = checkTargets(m, {
      closureRate: 0.95,
      satisfactionRate: 0.96,
      avgReplyWorkingHours: 10,
      overdueOpen: 2,
      resolutionRate: 0.9,
    });
    expect(checks).toEqual([
      { metric: 'closureRate', target: 0.95, value: 0.95, met: true },
      { metric: 'satisfactionRate', target: 0.96, value: 0.9, met: false },
      { metric: 'resolutionRate', target: 0.9, value: null, met: null },
      { metric: 'avgReplyWorkingHours', target: 10, value: 10, met: true },
      { metric: 'overdueOpen', target: 2, value: 3, met: false },
    ]);
  });

  it('ranks by score, then satisfaction; small samples after, unranked', () => {
    const rows = [
      { code: 'A', score: 90, satisfactionRate: 0.9, rated: 10 },
      { code: 'B', score: 95, satisfactionRate: 0.8, rated: 12 },
      { code: 'C', score: 90, satisfactionRate: 0.95, rated: 30 },
      { code: 'D', score: 99, satisfactionRate: 1, rated: 9 },
      { code: 'E', score: null, satisfactionRate: null, rated: 0 },
      { code: 'F', score: null, satisfactionRate: 0.5, rated: 10 },
    ];
    const out = rank(rows, 10);
    expect(out.map((r) => [r.code, r.rank, r.insufficientSample])).toEqual([
      ['B', 1, false],
      ['C', 2, false],
      ['A', 3, false],
      ['F', 4, false],
      ['D', null, true],
      ['E', null, true],
    ]);
  });
});

describe('local days and trend buckets (Asia/Shanghai)', () => {
  const days = new LocalDays('Asia/Shanghai');

  it('a local midnight is 16:00 UTC the day before', () => {
    expect(days.startOf('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(days.dateOf(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01');
    expect(days.dateOf(new Date('2026-02-28T15:59:59.999Z'))).toBe('2026-02-28');
    expect(days.format(new Date('2026-02-28T16:00:00Z'))).toBe('2026-03-01T00:00:00+08:00');
  });

  it('weeks start on Monday, months on the 1st', () => {
    expect(bucketOf('2026-03-01', 'week')).toBe('2026-02-23'); // a Sunday
    expect(bucketOf('2026-03-02', 'week')).toBe('2026-03-02'); // a Monday
    expect(bucketOf('2026-03-31', 'month')).toBe('2026-03-01');
    expect(bucketOf('2026-03-31', 'day')).toBe('2026-03-31');
  });

  it('month buckets split at local midnight, empty ones included', () => {
    const from = new Date('2026-01-31T16:00:00Z'); // 2026-02-01 00:00 +08:00
    const to = new Date('2026-04-30T16:00:00Z'); // 2026-05-01 00:00 +08:00
    expect(bucketsBetween(from, to, 'month', days)).toEqual(['2026-02-01', '2026-03-01', '2026-04-01']);
    // 2026-02-28T16:00Z is already March in Shanghai
    expect(bucketOf(days.dateOf(new Date('2026-02-28T16:00:00Z')), 'month')).toBe('2026-03-01');
    expect(bucketOf(days.dateOf(new Date('2026-02-28T15:59:59Z')), 'month')).toBe('2026-02-01');
  });

  it('splits [from, to) into whole local days and ragged edges', () => {
    const at = (s: string) => new Date(s);
    expect(splitRange(at('2026-03-01T00:00:00+08:00'), at('2026-03-04T00:00:00+08:00'), days)).toEqual({
      wholeDays: ['2026-03-01', '2026-03-04'],
      edges: [],
    });
    expect(splitRange(at('2026-03-01T10:00:00+08:00'), at('2026-03-04T09:00:00+08:00'), days)).toEqual({
      wholeDays: ['2026-03-02', '2026-03-04'],
      edges: [
        [at('2026-03-01T10:00:00+08:00'), at('2026-03-02T00:00:00+08:00')],
        [at('2026-03-04T00:00:00+08:00'), at('2026-03-04T09:00:00+08:00')],
      ],
    });
    expect(splitRange(at('2026-03-01T10:00:00+08:00'), at('2026-03-02T09:00:00+08:00'), days)).toEqual({
      wholeDays: null,
      edges: [[at('2026-03-01T10:00:00+08:00'), at('2026-03-02T09:00:00+08:00')]],
    });
  });
});
