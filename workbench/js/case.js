// One case, on every desk: the facts, the enterprise, the timeline, the files, what the centre's working
// notes suggest (routing, duplicates, knowledge) and the buttons the caller may use now.

import { fileUrl, get, once } from '../common/api.js';
import { h } from './dom.js';
import { BUTTONS, departments, shownButtons } from './actions.js';
import {
  ASSIGNMENT_STATUS,
  CHANNELS,
  EVENTS,
  label,
  OUTCOMES,
  PLAN_STATUS,
  ROLE,
  SATISFACTION,
  STATUS,
  TYPES,
  URGENCY,
} from './labels.js';
import { localTime } from './time.js';

const facts = (pairs) =>
  h(
    'dl',
    { class: 'facts' },
    pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v ?? '—')]),
  );

function assignments(a) {
  if (a.assignments.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-label': '承办部门' },
    h('h2', {}, '承办部门'),
    h(
      'ul',
      { class: 'assignments' },
      a.assignments.map((s) =>
        h(
          'li',
          { dataset: { department: s.departmentName ?? '' } },
          `${ROLE[s.role]}：${s.departmentName ?? s.departmentId} · ${label(ASSIGNMENT_STATUS, s.status)} · 签收时限 ${localTime(s.ackDueAt)} · 答复时限 ${localTime(s.replyDueAt)}`,
          s.overdue ? h('span', { class: 'badge', dataset: { status: 'rejected' } }, ' 已超期') : null,
          s.opinion ? h('div', { class: 'pre muted' }, `协办意见：${s.opinion}`) : null,
        ),
      ),
    ),
  );
}

/** The last reason an enterprise gave when it was not satisfied (重办). */
function unsatisfied(a) {
  const s = a.survey;
  if (!s || (s.satisfaction !== 'unsatisfied' && s.resolved !== false) || !s.comment) return null;
  return h(
    'section',
    { class: 'card unsatisfied', id: 'unsatisfied-reason' },
    h('h2', {}, `上次评价：${label(SATISFACTION, s.satisfaction)}`),
    h('p', { class: 'pre' }, `不满意原因：${s.comment}`),
  );
}

function timeline(events, role) {
  return h(
    'section',
    { class: 'card', 'aria-label': '时间线' },
    h('h2', {}, '时间线'),
    h(
      'ol',
      { class: 'timeline', id: 'timeline' },
      events.map((e) => {
        const d = e.data ?? {};
        const detail = d.note ?? d.content ?? d.reason ?? d.comment ?? d.instruction ?? null;
        return h(
          'li',
          { dataset: { action: e.action } },
          h('time', {}, localTime(e.createdAt)),
          role === 'enterprise' ? (e.label ?? label(EVENTS, e.action)) : label(EVENTS, e.action),
          detail && typeof detail === 'string' ? h('div', { class: 'pre muted' }, detail) : null,
        );
      }),
    ),
  );
}

function attachments(items) {
  return h(
    'section',
    { class: 'card', 'aria-label': '附件' },
    h('h2', {}, `附件（${items.length}）`),
    items.length === 0
      ? h('p', { class: 'muted' }, '暂无附件')
      : h(
          'ul',
          { id: 'attachments' },
          items.map((f) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  type: 'button',
                  class: 'link',
                  onclick: async () => window.open(await fileUrl(f.id), '_blank', 'noopener'),
                },
                f.fileName ?? f.id,
              ),
              ` ${localTime(f.createdAt)}`,
            ),
          ),
        ),
  );
}

/** The centre's working notes: routing suggestion, possible duplicates, knowledge suggestions. */
function suggestions(a) {
  const r = a.suggestedRouting;
  if (!r && a.possibleDuplicates.length === 0 && a.knowledgeSuggestions.length === 0) return null;
  return h(
    'section',
    { class: 'card', 'aria-label': '系统建议' },
    h('h2', {}, '系统建议'),
    r
      ? h(
          'p',
          { id: 'routing' },
          `建议派单：主办 ${r.leadDepartmentName ?? r.leadDepartmentId}`,
          r.coDepartments.length ? `，协办 ${r.coDepartments.map((d) => d.name).join('、')}` : '',
        )
      : null,
    a.possibleDuplicates.length
      ? h(
          'div',
          { id: 'duplicates' },
          h('h3', {}, '疑似重复'),
          h(
            'ul',
            {},
            a.possibleDuplicates.map((d) =>
              h(
                'li',
                {},
                h('a', { href: `#/case/${d.appealId}` }, d.number),
                ` ${d.title}（相似度 ${Math.round(d.similarity * 100)}%）`,
              ),
            ),
          ),
        )
      : null,
    a.knowledgeSuggestions.length
      ? h(
          'div',
          { id: 'knowledge' },
          h('h3', {}, '知识库推荐'),
          h(
            'ul',
            {},
            a.knowledgeSuggestions.map((k) => h('li', {}, k.title)),
          ),
        )
      : null,
  );
}

function enterprise(a, ent) {
  return h(
    'section',
    { class: 'card', 'aria-label': '企业' },
    h('h2', {}, '企业'),
    facts([
      ['企业', a.enterpriseName ?? (a.confidential ? '（保密）' : '—')],
      ent ? ['统一社会信用代码', ent.uscc] : null,
      ent?.district ? ['区县', ent.district] : null,
      ['联系人', a.contactName],
      ['联系电话', a.contactPhone],
    ]),
  );
}

