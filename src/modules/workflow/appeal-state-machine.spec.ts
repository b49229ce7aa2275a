import {
  APPEAL_ACTIONS,
  APPEAL_STATUSES,
  EVENT_ACTIONS,
  LEDGER_ACTIONS,
  OPEN_STATUSES,
  TERMINAL_STATUSES,
  TRANSITIONS,
  isOpen,
  leaderAction,
  surveyAction,
  transition,
  type ActorRole,
  type AppealAction,
  type AppealStatus,
  type TransitionResult,
} from './appeal-state-machine';

// The SPEC §2 lifecycle written out again, independently of the module, in another shape (text rather
// than an object) so that a typo in either one shows up as a failing triple.
// action | roles | from | to ('same' keeps the status) | event
const TABLE = `
dispatch                  | dispatcher system     | submitted returned                                  | dispatched  | appeal.dispatched
reject                    | dispatcher            | submitted returned                                  | rejected    | appeal.rejected
resolve_on_spot           | dispatcher            | submitted                                           | replied     | appeal.resolved_on_spot
acknowledge_lead          | handler               | dispatched                                          | in_progress | assignment.acknowledged
acknowledge_co            | handler               | dispatched in_progress                              | same        | assignment.acknowledged
request_return            | handler               | dispatched in_progress                              | same        | return.requested
approve_return_lead       | dispatcher            | dispatched in_progress                              | returned    | assignment.returned
approve_return_co         | dispatcher            | dispatched in_progress                              | same        | assignment.returned
deny_return               | dispatcher            | dispatched in_progress                              | same        | return.denied
progress                  | handler               | in_progress                                         | same        | appeal.progress_noted
opinion                   | handler               | dispatched in_progress                              | same        | assignment.opinion_submitted
request_extension         | handler               | in_progress                                         | same        | extension.requested
approve_extension         | dispatcher supervisor | in_progress                                         | same        | extension.approved
deny_extension            | dispatcher supervisor | in_progress                                         | same        | extension.denied
reply                     | handler               | in_progress                                         | replied     | appeal.replied
survey_close              | enterprise dispatcher | replied                                             | closed      | appeal.closed
survey_reopen             | enterprise dispatcher | replied                                             | in_progress | appeal.reopened
survey_close_reopen_limit | enterprise dispatcher | replied                                             | closed      | appeal.closed
close_not_rated           | system                | replied                                             | closed      | appeal.closed
withdraw                  | enterprise            | submitted dispatched in_progress                    | withdrawn   | appeal.withdrawn
merge                     | dispatcher            | submitted dispatched                                | merged      | appeal.merged
supervise                 | supervisor system     | submitted dispatched in_progress returned replied   | same        | appeal.supervised
supplement                | enterprise            | submitted dispatched in_progress returned replied   | same        | appeal.supplemented
deadline_warning          | system                | dispatched in_progress                              | same        | deadline.warning
deadline_overdue          | system                | dispatched in_progress                              | same        | deadline.overdue
file_assessment_appeal    | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | assessment_appeal.filed
approve_assessment_appeal | supervisor            | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | assessment_appeal.approved
deny_assessment_appeal    | supervisor            | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | assessment_appeal.denied
answer_supervision        | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | supervision.answered
close_supervision         | supervisor            | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | supervision.closed
escalate_supervision      | system                | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | supervision.escalated
assign_leader             | supervisor            | submitted dispatched in_progress returned replied   | same        | appeal.leader_assigned
instruct_leader           | supervisor            | submitted dispatched in_progress returned replied   | same        | appeal.leader_instructed
log_contact               | handler dispatcher    | dispatched in_progress                              | same        | contact.logged
staged_reply              | handler               | in_progress                                         | same        | appeal.staged_replied
deadline_contact_warning  | system                | dispatched in_progress                              | same        | deadline.contact_warning
deadline_contact_overdue  | system                | dispatched in_progress                              | same        | deadline.contact_overdue
deadline_staged_overdue   | system                | dispatched in_progress                              | same        | deadline.staged_overdue
update_plan               | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | plan.updated
fulfil_plan               | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | plan.fulfilled
confirm_plan              | enterprise dispatcher | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | plan.confirmed
plan_feedback_overdue     | system                | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | deadline.plan_feedback_overdue
plan_overdue              | system                | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | deadline.plan_overdue
add_attachment            | enterprise dispatcher handler | submitted dispatched in_progress returned replied | same | attachment.added
share_attachment          | dispatcher            | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | attachment.shared
reveal_contact            | handler dispatcher    | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | contact.revealed
anonymise_contact         | system                | closed rejected withdrawn merged                    | same        | contact.anonymised
request_whistle           | enterprise dispatcher | submitted dispatched in_progress returned replied   | same        | whistle.requested
approve_whistle           | dispatcher supervisor | submitted dispatched in_progress returned           | dispatched  | whistle.approved
deny_whistle              | dispatcher supervisor | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.denied
cancel_whistle            | dispatcher supervisor | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.cancelled
check_in_whistle          | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.checked_in
record_whistle_minutes    | handler               | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.held
complete_whistle_commitment | handler             | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.commitment_completed
close_whistle             | supervisor            | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | whistle.closed
whistle_deadline_warning  | system                | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | deadline.warning
whistle_deadline_overdue  | system                | submitted dispatched in_progress returned replied closed rejected withdrawn merged | same | deadline.overdue
`;

