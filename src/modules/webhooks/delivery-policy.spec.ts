import { afterFailure, DeliveryPolicy, disabledReason, retryDelayMs, shouldDisable } from './delivery-policy';
import { eventFilterProblem, subscribes, webhookUrlProblem } from './webhook-events';

const policy: DeliveryPolicy = {
  backoffMs: 10_000,
  maxBackoffMs: 3_600_000,
  maxAttempts: 40,
  disableAfterMs: 24 * 3_600_000,
};

describe('retry delay', () => {
  it('starts at the base and doubles', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000,
    ]);
  });

  it('is capped', () => {
    expect(retryDelayMs(9, policy)).toBe(2_560_000);
    expect(retryDelayMs(10, policy)).toBe(3_600_000);
    expect(retryDelayMs(39, policy)).toBe(3_600_000);
    expect(retryDelayMs(10_000, policy)).toBe(3_600_000);
  });

  it('treats nonsense attempt numbers as the first', () => {
    expect(retryDelayMs(0, policy)).toBe(10_000);
    expect(retryDelayMs(-3, policy)).toBe(10_000);
  });

  it('keeps retrying for more than a day before giving up, with the defaults', () => {
    let total = 0;
    for (let n = 1; n < policy.maxAttempts; n++) total += retryDelayMs(n, policy);
    expect(total).toBeGreaterThan(policy.disableAfterMs);
  });
});

describe('after a failure', () => {
  it('retries with the delay of that attempt until the last one', () => {
    expect(afterFailure(1, policy)).toEqual({ giveUp: false, retryInMs: 10_000 });
    expect(afterFailure(3, policy)).toEqual({ giveUp: false, retryInMs: 40_000 });
    expect(afterFailure(39, policy)).toEqual({ giveUp: false, retryInMs: 3_600_000 });
  });

  it('gives up at the maximum', () => {
    expect(afterFailure(40, policy)).toEqual({ giveUp: true });
    expect(afterFailure(41, policy)).toEqual({ giveUp: true });
    expect(afterFailure(1, { ...policy, maxAttempts: 1 })).toEqual({ giveUp: true });
  });
});

describe('disabling a webhook', () => {
  const now = new Date('2026-03-02T08:00:00Z');

  it('never without a run of failures', () => {
    expect(shouldDisable(null, now, policy)).toBe(false);
  });

  it('only once the failures have lasted the whole window', () => {
    expect(shouldDisable(new Date(now.getTime() - policy.disableAfterMs + 1), now, policy)).toBe(false);
    expect(shouldDisable(new Date(now.getTime() - policy.disableAfterMs), now, policy)).toBe(true);
    expect(shouldDisable(new Date('2026-02-01T00:00:00Z'), now, policy)).toBe(true);
  });

  it('says since when and what went wrong', () => {
    expect(disabledReason(new Date('2026-03-01T07:59:00Z'), 'HTTP 500')).toBe(
      'failing since 2026-03-01T07:59:00.000Z: last error HTTP 500',
    );
  });
});

describe('event filters', () => {
  it('"*" selects everything; a list selects its members', () => {
    expect(subscribes(['*'], 'appeal.closed')).toBe(true);
    expect(subscribes(['appeal.closed'], 'appeal.closed')).toBe(true);
    expect(subscribes(['appeal.closed'], 'appeal.submitted')).toBe(false);
  });

  it.each([
    [['*'], null],
    [['appeal.closed', 'deadline.overdue'], null],
    [[], 'must be a non-empty array'],
    ['*', 'must be a non-empty array'],
    [['*', 'appeal.closed'], '"*" must be the only entry'],
    [['appeal.exploded'], 'unknown event appeal.exploded'],
    [['appeal.closed', 'appeal.closed'], 'must not repeat an event'],
    [[1], 'must contain strings'],
  ])('%j → %s', (filter, problem) => {
    expect(eventFilterProblem(filter)).toBe(problem);
  });
});

describe('webhook URLs', () => {
  it.each([
    'https://hooks.example.com/zqt',
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook?x=1',
    'http://intranet-gw/hooks',
    'http://[::1]:3000/',
  ])('accepts %s (private and loopback targets included)', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each([
    ['ftp://example.com/x', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['http://', 'must be an absolute http or https URL'],
    ['/relative/path', 'must be an absolute http or https URL'],
    ['example.com/hook', 'must be an absolute http or https URL'],
    ['https://user:pw@example.com/', 'must not carry credentials'],
    [' https://example.com/', 'must not start or end with spaces'],
    ['', 'must be a string'],
  ])('rejects %s', (url, problem) => {
    expect(webhookUrlProblem(url)).toBe(problem);
  });
});
