import {
  fulfilledOnTime,
  isFeedbackOverdue,
  isPlanOverdue,
  planProblems,
  planStepProblem,
} from './plan-rules';

const at = (s: string) => new Date(s);
const now = at('2026-03-15T10:00:00+08:00');
const ctx = {
  now,
  repliedAt: now,
  windows: { planMaxWithin: 'P3M', planFeedbackEvery: 'P1M' },
  timeZone: 'Asia/Shanghai',
};

describe('plan rules (SPEC §9.3)', () => {
  it('a promise within planMaxWithin of the reply and a feedback within planFeedbackEvery pass', () => {
    expect(
      planProblems(
        { promisedBy: at('2026-06-15T10:00:00+08:00'), nextFeedbackAt: at('2026-04-15T10:00:00+08:00') },
        ctx,
      ),
    ).toEqual([]);
  });

  it('the limits are inclusive to the instant; one past them fails, naming the field with its prefix', () => {
    const max = at('2026-06-15T10:00:00+08:00');
    const every = at('2026-04-15T10:00:00+08:00');
    expect(planProblems({ promisedBy: max, nextFeedbackAt: every }, ctx, 'plan.')).toEqual([]);
    expect(
      planProblems(
        { promisedBy: new Date(max.getTime() + 1), nextFeedbackAt: new Date(every.getTime() + 1) },
        ctx,
        'plan.',
      ),
    ).toEqual([
      { field: 'plan.promisedBy', message: 'must be at most P3M after the reply' },
      { field: 'plan.nextFeedbackAt', message: 'must be at most P1M from now' },
    ]);
  });

  it('dates at or before now fail; a feedback after the promise fails', () => {
    expect(planProblems({ promisedBy: now, nextFeedbackAt: now }, ctx)).toEqual([
      { field: 'promisedBy', message: 'must lie in the future' },
      { field: 'nextFeedbackAt', message: 'must lie in the future' },
    ]);
    expect(
      planProblems(
        { promisedBy: at('2026-03-20T10:00:00+08:00'), nextFeedbackAt: at('2026-03-21T10:00:00+08:00') },
        ctx,
      ),
    ).toEqual([{ field: 'nextFeedbackAt', message: 'must not be after promisedBy' }]);
  });

  it('an update checks only its next feedback, from now (the promise may already have passed)', () => {
    expect(planProblems({ nextFeedbackAt: at('2026-04-01T10:00:00+08:00') }, ctx)).toEqual([]);
    expect(planProblems({ nextFeedbackAt: at('2026-05-01T10:00:00+08:00') }, ctx)).toHaveLength(1);
  });

  it('the promise counts from the reply, the feedback from now', () => {
    const later = { ...ctx, now: at('2026-05-01T10:00:00+08:00') };
    // three months after the reply (15 Mar), not after now
    expect(
      planProblems(
        { promisedBy: at('2026-06-16T10:00:00+08:00'), nextFeedbackAt: at('2026-05-20T10:00:00+08:00') },
        later,
      ),
    ).toEqual([{ field: 'promisedBy', message: 'must be at most P3M after the reply' }]);
  });

  it('which step each status allows', () => {
    expect(planStepProblem('open', 'update')).toBeNull();
    expect(planStepProblem('open', 'fulfil')).toBeNull();
    expect(planStepProblem('open', 'confirm')).toMatch(/not fulfilled yet/);
    expect(planStepProblem('fulfilled', 'confirm')).toBeNull();
    expect(planStepProblem('fulfilled', 'update')).toBe('the plan is already fulfilled');
    expect(planStepProblem('confirmed', 'confirm')).toBe('the plan is already confirmed');
    for (const step of ['update', 'fulfil', 'confirm'] as const)
      expect(planStepProblem('cancelled', step)).toBe('the plan is already cancelled');
  });

  it('overdue while open and past the instant; fulfilled on time up to the promise itself', () => {
    const promisedBy = at('2026-03-15T10:00:00+08:00');
    expect(isPlanOverdue({ status: 'open', promisedBy }, now)).toBe(true);
    expect(isPlanOverdue({ status: 'open', promisedBy }, new Date(now.getTime() - 1))).toBe(false);
    expect(isPlanOverdue({ status: 'fulfilled', promisedBy }, now)).toBe(false);
    expect(isFeedbackOverdue({ status: 'open', nextFeedbackAt: promisedBy }, now)).toBe(true);
    expect(isFeedbackOverdue({ status: 'cancelled', nextFeedbackAt: promisedBy }, now)).toBe(false);
    expect(fulfilledOnTime(promisedBy, promisedBy)).toBe(true);
    expect(fulfilledOnTime(promisedBy, new Date(promisedBy.getTime() + 1))).toBe(false);
  });
});
