import type { Role } from '../../src/modules/users/user.entity';
import { appealBody, appealSuite } from '../setup/appeal-helpers';

/**
 * SPEC §1 as a matrix: every route of the OpenAPI document × every role and anonymous. A role the
 * route is not for gets 403 (anonymous 401 off the public routes); a role it is for gets past the
 * gate (anything but 401/403: the call may still be 400 for an empty body or 404 for an unknown id);
 * an enterprise or handler asking about an appeal outside its scope gets 404. A route the document has
 * and this table does not (or the other way round) fails the test, so new routes must be placed here.
 */
type Caller = Role | 'anonymous';
const E: Role = 'enterprise';
const D: Role = 'dispatcher';
const H: Role = 'handler';
const S: Role = 'supervisor';
const A: Role = 'admin';
const ALL: Role[] = [E, D, H, S, A];
const PUBLIC = 'public' as const;

/** Who each route is for (SPEC §1 and §5). */
const MATRIX: Record<string, Role[] | typeof PUBLIC> = {
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/enterprises/register': PUBLIC,
  'GET /api/v1/me': ALL,
  'POST /api/v1/me/password': ALL,
  'POST /api/v1/users': [A],
  'GET /api/v1/users': [A],
  'PATCH /api/v1/users/{id}': [A],
  'POST /api/v1/users/{id}/password': [A],
  'POST /api/v1/departments': [A],
  'GET /api/v1/departments': ALL,
  'GET /api/v1/departments/{id}': ALL,
  'POST /api/v1/categories': [A],
  'GET /api/v1/categories': ALL,
  // SPEC §5.1: the centre finds enterprises; a dispatcher registers a caller's enterprise
  'GET /api/v1/enterprises': [D, S, A],
  'POST /api/v1/enterprises': [D],
  'POST /api/v1/districts': [A],
  'GET /api/v1/districts': ALL,
  'GET /api/v1/enterprises/{id}': [E, D, S, A],
  'POST /api/v1/appeals': [E, D],
  'GET /api/v1/appeals': ALL,
  'GET /api/v1/appeals/{id}': ALL,
  'GET /api/v1/appeals/{id}/events': ALL,
  'GET /api/v1/appeals/{id}/events/verify': ALL,
  // the workbench's buttons: what the caller may do on an appeal it sees
  'GET /api/v1/appeals/{id}/actions': ALL,
  'POST /api/v1/appeals/{id}/dispatch': [D],
  'POST /api/v1/appeals/{id}/reject': [D],
  'POST /api/v1/appeals/{id}/resolve': [D],
  'POST /api/v1/appeals/{id}/acknowledge': [H],
  'POST /api/v1/appeals/{id}/return': [H],
  'POST /api/v1/appeals/{id}/progress': [H],
  'POST /api/v1/appeals/{id}/opinion': [H],
  'POST /api/v1/appeals/{id}/extensions': [H],
  'POST /api/v1/appeals/{id}/extensions/{eid}/approve': [D, S],
  'POST /api/v1/appeals/{id}/extensions/{eid}/deny': [D, S],
  'POST /api/v1/appeals/{id}/reply': [H],
  'POST /api/v1/appeals/{id}/survey': [E, D],
  'POST /api/v1/appeals/{id}/withdraw': [E],
  'POST /api/v1/appeals/{id}/merge': [D],
  'POST /api/v1/appeals/{id}/supervise': [S],
  'POST /api/v1/appeals/{id}/supplements': [E],
  'POST /api/v1/appeals/{id}/returns/{rid}/approve': [D],
  'POST /api/v1/appeals/{id}/returns/{rid}/deny': [D],
  'POST /api/v1/appeals/{id}/assessment-appeals': [H],
  'POST /api/v1/appeals/{id}/assessment-appeals/{aid}/approve': [S],
  'POST /api/v1/appeals/{id}/assessment-appeals/{aid}/deny': [S],
  'POST /api/v1/appeals/{id}/leader': [S],
  // SPEC §9.1, §9.2: a department holding the case or the centre logs contacts; the lead gives staged replies
  'POST /api/v1/appeals/{id}/contacts': [D, H],
  'GET /api/v1/appeals/{id}/contacts': ALL,
  'POST /api/v1/appeals/{id}/staged-replies': [H],
  'GET /api/v1/appeals/{id}/staged-replies': ALL,
  // SPEC §12: the enterprise or the centre blows the whistle; the centre reviews; departments report in
  'POST /api/v1/appeals/{id}/whistle': [E, D],
  'GET /api/v1/whistles': [D, H, S],
  'GET /api/v1/whistles/{wid}': [E, D, H, S],
  'POST /api/v1/whistles/{wid}/approve': [D, S],
  'POST /api/v1/whistles/{wid}/deny': [D, S],
  'POST /api/v1/whistles/{wid}/cancel': [D, S],
  'POST /api/v1/whistles/{wid}/check-in': [H],
  'POST /api/v1/whistles/{wid}/minutes': [H],
  'POST /api/v1/whistles/{wid}/commitments/{cid}/complete': [H],
  'POST /api/v1/whistles/{wid}/close': [S],
  'GET /api/v1/supervisions': [D, H, S],
  'POST /api/v1/supervisions/{sid}/answer': [H],
  'POST /api/v1/supervisions/{sid}/close': [S],
  // SPEC §9.3: the plans' ledger and steps; admins hold no cases
  'GET /api/v1/plans': [E, D, H, S],
  'GET /api/v1/plans/{pid}': [E, D, H, S],
  'POST /api/v1/plans/{pid}/updates': [H],
  'POST /api/v1/plans/{pid}/fulfil': [H],
  'POST /api/v1/plans/{pid}/confirm': [E, D],
  // SPEC §8.1: an enterprise reads the meetings it attended; handlers are not told about meetings
  'POST /api/v1/meetings': [D, S],
  'GET /api/v1/meetings': [E, D, S, A],
  'GET /api/v1/meetings/{id}': [E, D, S, A],
  'POST /api/v1/meetings/{id}/issues': [D],
  // SPEC §10: handlers draft their department's entries, dispatchers the centre's and review; all read
  'POST /api/v1/knowledge': [H, D],
  'GET /api/v1/knowledge': ALL,
  'GET /api/v1/knowledge/search': ALL,
  'GET /api/v1/knowledge/{id}': ALL,
  'PATCH /api/v1/knowledge/{id}': [H, D],
  'GET /api/v1/knowledge/{id}/versions': [H, D, S, A],
  'POST /api/v1/knowledge/{id}/submit': [H, D],
  'POST /api/v1/knowledge/{id}/publish': [D],
  'POST /api/v1/knowledge/{id}/reject': [D],
  'POST /api/v1/knowledge/{id}/withdraw': [H, D],
  'POST /api/v1/knowledge/{id}/confirm': [H, D],
  // SPEC §5.1: a queue for every desk
  'GET /api/v1/queue': [H, D, S, A],
  'GET /api/v1/notifications': [E, H],
  'GET /api/v1/calendar/days': ALL,
  'PUT /api/v1/calendar/days/{date}': [A],
  'DELETE /api/v1/calendar/days/{date}': [A],
  'GET /api/v1/calendar/deadline': ALL,
  'POST /api/v1/sla-policies': [A],
  'GET /api/v1/sla-policies': [D, S, A],
  'POST /api/v1/webhooks': [A],
  'GET /api/v1/webhooks': [A],
  'GET /api/v1/webhooks/{id}': [A],
  'PATCH /api/v1/webhooks/{id}': [A],
  'DELETE /api/v1/webhooks/{id}': [A],
  'GET /api/v1/webhooks/{id}/deliveries': [A],
  'POST /api/v1/routing-rules': [A],
  'GET /api/v1/routing-rules': [D, S, A],
  'PATCH /api/v1/routing-rules/{id}': [A],
  'DELETE /api/v1/routing-rules/{id}': [A],
  // a handler reads its own department's summary (the service narrows it); the rest are the centre's
  'GET /api/v1/reports/summary': [D, H, S, A],
  'GET /api/v1/reports/departments': [D, S, A],
  'GET /api/v1/reports/trend': [D, S, A],
  'GET /api/v1/reports/categories': [D, S, A],
  'GET /api/v1/reports/meetings': [D, S, A],
  'GET /api/v1/reports/whistles': [D, S, A],
  'GET /api/v1/targets': [D, S, A],
  'PUT /api/v1/targets': [S, A],
  // SPEC §11 evidence files and personal data
  'POST /api/v1/appeals/{id}/attachments': [E, D, H],
  'GET /api/v1/appeals/{id}/attachments': ALL,
  'GET /api/v1/attachments/{aid}/content': ALL,
  'POST /api/v1/attachments/{aid}/share': [D],
  'GET /api/v1/appeals/{id}/contact': [D, H],
  'GET /api/v1/retention': [A],
};