interface Expected {
  roles: string[];
  from: string[];
  to: string;
  event: string;
}

const EXPECTED: Record<string, Expected> = Object.fromEntries(
  TABLE.trim()
    .split('\n')
    .map((line) => {
      const [action, roles, from, to, event] = line.split('|').map((cell) => cell.trim());
      return [action, { roles: roles.split(/\s+/), from: from.split(/\s+/), to, event }];
    }),
);

const STATUSES: AppealStatus[] = [...APPEAL_STATUSES];
const ROLES: ActorRole[] = ['enterprise', 'dispatcher', 'handler', 'supervisor', 'admin', 'system'];
const ACTIONS = Object.keys(EXPECTED) as AppealAction[];
// SPEC §5 "Event actions"
const SPEC_EVENTS: readonly string[] = EVENT_ACTIONS;

/** What transition() should answer, from the test's own table. */
function expected(status: AppealStatus, action: AppealAction, role: ActorRole): object {
  const row = EXPECTED[action];
  if (!row.roles.includes(role)) return { ok: false, error: 'FORBIDDEN', hasMessage: true };
  if (!row.from.includes(status)) return { ok: false, error: 'INVALID_TRANSITION', hasMessage: true };
  return { ok: true, to: row.to === 'same' ? status : row.to, event: row.event };
}

/** The result with its free-text message reduced to "has one", so it compares against expected(). */
function outcome(status: AppealStatus, action: AppealAction, role: ActorRole): object {
  const result: TransitionResult = transition(status, action, role);
  if (result.ok) return result;
  return { ok: false, error: result.error, hasMessage: result.message.length > 0 };
}

/** Apply an allowed action; throws (failing the test) when the machine refuses it. */
function step(status: AppealStatus, action: AppealAction, role: ActorRole): AppealStatus {
  const result = transition(status, action, role);
  if (!result.ok) throw new Error(`${action} by ${role} from ${status}: ${result.error}`);
  return result.to;
}

