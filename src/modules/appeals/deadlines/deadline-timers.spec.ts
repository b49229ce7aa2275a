import type { DeadlineKind } from '../../../infra/queue/job-types';
import { TRANSITIONS } from '../../workflow/appeal-state-machine';
import { NEXT_DUE_1796097000000 } from '../../../../migrations/1796097000000-DeadlineNextDue';
import { HOLDS_TIMERS, NEXT_DUE, timer, TIMERS } from './deadline-timers';

const KINDS: DeadlineKind[] = [
  'ack_warning',
  'ack_overdue',
  'reply_warning',
  'reply_overdue',
  'contact_warning',
  'contact_overdue',
  'staged_overdue',
];

describe('the deadline timers of an assignment (SPEC §3, §9)', () => {
  it('one timer per kind, each with a column of its own', () => {
    expect(TIMERS.map((t) => t.kind)).toEqual(KINDS);
    expect(new Set(TIMERS.map((t) => t.atColumn)).size).toBe(TIMERS.length);
    expect(new Set(TIMERS.map((t) => t.firedColumn)).size).toBe(TIMERS.length);
    for (const k of KINDS) expect(timer(k).kind).toBe(k);
    expect(() => timer('nope' as DeadlineKind)).toThrow();
  });

  it('each event is its action’s event in the transition table, fired by the system while a department holds the case', () => {
    for (const t of TIMERS) {
      const rule = TRANSITIONS[t.action];
      expect([t.kind, rule.event]).toEqual([t.kind, t.event]);
      expect(rule.roles).toEqual(['system']);
      expect([...rule.from].sort()).toEqual(['dispatched', 'in_progress']);
      expect(rule.to).toBe('same');
    }
  });

  it('acknowledge and reply: as they were — their step’s status, their flag, a supervision when overdue', () => {
    expect(TIMERS.slice(0, 4).map((t) => [t.kind, t.open, t.flag, t.opens, t.event])).toEqual([
      ['ack_warning', `status = 'dispatched'`, 'warning', null, 'deadline.warning'],
      ['ack_overdue', `status = 'dispatched'`, 'overdue', 'supervision', 'deadline.overdue'],
      ['reply_warning', `status = 'in_progress'`, 'warning', null, 'deadline.warning'],
      ['reply_overdue', `status = 'in_progress'`, 'overdue', 'supervision', 'deadline.overdue'],
    ]);
  });

  it('contact and staged reply: pending while open and unanswered, no flag, a reminder (催办) when overdue', () => {
    expect(timer('contact_warning')).toMatchObject({ flag: null, opens: null, step: 'contact' });
    expect(timer('contact_overdue')).toMatchObject({ flag: null, opens: 'reminder', step: 'contact' });
    expect(timer('staged_overdue')).toMatchObject({ flag: null, opens: 'reminder', step: 'staged_reply' });
    for (const k of ['contact_warning', 'contact_overdue'] as const)
      expect(timer(k).open).toBe(`status IN ('dispatched','in_progress') AND contacted_at IS NULL`);
    expect(timer('staged_overdue').open).toBe(
      `status IN ('dispatched','in_progress') AND staged_replied_at IS NULL`,
    );
  });

  it('the next due instant is the index’s expression, and every timer is pending only while its assignment is open', () => {
    // the due query uses ix_assignments_next_due only while its text is the migration's
    expect(NEXT_DUE).toBe(NEXT_DUE_1796097000000);
    for (const t of TIMERS) expect(NEXT_DUE).toContain(`AND ${t.firedColumn} IS NULL THEN ${t.atColumn} END`);
    expect(HOLDS_TIMERS).toBe(`status IN ('dispatched','in_progress')`);
  });
});
