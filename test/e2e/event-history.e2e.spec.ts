import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appealBody, appealSuite, categoryWithPolicy } from '../setup/appeal-helpers';
import { waitFor } from '../setup/wait';

/**
 * A scripted history that exercises every action of SPEC §2 — people's actions, a deadline firing,
 * the survey window closing, automatic routing and a merge — and compares each appeal's event sequence
 * (action, from, to, actor role) with the one recorded in `event-history.golden.json`. Whatever the write
 * path looks like inside, the log it leaves must stay the same. `RECORD_GOLDEN=1` rewrites the file.
 */
const GOLDEN = join(__dirname, 'event-history.golden.json');

type Step = [action: string, from: string | null, to: string | null, role: string];

describe('the event history of every action (e2e, recorded)', () => {
  const suite = appealSuite();

  const file = async (extra: Record<string, unknown> = {}, auth = suite.w.enterprise.auth) =>
    (await suite.api.post('/appeals', auth, appealBody(suite.w, extra)).expect(201)).body.id as string;
  const act = (id: string, action: string, auth: string, body: object = {}, status = 200) =>
    suite.api.post(`/appeals/${id}/${action}`, auth, body).expect(status);
  const history = async (id: string): Promise<Step[]> => {
    const rows: { action: string; from_status: string; to_status: string; actor_role: string }[] =
      await suite.t.db.query(
        `SELECT action, from_status, to_status, actor_role FROM appeal_events WHERE appeal_id = $1 ORDER BY seq`,
        [id],
      );
    return rows.map((r) => [r.action, r.from_status, r.to_status, r.actor_role]);
  };
  const hasEvent = (id: string, action: string) => async () =>
    (await history(id)).some((s) => s[0] === action);
  const reply = (id: string) =>
    act(id, 'reply', suite.w.leadHandler.auth, { content: '已答复企业', outcome: 'resolved' });
  const unsatisfied = (id: string) =>
    act(id, 'survey', suite.w.enterprise.auth, {
      satisfaction: 'unsatisfied',
      resolved: false,
      comment: '问题没有解决',
    });

  it('every appeal of the script leaves the recorded sequence of events', async () => {
    const { w, api } = suite;
    const appeals: Record<string, string> = {};

    // the whole loop with co-handling, a supplement, supervision, an approved and a denied extension, a reopen
    const loop = (appeals.loop = await file());
    await act(loop, 'dispatch', w.dispatcher.auth, {
      leadDepartmentId: w.lead.id,
      coDepartmentIds: [w.co.id],
    });
    await act(loop, 'acknowledge', w.leadHandler.auth);
    await act(loop, 'acknowledge', w.coHandler.auth);
    await act(loop, 'opinion', w.coHandler.auth, { content: '协办意见' });
    await act(loop, 'progress', w.leadHandler.auth, { note: '已联系企业' });
    await act(loop, 'supplements', w.enterprise.auth, { content: '补充材料' });
    await act(loop, 'supervise', w.supervisor.auth, { note: '请加快办理' });
    const ext1 = (await act(loop, 'extensions', w.leadHandler.auth, { days: 2, reason: '需协调' }, 201)).body;
    await act(loop, `extensions/${ext1.id}/approve`, w.dispatcher.auth);
    await reply(loop);
    await unsatisfied(loop);
    const ext2 = (await act(loop, 'extensions', w.leadHandler.auth, { days: 1, reason: '再协调' }, 201)).body;
    await act(loop, `extensions/${ext2.id}/deny`, w.supervisor.auth, { reason: '无需延期' });
    await reply(loop);
    await act(loop, 'survey', w.enterprise.auth, { satisfaction: 'satisfied', resolved: true });

    // filed by the centre and rejected
    appeals.rejected = await file({ enterpriseId: w.enterprise.user.enterpriseId }, w.dispatcher.auth);
    await act(appeals.rejected, 'reject', w.dispatcher.auth, { reason: '不属于受理范围' });

    // answered on the spot, rated by phone
    appeals.onSpot = await file();
    await act(appeals.onSpot, 'resolve', w.dispatcher.auth, { content: '电话中已解答' });
    await act(appeals.onSpot, 'survey', w.dispatcher.auth, {
      satisfaction: 'basically_satisfied',
      resolved: true,
    });

    // returned by the lead, re-dispatched, acknowledged, withdrawn
    const ret = (appeals.returned = await file());
    await act(ret, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.other.id });
    await act(ret, 'acknowledge', w.otherHandler.auth);
    const asked = (await act(ret, 'return', w.otherHandler.auth, { reason: '不属于本单位职责' })).body;
    await act(ret, `returns/${asked.pendingReturn.id}/approve`, w.dispatcher.auth);
    await act(ret, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.lead.id });
    await act(ret, 'acknowledge', w.leadHandler.auth);
    await act(ret, 'withdraw', w.enterprise.auth, { reason: '问题已自行解决' });

    // a co department returns its part; another appeal is merged into this one
    const target = (appeals.mergeTarget = await file());
    await act(target, 'dispatch', w.dispatcher.auth, {
      leadDepartmentId: w.lead.id,
      coDepartmentIds: [w.co.id],
    });
    await act(target, 'acknowledge', w.coHandler.auth);
    const coAsked = (await act(target, 'return', w.coHandler.auth, { reason: '无需协办' })).body;
    await act(target, `returns/${coAsked.pendingReturn.id}/approve`, w.dispatcher.auth);
    appeals.merged = await file();
    await act(appeals.merged, 'merge', w.dispatcher.auth, { intoAppealId: target });

    // three unsatisfied surveys: closed at the reopen limit (MAX_REOPENS 2) and supervised
    const limit = (appeals.reopenLimit = await file());
    await act(limit, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.lead.id });
    await act(limit, 'acknowledge', w.leadHandler.auth);
    for (let i = 0; i < 3; i++) {
      await reply(limit);
      await unsatisfied(limit);
    }

    // deadlines: the acknowledgement deadline passes (warning, overdue, automatic supervision), then
    // the late acknowledgement, the reply, and the survey window closing unrated
    const timed = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1S',
      replyWithin: 'PT1H',
      warnAt: 0.5,
      surveyWithin: 'PT1S',
    });
    const late = (appeals.deadlines = await file({ categoryCode: timed }));
    await act(late, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.lead.id });
    await waitFor(hasEvent(late, 'deadline.overdue'), 'the acknowledgement deadline to fire');
    await act(late, 'acknowledge', w.leadHandler.auth);
    await reply(late);
    await waitFor(hasEvent(late, 'appeal.closed'), 'the survey window to close the appeal');

    // SPEC §7: a return request denied, a supervision answered and closed, a contested rating approved
    const assessed = (appeals.assessed = await file());
    await act(assessed, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.lead.id });
    const asking = (await act(assessed, 'return', w.leadHandler.auth, { reason: '不属于本单位职责' })).body;
    await act(assessed, `returns/${asking.pendingReturn.id}/deny`, w.dispatcher.auth, {
      reason: '属本单位职责',
    });
    await act(assessed, 'acknowledge', w.leadHandler.auth);
    const sup = (await act(assessed, 'supervise', w.supervisor.auth, { note: '请答复' })).body
      .supervisions[0];
    await api.post(`/supervisions/${sup.id}/answer`, w.leadHandler.auth, { content: '已答复' }).expect(200);
    await api.post(`/supervisions/${sup.id}/close`, w.supervisor.auth, {}).expect(200);
    await reply(assessed);
    const rated = (
      await act(assessed, 'survey', w.enterprise.auth, {
        satisfaction: 'basically_satisfied',
        resolved: false,
        comment: '只解决了一部分',
      })
    ).body;
    const contest = (
      await act(
        assessed,
        'assessment-appeals',
        w.leadHandler.auth,
        { surveyId: rated.survey.id, reason: 'misrated', explanation: '企业误评', recontacted: true },
        201,
      )
    ).body;
    await act(assessed, `assessment-appeals/${contest.id}/approve`, w.supervisor.auth);

    // SPEC §7.3: a supervision unanswered by its due escalates to a notice; answered late, both closed
    const quick = await categoryWithPolicy(api, w, {
      ackWithin: 'PT1H',
      replyWithin: 'PT2H',
      supervisionAnswerWithin: 'PT1S',
    });
    const escalated = (appeals.escalated = await file({ categoryCode: quick }));
    await act(escalated, 'dispatch', w.dispatcher.auth, { leadDepartmentId: w.lead.id });
    const order = (await act(escalated, 'supervise', w.supervisor.auth, { note: '请答复' })).body
      .supervisions[0];
    await waitFor(hasEvent(escalated, 'supervision.escalated'), 'the unanswered supervision to escalate');
    await api.post(`/supervisions/${order.id}/answer`, w.leadHandler.auth, { content: '迟复' }).expect(200);
    const notice = (await api.get(`/appeals/${escalated}`, w.supervisor.auth)).body.supervisions[1];
    await api.post(`/supervisions/${order.id}/close`, w.supervisor.auth, {}).expect(200);
    await api.post(`/supervisions/${notice.id}/close`, w.supervisor.auth, {}).expect(200);

    // automatic routing: a rule that dispatches as the system
    const routedCat = await w.f.category();
    await api
      .post('/routing-rules', w.admin.auth, {
        priority: 5,
        categoryCode: routedCat.code,
        leadDepartmentId: w.lead.id,
        autoDispatch: true,
      })
      .expect(201);
    appeals.routed = await file({ categoryCode: routedCat.code });
    await waitFor(hasEvent(appeals.routed, 'appeal.dispatched'), 'automatic dispatch');

    const recorded: Record<string, Step[]> = {};
    for (const [name, id] of Object.entries(appeals)) recorded[name] = await history(id);
    for (const id of Object.values(appeals)) {
      expect((await api.get(`/appeals/${id}/events/verify`, w.admin.auth).expect(200)).body.valid).toBe(true);
    }
    if (process.env.RECORD_GOLDEN === '1') writeFileSync(GOLDEN, goldenText(recorded));
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Step[]>;
    expect(recorded).toEqual(golden);
  });
});

/** One event per line, so a change to the history reads as a small diff. */
function goldenText(recorded: Record<string, Step[]>): string {
  const appeals = Object.entries(recorded).map(
    ([name, steps]) =>
      `  ${JSON.stringify(name)}: [\n${steps.map((s) => `    ${JSON.stringify(s)}`).join(',\n')}\n  ]`,
  );
  return `{\n${appeals.join(',\n')}\n}\n`;
}
