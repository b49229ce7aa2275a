import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import { decodeCursor, Page, ReferenceListQuery, toReferencePage } from '../../common/pagination';
import type { Appeal } from '../appeals/entities/appeal.entity';
import { CalendarService } from '../calendar/calendar.service';
import { parseCalendarDuration } from '../calendar/calendar-duration';
import {
  computeDeadline,
  DurationError,
  parseIsoDuration,
  warnInstant,
  WorkingCalendar,
} from '../calendar/working-calendar';
import { TransactionMemo } from '../../infra/database/transaction-memo';
import { CategoriesService } from '../categories/categories.service';
import { DEFAULT_WINDOWS, windowClosesAt, WindowName } from '../workflow/assessment-rules';
import { matchPolicy } from './sla-match';
import { SlaPolicy } from './sla-policy.entity';
import { CreateSlaPolicyDto } from './sla.dto';

/** A policy as the API answers it: its category's name beside the code (SPEC §5.1). */
export type SlaPolicyView = Omit<SlaPolicy, 'category'> & { categoryName: string | null };

export function toSlaPolicyView(p: SlaPolicy, categoryName: string | null): SlaPolicyView {
  const { category: _category, ...rest } = p;
  return { ...rest, categoryName };
}

/** SPEC §9.3: how far a plan's promise and its next feedback may lie (natural clock, calendar months). */
export interface PlanWindows {
  planMaxWithin: string;
  planFeedbackEvery: string;
}
/** SPEC §9.3 seeded defaults: a plan promises within 3 months of the reply and reports at least monthly. */
export const DEFAULT_PLAN_WINDOWS: Readonly<PlanWindows> = { planMaxWithin: 'P3M', planFeedbackEvery: 'P1M' };
/** SPEC §12 defaults: a whistle reviewed within 4 working hours, its meeting within 3 working days. */
export const WHISTLE_WINDOWS = Object.freeze({ whistleReviewWithin: 'PT4H', whistleMeetingWithin: 'P3D' });
export type WhistleWindow = keyof typeof WHISTLE_WINDOWS;

/** Used only if an admin has deleted every policy: the seeded default (SPEC §3, Shanghai "1515"). */
const FALLBACK: Pick<
  SlaPolicy,
  | 'id'
  | 'name'
  | 'clock'
  | 'ackWithin'
  | 'replyWithin'
  | 'warnAt'
  | 'surveyWithin'
  | 'returnWithin'
  | 'assessmentAppealWithin'
  | 'supervisionAnswerWithin'
  | 'contactWithin'
  | 'stagedReplyWithin'
  | 'planMaxWithin'
  | 'planFeedbackEvery'
  | 'whistleReviewWithin'
  | 'whistleMeetingWithin'
> = {
  id: 'fallback',
  name: 'built-in default',
  clock: 'working',
  ackWithin: 'P1D',
  replyWithin: 'P5D',
  warnAt: 0.8,
  surveyWithin: 'P3D',
  ...DEFAULT_WINDOWS,
  contactWithin: 'PT1H',
  stagedReplyWithin: null,
  ...DEFAULT_PLAN_WINDOWS,
  ...WHISTLE_WINDOWS,
};

/** The plan windows, on the natural clock with calendar months (calendar-duration.ts). */
const PLAN_DURATION_FIELDS = ['planMaxWithin', 'planFeedbackEvery'] as const;

/** Durations of a policy, checked when it is created. */
const DURATION_FIELDS = [
  'ackWithin',
  'replyWithin',
  'surveyWithin',
  'returnWithin',
  'assessmentAppealWithin',
  'supervisionAnswerWithin',
  'contactWithin',
  'stagedReplyWithin',
  'whistleReviewWithin',
  'whistleMeetingWithin',
] as const;

type Policy = typeof FALLBACK;

/** What of an appeal picks its policy (SPEC §3, §8.1). */
export type SlaTraits = Pick<Appeal, 'categoryCode' | 'channel' | 'type' | 'urgency'>;

export interface AssignmentPlan {
  ackDueAt: Date;
  ackWarnAt: Date;
  replyDueAt: Date;
  replyWarnAt: Date;
  policyId: string;
}

/** The lead's follow-through deadlines (SPEC §9.1, §9.2); null where the policy sets none. */
export interface FollowUpPlan {
  contactDueAt: Date | null;
  contactWarnAt: Date | null;
  stagedDueAt: Date | null;
}

