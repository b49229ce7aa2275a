import { appealBody, appealSuite } from '../setup/appeal-helpers';

/** SPEC §2 end to end over HTTP, with a real user of each role. */
describe('the closed loop (e2e)', () => {
  const s = appealSuite();

  async function file(extra: Record<string, unknown> = {}) {
    const res = await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w, extra)).expect(201);
    return res.body;
  }

  it('file → dispatch (lead + co) → acknowledge → opinion → extension → reply → unsatisfied → reopen → reply → satisfied → closed', async () => {
    const filed = await file();
    expect(filed).toMatchObject({
      status: 'submitted',
      version: 1,
      channel: 'web',
      enterpriseId: s.w.enterprise.user.enterpriseId,
      reopenCount: 0,
    });
    expect(filed.number).toMatch(/^ZQT\d{8}\d{10}$/);
    const id = filed.id;

    const dispatched = await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        coDepartmentIds: [s.w.co.id],
        note: '请金融办牵头',
      })
      .expect(200);
    expect(dispatched.body).toMatchObject({
      status: 'dispatched',
      leadDepartmentId: s.w.lead.id,
      version: 2,
    });
    expect(dispatched.body.assignments).toHaveLength(2);
    const leadAssignment = dispatched.body.assignments.find((a: { role: string }) => a.role === 'lead');
    expect(leadAssignment).toMatchObject({ departmentId: s.w.lead.id, status: 'dispatched', overdue: false });
    expect(new Date(leadAssignment.replyDueAt).getTime()).toBeGreaterThan(
      new Date(leadAssignment.ackDueAt).getTime(),
    );

    // the queue shows it to both departments
    const queue = await s.api.get('/queue', s.w.leadHandler.auth).expect(200);
    expect(queue.body.items.map((i: { appealId: string }) => i.appealId)).toContain(id);

    const acked = await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    expect(acked.body.status).toBe('in_progress');
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.coHandler.auth).expect(200);
    const withOpinion = await s.api
      .post(`/appeals/${id}/opinion`, s.w.coHandler.auth, { content: '财政局已完成贴息资金拨付审核' })
      .expect(200);
    expect(withOpinion.body.assignments.find((a: { role: string }) => a.role === 'co')).toMatchObject({
      status: 'completed',
      opinion: '财政局已完成贴息资金拨付审核',
    });
    await s.api
      .post(`/appeals/${id}/progress`, s.w.leadHandler.auth, { note: '已电话联系企业了解情况' })
      .expect(200);

    const ext = await s.api
      .post(`/appeals/${id}/extensions`, s.w.leadHandler.auth, { days: 3, reason: '需协调银行补充材料' })
      .expect(201);
    expect(ext.body).toMatchObject({
      id: expect.any(String),
      status: 'pending',
      days: 3,
      reason: '需协调银行补充材料',
    });
    const before = (await s.api.get(`/appeals/${id}`, s.w.leadHandler.auth).expect(200)).body;
    expect(before.pendingExtension).toMatchObject({ id: ext.body.id, days: 3 });
    const dueBefore = before.assignments.find((a: { role: string }) => a.role === 'lead')
      .replyDueAt as string;
    const approved = await s.api
      .post(`/appeals/${id}/extensions/${ext.body.id}/approve`, s.w.dispatcher.auth)
      .expect(200);
    const leadAfter = approved.body.assignments.find((a: { role: string }) => a.role === 'lead');
    // SPEC §3: 3 more working days counted from the current deadline, on the official calendar
    const expected = await s.t
      .http()
      .get('/api/v1/calendar/deadline')
      .query({ from: dueBefore, duration: 'P3D', clock: 'working' })
      .set('Authorization', s.w.dispatcher.auth)
      .expect(200);
    expect(new Date(leadAfter.replyDueAt).getTime()).toBe(new Date(expected.body.dueAt).getTime());
    expect(new Date(leadAfter.replyDueAt).getTime()).toBeGreaterThan(
      new Date(dueBefore).getTime() + 3 * 24 * 3600_000 - 1,
    );
    expect(leadAfter.extendedDays).toBe(3);
    expect(approved.body.pendingExtension).toBeNull();

    const replied = await s.api
      .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, {
        content: '贴息资金已于本周拨付',
        outcome: 'resolved',
      })
      .expect(200);
    expect(replied.body).toMatchObject({ status: 'replied', reply: { outcome: 'resolved' } });
    expect(replied.body.surveyDueAt).toEqual(expect.any(String));

    const reopened = await s.api
      .post(`/appeals/${id}/survey`, s.w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '资金未到账',
      })
      .expect(200);
    expect(reopened.body).toMatchObject({
      status: 'in_progress',
      reopenCount: 1,
      survey: { satisfaction: 'unsatisfied', resolved: false },
    });
    const roundOne = reopened.body.assignments.filter(
      (a: { role: string; round: number }) => a.role === 'lead' && a.round === 1,
    );
    expect(roundOne).toHaveLength(1);
    expect(roundOne[0]).toMatchObject({ departmentId: s.w.lead.id, status: 'in_progress' });

    await s.api
      .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, {
        content: '已督促银行，资金今日到账',
        outcome: 'resolved',
      })
      .expect(200);
    const closed = await s.api
      .post(`/appeals/${id}/survey`, s.w.enterprise.auth, { satisfaction: 'satisfied', resolved: true })
      .expect(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      closeReason: 'rated',
      reopenCount: 1,
      survey: { satisfaction: 'satisfied', resolved: true },
    });
    expect(closed.body.closedAt).toEqual(expect.any(String));

    // the enterprise was told at each step; the co department got its case
    const inbox = (await s.api.get('/notifications?limit=100', s.w.enterprise.auth).expect(200)).body.items;
    expect(
      inbox
        .filter((n: { appealId: string }) => n.appealId === id)
        .map((n: { kind: string }) => n.kind)
        .sort(),
    ).toEqual(['appeal.closed', 'appeal.dispatched', 'appeal.replied', 'appeal.replied']);
    const coInbox = (await s.api.get('/notifications', s.w.coHandler.auth).expect(200)).body.items;
    expect(
      coInbox.some(
        (n: { appealId: string; kind: string }) => n.appealId === id && n.kind === 'assignment.new',
      ),
    ).toBe(true);
    const others = (await s.api.get('/notifications', s.w.otherEnterprise.auth).expect(200)).body.items;
    expect(others.some((n: { appealId: string }) => n.appealId === id)).toBe(false);
    await s.api.get('/notifications', s.w.dispatcher.auth).expect(403);

    const events = (await s.api.get(`/appeals/${id}/events`, s.w.supervisor.auth).expect(200)).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual([
      'appeal.submitted',
      'appeal.dispatched',
      'assignment.acknowledged',
      'assignment.acknowledged',
      'assignment.opinion_submitted',
      'appeal.progress_noted',
      'extension.requested',
      'extension.approved',
      'appeal.replied',
      'survey.recorded',
      'appeal.reopened',
      'appeal.replied',
      'survey.recorded',
      'appeal.closed',
    ]);
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(events.map((_: unknown, i: number) => i + 1));
    expect(events[1]).toMatchObject({
      actorId: s.w.dispatcher.user.id,
      actorRole: 'dispatcher',
      fromStatus: 'submitted',
      toStatus: 'dispatched',
    });
    expect(events[0].prevHash).toBe('0'.repeat(64));
    expect(events[1].prevHash).toBe(events[0].hash);

    const verified = await s.api.get(`/appeals/${id}/events/verify`, s.w.supervisor.auth).expect(200);
    expect(verified.body).toMatchObject({ valid: true, count: events.length });

    // tampering with a stored row (bypassing the append-only trigger, as an attacker with DB access would)
    await s.t.db.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(
        `UPDATE appeal_events SET data = jsonb_set(data, '{outcome}', '"explained"') WHERE appeal_id = $1 AND seq = 9`,
        [id],
      );
    });
    const broken = await s.api.get(`/appeals/${id}/events/verify`, s.w.supervisor.auth).expect(200);
    expect(broken.body).toMatchObject({ valid: false, brokenAtSeq: 9 });
  });

  it('verification catches events cut off the end of a chain (the appeal records its head)', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    expect((await s.api.get(`/appeals/${id}/events/verify`, s.w.supervisor.auth).expect(200)).body).toEqual({
      valid: true,
      count: 3,
    });
    // deleting the last event (bypassing the append-only trigger) leaves a chain that is intact link by link
    await s.t.db.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`DELETE FROM appeal_events WHERE appeal_id = $1 AND seq = 3`, [id]);
    });
    const cut = await s.api.get(`/appeals/${id}/events/verify`, s.w.supervisor.auth).expect(200);
    expect(cut.body).toEqual({ valid: false, count: 2, brokenAtSeq: 3, reason: 'head_mismatch' });
  });

  it('a lead return goes back to the centre, which re-dispatches elsewhere', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.other.id,
        coDepartmentIds: [s.w.co.id],
      })
      .expect(200);
    const asked = await s.api
      .post(`/appeals/${id}/return`, s.w.otherHandler.auth, {
        reason: '不属于本单位职责，依据三定方案应由金融办办理',
      })
      .expect(200);
    expect(asked.body.status).toBe('dispatched');
    const returned = await s.api
      .post(`/appeals/${id}/returns/${asked.body.pendingReturn.id}/approve`, s.w.dispatcher.auth)
      .expect(200);
    expect(returned.body.status).toBe('returned');
    expect(returned.body.assignments.map((a: { status: string }) => a.status).sort()).toEqual([
      'cancelled',
      'returned',
    ]);
    const redispatched = await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    expect(redispatched.body).toMatchObject({ status: 'dispatched', leadDepartmentId: s.w.lead.id });
    expect(
      redispatched.body.assignments.filter((a: { status: string }) => a.status === 'dispatched'),
    ).toHaveLength(1);
    // the department that returned it still sees the case it once had
    await s.api.get(`/appeals/${id}`, s.w.otherHandler.auth).expect(200);
    const events = (await s.api.get(`/appeals/${id}/events`, s.w.dispatcher.auth)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(events).toEqual([
      'appeal.submitted',
      'appeal.dispatched',
      'return.requested',
      'return.approved',
      'assignment.returned',
      'appeal.dispatched',
    ]);
  });

  it('a co-handler return cancels only its own part', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        coDepartmentIds: [s.w.co.id],
      })
      .expect(200);
    const asked = await s.api
      .post(`/appeals/${id}/return`, s.w.coHandler.auth, { reason: '无协办事项' })
      .expect(200);
    const res = await s.api
      .post(`/appeals/${id}/returns/${asked.body.pendingReturn.id}/approve`, s.w.dispatcher.auth)
      .expect(200);
    expect(res.body.status).toBe('dispatched');
    expect(res.body.assignments.find((a: { role: string }) => a.role === 'co').status).toBe('returned');
    expect(res.body.assignments.find((a: { role: string }) => a.role === 'lead').status).toBe('dispatched');
  });

  it('reject, with its reason', async () => {
    const { id } = await file();
    const res = await s.api
      .post(`/appeals/${id}/reject`, s.w.dispatcher.auth, { reason: '属于诉讼程序中的事项，不予受理' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'rejected', statusReason: '属于诉讼程序中的事项，不予受理' });
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(409);
  });

  it('withdraw by the enterprise cancels open assignments', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    const res = await s.api
      .post(`/appeals/${id}/withdraw`, s.w.enterprise.auth, { reason: '问题已自行解决' })
      .expect(200);
    expect(res.body.status).toBe('withdrawn');
    expect(res.body.assignments[0].status).toBe('cancelled');
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth).expect(409);
  });

  it('merge a duplicate into the earlier appeal; both logs record it', async () => {
    const first = await file();
    const dup = await file({ title: '技改贷款贴息申请未答复（重复）' });
    const res = await s.api
      .post(`/appeals/${dup.id}/merge`, s.w.dispatcher.auth, { intoAppealId: first.id })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'merged', mergedIntoId: first.id });
    const target = (await s.api.get(`/appeals/${first.id}/events`, s.w.dispatcher.auth)).body.items;
    expect(target[target.length - 1]).toMatchObject({
      action: 'appeal.merged',
      data: { mergedAppealId: dup.id },
    });
    await s.api
      .post(`/appeals/${first.id}/merge`, s.w.dispatcher.auth, { intoAppealId: first.id })
      .expect(400);
    const third = await file();
    await s.api.post(`/appeals/${third.id}/merge`, s.w.dispatcher.auth, { intoAppealId: dup.id }).expect(409);
  });

  it('resolve on the spot, then the return visit closes it', async () => {
    const { id } = await file({ type: 'consultation' });
    const res = await s.api
      .post(`/appeals/${id}/resolve`, s.w.dispatcher.auth, { content: '已告知企业申报入口与所需材料' })
      .expect(200);
    expect(res.body).toMatchObject({ status: 'replied', reply: { content: '已告知企业申报入口与所需材料' } });
    // a dispatcher records the phone return visit
    const closed = await s.api
      .post(`/appeals/${id}/survey`, s.w.dispatcher.auth, {
        satisfaction: 'basically_satisfied',
        resolved: true,
      })
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', closeReason: 'rated' });
  });

  it('the third unsatisfied survey closes at the reopen limit and opens a supervision', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    for (let round = 1; round <= 2; round++) {
      await s.api
        .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, {
          content: `第${round}次答复`,
          outcome: 'explained',
        })
        .expect(200);
      const r = await s.api
        .post(`/appeals/${id}/survey`, s.w.enterprise.auth, {
          satisfaction: 'unsatisfied',
          resolved: false,
          comment: '问题没有解决',
        })
        .expect(200);
      expect(r.body).toMatchObject({ status: 'in_progress', reopenCount: round });
    }
    await s.api
      .post(`/appeals/${id}/reply`, s.w.leadHandler.auth, { content: '第3次答复', outcome: 'explained' })
      .expect(200);
    const last = await s.api
      .post(`/appeals/${id}/survey`, s.w.enterprise.auth, {
        satisfaction: 'unsatisfied',
        resolved: false,
        comment: '问题没有解决',
      })
      .expect(200);
    expect(last.body).toMatchObject({
      status: 'closed',
      closeReason: 'reopen_limit',
      supervised: true,
      reopenCount: 2,
    });
    const actions = (await s.api.get(`/appeals/${id}/events`, s.w.supervisor.auth)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions.slice(-3)).toEqual(['survey.recorded', 'appeal.closed', 'appeal.supervised']);
    const supervisions = await s.t.db.query(`SELECT source FROM supervisions WHERE appeal_id = $1`, [id]);
    expect(supervisions).toEqual([{ source: 'reopen_limit' }]);
  });

  it('a denied extension leaves the deadline; only one request may be pending', async () => {
    const { id } = await file();
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    const acked = await s.api.post(`/appeals/${id}/acknowledge`, s.w.leadHandler.auth).expect(200);
    const due = acked.body.assignments[0].replyDueAt;
    const ext = await s.api
      .post(`/appeals/${id}/extensions`, s.w.leadHandler.auth, { days: 5, reason: '需现场核查' })
      .expect(201);
    const second = await s.api
      .post(`/appeals/${id}/extensions`, s.w.leadHandler.auth, { days: 2, reason: '再次申请' })
      .expect(409);
    expect(second.body.code).toBe('CONFLICT');
    const denied = await s.api
      .post(`/appeals/${id}/extensions/${ext.body.id}/deny`, s.w.supervisor.auth, { reason: '时限内可办结' })
      .expect(200);
    expect(denied.body.assignments[0].replyDueAt).toBe(due);
    await s.api.post(`/appeals/${id}/extensions/${ext.body.id}/approve`, s.w.dispatcher.auth).expect(409);
  });

  it('supervise and supplement', async () => {
    const { id } = await file();
    const sup = await s.api
      .post(`/appeals/${id}/supervise`, s.w.supervisor.auth, { note: '企业反映强烈，请加快办理' })
      .expect(200);
    expect(sup.body.supervised).toBe(true);
    const more = await s.api
      .post(`/appeals/${id}/supplements`, s.w.enterprise.auth, { content: '补充：贷款合同编号 HZ-2026-0093' })
      .expect(200);
    expect(more.body.version).toBe(sup.body.version + 1);
  });

  it('expectedVersion: stale → 409 VERSION_CONFLICT, current → accepted', async () => {
    const { id, version } = await file();
    await s.api.post(`/appeals/${id}/supplements`, s.w.enterprise.auth, { content: '补充一' }).expect(200);
    const stale = await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        expectedVersion: version,
      })
      .expect(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', details: { currentVersion: version + 1 } });
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, {
        leadDepartmentId: s.w.lead.id,
        expectedVersion: version + 1,
      })
      .expect(200);
  });

  it('a confidential report hides the enterprise from departments, not from the centre', async () => {
    const { id } = await file({ type: 'report', title: '举报某单位违规收取检查费用' });
    await s.api
      .post(`/appeals/${id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: s.w.lead.id })
      .expect(200);
    const asHandler = (await s.api.get(`/appeals/${id}`, s.w.leadHandler.auth).expect(200)).body;
    expect(asHandler).toMatchObject({
      confidential: true,
      enterpriseId: null,
      enterpriseName: null,
      contactName: null,
      contactPhone: null,
    });
    const asCentre = (await s.api.get(`/appeals/${id}`, s.w.dispatcher.auth).expect(200)).body;
    expect(asCentre.enterpriseId).toBe(s.w.enterprise.user.enterpriseId);
    expect(asCentre.contactPhone).toEqual(expect.any(String));
  });

  it("a dispatcher files on an enterprise's behalf from a meeting (恳谈会)", async () => {
    const res = await s.api
      .post(
        '/appeals',
        s.w.dispatcher.auth,
        appealBody(s.w, { enterpriseId: s.w.enterprise.user.enterpriseId, channel: 'meeting' }),
      )
      .expect(201);
    expect(res.body).toMatchObject({ channel: 'meeting', enterpriseId: s.w.enterprise.user.enterpriseId });
    await s.api.post('/appeals', s.w.dispatcher.auth, appealBody(s.w)).expect(400);
    await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w, { channel: 'meeting' })).expect(400);
  });

  it('lists with filters, q and cursor pagination', async () => {
    const marker = `批次${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await file({ title: `${marker} 第${i}件 用电增容` })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await s.t
        .http()
        .get('/api/v1/appeals')
        .query({ q: marker, limit: 2, ...(cursor ? { cursor } : {}) })
        .set('Authorization', s.w.dispatcher.auth)
        .expect(200);
      seen.push(...res.body.items.map((a: { id: string }) => a.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    const submitted = await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ q: marker, status: 'submitted,dispatched' })
      .set('Authorization', s.w.dispatcher.auth)
      .expect(200);
    expect(submitted.body.items).toHaveLength(5);
    const none = await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ q: marker, status: 'closed' })
      .set('Authorization', s.w.dispatcher.auth)
      .expect(200);
    expect(none.body.items).toHaveLength(0);
    // another enterprise sees none of them
    const theirs = await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ q: marker })
      .set('Authorization', s.w.otherEnterprise.auth)
      .expect(200);
    expect(theirs.body.items).toHaveLength(0);
    await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ status: 'bogus' })
      .set('Authorization', s.w.dispatcher.auth)
      .expect(400);
  });

  it("the queue lists the department's open assignments, soonest deadline first, with overdue flags", async () => {
    const dep = await s.w.f.department();
    const { auth } = await (
      await import('../setup/factories')
    ).actor(s.t, s.w.f, 'handler', { departmentId: dep.id });
    const normal = await file({ title: '普通件' });
    const urgent = await file({ title: '紧急件 停电', urgency: 'urgent' });
    const late = await file({ title: '已超期件' });
    for (const a of [normal, urgent, late]) {
      await s.api
        .post(`/appeals/${a.id}/dispatch`, s.w.dispatcher.auth, { leadDepartmentId: dep.id })
        .expect(200);
    }
    await s.t.db.query(`UPDATE assignments SET ack_due_at = now() - interval '1 hour' WHERE appeal_id = $1`, [
      late.id,
    ]);
    await s.api
      .post(`/appeals/${normal.id}/supervise`, s.w.supervisor.auth, { note: '请尽快签收' })
      .expect(200);
    const res = await s.api.get('/queue', auth).expect(200);
    expect(res.body.items.map((i: { appealId: string }) => i.appealId)).toEqual([
      late.id,
      urgent.id,
      normal.id,
    ]);
    expect(res.body.items.map((i: { overdue: boolean }) => i.overdue)).toEqual([true, false, false]);
    expect(res.body.items.map((i: { supervised: boolean }) => i.supervised)).toEqual([false, false, true]);
    const overdue = await s.t
      .http()
      .get('/api/v1/queue')
      .query({ overdue: 'true' })
      .set('Authorization', auth)
      .expect(200);
    expect(overdue.body.items.map((i: { appealId: string }) => i.appealId)).toEqual([late.id]);
    const listed = await s.t
      .http()
      .get('/api/v1/appeals')
      .query({ overdue: 'true' })
      .set('Authorization', auth)
      .expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([late.id]);
    // paging through the queue keeps the order
    const first = await s.t
      .http()
      .get('/api/v1/queue')
      .query({ limit: 2 })
      .set('Authorization', auth)
      .expect(200);
    const second = await s.t
      .http()
      .get('/api/v1/queue')
      .query({ limit: 2, cursor: first.body.nextCursor })
      .set('Authorization', auth)
      .expect(200);
    expect([...first.body.items, ...second.body.items].map((i: { appealId: string }) => i.appealId)).toEqual([
      late.id,
      urgent.id,
      normal.id,
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('Idempotency-Key: a replay returns the first appeal; another body is 422', async () => {
    const body = appealBody(s.w, { title: '幂等测试 用地指标' });
    const first = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'k-123')
      .send(body)
      .expect(201);
    const again = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'k-123')
      .send(body)
      .expect(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const other = await s.t
      .http()
      .post('/api/v1/appeals')
      .set('Authorization', s.w.enterprise.auth)
      .set('Idempotency-Key', 'k-123')
      .send({ ...body, title: '另一件事' })
      .expect(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('bad input on filing is a 400 and writes nothing', async () => {
    const before = await s.t.db.query(`SELECT count(*)::int AS n FROM appeals`);
    await s.api
      .post('/appeals', s.w.enterprise.auth, appealBody(s.w, { categoryCode: 'NO-SUCH' }))
      .expect(400);
    await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w, { type: 'rant' })).expect(400);
    await s.api.post('/appeals', s.w.enterprise.auth, appealBody(s.w, { priority: 'high' })).expect(400);
    const after = await s.t.db.query(`SELECT count(*)::int AS n FROM appeals`);
    expect(after[0].n).toBe(before[0].n);
  });
});