/** Bodies valid enough that a scope check (404) is reached before validation (400). */
const SCOPE_BODIES: Record<string, object> = {
  acknowledge: {},
  return: { reason: '不属于本单位职责' },
  progress: { note: '正在核查' },
  opinion: { content: '协办意见' },
  extensions: { days: 2, reason: '需要现场核查' },
  reply: { content: '已办理', outcome: 'resolved' },
  survey: { satisfaction: 'satisfied', resolved: true },
  withdraw: { reason: '已解决' },
  supplements: { content: '补充材料' },
  contacts: { method: 'phone', outcome: 'reached' },
  'staged-replies': { content: '正在协调办理' },
  whistle: { reason: '多个部门互相推诿' },
  'assessment-appeals': {
    surveyId: '8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11',
    reason: 'beyond_duty',
    explanation: '不属于本单位法定职责',
    recontacted: true,
  },
};

const UNKNOWN = '8b0e1f4e-3a52-4c7e-9d7a-1c9f0e2b7a11';

describe('authorization matrix, from the OpenAPI document (e2e)', () => {
  const s = appealSuite();
  let routes: { method: string; path: string; key: string }[];
  let appealId: string;

  beforeAll(async () => {
    const doc = await s.t.http().get('/api/docs-json').expect(200);
    routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([path, ops]) =>
        Object.keys(ops)
          .filter(() => path.startsWith('/api/v1/'))
          .map((method) => ({ method, path, key: `${method.toUpperCase()} ${path}` })),
    );
    const filed = await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201);
    appealId = filed.body.id as string;
    await s.api
      .post(`/appeals/${appealId}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
  });

  const url = (path: string) =>
    path
      .replace(/^\/api\/v1\/appeals\/\{id\}/, `/api/v1/appeals/${appealId}`)
      .replace('{id}', UNKNOWN)
      .replace(/\{(eid|rid|aid|sid|wid)\}/, UNKNOWN)
      .replace('{cid}', UNKNOWN)
      .replace('{date}', '2030-01-02');

  function call(method: string, path: string, auth: string | null, body: object = {}) {
    const agent = s.t.http();
    const req = (agent as unknown as Record<string, (u: string) => ReturnType<typeof agent.get>>)[method](
      url(path),
    );
    if (auth) req.set('Authorization', auth);
    return method === 'get' || method === 'delete' ? req : req.send(body);
  }

  const authOf = (caller: Caller): string | null =>
    caller === 'anonymous'
      ? null
      : {
          enterprise: s.w.enterprise.auth,
          dispatcher: s.w.dispatcher.auth,
          handler: s.w.leadHandler.auth,
          supervisor: s.w.supervisor.auth,
          admin: s.w.admin.auth,
        }[caller];

  it('the table names exactly the routes the OpenAPI document has', () => {
    expect(routes.map((r) => r.key).sort()).toEqual(Object.keys(MATRIX).sort());
  });

  it('every route × every role and anonymous answers as SPEC §1 says', async () => {
    const wrong: string[] = [];
    for (const { method, path, key } of routes) {
      const allowed = MATRIX[key];
      for (const caller of ['anonymous', ...ALL] as Caller[]) {
        const res = await call(method, path, authOf(caller));
        const gate = res.status === 401 || res.status === 403;
        let expected: string;
        if (allowed === PUBLIC) expected = gate ? 'no 401/403' : '';
        else if (caller === 'anonymous') expected = res.status === 401 ? '' : '401';
        else if (allowed.includes(caller)) expected = gate ? 'no 401/403' : '';
        else expected = res.status === 403 ? '' : '403';
        if (res.status >= 500) expected = 'no 5xx';
        if (expected) wrong.push(`${key} as ${caller}: ${res.status} (expected ${expected})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('an enterprise or a handler asking about an appeal outside its scope gets 404 on every appeal route it may call', async () => {
    const wrong: string[] = [];
    const outsiders = [
      { role: E, auth: s.w.otherEnterprise.auth },
      { role: H, auth: s.w.otherHandler.auth },
    ];
    for (const { method, path, key } of routes.filter((r) => r.path.startsWith('/api/v1/appeals/{id}'))) {
      const allowed = MATRIX[key];
      for (const { role, auth } of outsiders) {
        if (allowed === PUBLIC || !allowed.includes(role)) continue;
        const action = path.split('/').at(-1)!;
        const res = await call(method, path, auth, SCOPE_BODIES[action] ?? {});
        if (res.status !== 404)
          wrong.push(`${key} as another ${role}: ${res.status} ${res.body?.code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
