import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { LocalDays } from '../../common/local-time';
import { decodeCursor, encodeCursor } from '../../common/pagination';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import type { Actor } from '../auth/auth.decorators';
import { Appeal } from '../appeals/entities/appeal.entity';
import { AssessmentAppeal } from '../assessment/entities/assessment-appeal.entity';
import { Survey } from '../assessment/entities/survey.entity';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import { Supervision } from '../supervision/entities/supervision.entity';
import { currentDueAt, isContactOverdue, isOverdue, isWarning } from './assignment.view';
import { QueueQuery } from './assignments.dto';
import { Assignment, OPEN_ASSIGNMENT_SQL } from './entities/assignment.entity';
import { ExtensionRequest } from './entities/extension-request.entity';
import { contactFor } from '../appeals/disclosure';
import { ReturnRequest } from './entities/return-request.entity';

/** What a queue item waits for (SPEC §5.1 "A queue for every desk"). */
export type Awaiting =
  | 'acknowledge'
  | 'reply'
  | 'opinion'
  | 'supervision_answer'
  | 'dispatch'
  | 'redispatch'
  | 'return_review'
  | 'extension_review'
  | 'assessment_appeal_review'
  | 'supervision_close'
  | 'whistle_review';

/** One row of the queue's union: what is awaited, on which record, since and by when. */
interface QueueRow {
  awaiting: Awaiting;
  ref_id: string;
  appeal_id: string;
  since: Date;
  due_at: Date | null;
  urgent: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every desk's working queue (SPEC §5.1): what waits on the caller, most urgent first — the earliest due
 * first (items with no due after those with one), urgent appeals before normal ones, then the oldest.
 * A handler: its department's open assignments (acknowledge, reply, opinion) and the supervisions it owes
 * an answer. A dispatcher: new appeals, returned appeals, pending return and extension requests. A
 * supervisor: pending assessment appeals, answered supervisions and notices to close; both the centre and
 * supervisors: whistles to review (SPEC §12). An admin sees the
 * dispatcher's and the supervisor's. Reminders never wait on anyone (they close themselves).
 */
@Injectable()
export class QueueService {
  private readonly days: LocalDays;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.days = new LocalDays(config.calendarTimeZone);
  }