describe('appeal state machine (SPEC §2)', () => {
  it('the test table has 57 actions and covers exactly the module’s actions', () => {
    expect(ACTIONS).toHaveLength(57);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ACTIONS].sort());
    expect([...APPEAL_ACTIONS].sort()).toEqual([...ACTIONS].sort());
  });

  it('has the nine statuses of SPEC §2, split into open and terminal', () => {
    expect(STATUSES).toEqual([
      ...['submitted', 'dispatched', 'in_progress', 'returned', 'replied'],
      ...['closed', 'rejected', 'withdrawn', 'merged'],
    ]);
    expect(SPEC_EVENTS).toHaveLength(57);
    expect([...OPEN_STATUSES].sort()).toEqual([
      'dispatched',
      'in_progress',
      'replied',
      'returned',
      'submitted',
    ]);
    expect([...TERMINAL_STATUSES].sort()).toEqual(['closed', 'merged', 'rejected', 'withdrawn']);
    for (const status of STATUSES) {
      expect(isOpen(status)).toBe(
        ['submitted', 'dispatched', 'in_progress', 'returned', 'replied'].includes(status),
      );
    }
  });

  it.each(ACTIONS)('TRANSITIONS.%s matches the test table', (action) => {
    const rule = TRANSITIONS[action];
    const row = EXPECTED[action];
    expect(rule.action).toBe(action);
    expect([...rule.roles].sort()).toEqual([...row.roles].sort());
    expect([...rule.from].sort()).toEqual([...row.from].sort());
    expect(rule.to).toBe(row.to);
    expect(rule.event).toBe(row.event);
  });

  it.each(ACTIONS)('transition(status, %s, role) for every status × role', (action) => {
    const actual: Record<string, object> = {};
    const want: Record<string, object> = {};
    for (const status of STATUSES) {
      for (const role of ROLES) {
        actual[`${status}/${role}`] = outcome(status, action, role);
        want[`${status}/${role}`] = expected(status, action, role);
      }
    }
    expect(Object.keys(actual)).toHaveLength(9 * 6);
    expect(actual).toEqual(want);
  });

  it('checks the role before the status', () => {
    expect(transition('closed', 'dispatch', 'handler')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
    expect(transition('closed', 'dispatch', 'dispatcher')).toMatchObject({
      ok: false,
      error: 'INVALID_TRANSITION',
    });
  });

  it('writes only event actions listed in SPEC §5', () => {
    for (const action of ACTIONS) expect(SPEC_EVENTS).toContain(TRANSITIONS[action].event);
  });

  it('reaches every status from submitted', () => {
    const seen = new Set<AppealStatus>(['submitted']);
    const queue: AppealStatus[] = ['submitted'];
    while (queue.length > 0) {
      const status = queue.shift()!;
      for (const action of ACTIONS) {
        for (const role of ROLES) {
          const result = transition(status, action, role);
          if (result.ok && !seen.has(result.to)) {
            seen.add(result.to);
            queue.push(result.to);
          }
        }
      }
    }
    expect([...seen].sort()).toEqual([...STATUSES].sort());
  });

  it.each(['closed', 'rejected', 'withdrawn', 'merged'] as AppealStatus[])(
    'allows nothing from the terminal status %s but the assessment ledger, the plan and the SPEC §11 records, which keep the status',
    (status) => {
      const allowed = ACTIONS.flatMap((action) =>
        ROLES.filter((role) => transition(status, action, role).ok).map((role) => `${action}/${role}`),
      );
      expect(allowed.sort()).toEqual(
        [
          'answer_supervision/handler',
          'approve_assessment_appeal/supervisor',
          'close_supervision/supervisor',
          'deny_assessment_appeal/supervisor',
          'escalate_supervision/system',
          'file_assessment_appeal/handler',
          // SPEC §9.3: the plan outlives the case
          'confirm_plan/dispatcher',
          'confirm_plan/enterprise',
          'fulfil_plan/handler',
          'plan_feedback_overdue/system',
          'plan_overdue/system',
          'update_plan/handler',
          'share_attachment/dispatcher',
          'reveal_contact/handler',
          'reveal_contact/dispatcher',
          'anonymise_contact/system',
          'deny_whistle/dispatcher',
          'deny_whistle/supervisor',
          'cancel_whistle/dispatcher',
          'cancel_whistle/supervisor',
          'check_in_whistle/handler',
          'record_whistle_minutes/handler',
          'complete_whistle_commitment/handler',
          'close_whistle/supervisor',
          'whistle_deadline_warning/system',
          'whistle_deadline_overdue/system',
        ].sort(),
      );
      const moved = LEDGER_ACTIONS.flatMap((action) =>
        ROLES.map((role) => transition(status, action, role)).filter((r) => r.ok && r.to !== status),
      );
      expect(moved).toEqual([]);
    },
  );

  it('the ledger actions and the SPEC §11 records are those allowed in every status, and none moves the status', () => {
    const everywhere = ACTIONS.filter((action) => EXPECTED[action].from.length === STATUSES.length);
    expect([...LEDGER_ACTIONS, 'share_attachment', 'reveal_contact'].sort()).toEqual(everywhere.sort());
    for (const action of LEDGER_ACTIONS) expect(TRANSITIONS[action].to).toBe('same');
  });

  it('a return is a request: only a dispatcher decides it, and only the lead approval moves the appeal', () => {
    expect(transition('in_progress', 'request_return', 'handler')).toEqual({
      ok: true,
      to: 'in_progress',
      event: 'return.requested',
    });
    for (const action of ['approve_return_lead', 'approve_return_co', 'deny_return'] as AppealAction[]) {
      expect(transition('in_progress', action, 'handler')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      expect(transition('in_progress', action, 'supervisor')).toMatchObject({
        ok: false,
        error: 'FORBIDDEN',
      });
      expect(transition('replied', action, 'dispatcher')).toMatchObject({
        ok: false,
        error: 'INVALID_TRANSITION',
      });
    }
    expect(step('dispatched', 'approve_return_lead', 'dispatcher')).toBe('returned');
    expect(step('dispatched', 'approve_return_co', 'dispatcher')).toBe('dispatched');
    expect(step('in_progress', 'deny_return', 'dispatcher')).toBe('in_progress');
  });

  it('only a supervisor decides an assessment appeal; only a handler files one', () => {
    for (const role of ['enterprise', 'dispatcher', 'supervisor', 'admin'] as ActorRole[])
      expect(transition('closed', 'file_assessment_appeal', role)).toMatchObject({ error: 'FORBIDDEN' });
    for (const role of ['enterprise', 'dispatcher', 'handler', 'admin'] as ActorRole[]) {
      expect(transition('closed', 'approve_assessment_appeal', role)).toMatchObject({ error: 'FORBIDDEN' });
      expect(transition('closed', 'deny_assessment_appeal', role)).toMatchObject({ error: 'FORBIDDEN' });
    }
  });

  it('allows every open status at least one status-changing action', () => {
    for (const status of [
      'submitted',
      'dispatched',
      'in_progress',
      'returned',
      'replied',
    ] as AppealStatus[]) {
      const leaves = ACTIONS.some((action) =>
        ROLES.some((role) => {
          const result = transition(status, action, role);
          return result.ok && result.to !== status;
        }),
      );
      expect(leaves).toBe(true);
    }
  });

  it('allows nothing to admin (admins manage reference data, not cases)', () => {
    for (const action of ACTIONS) {
      expect(TRANSITIONS[action].roles).not.toContain('admin');
      for (const status of STATUSES) {
        expect(transition(status, action, 'admin')).toMatchObject({ ok: false, error: 'FORBIDDEN' });
      }
    }
  });

  describe('surveyAction', () => {
    const cases: [string, number, number, string][] = [];
    for (const satisfaction of ['satisfied', 'basically_satisfied', 'unsatisfied']) {
      for (let reopenCount = 0; reopenCount <= 4; reopenCount++) {
        for (let maxReopens = 0; maxReopens <= 3; maxReopens++) {
          const want =
            satisfaction !== 'unsatisfied'
              ? 'survey_close'
              : reopenCount < maxReopens
                ? 'survey_reopen'
                : 'survey_close_reopen_limit';
          cases.push([satisfaction, reopenCount, maxReopens, want]);
        }
      }
    }

    it('covers 3 satisfactions × reopenCount 0..4 × maxReopens 0..3', () => {
      expect(cases).toHaveLength(60);
    });

    it.each(cases)(
      '%s with reopenCount %i and maxReopens %i → %s',
      (satisfaction, reopenCount, maxReopens, want) => {
        expect(surveyAction(satisfaction as 'satisfied', reopenCount, maxReopens)).toBe(want);
      },
    );

    it('with the default MAX_REOPENS of 2, reopens twice and then closes', () => {
      expect([0, 1, 2, 3].map((n) => surveyAction('unsatisfied', n, 2))).toEqual([
        'survey_reopen',
        'survey_reopen',
        'survey_close_reopen_limit',
        'survey_close_reopen_limit',
      ]);
    });
  });

  it('walks the closed loop submitted → dispatched → in_progress → replied → in_progress → replied → closed', () => {
    const path: AppealStatus[] = ['submitted'];
    let status: AppealStatus = 'submitted';
    let reopenCount = 0;
    const go = (action: AppealAction, role: ActorRole) => {
      status = step(status, action, role);
      if (path[path.length - 1] !== status) path.push(status); // 'same' actions leave no mark on the path
    };

    go('dispatch', 'dispatcher');
    go('acknowledge_lead', 'handler');
    go('acknowledge_co', 'handler');
    go('progress', 'handler');
    go('reply', 'handler');
    go(surveyAction('unsatisfied', reopenCount, 2), 'enterprise');
    reopenCount++;
    go('reply', 'handler');
    go(surveyAction('satisfied', reopenCount, 2), 'dispatcher');

    expect(path).toEqual([
      'submitted',
      'dispatched',
      'in_progress',
      'replied',
      'in_progress',
      'replied',
      'closed',
    ]);
    expect(isOpen(status)).toBe(false);
  });

  it('walks the return and re-dispatch loop and the reopen limit', () => {
    let status: AppealStatus = 'submitted';
    status = step(status, 'dispatch', 'dispatcher');
    status = step(status, 'request_return', 'handler');
    expect(status).toBe('dispatched');
    status = step(status, 'approve_return_lead', 'dispatcher');
    expect(status).toBe('returned');
    status = step(status, 'dispatch', 'dispatcher');
    status = step(status, 'acknowledge_lead', 'handler');
    for (let reopenCount = 0; reopenCount < 2; reopenCount++) {
      status = step(status, 'reply', 'handler');
      status = step(status, surveyAction('unsatisfied', reopenCount, 2), 'enterprise');
      expect(status).toBe('in_progress');
    }
    status = step(status, 'reply', 'handler');
    expect(surveyAction('unsatisfied', 2, 2)).toBe('survey_close_reopen_limit');
    expect(transition(status, 'survey_close_reopen_limit', 'enterprise')).toEqual({
      ok: true,
      to: 'closed',
      event: 'appeal.closed',
    });
  });

  it('gives a readable message when refusing, in words and without action identifiers', () => {
    expect(transition('submitted', 'reply', 'enterprise')).toEqual({
      ok: false,
      error: 'FORBIDDEN',
      message: 'an appeal cannot be answered by an enterprise',
    });
    expect(transition('closed', 'reply', 'handler')).toEqual({
      ok: false,
      error: 'INVALID_TRANSITION',
      message: 'the appeal is closed; it cannot be answered now',
    });
  });

  it('freezes the table so a service cannot change it at run time', () => {
    expect(Object.isFrozen(TRANSITIONS)).toBe(true);
    expect(Object.isFrozen(TRANSITIONS.dispatch)).toBe(true);
  });
});

describe('leaderAction (SPEC §8.2)', () => {
  it('the first instruction assigns the leader', () => {
    expect(leaderAction(null, '王副市长')).toBe('assign_leader');
  });
  it('the same leader instructs again', () => {
    expect(leaderAction('王副市长', '王副市长')).toBe('instruct_leader');
  });
  it('another leader takes the case over', () => {
    expect(leaderAction('王副市长', '李市长')).toBe('assign_leader');
  });
});
