import type { Actor } from '../auth/auth.decorators';

/**
 * The disclosure policy: the one place that decides what a viewer may see of an appeal and of anything
 * that refers to an appeal (its filer, duplicates, merges, meetings, batch neighbours, internal notes).
 * Every view and payload goes through it: the appeal view and list, the events (the enterprise's
 * timeline), webhook bodies (the event log's snapshot and the filing statement's).
 *
 * Who reads: a caller of the API (its role and department), or an outside system through a webhook,
 * which sees the filer and a confidential appeal's links only when it was created with
 * `confidentialAccess: true`.
 */
export type Viewer = (Pick<Actor, 'role'> & Partial<Pick<Actor, 'departmentId'>>) | WebhookViewer;
export interface WebhookViewer {
  webhook: true;
  confidentialAccess: boolean;
  /** SPEC §11: false → the filer's contact name and phone are masked, as departments see them */
  contactAccess?: boolean;
}

export const webhookViewer = (confidentialAccess: boolean, contactAccess = true): WebhookViewer => ({
  webhook: true,
  confidentialAccess,
  contactAccess,
});

export const isWebhook = (v: Viewer): v is WebhookViewer => 'webhook' in v;

/**
 * SPEC §2: a confidential appeal (举报人保密) hides its filer from departments and from webhooks without
 * confidential access. The centre, supervisors, admins and the enterprise itself see the filer.
 */
export function hidesFiler(appeal: { confidential: boolean }, viewer: Viewer): boolean {
  if (!appeal.confidential) return false;
  return isWebhook(viewer) ? !viewer.confidentialAccess : viewer.role === 'handler';
}

/**
 * SPEC §11 masked contacts: departments, and webhooks without `contactAccess`, see the filer's phone as
 * `138****5678` and name as `张**` (a confidential appeal hides them altogether, hidesFiler). The whole
 * contact is for the centre, supervisors, admins and the enterprise itself, and for a handler through the
 * audited reveal (`GET /appeals/{id}/contact`).
 */
export function masksContact(viewer: Viewer): boolean {
  return isWebhook(viewer) ? viewer.contactAccess === false : viewer.role === 'handler';
}

/**
 * A phone as departments see it: the first three and last four characters around `****` (`138****5678`,
 * `057****4321` for `0571-87654321`); shorter than eight characters, every character starred. Counts code
 * points, as contact_mask_phone() (its SQL twin, the AttachmentsAndContacts migration) does.
 */
export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  const c = Array.from(phone);
  return c.length >= 8 ? `${c.slice(0, 3).join('')}****${c.slice(-4).join('')}` : '*'.repeat(c.length);
}

/** A name as departments see it: its first character, then one `*` for each other (`张**`, `张*`); SQL twin contact_mask_name(). */
export function maskName(name: string | null): string | null {
  if (name === null) return null;
  const c = Array.from(name);
  if (c.length === 0) return '';
  if (c.length === 1) return '*';
  return c[0] + '*'.repeat(c.length - 1);
}

/**
 * The filer's contact as the viewer sees it: none where the filer is hidden (a confidential appeal, a
 * department), masked for departments and webhooks without contact access, whole for the rest.
 */
export function contactFor(
  appeal: { confidential: boolean; contactName: string | null; contactPhone: string | null },
  viewer: Viewer,
): { contactName: string | null; contactPhone: string | null } {
  if (hidesFiler(appeal, viewer)) return { contactName: null, contactPhone: null };
  if (masksContact(viewer))
    return { contactName: maskName(appeal.contactName), contactPhone: maskPhone(appeal.contactPhone) };
  return { contactName: appeal.contactName, contactPhone: appeal.contactPhone };
}

/** SQL expressions of the same masks, for statements that build a view's JSON themselves (filing). */
export const maskPhoneSql = (expr: string) => `contact_mask_phone(${expr})`;
export const maskNameSql = (expr: string) => `contact_mask_name(${expr})`;

/** An appeal view (or anything with the two contact fields) with its contact masked. */
export function withContactMasked<T extends { contactName: string | null; contactPhone: string | null }>(
  view: T,
): T {
  return { ...view, contactName: maskName(view.contactName), contactPhone: maskPhone(view.contactPhone) };
}

/**
 * SPEC §11: whether the viewer may call for the whole contact of an appeal (`GET /appeals/{id}/contact`):
 * the centre, and a handler (whose department must hold an open lead or co assignment: the caller checks);
 * never on a confidential appeal.
 */
export function mayRevealContact(appeal: { confidential: boolean }, role: string): boolean {
  return !appeal.confidential && (role === 'handler' || role === 'dispatcher');
}

/**
 * SPEC §5.1: what only links a confidential appeal to its filer — duplicates, merges, meetings, batch
 * neighbours — is seen by the centre, supervisors and admins, and by webhooks with confidential access.
 * Departments never; the enterprise sees its own appeals, and never another's.
 */
export function seesConfidentialLinks(viewer: Viewer): boolean {
  return isWebhook(viewer)
    ? viewer.confidentialAccess
    : viewer.role !== 'handler' && viewer.role !== 'enterprise';
}