  async list(q: QueueQuery, actor: Actor) {
    const limit = q.limit ?? 20;
    const now = this.clock.now();
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const sources = this.sources(q, actor, now, p);
    if (sources.length === 0) return { items: [], nextCursor: null };
    const where: string[] = [];
    if (q.dueBefore) where.push(`due_at <= ${p(this.days.queryInstant(q.dueBefore, 'end'))}::timestamptz`);
    const after = decodeCursor(q.cursor, ['d', 'u', 's', 'k']);
    if (after) {
      if (
        ![after.d, after.s].every((t) => t === 'infinity' || !Number.isNaN(Date.parse(t))) ||
        !UUID.test(after.k)
      )
        throw DomainError.validation('cursor is not valid', [
          { field: 'cursor', message: 'malformed cursor' },
        ]);
      where.push(
        `(coalesce(due_at, 'infinity'), urgent, since, ref_id) > (${p(after.d)}::timestamptz, ${p(Number(after.u))}::int, ${p(after.s)}::timestamptz, ${p(after.k)}::uuid)`,
      );
    }
    const rows: QueueRow[] = await this.db.query(
      `SELECT * FROM (${sources.join('\n UNION ALL \n')}) w
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY coalesce(due_at, 'infinity'), urgent, since, ref_id
       LIMIT ${limit + 1}`,
      params,
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor =
      more && last
        ? encodeCursor({
            d: last.due_at ? new Date(last.due_at).toISOString() : 'infinity',
            u: last.urgent,
            s: new Date(last.since).toISOString(),
            k: last.ref_id,
          })
        : null;
    return { items: await this.items(page, now, actor), nextCursor };
  }

  /** The SELECTs whose union is the caller's queue; each yields a QueueRow. */
  private sources(q: QueueQuery, actor: Actor, now: Date, p: (v: unknown) => string): string[] {
    const select = (
      awaiting: string,
      ref: string,
      appeal: string,
      since: string,
      due: string,
      rest: string,
    ) =>
      `SELECT ${awaiting}::text AS awaiting, ${ref} AS ref_id, ${appeal} AS appeal_id, ${since} AS since,
              ${due}::timestamptz AS due_at, CASE WHEN a.urgency = 'urgent' THEN 0 ELSE 1 END AS urgent
         ${rest}`;
    const out: string[] = [];
    if (actor.role === 'handler') {
      if (!actor.departmentId) return [];
      const dep = `${p(actor.departmentId)}::uuid`;
      const due = `CASE WHEN s.status = 'dispatched' THEN s.ack_due_at ELSE s.reply_due_at END`;
      const cond = [`s.department_id = ${dep}`, `s.status IN ${OPEN_ASSIGNMENT_SQL}`];
      if (q.status) cond.push(`s.status = ${p(q.status)}`);
      if (q.overdue !== undefined) {
        const late = `(s.overdue OR ${due} < ${p(now)}::timestamptz)`;
        cond.push(q.overdue ? late : `NOT ${late}`);
      }
      out.push(
        select(
          `CASE WHEN s.status = 'dispatched' THEN 'acknowledge' WHEN s.role = 'lead' THEN 'reply' ELSE 'opinion' END`,
          's.id',
          's.appeal_id',
          'coalesce(s.acknowledged_at, s.dispatched_at)',
          due,
          `FROM assignments s JOIN appeals a ON a.id = s.appeal_id WHERE ${cond.join(' AND ')}`,
        ),
      );
      if (!q.status) {
        // supervisions (督办) owing an answer; reminders (催办) owe none and notices are the supervisors' to close.
        // One on an appeal the department still holds open rides on that assignment's item (supervisionsToAnswer).
        const vcond = [
          `v.department_id = ${dep}`,
          `v.level = 'supervision'`,
          `v.status = 'open'`,
          `NOT EXISTS (SELECT 1 FROM assignments o WHERE o.appeal_id = v.appeal_id AND o.department_id = v.department_id
                         AND o.status IN ${OPEN_ASSIGNMENT_SQL})`,
        ];
        if (q.overdue !== undefined) {
          const late = `(v.answer_due_at IS NOT NULL AND v.answer_due_at < ${p(now)}::timestamptz)`;
          vcond.push(q.overdue ? late : `NOT ${late}`);
        }
        out.push(
          select(
            `'supervision_answer'`,
            'v.id',
            'v.appeal_id',
            'v.created_at',
            'v.answer_due_at',
            `FROM supervisions v JOIN appeals a ON a.id = v.appeal_id WHERE ${vcond.join(' AND ')}`,
          ),
        );
      }
      return out;
    }
    // the centre's and the supervisors' queues hold no assignment, so a status or overdue filter finds nothing
    if (q.status || q.overdue) return [];
    if (actor.role === 'dispatcher' || actor.role === 'admin') {
      out.push(
        select(
          `'dispatch'`,
          'a.id',
          'a.id',
          'a.created_at',
          'NULL',
          `FROM appeals a WHERE a.status = 'submitted'`,
        ),
        select(
          `'redispatch'`,
          'a.id',
          'a.id',
          'a.updated_at',
          'NULL',
          `FROM appeals a WHERE a.status = 'returned'`,
        ),
        select(
          `'return_review'`,
          'r.id',
          'r.appeal_id',
          'r.requested_at',
          'NULL',
          `FROM return_requests r JOIN appeals a ON a.id = r.appeal_id WHERE r.status = 'pending'`,
        ),
        select(
          `'extension_review'`,
          'e.id',
          'e.appeal_id',
          'e.requested_at',
          'NULL',
          `FROM extension_requests e JOIN appeals a ON a.id = e.appeal_id WHERE e.status = 'pending'`,
        ),
      );
    }
    if (actor.role === 'dispatcher' || actor.role === 'supervisor' || actor.role === 'admin') {
      // SPEC §12: whistles to review, due within whistleReviewWithin (a dispatcher or a supervisor decides)
      out.push(
        select(
          `'whistle_review'`,
          'w.id',
          'w.appeal_id',
          'w.created_at',
          'w.review_due_at',
          `FROM whistles w JOIN appeals a ON a.id = w.appeal_id WHERE w.status = 'requested'`,
        ),
      );
    }
    if (actor.role === 'supervisor' || actor.role === 'admin') {
      out.push(
        select(
          `'assessment_appeal_review'`,
          'x.id',
          'x.appeal_id',
          'x.created_at',
          'NULL',
          `FROM assessment_appeals x JOIN appeals a ON a.id = x.appeal_id WHERE x.status = 'pending'`,
        ),
        select(
          `'supervision_close'`,
          'v.id',
          'v.appeal_id',
          'coalesce(v.answered_at, v.created_at)',
          'NULL',
          `FROM supervisions v JOIN appeals a ON a.id = v.appeal_id
           WHERE (v.level = 'supervision' AND v.status = 'answered') OR (v.level = 'notice' AND v.status = 'open')`,
        ),
      );
    }
    return out;
  }

  /** The page's rows with what each desk needs beside them, one query per kind of record. */
  private async items(rows: QueueRow[], now: Date, actor: Actor) {
    if (rows.length === 0) return [];
    const m = this.db.manager;
    const ids = (kind: Awaiting[]) => rows.filter((r) => kind.includes(r.awaiting)).map((r) => r.ref_id);
    const appealIds = [...new Set(rows.map((r) => r.appeal_id))];
    const appeals = await m.getRepository(Appeal).findBy({ id: In(appealIds) });
    const assignmentIds = ids(['acknowledge', 'reply', 'opinion']);
    const assignments = assignmentIds.length
      ? await m.getRepository(Assignment).findBy({ id: In(assignmentIds) })
      : [];
    const supervisionIds = ids(['supervision_answer', 'supervision_close']);
    const supervisions = supervisionIds.length
      ? await m.getRepository(Supervision).findBy({ id: In(supervisionIds) })
      : [];
    // supervisions owing an answer on the appeals whose assignments are listed
    const owed = assignments.length
      ? await m.getRepository(Supervision).find({
          where: {
            appealId: In([...new Set(assignments.map((s) => s.appealId))]),
            departmentId: In([...new Set(assignments.map((s) => s.departmentId))]),
            level: 'supervision',
            status: 'open',
          },
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      : [];
    const returnIds = ids(['return_review']);
    const returns = returnIds.length
      ? await m.getRepository(ReturnRequest).findBy({ id: In(returnIds) })
      : [];
    const extensionIds = ids(['extension_review']);
    const extensions = extensionIds.length
      ? await m.getRepository(ExtensionRequest).findBy({ id: In(extensionIds) })
      : [];
    const contestIds = ids(['assessment_appeal_review']);
    const contests = contestIds.length
      ? await m.getRepository(AssessmentAppeal).findBy({ id: In(contestIds) })
      : [];
    // the dispatcher's instruction: the note of each appeal's latest dispatch
    const handled = [...new Set(assignments.map((s) => s.appealId))];
    const notes: { appeal_id: string; note: string | null }[] = handled.length
      ? await m.query(
          `SELECT DISTINCT ON (appeal_id) appeal_id, data->>'note' AS note FROM appeal_events
            WHERE appeal_id = ANY($1::uuid[]) AND action = 'appeal.dispatched' ORDER BY appeal_id, seq DESC`,
          [handled],
        )
      : [];
    const surveys = handled.length
      ? await m
          .getRepository(Survey)
          .createQueryBuilder('s')
          .distinctOn(['s.appeal_id'])
          .where('s.appeal_id IN (:...ids)', { ids: handled })
          .orderBy('s.appeal_id')
          .addOrderBy('s.created_at', 'DESC')
          .addOrderBy('s.id', 'DESC')
          .getMany()
      : [];
    const departmentIds = new Set<string>();
    for (const a of appeals) {
      if (a.leadDepartmentId) departmentIds.add(a.leadDepartmentId);
      if (a.suggestedRouting) {
        departmentIds.add(a.suggestedRouting.leadDepartmentId);
        a.suggestedRouting.coDepartmentIds.forEach((d) => departmentIds.add(d));
      }
    }
    for (const x of [...assignments, ...returns, ...contests]) departmentIds.add(x.departmentId);
    for (const r of returns) if (r.suggestedDepartmentId) departmentIds.add(r.suggestedDepartmentId);
    for (const v of supervisions) if (v.departmentId) departmentIds.add(v.departmentId);
    const departments = departmentIds.size
      ? await m.getRepository(Department).find({
          where: { id: In([...departmentIds]) },
          select: { id: true, name: true },
        })
      : [];
    const categories = await m.getRepository(Category).find({
      where: { code: In([...new Set(appeals.map((a) => a.categoryCode))]) },
      select: { id: true, code: true, name: true },
    });
    const depName = (id: string | null | undefined) =>
      (id && departments.find((d) => d.id === id)?.name) || null;
    const catName = (code: string) => categories.find((c) => c.code === code)?.name ?? null;

    return rows.map((row) => {
      const a = appeals.find((x) => x.id === row.appeal_id)!;
      const base = {
        awaiting: row.awaiting,
        since: new Date(row.since),
        dueAt: row.due_at ? new Date(row.due_at) : null,
        appealId: a.id,
        number: a.number,
        title: a.title,
        type: a.type,
        categoryCode: a.categoryCode,
        categoryName: catName(a.categoryCode),
        urgency: a.urgency,
        appealStatus: a.status,
        leadDepartmentId: a.leadDepartmentId,
        leadDepartment: a.leadDepartmentId
          ? { id: a.leadDepartmentId, name: depName(a.leadDepartmentId) }
          : null,
        supervised: a.supervised,
        leaderLed: a.leaderName !== null,
        leaderName: a.leaderName,
        reopenCount: a.reopenCount,
        // SPEC §11: whom to call — masked for departments (the whole contact through the audited reveal)
        ...contactFor(a, actor),
      };
      switch (row.awaiting) {
        case 'acknowledge':
        case 'reply':
        case 'opinion': {
          const s = assignments.find((x) => x.id === row.ref_id)!;
          const survey = surveys.find((x) => x.appealId === a.id);
          const unsatisfied =
            a.reopenCount > 0 && survey && (survey.satisfaction === 'unsatisfied' || !survey.resolved)
              ? survey.comment
              : null;
          return {
            ...base,
            assignmentId: s.id,
            departmentId: s.departmentId,
            departmentName: depName(s.departmentId),
            role: s.role,
            status: s.status,
            round: s.round,
            ackDueAt: s.ackDueAt,
            replyDueAt: s.replyDueAt,
            dueAt: currentDueAt(s),
            overdue: isOverdue(s, now),
            // the light's yellow: past the warning instant, whether or not the warning timer has fired
            warning: isWarning(s, now),
            // SPEC §9.1, §9.2: what the lead still owes the enterprise, red (overdue) or yellow (warning)
            contactDueAt: s.contactDueAt,
            contactedAt: s.contactedAt,
            contactOverdue: isContactOverdue(s, now),
            contactWarning:
              s.contactedAt === null && s.contactWarnAt !== null && s.contactWarnAt.getTime() < now.getTime(),
            stagedDueAt: s.stagedDueAt,
            stagedRepliedAt: s.stagedRepliedAt,
            stagedOverdue:
              s.stagedRepliedAt === null && s.stagedDueAt !== null && s.stagedDueAt.getTime() < now.getTime(),
            instruction: notes.find((n) => n.appeal_id === a.id)?.note ?? null,
            unsatisfiedReason: unsatisfied ?? null,
            supervisionsToAnswer: owed
              .filter((v) => v.appealId === a.id && v.departmentId === s.departmentId)
              .map((v) => ({ id: v.id, note: v.note, since: v.createdAt, dueAt: v.answerDueAt })),
          };
        }
        case 'supervision_answer':
        case 'supervision_close': {
          const v = supervisions.find((x) => x.id === row.ref_id)!;
          return {
            ...base,
            supervisionId: v.id,
            level: v.level,
            note: v.note,
            answer: v.answer,
            departmentId: v.departmentId,
            departmentName: depName(v.departmentId),
            overdue: v.answerDueAt !== null && v.status === 'open' && v.answerDueAt.getTime() < now.getTime(),
          };
        }
        case 'dispatch':
        case 'redispatch': {
          const r = a.suggestedRouting;
          return {
            ...base,
            statusReason: a.statusReason,
            suggestedRouting: r && {
              ...r,
              leadDepartmentName: depName(r.leadDepartmentId),
              coDepartments: r.coDepartmentIds.map((id) => ({ id, name: depName(id) })),
            },
            possibleDuplicates: a.possibleDuplicates ?? [],
          };
        }
        case 'return_review': {
          const r = returns.find((x) => x.id === row.ref_id)!;
          return {
            ...base,
            returnRequestId: r.id,
            assignmentId: r.assignmentId,
            departmentId: r.departmentId,
            departmentName: depName(r.departmentId),
            reason: r.reason,
            suggestedDepartmentId: r.suggestedDepartmentId,
            suggestedDepartmentName: depName(r.suggestedDepartmentId),
          };
        }
        case 'extension_review': {
          const e = extensions.find((x) => x.id === row.ref_id)!;
          return {
            ...base,
            extensionRequestId: e.id,
            assignmentId: e.assignmentId,
            days: e.days,
            reason: e.reason,
          };
        }
        case 'whistle_review':
          return {
            ...base,
            whistleId: row.ref_id,
            overdue: row.due_at !== null && new Date(row.due_at).getTime() < now.getTime(),
          };
        case 'assessment_appeal_review': {
          const x = contests.find((c) => c.id === row.ref_id)!;
          return {
            ...base,
            assessmentAppealId: x.id,
            departmentId: x.departmentId,
            departmentName: depName(x.departmentId),
            reason: x.reason,
            explanation: x.explanation,
          };
        }
      }
    });
  }
}