/** Picks the SLA policy of an appeal and turns it into instants on the calendar (SPEC §3). */
@Injectable()
export class SlaService {
  private readonly memo = new TransactionMemo();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly calendar: CalendarService,
    private readonly categories: CategoriesService,
  ) {}

  async create(dto: CreateSlaPolicyDto): Promise<SlaPolicyView> {
    for (const field of [...DURATION_FIELDS, ...PLAN_DURATION_FIELDS]) {
      const value = dto[field];
      if (value === undefined) continue;
      try {
        if ((PLAN_DURATION_FIELDS as readonly string[]).includes(field)) parseCalendarDuration(value);
        else parseIsoDuration(value);
      } catch (err) {
        if (err instanceof DurationError)
          throw DomainError.validation(`${field}: ${err.message}`, [{ field, message: err.message }]);
        throw err;
      }
    }
    const category = dto.categoryCode
      ? await this.categories.getByCode(dto.categoryCode, 'categoryCode')
      : null;
    const repo = this.db.getRepository(SlaPolicy);
    const saved = await repo.save(
      repo.create({
        name: dto.name,
        categoryCode: dto.categoryCode ?? null,
        channel: dto.channel ?? null,
        type: dto.type ?? null,
        urgency: dto.urgency ?? null,
        clock: dto.clock,
        ackWithin: dto.ackWithin,
        replyWithin: dto.replyWithin,
        warnAt: dto.warnAt ?? 0.8,
        surveyWithin: dto.surveyWithin ?? 'P3D',
        returnWithin: dto.returnWithin ?? DEFAULT_WINDOWS.returnWithin,
        assessmentAppealWithin: dto.assessmentAppealWithin ?? DEFAULT_WINDOWS.assessmentAppealWithin,
        supervisionAnswerWithin: dto.supervisionAnswerWithin ?? DEFAULT_WINDOWS.supervisionAnswerWithin,
        contactWithin: dto.contactWithin ?? null,
        stagedReplyWithin: dto.stagedReplyWithin ?? null,
        planMaxWithin: dto.planMaxWithin ?? DEFAULT_PLAN_WINDOWS.planMaxWithin,
        planFeedbackEvery: dto.planFeedbackEvery ?? DEFAULT_PLAN_WINDOWS.planFeedbackEvery,
        whistleReviewWithin: dto.whistleReviewWithin ?? WHISTLE_WINDOWS.whistleReviewWithin,
        whistleMeetingWithin: dto.whistleMeetingWithin ?? WHISTLE_WINDOWS.whistleMeetingWithin,
      }),
    );
    return toSlaPolicyView(saved, category?.name ?? null);
  }

  /** Every policy, oldest first (SPEC §5.1: reference lists are whole), or a page when `limit` asks. */
  async list(query: ReferenceListQuery = {}): Promise<Page<SlaPolicyView>> {
    const after = decodeCursor(query.cursor, ['t', 'id']);
    const qb = this.db
      .getRepository(SlaPolicy)
      .createQueryBuilder('s')
      .leftJoin('s.category', 'c')
      .addSelect(['c.id', 'c.name'])
      // created_at has microseconds and the cursor milliseconds: order and compare at milliseconds
      .orderBy(`date_trunc('milliseconds', s.created_at)`, 'ASC')
      .addOrderBy('s.id', 'ASC');
    if (after)
      qb.where(`(date_trunc('milliseconds', s.created_at), s.id) > (:t, :id)`, {
        t: new Date(after.t),
        id: after.id,
      });
    // many-to-one join: limit() pages the rows exactly
    if (query.limit !== undefined) qb.limit(query.limit + 1);
    const rows = (await qb.getMany()).map((p) => toSlaPolicyView(p, p.category?.name ?? null));
    return toReferencePage(rows, query.limit, (p) => ({ t: p.createdAt.toISOString(), id: p.id }));
  }

  async policyFor(m: EntityManager, appeal: SlaTraits): Promise<Policy> {
    // one after another: inside a transaction both share one connection
    const policies = await this.memo.get(m, 'sla-policies', () => m.getRepository(SlaPolicy).find());
    const categoryPath = await this.memo.get(m, `category-path:${appeal.categoryCode}`, () =>
      this.categoryPath(m, appeal.categoryCode),
    );
    return (
      matchPolicy(policies, {
        categoryPath,
        channel: appeal.channel,
        type: appeal.type,
        urgency: appeal.urgency,
      }) ?? FALLBACK
    );
  }

  /** Deadlines of a new assignment dispatched at `at`. */
  async plan(m: EntityManager, appeal: SlaTraits, at: Date): Promise<AssignmentPlan> {
    const { policy, cal } = await this.context(m, appeal);
    const ackDueAt = computeDeadline(cal, at, policy.ackWithin, policy.clock);
    const replyDueAt = computeDeadline(cal, at, policy.replyWithin, policy.clock);
    return {
      ackDueAt,
      ackWarnAt: warnInstant(cal, at, ackDueAt, policy.warnAt, policy.clock),
      replyDueAt,
      replyWarnAt: warnInstant(cal, at, replyDueAt, policy.warnAt, policy.clock),
      policyId: policy.id,
    };
  }

  /**
   * The lead's contact deadline (with its warning) and staged-reply deadline counted from `at` (its
   * dispatch, SPEC §9.1, §9.2), on the policy's clock; a reopen round asks for the staged reply only.
   */
  async planFollowUp(
    m: EntityManager,
    appeal: SlaTraits,
    at: Date,
    which: { contact: boolean } = { contact: true },
  ): Promise<FollowUpPlan> {
    const { policy, cal } = await this.context(m, appeal);
    const contactDueAt =
      which.contact && policy.contactWithin
        ? computeDeadline(cal, at, policy.contactWithin, policy.clock)
        : null;
    return {
      contactDueAt,
      contactWarnAt: contactDueAt ? warnInstant(cal, at, contactDueAt, policy.warnAt, policy.clock) : null,
      stagedDueAt: policy.stagedReplyWithin
        ? computeDeadline(cal, at, policy.stagedReplyWithin, policy.clock)
        : null,
    };
  }

  /** A fresh reply deadline counted from `at` (a reopen, 重办). */
  async planReply(m: EntityManager, appeal: SlaTraits, at: Date) {
    const { replyDueAt, replyWarnAt } = await this.plan(m, appeal, at);
    return { replyDueAt, replyWarnAt };
  }

  /** SPEC §3: an approved extension moves the reply deadline by N working days from the current deadline. */
  async extend(m: EntityManager, appeal: SlaTraits, dispatchedAt: Date, current: Date, days: number) {
    const { policy, cal } = await this.context(m, appeal);
    const replyDueAt = cal.addWorkingDays(current, days);
    return { replyDueAt, replyWarnAt: warnInstant(cal, dispatchedAt, replyDueAt, policy.warnAt, 'working') };
  }

  /** The return-visit window after a reply. */
  async surveyDueAt(m: EntityManager, appeal: SlaTraits, repliedAt: Date): Promise<Date> {
    const { policy, cal } = await this.context(m, appeal);
    return computeDeadline(cal, repliedAt, policy.surveyWithin, policy.clock);
  }

  /** When a window of SPEC §7 opened at `from` closes, on the appeal's policy's clock and the calendar. */
  async windowClosesAt(m: EntityManager, appeal: SlaTraits, window: WindowName, from: Date): Promise<Date> {
    const { policy, cal } = await this.context(m, appeal);
    // a batch opens many records at one instant under one policy (a deadline batch's supervisions):
    // the working-calendar walk once per transaction, not once per record
    const at = await this.memo.get(m, `window:${policy.id}:${window}:${from.getTime()}`, async () =>
      windowClosesAt(cal, policy, window, from),
    );
    return new Date(at.getTime());
  }

  /** SPEC §9.3: the plan windows of the appeal's policy (natural clock, calendar months). */
  async planWindows(m: EntityManager, appeal: SlaTraits): Promise<PlanWindows> {
    const policy = await this.policyFor(m, appeal);
    return { planMaxWithin: policy.planMaxWithin, planFeedbackEvery: policy.planFeedbackEvery };
  }

  /**
   * SPEC §12: a whistle's window opened at `from` — its due on the appeal's policy's clock, and the
   * warning instant at the policy's `warnAt` fraction of it.
   */
  async whistleWindow(
    m: EntityManager,
    appeal: SlaTraits,
    window: WhistleWindow,
    from: Date,
  ): Promise<{ dueAt: Date; warnAt: Date }> {
    const { policy, cal } = await this.context(m, appeal);
    const dueAt = computeDeadline(cal, from, policy[window], policy.clock);
    return { dueAt, warnAt: warnInstant(cal, from, dueAt, policy.warnAt, policy.clock) };
  }

  /** The warning instant of a span [from, dueAt] at the appeal's policy's `warnAt` fraction. */
  async warnBetween(m: EntityManager, appeal: SlaTraits, from: Date, dueAt: Date): Promise<Date> {
    const { policy, cal } = await this.context(m, appeal);
    return warnInstant(cal, from, dueAt, policy.warnAt, policy.clock);
  }

  private async context(
    m: EntityManager,
    appeal: SlaTraits,
  ): Promise<{ policy: Policy; cal: WorkingCalendar }> {
    const policy = await this.policyFor(m, appeal);
    return { policy, cal: await this.memo.get(m, 'calendar', () => this.calendar.calendar(m)) };
  }

  /** The appeal's category, then its parents up to the root. */
  private async categoryPath(m: EntityManager, code: string): Promise<string[]> {
    const rows: { code: string }[] = await m.query(
      `WITH RECURSIVE up(code, parent_code, depth) AS (
         SELECT code, parent_code, 0 FROM categories WHERE code = $1
         UNION ALL
         SELECT c.code, c.parent_code, up.depth + 1 FROM categories c JOIN up ON c.code = up.parent_code WHERE up.depth < 20)
       SELECT code FROM up ORDER BY depth`,
      [code],
    );
    return rows.map((r) => r.code);
  }
}
