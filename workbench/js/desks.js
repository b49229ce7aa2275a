// The lists of the three desks and the filing form.

import { get, once, post, upload } from '../common/api.js';
import { field, h, select, table } from './dom.js';
import { AWAITING, CHANNELS, label, ROLE, STATUS, TYPES, URGENCY } from './labels.js';
import { localDay, localTime } from './time.js';

const open = (id) => () => (location.hash = `#/case/${id}`);
/** A row that opens its case: a link in the first cell for the keyboard, the whole row for the mouse. */
const caseRow = (id) => ({ class: 'row-link', dataset: { appeal: id }, onclick: open(id) });
const caseLink = (id, text) => h('a', { href: `#/case/${id}` }, text);

export const categories = () =>
  once('categories', async () => (await get('/categories', { limit: 200 })).items);

/** 受理派单台: what waits on the centre (GET /queue as a dispatcher), most urgent first. */
export async function centreInbox(view) {
  const { items } = await get('/queue', { limit: 100 });
  view.replaceChildren(
    h(
      'div',
      { class: 'toolbar' },
      h('h2', {}, `待办（${items.length}）`),
      h('span', { class: 'spacer' }),
      h('a', { href: '#/file' }, '代企业登记诉求'),
    ),
    items.length === 0
      ? h('p', { class: 'muted' }, '没有待办事项')
      : table(
          [
            { key: 'awaiting', title: '待办', value: (r) => label(AWAITING, r.awaiting) },
            { key: 'number', title: '编号', value: (r) => caseLink(r.appealId, r.number) },
            { key: 'title', title: '标题', value: (r) => r.title },
            { key: 'category', title: '类别', value: (r) => r.categoryName ?? r.categoryCode },
            { key: 'urgency', title: '紧急程度', value: (r) => label(URGENCY, r.urgency) },
            { key: 'lead', title: '主办部门', value: (r) => r.leadDepartment?.name ?? '—' },
            { key: 'since', title: '时间', value: (r) => localTime(r.since) },
          ],
          items,
          { id: 'inbox' },
          (r) => caseRow(r.appealId),
        ),
  );
}

/** The light of an assignment: red past its deadline, yellow past its warning, green otherwise. */
export const lightOf = (r) => (r.overdue ? 'red' : r.warning ? 'yellow' : 'green');
const LIGHT_TEXT = { red: '已超期', yellow: '临近时限', green: '正常' };

/** 承办工作台: the department's queue, what falls due first on top; `today` keeps what falls due today. */
export async function departmentQueue(view, today) {
  const params = { limit: 100, ...(today ? { dueBefore: localDay(new Date()) } : {}) };
  const { items } = await get('/queue', params);
  view.replaceChildren(
    h(
      'div',
      { class: 'toolbar' },
      h('h2', {}, today ? `今日到期（${items.length}）` : `待办（${items.length}）`),
      h('span', { class: 'muted' }, '按时限先后排列；红灯已超期，黄灯临近时限'),
    ),
    items.length === 0
      ? h('p', { class: 'muted' }, today ? '今天没有到期的事项' : '没有待办事项')
      : table(
          [
            {
              key: 'light',
              title: '时限',
              value: (r) => {
                const l = lightOf(r);
                return h(
                  'span',
                  {},
                  h('span', {
                    class: 'light',
                    dataset: { light: l },
                    role: 'img',
                    'aria-label': LIGHT_TEXT[l],
                  }),
                  localTime(r.dueAt),
                );
              },
            },
            {
              key: 'awaiting',
              title: '待办',
              value: (r) => `${label(AWAITING, r.awaiting)}${r.role ? `（${ROLE[r.role]}）` : ''}`,
            },
            { key: 'number', title: '编号', value: (r) => caseLink(r.appealId, r.number) },
            { key: 'title', title: '标题', value: (r) => r.title },
            { key: 'category', title: '类别', value: (r) => r.categoryName ?? r.categoryCode },
            {
              key: 'notes',
              title: '提示',
              value: (r) =>
                [
                  r.reopenCount > 0 ? `重办第 ${r.reopenCount} 次` : null,
                  r.unsatisfiedReason ? `不满意：${r.unsatisfiedReason}` : null,
                  r.contactOverdue ? '首次联系已超时' : null,
                  r.supervised ? '督办件' : null,
                  r.leaderLed ? `领导领衔：${r.leaderName}` : null,
                ]
                  .filter(Boolean)
                  .join('；') || '—',
            },
          ],
          items,
          { id: 'queue' },
          (r) => ({ ...caseRow(r.appealId), dataset: { appeal: r.appealId, light: lightOf(r) } }),
        ),
  );
}

/** 我的诉求: the enterprise's appeals, the latest first, with their status and the department handling them. */
export async function enterpriseList(view) {
  const { items } = await get('/appeals', { limit: 50 });
  view.replaceChildren(
    h(
      'div',
      { class: 'toolbar' },
      h('h2', {}, `我的诉求（${items.length}）`),
      h('a', { href: '#/file', class: 'button' }, '提交新诉求'),
    ),
    items.length === 0
      ? h('p', { class: 'muted' }, '还没有诉求')
      : table(
          [
            { key: 'number', title: '编号', value: (r) => caseLink(r.id, r.number) },
            { key: 'title', title: '标题', value: (r) => r.title },
            {
              key: 'status',
              title: '状态',
              value: (r) =>
                h('span', { class: 'badge', dataset: { status: r.status } }, label(STATUS, r.status)),
            },
            { key: 'lead', title: '承办部门', value: (r) => r.leadDepartment?.name ?? '—' },
            { key: 'createdAt', title: '提交时间', value: (r) => localTime(r.createdAt) },
          ],
          items,
          { id: 'my-appeals' },
          (r) => caseRow(r.id),
        ),
  );
}