/** Routing suggestions and duplicate flags are the centre's working notes (and a webhook's, as an admin's). */
export function seesWorkingNotes(viewer: Viewer): boolean {
  return isWebhook(viewer) || (viewer.role !== 'handler' && viewer.role !== 'enterprise');
}

/**
 * SPEC §10: the knowledge suggestions on a new appeal are for the centre answering it — dispatchers, and
 * supervisors and admins, who read everything; not the departments and not the enterprise. Which entries
 * an answer on the spot rested on is for government viewers (an entry need not be public).
 */
export function seesKnowledgeSuggestions(viewer: Viewer): boolean {
  return !isWebhook(viewer) && viewer.role !== 'handler' && viewer.role !== 'enterprise';
}

/**
 * SPEC §5.1 "What the enterprise sees": internal notes (the dispatch note, progress notes, co opinions,
 * extension and return requests and their reasons, supervisions and their answers, assessment appeals,
 * leader instructions, staff user ids) are for government viewers only.
 */
export function seesInternalNotes(viewer: Viewer): boolean {
  return isWebhook(viewer) || viewer.role !== 'enterprise';
}

/** The values that identify a filer in an appeal as shown: the enterprise and its contacts. */
export const FILER_FIELDS = ['enterpriseId', 'enterpriseName', 'contactName', 'contactPhone'] as const;

/** What the appeal view needs to know about the appeals it refers to. */
export interface Refs {
  /** ids among the appeal's duplicates and merge target that are confidential */
  confidential: ReadonlySet<string>;
}

export const NO_REFS: Refs = { confidential: new Set() };

/**
 * The links of an appeal as the viewer may see them: duplicates and routing suggestions (working notes),
 * the merge target, the meeting, and the instant of filing (which a batch of meeting issues shares).
 * A confidential appeal shows none of them to a viewer without confidential links, and a confidential
 * appeal is never listed among another's duplicates or named as its merge target for such a viewer.
 * Departments see no instant of filing on a confidential appeal (`createdAt` null): its number tells the
 * day, and the instant would tie it to the other issues filed with it.
 */
export function linksFor<D extends { appealId: string }, S>(
  appeal: {
    confidential: boolean;
    possibleDuplicates: D[] | null;
    suggestedRouting: S | null;
    mergedIntoId: string | null;
    meetingId: string | null;
    createdAt: Date;
  },
  refs: Refs,
  viewer: Viewer,
) {
  const links = seesConfidentialLinks(viewer);
  const notes = seesWorkingNotes(viewer);
  const sealed = appeal.confidential && !links;
  const visible = (id: string | null) => (id !== null && (links || !refs.confidential.has(id)) ? id : null);
  return {
    possibleDuplicates:
      notes && !sealed ? (appeal.possibleDuplicates ?? []).filter((d) => visible(d.appealId) !== null) : [],
    suggestedRouting: notes && !sealed ? (appeal.suggestedRouting ?? null) : null,
    mergedIntoId: sealed ? null : visible(appeal.mergedIntoId),
    meetingId: sealed ? null : appeal.meetingId,
    createdAt:
      appeal.confidential && !isWebhook(viewer) && viewer.role === 'handler' ? null : appeal.createdAt,
  };
}

/**
 * An event as a viewer may see it: where the filer is hidden, the enterprise's own events (filing,
 * supplements, surveys, withdrawal) show no actor, since the enterprise user's id names the filer just as
 * well as its name does; where the appeal's links are sealed, the filing's meeting and instant are left
 * out.
 */
export function eventFor<
  E extends {
    action: string;
    actorId: string | null;
    actorRole: string;
    data: Record<string, unknown>;
    createdAt: Date | null;
  },
>(event: E, appeal: { confidential: boolean }, viewer: Viewer): E {
  const hidden = hidesFiler(appeal, viewer);
  const sealed = appeal.confidential && !seesConfidentialLinks(viewer);
  let out = hidden && event.actorRole === 'enterprise' ? { ...event, actorId: null } : event;
  if (sealed && event.action === 'appeal.submitted') {
    const { meetingId: _m, ...data } = event.data;
    out = { ...out, data, createdAt: null };
  }
  return out;
}

/** An event as the timeline reads it. */
export interface TimelineSource {
  seq: number;
  action: string;
  actorId: string | null;
  actorRole: string;
  fromStatus: string | null;
  toStatus: string | null;
  data: Record<string, unknown>;
  createdAt: Date;
}

const OUTCOMES: Record<string, string> = {
  resolved: '已解决',
  partially_resolved: '部分解决',
  explained: '已解释说明',
  planned: '计划解决',
};

/**
 * SPEC §5.1 "What the enterprise sees": an enterprise's `GET /appeals/{id}/events` is its timeline — its
 * own actions and the milestones, each with a Chinese `label`, and with no internal note and no staff user
 * id (`actorId` is the enterprise's own user on its own actions, null otherwise). What each item keeps of
 * the event's data is what the enterprise may read: the department it was handed to (by name), when it
 * was contacted, staged replies, the reply, its own supplements and ratings, a progress note sent as
 * public, its plan's steps (SPEC §9.3). Everything else is left out.
 */
