import { appealSuite } from '../setup/appeal-helpers';
import { waitFor } from '../setup/wait';
import { Receiver } from '../setup/webhook-receiver';

/**
 * SPEC §2 confidential appeals (举报人保密): nothing that identifies the filer reaches a department —
 * not the appeal, its events, notifications, the queue or the list — and webhooks carry the filer only
 * with `confidentialAccess: true`. The centre, supervisors and the enterprise itself still see it.
 */
describe('confidential appeals (e2e)', () => {
  const s = appealSuite({ env: { WEBHOOK_POLL_MS: '200' } });
  const rx = new Receiver();
  beforeAll(() => rx.start());
  afterAll(() => rx.close());

  const CONTACT = { contactName: '举报人王五', contactPhone: '13911112222' };

  /** Everything that names the filer: ids of the enterprise and its user, its name, the contacts. */
  async function filerValues() {
    const { t, w } = s;
    const enterpriseId = w.enterprise.user.enterpriseId!;
    const { body } = await s.api.get(`/enterprises/${enterpriseId}`, w.dispatcher.auth).expect(200);
    return [
      enterpriseId,
      w.enterprise.user.id,
      body.name as string,
      CONTACT.contactName,
      CONTACT.contactPhone,
    ].filter((v) => typeof v === 'string' && v.length > 0 && t);
  }
  const leaks = (text: string, values: string[]) => values.filter((v) => text.includes(v));

  it("a handler's appeal, events, list, notifications and queue carry nothing that names the filer", async () => {
    const { w, api } = s;
    const plainHook = await api
      .post('/webhooks', w.admin.auth, {
        url: rx.url('/plain'),
        events: ['*'],
        secret: 'whsec-plain-0123456789',
      })
      .expect(201);
    expect(plainHook.body.confidentialAccess).toBe(false);
    const trustedHook = await api
      .post('/webhooks', w.admin.auth, {
        url: rx.url('/trusted'),
        events: ['*'],
        secret: 'whsec-trusted-0123456789',
        confidentialAccess: true,
        contactAccess: true,
      })
      .expect(201);
    expect(trustedHook.body.confidentialAccess).toBe(true);

    const filed = await api
      .post('/appeals', w.enterprise.auth, {
        type: 'report',
        categoryCode: w.category.code,
        title: '举报某检查组违规收费',
        content: '检查人员以整改为由要求缴纳咨询费。',
        ...CONTACT,
      })
      .expect(201);
    const id = filed.body.id as string;
    expect(filed.body.confidential).toBe(true);
    await api
      .post(`/appeals/${id}/dispatch`, w.dispatcher.auth, {
        leadDepartmentId: w.lead.id,
        coDepartmentIds: [w.co.id],
      })
      .expect(200);
    await api.post(`/appeals/${id}/acknowledge`, w.leadHandler.auth).expect(200);
    await api
      .post(`/appeals/${id}/supplements`, w.enterprise.auth, { content: '补充：收费单据已拍照。' })
      .expect(200);
    await api
      .post(`/appeals/${id}/reply`, w.leadHandler.auth, { content: '已核查', outcome: 'explained' })
      .expect(200);
    await api
      .post(`/appeals/${id}/survey`, w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '问题没有解决',
      })
      .expect(200);

    const values = await filerValues();
    expect(values).toHaveLength(5);
    for (const handler of [w.leadHandler, w.coHandler]) {
      const answers = await Promise.all([
        api.get(`/appeals/${id}`, handler.auth).expect(200),
        api.get(`/appeals/${id}/events`, handler.auth).expect(200),
        api.get(`/appeals?limit=100`, handler.auth).expect(200),
        api.get('/notifications?limit=100', handler.auth).expect(200),
        api.get('/queue?limit=100', handler.auth).expect(200),
      ]);
      for (const res of answers) expect(leaks(res.text, values)).toEqual([]);
      const [view, events] = answers;
      expect(view.body).toMatchObject({
        enterpriseId: null,
        enterpriseName: null,
        contactName: null,
        contactPhone: null,
      });
      const own = (
        events.body.items as { actorRole: string; actorId: string | null; action: string }[]
      ).filter((e) => e.actorRole === 'enterprise');
      expect(own.map((e) => e.action)).toEqual([
        'appeal.submitted',
        'appeal.supplemented',
        'survey.recorded',
        'appeal.reopened',
      ]);
      expect(own.every((e) => e.actorId === null)).toBe(true);
    }

    // the centre, supervisors and the enterprise itself see the filer (so the checks above can fail)
    for (const who of [w.dispatcher, w.supervisor, w.enterprise]) {
      const view = await api.get(`/appeals/${id}`, who.auth).expect(200);
      expect(view.body).toMatchObject({ enterpriseId: w.enterprise.user.enterpriseId, ...CONTACT });
    }
    const centreEvents = await api.get(`/appeals/${id}/events`, w.dispatcher.auth).expect(200);
    expect(centreEvents.body.items[0]).toMatchObject({
      action: 'appeal.submitted',
      actorId: w.enterprise.user.id,
    });
    // the chain is verified over the stored events, not the redacted view
    expect((await api.get(`/appeals/${id}/events/verify`, w.leadHandler.auth).expect(200)).body.valid).toBe(
      true,
    );

    // webhooks: the filer only where the webhook was given confidential access
    const count = (centreEvents.body.items as unknown[]).length;
    await waitFor(
      async () => rx.at('/plain', id).length === count && rx.at('/trusted', id).length === count,
      'every event delivered to both webhooks',
    );
    for (const r of rx.at('/plain', id)) {
      expect(leaks(r.raw.toString('utf8'), values)).toEqual([]);
      expect(r.body.appeal).toMatchObject({ confidential: true, enterpriseId: null, contactPhone: null });
    }
    for (const r of rx.at('/trusted', id)) expect(r.body.appeal).toMatchObject({ ...CONTACT });
    // the filing's own delivery (written by the filing statement) follows the same rule
    expect(rx.at('/plain', id).find((r) => r.body.event === 'appeal.submitted')!.body.appeal).toMatchObject({
      contactName: null,
    });
    expect(rx.at('/trusted', id).find((r) => r.body.event === 'appeal.submitted')!.body.appeal).toMatchObject(
      CONTACT,
    );
  });

  it('a withdrawal by the filer shows no actor to the department', async () => {
    const { w, api } = s;
    const filed = await api
      .post('/appeals', w.enterprise.auth, {
        type: 'report',
        categoryCode: w.category.code,
        title: '举报',
        content: '内容',
      })
      .expect(201);
    const id = filed.body.id as string;
    await api.post(`/appeals/${id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id }).expect(200);
    await api.post(`/appeals/${id}/withdraw`, w.enterprise.auth, { reason: '已自行协商解决' }).expect(200);
    const events = await api.get(`/appeals/${id}/events`, w.leadHandler.auth).expect(200);
    const withdrawn = (events.body.items as { action: string; actorId: string | null }[]).find(
      (e) => e.action === 'appeal.withdrawn',
    );
    expect(withdrawn).toMatchObject({ actorId: null });
    expect(leaks(events.text, await filerValues())).toEqual([]);
  });

  it('an ordinary appeal shows the enterprise to its department', async () => {
    const { w, api } = s;
    const filed = await api
      .post('/appeals', w.enterprise.auth, {
        type: 'help',
        categoryCode: w.category.code,
        title: '求助',
        content: '内容',
      })
      .expect(201);
    expect(filed.body.confidential).toBe(false);
    await api
      .post(`/appeals/${filed.body.id}/dispatch`, w.dispatcher.auth, { leadDepartmentId: w.lead.id })
      .expect(200);
    const view = await api.get(`/appeals/${filed.body.id}`, w.leadHandler.auth).expect(200);
    expect(view.body.enterpriseId).toBe(w.enterprise.user.enterpriseId);
    const events = await api.get(`/appeals/${filed.body.id}/events`, w.leadHandler.auth).expect(200);
    expect(events.body.items[0].actorId).toBe(w.enterprise.user.id);
  });

  it('an admin can grant and withdraw confidential access on a webhook', async () => {
    const { w, api, t } = s;
    const hook = await api
      .post('/webhooks', w.admin.auth, {
        url: rx.url('/toggle'),
        events: ['appeal.closed'],
        secret: 'whsec-toggle-0123456789',
      })
      .expect(201);
    const on = await t
      .http()
      .patch(`/api/v1/webhooks/${hook.body.id}`)
      .set('Authorization', w.admin.auth)
      .send({ confidentialAccess: true })
      .expect(200);
    expect(on.body.confidentialAccess).toBe(true);
    const bad = await t
      .http()
      .patch(`/api/v1/webhooks/${hook.body.id}`)
      .set('Authorization', w.admin.auth)
      .send({ confidentialAccess: 'yes' });
    expect(bad.status).toBe(400);
  });
});
