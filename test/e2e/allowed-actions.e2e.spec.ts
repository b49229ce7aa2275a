import { TRANSITIONS, type AppealAction } from '../../src/modules/workflow/appeal-state-machine';
import { appealBody, appealSuite } from '../setup/appeal-helpers';

/**
 * GET /appeals/{id}/actions: what each caller may do on an appeal now (the workbench's buttons), from the
 * transition table plus the facts it leaves to the services — and what it leaves out, the routes refuse.
 */
describe('allowed actions of an appeal (e2e)', () => {
  const s = appealSuite();
  let id = '';

  const actions = async (auth: string): Promise<AppealAction[]> => {
    const res = await s.api.get(`/appeals/${id}/actions`, auth).expect(200);
    expect(res.body.appealId).toBe(id);
    const appeal = (await s.api.get(`/appeals/${id}`, auth).expect(200)).body;
    expect(res.body.status).toBe(appeal.status);
    expect(res.body.version).toBe(appeal.version);
    return res.body.actions;
  };
  /** Every listed action's rule names the caller's role and the appeal's status. */
  async function consistent(auth: string, role: string) {
    const res = (await s.api.get(`/appeals/${id}/actions`, auth).expect(200)).body;
    for (const a of res.actions as AppealAction[]) {
      expect(TRANSITIONS[a].roles).toContain(role);
      expect(TRANSITIONS[a].from).toContain(res.status);
    }
  }

  it('a new appeal: the centre may dispatch, reject or answer it; the enterprise withdraw or supplement; a department sees nothing', async () => {
    id = (await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w)).expect(201)).body.id;
    expect(await actions(s.w.dispatcher.auth)).toEqual([
      'dispatch',
      'reject',
      'resolve_on_spot',
      'merge',
      'add_attachment',
      'request_whistle',
    ]);
    expect(await actions(s.w.enterprise.auth)).toEqual([
      'withdraw',
      'supplement',
      'add_attachment',
      'request_whistle',
    ]);
    expect(await actions(s.w.supervisor.auth)).toEqual(['supervise', 'assign_leader']);
    expect(await actions(s.w.admin.auth)).toEqual([]);
    // out of scope: 404, as for the appeal itself
    await s.api.get(`/appeals/${id}/actions`, s.w.leadHandler.auth).expect(404);
    await s.api.get(`/appeals/${id}/actions`, s.w.otherEnterprise.auth).expect(404);
    await s.t.http().get(`/api/v1/appeals/${id}/actions`).expect(401);
    await s.api.get('/appeals/not-a-uuid/actions', s.w.dispatcher.auth).expect(400);
    for (const [auth, role] of [
      [s.w.dispatcher.auth, 'dispatcher'],
      [s.w.enterprise.auth, 'enterprise'],
      [s.w.supervisor.auth, 'supervisor'],
    ])
      await consistent(auth, role);
  });

  it('dispatched to a lead and a co department: each may acknowledge as what it is, and what is not listed is refused', async () => {
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        coDepartmentIds: [s.w.co.id],
      })
      .expect(200);
    expect(await actions(s.w.leadHandler.auth)).toEqual([
      'acknowledge_lead',
      'request_return',
      'log_contact',
      'add_attachment',
    ]);
    expect(await actions(s.w.coHandler.auth)).toEqual([
      'acknowledge_co',
      'request_return',
      'log_contact',
      'add_attachment',
    ]);
    expect(await actions(s.w.dispatcher.auth)).not.toContain('dispatch');
    expect(await actions(s.w.dispatcher.auth)).toContain('log_contact');
    await s.api.get(`/appeals/${id}/actions`, s.w.otherHandler.auth).expect(404);
    // not listed → refused: the lead cannot reply before acknowledging, the centre cannot dispatch again
    await s.api
      .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, { content: '答复', outcome: 'resolved' })
      .expect(409);
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(409);
    await consistent(s.w.leadHandler.auth, 'handler');
    await consistent(s.w.coHandler.auth, 'handler');
  });

  it('acknowledged: the lead replies, asks for an extension, gives staged replies; the co department gives its opinion', async () => {
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth, {}).expect(200);
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.coHandler.auth, {}).expect(200);
    expect(await actions(s.w.leadHandler.auth)).toEqual([
      'request_return',
      'progress',
      'request_extension',
      'reply',
      'log_contact',
      'staged_reply',
      'add_attachment',
    ]);
    expect(await actions(s.w.coHandler.auth)).toEqual([
      'request_return',
      'progress',
      'opinion',
      'log_contact',
      'add_attachment',
    ]);
    // the co department may not reply (not listed, refused)
    const refused = await s.api
      .post(`/appeals/${id}/reply`, s.w.coHandler.auth, { content: '答复', outcome: 'resolved' })
      .expect((r) => expect([403, 409]).toContain(r.status));
    expect(refused.body.code).toBeDefined();
  });

  it('a pending request leaves the asker’s list and joins the centre’s', async () => {
    await s.api
      .post(`/appeals/${id}/extensions`, s.w.leadHandler.auth, { days: 3, reason: '需现场核查' })
      .expect(201);
    expect(await actions(s.w.leadHandler.auth)).not.toContain('request_extension');
    expect(await actions(s.w.dispatcher.auth)).toEqual(
      expect.arrayContaining(['approve_extension', 'deny_extension']),
    );
    await s.api.post(`/appeals/${id}/return`, s.w.coHandler.auth, { reason: '不属于本部门职责' }).expect(200);
    expect(await actions(s.w.coHandler.auth)).not.toContain('request_return');
    const centre = await actions(s.w.dispatcher.auth);
    expect(centre).toEqual(expect.arrayContaining(['approve_return_co', 'deny_return']));
    expect(centre).not.toContain('approve_return_lead');
    // a second request is refused, as its absence from the list said
    await s.api
      .post(`/appeals/${id}/extensions`, s.w.leadHandler.auth, { days: 3, reason: '再次申请' })
      .expect(409);
  });

  it('replied: the enterprise rates (a reopen while under the limit); closed: nothing is left but the ledgers', async () => {
    await s.api
      .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, { content: '已办理', outcome: 'resolved' })
      .expect(200);
    expect(await actions(s.w.enterprise.auth)).toEqual([
      'survey_close',
      'survey_reopen',
      'supplement',
      'add_attachment',
      'request_whistle',
    ]);
    expect(await actions(s.w.leadHandler.auth)).toEqual([]);
    await s.api
      .post(`/appeals/${id}/survey`, s.w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    expect(await actions(s.w.enterprise.auth)).toEqual([]);
    expect(await actions(s.w.dispatcher.auth)).toEqual([]);
    // not listed → refused
    await s.api.post(`/appeals/${id}/withdraw`, s.w.enterprise.auth, { reason: '不需要了' }).expect(409);
  });
});