export function enterpriseTimeline(events: TimelineSource[], departmentName: (id: string) => string | null) {
  let dispatched = false;
  return events.flatMap((e) => {
    const own = e.actorRole === 'enterprise';
    const item = (label: string, data: Record<string, unknown> = {}) => [
      {
        seq: e.seq,
        action: e.action,
        label,
        actorRole: own ? 'enterprise' : e.actorRole === 'system' ? 'system' : 'staff',
        actorId: own ? e.actorId : null,
        fromStatus: e.fromStatus,
        toStatus: e.toStatus,
        data,
        createdAt: e.createdAt,
      },
    ];
    const d = e.data;
    switch (e.action) {
      case 'appeal.submitted':
        return item(own ? '已提交' : '已代为登记', { number: d.number });
      case 'appeal.dispatched': {
        const id = d.leadDepartmentId as string;
        const name = departmentName(id);
        const first = !dispatched;
        dispatched = true;
        const handed = `已转办至${name ?? '承办单位'}`;
        return item(first ? `已受理，${handed}` : handed, { leadDepartment: { id, name } });
      }
      case 'appeal.rejected':
        return item('不予受理', { reason: d.reason });
      case 'appeal.resolved_on_spot':
        return item('已即时办结', { content: d.content });
      case 'assignment.acknowledged':
        return d.role === 'lead' ? item('已签收') : [];
      case 'appeal.progress_noted':
        return d.public === true ? item('办理进展', { note: d.note }) : [];
      // SPEC §9.1: the lead's contact counted (not each attempt, nor the staff's note)
      case 'assignment.contacted':
        return item('已联系企业', { contactedAt: d.contactedAt });
      // SPEC §9.2: a staged reply is the enterprise's to read
      case 'appeal.staged_replied':
        return item('阶段性答复', { content: d.content, nextFeedbackAt: d.nextFeedbackAt });
      case 'appeal.replied':
        return item('已答复', {
          content: d.content,
          outcome: d.outcome,
          outcomeLabel: OUTCOMES[d.outcome as string],
          ...files(d),
        });
      case 'survey.recorded':
        return item('已评价', pick(d, ['satisfaction', 'resolved', 'comment', 'contacted']));
      case 'appeal.reopened':
        return item('已重办');
      case 'appeal.closed':
        return item('已办结');
      case 'appeal.withdrawn':
        return item('已撤回', { reason: d.reason });
      case 'appeal.merged':
        return e.toStatus === 'merged' ? item('已合并') : [];
      // SPEC §12: the enterprise follows its whistle; check-ins and the timers stay internal
      case 'whistle.requested':
        return item(own ? '已吹哨' : '已代为吹哨', { reason: d.reason });
      case 'whistle.approved':
        return item('吹哨已受理，联合现场办公已安排', { meetingAt: d.meetingAt, location: d.location });
      case 'whistle.denied':
        return item('吹哨未获同意', { reason: d.reason });
      case 'whistle.cancelled':
        return item('吹哨会议已取消', { reason: d.reason });
      case 'whistle.held':
        return item('联合现场办公已召开', {
          summary: d.summary,
          resolvedOnSite: d.resolvedOnSite,
          commitments: ((d.commitments as { content: string; dueAt: string }[] | undefined) ?? []).map(
            (c) => ({
              content: c.content,
              dueAt: c.dueAt,
            }),
          ),
        });
      case 'whistle.commitment_completed':
        return item('承诺事项已完成', { content: d.content });
      case 'whistle.closed':
        return item('吹哨事项已销号');
      case 'appeal.supplemented':
        return item('已补充材料', { content: d.content, ...files(d) });
      // SPEC §9.3: the plan is the answer the enterprise was given; it follows it to the end
      case 'plan.created':
        return item('计划解决', pick(d, ['planId', 'content', 'promisedBy', 'nextFeedbackAt']));
      case 'plan.updated':
        return item('计划解决进展', pick(d, ['planId', 'content', 'nextFeedbackAt']));
      case 'plan.fulfilled':
        return item('计划解决已完成', pick(d, ['planId', 'content']));
      case 'plan.confirmed':
        return item(
          d.resolved === true ? '已确认解决' : '已确认未解决',
          pick(d, ['planId', 'resolved', 'comment']),
        );
      case 'plan.cancelled':
        return item('原计划解决已取消', pick(d, ['planId']));
      case 'attachment.added':
        return own ? item('已上传附件', pick(d, ['attachmentId', 'purpose', 'mediaType', 'sha256'])) : [];
      default:
        return own ? item('已办理') : [];
    }
  });
}

/** The files an action referred to (SPEC §11 attachmentIds), when it named any. */
function files(data: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(data.attachments) ? { attachments: data.attachments } : {};
}

function pick(data: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, data[k]]));
}
