// The buttons of a case page. Each carries the Chinese name people look for, the transition-table
// actions it stands for, its form and the call it makes. A button is shown only when the service lists
// one of its actions for the caller (GET /appeals/{id}/actions): the table decides, not this file.

import { get, post, upload } from '../common/api.js';
import { field, h, select } from './dom.js';
import { CONTACT_METHODS, CONTACT_OUTCOMES, OUTCOMES, SATISFACTION } from './labels.js';
import { fromLocalInput } from './time.js';

const text = (name, label, attrs = {}) =>
  field(label, h('textarea', { name, required: true, maxlength: 2000, ...attrs }));
const options = (table) => Object.entries(table);
const v = (ctx) => ({ expectedVersion: ctx.version });
const deptOptions = (ctx) => ctx.departments.map((d) => [d.id, d.name]);
const files = (label = '附件（照片、PDF 等）') =>
  field(
    label,
    h('input', {
      type: 'file',
      name: 'files',
      multiple: true,
      accept: 'image/jpeg,image/png,application/pdf,.ofd,.docx,.xlsx',
    }),
  );

/**
 * Uploads the files chosen in the form: their ids, and the version to send with the action. Each file
 * is an event of its own (attachment.added), one version each; when the appeal moved on by more than
 * that, someone else changed it meanwhile and the version seen before stays, so the action is refused.
 */
async function uploadAll(ctx, form, purpose) {
  const chosen = [...(form.elements.files?.files ?? [])];
  const ids = [];
  for (const f of chosen) ids.push((await upload(ctx.appeal.id, f, purpose)).id);
  if (ids.length === 0) return { ids, version: ctx.version };
  const now = await get(`/appeals/${ctx.appeal.id}/actions`);
  return { ids, version: now.version === ctx.version + ids.length ? now.version : ctx.version };
}