/** The action panel: one button per allowed action; a button with a form opens it below. */
function actionPanel(ctx, after) {
  const shown = shownButtons(ctx);
  const panel = h('section', { class: 'card', 'aria-label': '办理', id: 'actions' }, h('h2', {}, '办理'));
  if (shown.length === 0) {
    panel.append(h('p', { class: 'muted' }, '当前没有可办理的操作'));
    return panel;
  }
  const row = h('div', { class: 'actions' });
  const slot = h('div');
  panel.append(row, slot);
  for (const b of shown) {
    const name = typeof b.label === 'function' ? b.label(ctx) : b.label;
    const btn = h(
      'button',
      {
        type: 'button',
        class: b.danger ? 'danger' : 'secondary',
        dataset: { action: b.key },
        'aria-expanded': 'false',
      },
      name,
    );
    row.append(btn);
    btn.addEventListener('click', () => {
      row.querySelectorAll('button').forEach((x) => x.setAttribute('aria-expanded', 'false'));
      if (!b.form) return run(b, ctx, null, after, slot);
      btn.setAttribute('aria-expanded', 'true');
      const form = h(
        'form',
        { class: 'action-form', dataset: { form: b.key }, 'aria-label': name },
        h('h3', {}, name),
        b.form(ctx),
        h(
          'div',
          { class: 'buttons' },
          h('button', { type: 'submit' }, `提交${name}`),
          h('button', { type: 'button', class: 'secondary', dataset: { cancel: '' } }, '取消'),
        ),
        h('p', { class: 'message', role: 'alert', hidden: true }),
      );
      form.querySelector('[data-cancel]').addEventListener('click', () => {
        slot.replaceChildren();
        btn.focus();
      });
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        void run(b, ctx, form, after, slot);
      });
      slot.replaceChildren(form);
      form.querySelector('input, select, textarea, button')?.focus();
    });
  }
  return panel;
}

async function run(b, ctx, form, after, slot) {
  const msg = form?.querySelector('.message') ?? h('p', { class: 'message', role: 'alert' });
  if (!form) slot.replaceChildren(msg);
  msg.hidden = true;
  const submit = form?.querySelector('button[type=submit]');
  if (submit) submit.disabled = true;
  try {
    await b.send(ctx, form);
    await after(`已${typeof b.label === 'function' ? b.label(ctx) : b.label}`);
  } catch (e) {
    msg.textContent = e.message;
    msg.hidden = false;
    if (submit) submit.disabled = false;
  }
}

/** Renders the case into `view`; `after(message)` re-renders once an action went through. */
export async function renderCase(view, id, me, after) {
  const staff = me.role !== 'enterprise';
  const [a, allowed, events, files, deps] = await Promise.all([
    get(`/appeals/${id}`),
    get(`/appeals/${id}/actions`),
    get(`/appeals/${id}/events`),
    get(`/appeals/${id}/attachments`),
    staff ? once('departments', departments) : Promise.resolve([]),
  ]);
  const ent =
    staff && a.enterpriseId && me.role !== 'handler'
      ? await get(`/enterprises/${a.enterpriseId}`).catch(() => null)
      : null;
  const ctx = {
    appeal: a,
    allowed: allowed.actions,
    version: allowed.version,
    departments: deps,
    role: me.role,
  };
  const lead = a.leadDepartment?.name;
  view.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← 返回列表')),
    h(
      'div',
      { class: 'case', dataset: { appeal: a.id, status: a.status } },
      h(
        'div',
        {},
        h(
          'section',
          { class: 'card' },
          h('h2', {}, `${a.number} ${a.title}`),
          facts([
            [
              '状态',
              h(
                'span',
                { class: 'badge', dataset: { status: a.status }, id: 'status' },
                label(STATUS, a.status),
              ),
            ],
            ['类型', label(TYPES, a.type)],
            ['类别', a.categoryName ?? a.categoryCode],
            ['渠道', label(CHANNELS, a.channel)],
            ['紧急程度', label(URGENCY, a.urgency)],
            ['主办部门', lead ?? '—'],
            ['提交时间', localTime(a.createdAt)],
            a.surveyDueAt && a.status === 'replied' ? ['回访截止', localTime(a.surveyDueAt)] : null,
          ]),
          h('h3', {}, '诉求内容'),
          h('p', { class: 'pre' }, a.content),
          a.reply
            ? h(
                'div',
                { id: 'reply' },
                h('h3', {}, `答复（${label(OUTCOMES, a.reply.outcome)} · ${localTime(a.reply.repliedAt)}）`),
                h('p', { class: 'pre' }, a.reply.content),
              )
            : null,
          a.plan
            ? h(
                'p',
                { id: 'plan' },
                `解决计划：${a.plan.content}（${label(PLAN_STATUS, a.plan.status)}，承诺 ${localTime(a.plan.promisedBy)} 前）`,
              )
            : null,
          a.statusReason ? h('p', { class: 'muted' }, `原因：${a.statusReason}`) : null,
        ),
        unsatisfied(a),
        actionPanel(ctx, after),
        assignments(a),
      ),
      h(
        'div',
        {},
        enterprise(a, ent),
        staff ? suggestions(a) : null,
        attachments(files.items),
        timeline(events.items, me.role),
      ),
    ),
  );
  return { appeal: a, allowed: allowed.actions };
}

export { BUTTONS };
