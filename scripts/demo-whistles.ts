/**
 * 企业吹哨、部门报到 (SPEC §12) in the demo history: a handful of whistles through the year, each played
 * on time — reviewed within hours, every summoned department checked in the day before the meeting,
 * minutes the next afternoon, commitments kept, closed off (销号), then the convener's reply and a
 * satisfied rating — and the last one still open when the history ends, its commitment due after it.
 * Every step falls inside its deadline, so the service's first start fires nothing of theirs.
 */
import type { INestApplicationContext } from '@nestjs/common';
import type { Actor } from '../src/modules/auth/auth.decorators';
import type { WorkingCalendar } from '../src/modules/calendar/working-calendar';
import { AssignmentActions } from '../src/modules/assignments/assignment.actions';
import { Surveys } from '../src/modules/assessment/surveys';
import { WhistleActions } from '../src/modules/whistles/whistle.actions';
import { WhistlesService } from '../src/modules/whistles/whistles.service';

const DAY = 86_400_000;

interface Cast {
  supervisor: Actor;
  departments: { id: string; handler: Actor }[];
  categories: { code: string }[];
  enterprises: { id: string; actor: Actor }[];
}

/** [category, title, content]: categories of the city's departments (a district's own cases stay with it). */
const STORIES = [
  [
    'UTIL.POWER',
    '厂房竣工验收多部门互相推诿',
    '消防、住建、供电各自要求对方先出意见，竣工验收三个月没有进展。',
  ],
  [
    'INSP.PENALTY',
    '园区道路占用影响物流车辆进出',
    '城管、交警、园区管委会对占道施工的审批和疏导职责说法不一。',
  ],
  [
    'APPR.PROJECT',
    '新上生产线环评与能评衔接卡壳',
    '环评要求先出能评意见，能评又要求先有环评批复，项目无法开工。',
  ],
  [
    'POL.TAX',
    '企业搬迁涉及多个部门证照变更',
    '搬迁后营业执照、排污许可、消防备案需同时变更，各窗口互为前置。',
  ],
  [
    'UTIL.WATER',
    '雨季厂区周边排水不畅反复内涝',
    '水利、住建、镇政府对排水管网的管护责任存在分歧，问题反复出现。',
  ],
];

/**
 * Schedules the whistle stories with the history's `at` (a step at a local instant, in order per key).
 * `until`: the end of the history; `start`: its beginning.
 */