export const BUTTONS = [
  // ── the centre (受理派单台)
  {
    key: 'dispatch',
    label: '派单',
    actions: ['dispatch'],
    form: (ctx) => {
      const s = ctx.appeal.suggestedRouting;
      const co = new Set(s?.coDepartmentIds ?? []);
      return [
        field(
          '主办部门',
          select('leadDepartmentId', deptOptions(ctx), { required: true }, s?.leadDepartmentId),
        ),
        h(
          'fieldset',
          {},
          h('legend', {}, '协办部门'),
          ctx.departments.map((d) =>
            h(
              'label',
              { class: 'inline' },
              h('input', { type: 'checkbox', name: 'co', value: d.id, checked: co.has(d.id) }),
              d.name,
            ),
          ),
        ),
        field('派单说明', h('textarea', { name: 'note', maxlength: 2000 })),
      ];
    },
    send: (ctx, f) => {
      const lead = f.elements.leadDepartmentId.value;
      const co = [...f.querySelectorAll('input[name=co]:checked')]
        .map((i) => i.value)
        .filter((id) => id !== lead);
      return post(`/appeals/${ctx.appeal.id}/dispatch`, {
        ...v(ctx),
        leadDepartmentId: lead,
        ...(co.length ? { coDepartmentIds: co } : {}),
        ...(f.elements.note.value.trim() ? { note: f.elements.note.value.trim() } : {}),
      });
    },
  },
  {
    key: 'resolve',
    label: '即时办结',
    actions: ['resolve_on_spot'],
    form: (ctx) => {
      const entry = (id, title) =>
        h('label', { class: 'inline' }, h('input', { type: 'checkbox', name: 'entries', value: id }), title);
      const list = h(
        'div',
        { class: 'entries' },
        ctx.appeal.knowledgeSuggestions.map((k) => entry(k.entryId, k.title)),
      );
      const q = h('input', { type: 'search', name: 'kq', maxlength: 200 });
      const find = h('button', { type: 'button', class: 'secondary' }, '检索知识库');
      const status = h('span', { class: 'muted', role: 'status' });
      const search = async () => {
        const words = q.value.trim();
        if (!words) return;
        const { items } = await get('/knowledge/search', { q: words });
        const shown = new Set([...list.querySelectorAll('input')].map((i) => i.value));
        const fresh = items.filter((k) => !shown.has(k.id));
        list.append(...fresh.map((k) => entry(k.id, k.title)));
        status.textContent = items.length ? `找到 ${items.length} 条` : '没有找到条目';
      };
      find.addEventListener('click', () => void search());
      // Enter in the search box searches instead of submitting the answer
      q.addEventListener('keydown', (ev) => {
        if (ev.key !== 'Enter') return;
        ev.preventDefault();
        void search();
      });
      return [
        text('content', '答复内容'),
        h(
          'fieldset',
          {},
          h('legend', {}, '引用知识库条目（推荐的和检索到的）'),
          list,
          h('div', { class: 'toolbar' }, field('检索词', q), find, status),
        ),
      ];
    },
    send: (ctx, f) => {
      const ids = [...f.querySelectorAll('input[name=entries]:checked')].map((i) => i.value);
      return post(`/appeals/${ctx.appeal.id}/resolve`, {
        ...v(ctx),
        content: f.elements.content.value,
        ...(ids.length ? { knowledgeEntryIds: ids } : {}),
      });
    },
  },
  {
    key: 'reject',
    label: '不予受理',
    danger: true,
    actions: ['reject'],
    form: () => [text('reason', '不予受理理由')],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/reject`, { ...v(ctx), reason: f.elements.reason.value }),
  },
  {
    key: 'review-return',
    label: '审核退单',
    actions: ['approve_return_lead', 'approve_return_co', 'deny_return'],
    form: (ctx) => [
      field(
        '退单申请',
        select(
          'returnId',
          ctx.appeal.pendingReturns.map((r) => [r.id, `${r.departmentName ?? ''}：${r.reason}`]),
          { required: true },
        ),
      ),
      field(
        '审核结果',
        select('decision', [
          ['approve', '同意退单'],
          ['deny', '驳回'],
        ]),
      ),
      field('意见（驳回时必填）', h('textarea', { name: 'note', maxlength: 2000 })),
    ],
    send: (ctx, f) => {
      const rid = f.elements.returnId.value;
      const note = f.elements.note.value.trim();
      return f.elements.decision.value === 'approve'
        ? post(`/appeals/${ctx.appeal.id}/returns/${rid}/approve`, { ...v(ctx), ...(note ? { note } : {}) })
        : post(`/appeals/${ctx.appeal.id}/returns/${rid}/deny`, { ...v(ctx), reason: note });
    },
  },
  {
    key: 'review-extension',
    label: '审核延期',
    actions: ['approve_extension', 'deny_extension'],
    form: (ctx) => {
      const e = ctx.appeal.pendingExtension;
      return [
        h('p', {}, `申请延期 ${e?.days ?? '—'} 个工作日：${e?.reason ?? ''}`),
        field(
          '审核结果',
          select('decision', [
            ['approve', '同意延期'],
            ['deny', '驳回'],
          ]),
        ),
        field('驳回理由', h('textarea', { name: 'reason', maxlength: 2000 })),
      ];
    },
    send: (ctx, f) => {
      const eid = ctx.appeal.pendingExtension.id;
      return f.elements.decision.value === 'approve'
        ? post(`/appeals/${ctx.appeal.id}/extensions/${eid}/approve`, v(ctx))
        : post(`/appeals/${ctx.appeal.id}/extensions/${eid}/deny`, {
            ...v(ctx),
            reason: f.elements.reason.value,
          });
    },
  },
  {
    key: 'merge',
    label: '合并',
    actions: ['merge'],
    // a merge needs a target: the possible duplicates the centre sees
    needs: (ctx) => ctx.appeal.possibleDuplicates.length > 0,
    form: (ctx) => [
      field(
        '合并到',
        select(
          'into',
          ctx.appeal.possibleDuplicates.map((d) => [d.appealId, `${d.number} ${d.title}`]),
          { required: true },
        ),
      ),
    ],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/merge`, { ...v(ctx), intoAppealId: f.elements.into.value }),
  },
  {
    key: 'survey',
    label: (ctx) => (ctx.role === 'dispatcher' ? '电话回访' : '评价'),
    actions: ['survey_close', 'survey_reopen', 'survey_close_reopen_limit'],
    form: () => [
      field('满意度', select('satisfaction', options(SATISFACTION))),
      field(
        '问题是否解决',
        select('resolved', [
          ['true', '已解决'],
          ['false', '未解决'],
        ]),
      ),
      field('不满意原因（不满意或未解决时必填）', h('textarea', { name: 'comment', maxlength: 2000 })),
    ],
    send: (ctx, f) => {
      const comment = f.elements.comment.value.trim();
      return post(`/appeals/${ctx.appeal.id}/survey`, {
        ...v(ctx),
        satisfaction: f.elements.satisfaction.value,
        resolved: f.elements.resolved.value === 'true',
        ...(comment ? { comment } : {}),
      });
    },
  },
  // ── a department (承办工作台)
  {
    key: 'acknowledge',
    label: '签收',
    actions: ['acknowledge_lead', 'acknowledge_co'],
    send: (ctx) => post(`/appeals/${ctx.appeal.id}/acknowledge`, v(ctx)),
  },
  {
    key: 'contact',
    label: '联系企业',
    actions: ['log_contact'],
    form: () => [
      field('联系方式', select('method', options(CONTACT_METHODS))),
      field('联系结果', select('outcome', options(CONTACT_OUTCOMES))),
      field('记录', h('textarea', { name: 'note', maxlength: 2000 })),
    ],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/contacts`, {
        ...v(ctx),
        method: f.elements.method.value,
        outcome: f.elements.outcome.value,
        ...(f.elements.note.value.trim() ? { note: f.elements.note.value.trim() } : {}),
      }),
  },
  {
    key: 'progress',
    label: '办理进展',
    actions: ['progress'],
    form: () => [
      text('note', '进展情况'),
      h(
        'label',
        { class: 'inline' },
        h('input', { type: 'checkbox', name: 'public' }),
        '企业可见（并通知企业）',
      ),
    ],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/progress`, {
        ...v(ctx),
        note: f.elements.note.value,
        ...(f.elements.public.checked ? { public: true } : {}),
      }),
  },
  {
    key: 'staged',
    label: '阶段性答复',
    actions: ['staged_reply'],
    form: () => [
      text('content', '阶段性答复内容', { minlength: 2 }),
      field('下次反馈时间', h('input', { type: 'datetime-local', name: 'next' })),
    ],
    send: (ctx, f) => {
      const next = fromLocalInput(f.elements.next.value);
      return post(`/appeals/${ctx.appeal.id}/staged-replies`, {
        ...v(ctx),
        content: f.elements.content.value,
        ...(next ? { nextFeedbackAt: next } : {}),
      });
    },
  },
  {
    key: 'reply',
    label: '答复',
    actions: ['reply'],
    form: () => [
      text('content', '答复内容'),
      field('办理结果', select('outcome', options(OUTCOMES))),
      h(
        'fieldset',
        {},
        h('legend', {}, '解决计划（办理结果为“计划解决”时填写）'),
        text('planContent', '计划内容', { required: false }),
        field('承诺解决时间', h('input', { type: 'datetime-local', name: 'promisedBy' })),
        field('下次反馈时间', h('input', { type: 'datetime-local', name: 'planFeedback' })),
      ),
      files('答复附件'),
    ],
    send: async (ctx, f) => {
      const outcome = f.elements.outcome.value;
      const { ids: attachmentIds, version } = await uploadAll(ctx, f, 'reply');
      return post(`/appeals/${ctx.appeal.id}/reply`, {
        expectedVersion: version,
        content: f.elements.content.value,
        outcome,
        ...(outcome === 'planned'
          ? {
              plan: {
                content: f.elements.planContent.value,
                promisedBy: fromLocalInput(f.elements.promisedBy.value),
                nextFeedbackAt: fromLocalInput(f.elements.planFeedback.value),
              },
            }
          : {}),
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
    },
  },
  {
    key: 'opinion',
    label: '协办意见',
    actions: ['opinion'],
    form: () => [text('content', '协办意见')],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/opinion`, { ...v(ctx), content: f.elements.content.value }),
  },
  {
    key: 'return',
    label: '申请退单',
    actions: ['request_return'],
    form: (ctx) => [
      text('reason', '退单理由'),
      field('建议承办部门', select('suggested', [['', '（不建议）'], ...deptOptions(ctx)])),
    ],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/return`, {
        ...v(ctx),
        reason: f.elements.reason.value,
        ...(f.elements.suggested.value ? { suggestedDepartmentId: f.elements.suggested.value } : {}),
      }),
  },
  {
    key: 'extension',
    label: '申请延期',
    actions: ['request_extension'],
    form: () => [
      field(
        '延期工作日',
        h('input', { type: 'number', name: 'days', min: 1, max: 60, value: 5, required: true }),
      ),
      text('reason', '延期理由'),
    ],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/extensions`, {
        ...v(ctx),
        days: Number(f.elements.days.value),
        reason: f.elements.reason.value,
      }),
  },
  {
    key: 'supervision',
    label: '督办反馈',
    actions: ['answer_supervision'],
    form: (ctx) => [
      field(
        '督办事项',
        select(
          'sid',
          ctx.appeal.supervisions
            .filter((s) => s.status === 'open' && s.level === 'supervision')
            .map((s) => [s.id, s.note ?? '督办']),
        ),
      ),
      text('content', '反馈内容'),
    ],
    send: (ctx, f) =>
      post(`/supervisions/${f.elements.sid.value}/answer`, { content: f.elements.content.value }),
  },
  {
    key: 'plan-update',
    label: '计划进展',
    actions: ['update_plan'],
    form: () => [
      text('content', '计划进展'),
      field('下次反馈时间', h('input', { type: 'datetime-local', name: 'next', required: true })),
    ],
    send: (ctx, f) =>
      post(`/plans/${ctx.appeal.plan.id}/updates`, {
        content: f.elements.content.value,
        nextFeedbackAt: fromLocalInput(f.elements.next.value),
      }),
  },
  {
    key: 'plan-fulfil',
    label: '计划完成',
    actions: ['fulfil_plan'],
    form: () => [text('content', '完成情况')],
    send: (ctx, f) => post(`/plans/${ctx.appeal.plan.id}/fulfil`, { content: f.elements.content.value }),
  },
  // ── the enterprise (我的诉求)
  {
    key: 'confirm-plan',
    label: '确认计划',
    actions: ['confirm_plan'],
    form: () => [
      field(
        '计划是否兑现',
        select('resolved', [
          ['true', '已解决'],
          ['false', '未解决'],
        ]),
      ),
      field('说明（未解决时必填）', h('textarea', { name: 'comment', maxlength: 2000 })),
    ],
    send: (ctx, f) => {
      const comment = f.elements.comment.value.trim();
      return post(`/plans/${ctx.appeal.plan.id}/confirm`, {
        resolved: f.elements.resolved.value === 'true',
        ...(comment ? { comment } : {}),
      });
    },
  },
  {
    key: 'supplement',
    label: '补充',
    actions: ['supplement'],
    form: () => [text('content', '补充内容'), files()],
    send: async (ctx, f) => {
      const { ids: attachmentIds, version } = await uploadAll(ctx, f, 'supplement');
      return post(`/appeals/${ctx.appeal.id}/supplements`, {
        expectedVersion: version,
        content: f.elements.content.value,
        ...(attachmentIds.length ? { attachmentIds } : {}),
      });
    },
  },
  {
    key: 'whistle',
    label: '吹哨',
    actions: ['request_whistle'],
    form: () => [text('reason', '吹哨理由（如部门互相推诿、多部门协调）')],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/whistle`, { ...v(ctx), reason: f.elements.reason.value }),
  },
  {
    key: 'withdraw',
    label: '撤回',
    danger: true,
    actions: ['withdraw'],
    form: () => [text('reason', '撤回原因')],
    send: (ctx, f) =>
      post(`/appeals/${ctx.appeal.id}/withdraw`, { ...v(ctx), reason: f.elements.reason.value }),
  },
  {
    key: 'attach',
    label: '上传附件',
    actions: ['add_attachment'],
    form: () => [files('文件')],
    send: async (ctx, f) => {
      const { ids } = await uploadAll(ctx, f, 'evidence');
      if (ids.length === 0) throw new Error('请选择文件');
      return ids;
    },
  },
];

/** The buttons the caller may use now: those with an action the service lists. */
export const shownButtons = (ctx) =>
  BUTTONS.filter((b) => b.actions.some((a) => ctx.allowed.includes(a)) && (b.needs?.(ctx) ?? true));

/** Departments by name, once per sign-in (GET /departments). */
export async function departments() {
  const res = await get('/departments', { limit: 200 });
  return res.items ?? res;
}