/** 代企业登记: the centre finds the caller's enterprise by name, USCC or phone. */
async function findEnterprise(slot, onPick) {
  const results = h('div', { id: 'enterprise-results' });
  const form = h(
    'form',
    { class: 'toolbar', role: 'search', 'aria-label': '查找企业' },
    h(
      'label',
      {},
      '企业名称、统一社会信用代码或电话',
      h('input', { name: 'q', required: true, maxlength: 64 }),
    ),
    h('button', { type: 'submit' }, '查找企业'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const { items } = await get('/enterprises', { q: form.elements.q.value.trim(), limit: 20 });
    results.replaceChildren(
      items.length === 0
        ? h('p', { class: 'muted' }, '没有找到企业')
        : h(
            'ul',
            {},
            items.map((e) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', class: 'link', onclick: () => onPick(e) },
                  `${e.name}（${e.uscc}）`,
                ),
                e.contactPhone ? ` ${e.contactPhone}` : '',
              ),
            ),
          ),
    );
  });
  slot.append(form, results);
}

/** The filing form: the enterprise for itself (with files), or the centre for a caller's enterprise. */
export async function filing(view, me) {
  const cats = await categories();
  const centre = me.role === 'dispatcher';
  let enterprise = null;
  const picked = h('p', { id: 'picked-enterprise', class: 'muted' }, centre ? '请先查找并选择企业' : '');
  const msg = h('p', { class: 'message', role: 'alert', hidden: true });
  const form = h(
    'form',
    { class: 'card', id: 'file-form', 'aria-label': '提交诉求' },
    h('h2', {}, centre ? '代企业登记诉求' : '提交新诉求'),
    picked,
    field('诉求类型', select('type', Object.entries(TYPES), {}, 'help')),
    field(
      '诉求类别',
      select(
        'categoryCode',
        cats.map((c) => [c.code, c.parentName ? `${c.parentName} / ${c.name}` : c.name]),
      ),
    ),
    field('标题', h('input', { name: 'title', required: true, maxlength: 200 })),
    field('诉求内容', h('textarea', { name: 'content', required: true, maxlength: 20000 })),
    field('联系人', h('input', { name: 'contactName', maxlength: 64, autocomplete: 'name' })),
    field('联系电话', h('input', { name: 'contactPhone', maxlength: 32, type: 'tel', autocomplete: 'tel' })),
    centre
      ? field(
          '渠道',
          select('channel', [
            ['hotline', CHANNELS.hotline],
            ['visit', CHANNELS.visit],
          ]),
        )
      : null,
    h(
      'label',
      { class: 'inline' },
      h('input', { type: 'checkbox', name: 'confidential' }),
      '保密（承办部门看不到提交人）',
    ),
    centre
      ? null
      : field(
          '附件（照片、PDF 等）',
          h('input', {
            type: 'file',
            name: 'files',
            multiple: true,
            accept: 'image/jpeg,image/png,application/pdf,.ofd,.docx,.xlsx',
          }),
        ),
    h('div', { class: 'buttons' }, h('button', { type: 'submit' }, '提交')),
    msg,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    msg.hidden = true;
    if (centre && !enterprise) {
      msg.textContent = '请先选择企业';
      msg.hidden = false;
      return;
    }
    const e = form.elements;
    const opt = (k) => (e[k].value.trim() ? { [k]: e[k].value.trim() } : {});
    try {
      const a = await post('/appeals', {
        type: e.type.value,
        categoryCode: e.categoryCode.value,
        title: e.title.value,
        content: e.content.value,
        ...opt('contactName'),
        ...opt('contactPhone'),
        ...(e.confidential.checked ? { confidential: true } : {}),
        ...(centre ? { channel: e.channel.value, enterpriseId: enterprise.id } : { channel: 'web' }),
      });
      for (const f of [...(e.files?.files ?? [])]) await upload(a.id, f, 'evidence');
      location.hash = `#/case/${a.id}`;
    } catch (err) {
      msg.textContent = err.message;
      msg.hidden = false;
    }
  });
  view.replaceChildren(form);
  if (centre) {
    const slot = h('section', { class: 'card', 'aria-label': '查找企业' }, h('h2', {}, '查找企业'));
    view.prepend(slot);
    await findEnterprise(slot, (ent) => {
      enterprise = ent;
      picked.textContent = `企业：${ent.name}（${ent.uscc}）`;
      if (ent.contactName && !form.elements.contactName.value)
        form.elements.contactName.value = ent.contactName;
      if (ent.contactPhone && !form.elements.contactPhone.value)
        form.elements.contactPhone.value = ent.contactPhone;
      form.elements.title.focus();
    });
  }
}