export function planWhistles(
  app: INestApplicationContext,
  cast: Cast,
  calendar: Pick<WorkingCalendar, 'isWorkingDay'>,
  span: { start: number; until: number },
  at: (key: string, when: Date, work: () => Promise<unknown>, working?: boolean) => void,
  file: (
    key: string,
    when: Date,
    e: Cast['enterprises'][number],
    body: object,
    filed: (id: string) => void,
  ) => void,
): void {
  const whistles = app.get(WhistleActions);
  const assignments = app.get(AssignmentActions);
  const surveys = app.get(Surveys);
  const read = app.get(WhistlesService);
  /** Local (UTC+8) working day n working days after the day of `t`, at hh:mm. */
  const workday = (t: number, n: number, hhmm: string) => {
    let day = new Date(t + 8 * 3600_000);
    let left = n;
    for (;;) {
      const ymd = day.toISOString().slice(0, 10);
      if (calendar.isWorkingDay(ymd) && left-- <= 0) return new Date(`${ymd}T${hhmm}:00+08:00`);
      day = new Date(day.getTime() + DAY);
    }
  };
  const last = STORIES.length - 1;
  STORIES.forEach(([code, title, content], i) => {
    const open = i === last;
    // spread over the year; the open one starts about four working days before the history ends
    const base = open
      ? span.until - 6 * DAY
      : span.start + ((i + 1) * (span.until - span.start)) / (STORIES.length + 1);
    const d0 = workday(base, 0, '09:30').getTime();
    const key = `whistle${i}`;
    const e = cast.enterprises[(i * 7) % cast.enterprises.length];
    const [lead, co] = [
      cast.departments[(i * 3) % cast.departments.length],
      cast.departments[(i * 3 + 1) % cast.departments.length],
    ];
    const category = cast.categories.find((c) => c.code === code) ?? { code };
    let appealId = '';
    let wid = '';
    file(
      key,
      new Date(d0),
      e,
      { type: 'complaint', categoryCode: category.code, title, content, channel: 'app' },
      (id) => {
        appealId = id;
      },
    );
    at(key, workday(d0, 0, '10:00'), async () => {
      wid = (
        await whistles.request(
          appealId,
          { reason: `${content}申请“企业吹哨”，请相关部门到场会商。` },
          e.actor,
        )
      ).id;
    });
    at(key, workday(d0, 0, '11:00'), () =>
      whistles.approve(
        wid,
        {
          leadDepartmentId: lead.id,
          departmentIds: [co.id],
          meetingAt: workday(d0, 1, '14:00').toISOString(),
          location: '企业会议室（现场办公）',
        },
        cast.supervisor,
      ),
    );
    at(key, workday(d0, 0, '14:00'), () => assignments.acknowledge(appealId, {}, lead.handler));
    at(key, workday(d0, 0, '14:10'), () => assignments.acknowledge(appealId, {}, co.handler));
    at(key, workday(d0, 0, '15:00'), () =>
      whistles.checkIn(wid, { attendeeName: '牵头科室负责人' }, lead.handler),
    );
    at(key, workday(d0, 0, '15:10'), () => whistles.checkIn(wid, { attendeeName: '业务科科长' }, co.handler));
    at(key, workday(d0, 1, '16:00'), () =>
      whistles.minutes(
        wid,
        {
          summary: '联合现场办公：各部门明确职责分工和办结时限，形成会议纪要。',
          resolvedOnSite: false,
          commitments: [
            {
              departmentId: co.id,
              content: '出具本部门意见并送达企业',
              dueAt: workday(d0, 4, '17:30').toISOString(),
            },
            {
              departmentId: lead.id,
              content: '牵头完成联合验收（审批）并书面答复企业',
              // the open one's is due well after the history ends
              dueAt: (open ? workday(d0, 20, '17:30') : workday(d0, 4, '17:30')).toISOString(),
            },
          ],
        },
        lead.handler,
      ),
    );
    at(key, workday(d0, 2, '10:00'), async () => {
      const w = await read.get(wid, co.handler);
      const mine = w.commitments.find((c) => c.departmentId === co.id)!;
      await whistles.complete(wid, mine.id, { content: '意见已出具并送达企业。' }, co.handler);
    });
    at(key, workday(d0, 2, '11:00'), () =>
      assignments.opinion(appealId, { content: '本部门意见已在会上明确并落实。' }, co.handler),
    );
    if (open) return;
    at(key, workday(d0, 3, '10:00'), async () => {
      const w = await read.get(wid, lead.handler);
      const mine = w.commitments.find((c) => c.departmentId === lead.id)!;
      await whistles.complete(wid, mine.id, { content: '联合验收已完成，书面意见已送达。' }, lead.handler);
    });
    at(key, workday(d0, 3, '15:00'), () =>
      whistles.close(wid, { note: '承诺事项均已落实，予以销号。' }, cast.supervisor),
    );
    at(key, workday(d0, 4, '10:00'), () =>
      assignments.reply(
        appealId,
        { content: '经联合现场办公，相关事项已全部办结。', outcome: 'resolved' },
        lead.handler,
      ),
    );
    at(key, workday(d0, 4, '16:00'), () =>
      surveys.survey(
        appealId,
        { satisfaction: 'satisfied', resolved: true, comment: '多部门一次解决，很满意。' },
        e.actor,
      ),
    );
  });
}
