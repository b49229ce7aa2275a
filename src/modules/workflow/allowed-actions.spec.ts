import { allowedActions, type CaseFacts } from './allowed-actions';
import { APPEAL_STATUSES, transition, type ActorRole } from './appeal-state-machine';

const base: CaseFacts = {
  status: 'submitted',
  role: 'dispatcher',
  confidential: false,
  reopenCount: 0,
  maxReopens: 2,
  own: null,
  pendingReturnRoles: [],
  extensionPending: false,
  openLead: false,
  plan: null,
  whistleActive: false,
  supervisionToAnswer: false,
  leaderLed: false,
};
const lead = {
  role: 'lead' as const,
  status: 'in_progress' as const,
  returnPending: false,
  extensionPending: false,
  replyDuePassed: false,
};

describe('allowedActions: the transition table plus the facts it leaves to the services', () => {
  it('never lists an action the table refuses, for any role in any status, whatever the facts', () => {
    const roles: ActorRole[] = ['enterprise', 'dispatcher', 'handler', 'supervisor', 'admin'];
    const generous: Partial<CaseFacts> = {
      own: { ...lead, status: 'dispatched' },
      pendingReturnRoles: ['lead', 'co'],
      extensionPending: true,
      openLead: true,
      plan: { status: 'fulfilled', own: true },
      supervisionToAnswer: true,
      leaderLed: true,
    };
    for (const status of APPEAL_STATUSES)
      for (const role of roles)
        for (const extra of [{}, generous])
          for (const a of allowedActions({ ...base, ...extra, status, role }))
            expect(transition(status, a, role).ok).toBe(true);
  });

  it('an admin manages reference data, not cases: nothing, ever', () => {
    for (const status of APPEAL_STATUSES)
      expect(allowedActions({ ...base, status, role: 'admin' })).toEqual([]);
  });

  it('a handler: acknowledges as lead or co, and only the lead replies, asks for an extension or gives staged replies', () => {
    const h = { ...base, role: 'handler' as const, status: 'dispatched' as const };
    expect(allowedActions({ ...h, own: null })).toEqual([]);
    expect(allowedActions({ ...h, own: { ...lead, status: 'dispatched' } })).toContain('acknowledge_lead');
    expect(allowedActions({ ...h, own: { ...lead, role: 'co', status: 'dispatched' } })).toContain(
      'acknowledge_co',
    );
    const working = { ...h, status: 'in_progress' as const };
    expect(allowedActions({ ...working, own: lead })).toEqual(
      expect.arrayContaining(['reply', 'request_extension', 'staged_reply', 'progress']),
    );
    const co = allowedActions({ ...working, own: { ...lead, role: 'co' } });
    expect(co).toContain('opinion');
    for (const a of ['reply', 'request_extension', 'staged_reply'] as const) expect(co).not.toContain(a);
  });

  it('a pending request, a passed deadline, a confidential filer', () => {
    const working = { ...base, role: 'handler' as const, status: 'in_progress' as const };
    expect(allowedActions({ ...working, own: { ...lead, returnPending: true } })).not.toContain(
      'request_return',
    );
    expect(allowedActions({ ...working, own: { ...lead, extensionPending: true } })).not.toContain(
      'request_extension',
    );
    expect(allowedActions({ ...working, own: { ...lead, replyDuePassed: true } })).not.toContain(
      'request_extension',
    );
    expect(allowedActions({ ...working, own: lead, confidential: true })).not.toContain('log_contact');
    const centre = { ...base, status: 'in_progress' as const };
    expect(allowedActions({ ...centre, pendingReturnRoles: ['co'] })).toEqual(
      expect.arrayContaining(['approve_return_co', 'deny_return']),
    );
    expect(allowedActions({ ...centre, pendingReturnRoles: ['co'] })).not.toContain('approve_return_lead');
    expect(allowedActions({ ...centre, extensionPending: true })).toEqual(
      expect.arrayContaining(['approve_extension', 'deny_extension']),
    );
  });

  it('a rating reopens while under the limit and closes at it; a plan is confirmed once fulfilled', () => {
    const rated = { ...base, role: 'enterprise' as const, status: 'replied' as const };
    expect(allowedActions({ ...rated, reopenCount: 1 })).toEqual(
      expect.arrayContaining(['survey_close', 'survey_reopen']),
    );
    const atLimit = allowedActions({ ...rated, reopenCount: 2 });
    expect(atLimit).toContain('survey_close_reopen_limit');
    expect(atLimit).not.toContain('survey_reopen');
    const closed = { ...base, role: 'enterprise' as const, status: 'closed' as const };
    expect(allowedActions({ ...closed, plan: { status: 'open', own: false } })).toEqual([]);
    expect(allowedActions({ ...closed, plan: { status: 'fulfilled', own: false } })).toEqual([
      'confirm_plan',
    ]);
  });
});
