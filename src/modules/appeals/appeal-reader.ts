import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { Enterprise } from '../enterprises/enterprise.entity';
import { Category } from '../categories/category.entity';
import { Department } from '../departments/department.entity';
import { AppealParts, AppealView, Names, toAppealView } from './appeal-view';
import { Appeal } from './entities/appeal.entity';
import { AssessmentAppeal } from '../assessment/entities/assessment-appeal.entity';
import { Survey } from '../assessment/entities/survey.entity';
import { Assignment } from '../assignments/entities/assignment.entity';
import { ExtensionRequest } from '../assignments/entities/extension-request.entity';
import { ReturnRequest } from '../assignments/entities/return-request.entity';
import { Supervision } from '../supervision/entities/supervision.entity';
import { ContactAttempt } from '../follow-up/entities/contact-attempt.entity';
import { StagedReply } from '../follow-up/entities/staged-reply.entity';
import { Plan } from '../plans/entities/plan.entity';
import { WhistleCommitment } from '../whistles/entities/whistle-commitment.entity';
import { WhistleDepartment } from '../whistles/entities/whistle-department.entity';
import { Whistle } from '../whistles/entities/whistle.entity';
import { whistleDepartmentIds, WhistleParts } from '../whistles/whistle.view';

/** Loads appeals and decides who may see them (SPEC §1: outside your scope is 404, never 403). */
@Injectable()
export class AppealReader {
  /**
   * A handler's scope as SQL over the appeal alias `a` and the department parameter `dep`: what was ever
   * assigned to its department — except a confidential appeal its department has left (every assignment
   * it held there was returned): SPEC §5.1, a department that no longer holds an assignment on a
   * confidential appeal stops seeing what happens on it, so it no longer finds it at all (404).
   */
  static handlerScopeSql(a: string, dep: string): string {
    return `EXISTS (SELECT 1 FROM assignments s WHERE s.appeal_id = ${a}.id AND s.department_id = ${dep}
              AND (NOT ${a}.confidential OR s.status <> 'returned'))`;
  }

  /** Enterprises see their own; handlers what their department holds or held (handlerScopeSql); the rest see all. */
  async assertVisible(m: EntityManager, appeal: Appeal, actor: Actor): Promise<void> {
    if (actor.role === 'enterprise' && appeal.enterpriseId !== actor.enterpriseId)
      throw DomainError.notFound('appeal');
    if (actor.role === 'handler') {
      if (!actor.departmentId) throw DomainError.notFound('appeal');
      const [{ visible }] = await m.query(
        `SELECT ${AppealReader.handlerScopeSql('a', '$2')} AS visible FROM appeals a WHERE a.id = $1`,
        [appeal.id, actor.departmentId],
      );
      if (!visible) throw DomainError.notFound('appeal');
    }
  }

  async getVisible(m: EntityManager, id: string, actor: Actor, lock = false): Promise<Appeal> {
    const appeal = await m
      .getRepository(Appeal)
      .findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!appeal) throw DomainError.notFound('appeal');
    await this.assertVisible(m, appeal, actor);
    return appeal;
  }

  /** The appeal as this actor sees it at `now` (no scope check: callers have made it). */
  async view(m: EntityManager, id: string, actor: Actor, now: Date): Promise<AppealView> {
    const appeal = await m.getRepository(Appeal).findOneByOrFail({ id });
    const [parts] = await this.parts(m, [appeal]);
    return toAppealView(parts, actor, now);
  }

  async parts(m: EntityManager, appeals: Appeal[]): Promise<AppealParts[]> {
    if (appeals.length === 0) return [];
    const ids = appeals.map((a) => a.id);
    // one after another: inside a transaction these share one connection (pg deprecates overlapping queries)
    const assignments = await m
      .getRepository(Assignment)
      .find({ where: { appealId: In(ids) }, order: { dispatchedAt: 'ASC', role: 'DESC' } });
    const surveys = await m
      .getRepository(Survey)
      .createQueryBuilder('s')
      .distinctOn(['s.appeal_id'])
      .where('s.appeal_id IN (:...ids)', { ids })
      .orderBy('s.appeal_id')
      .addOrderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .getMany();
    const pending = await m
      .getRepository(ExtensionRequest)
      .find({ where: { appealId: In(ids), status: 'pending' } });
    const returns = await m.getRepository(ReturnRequest).find({
      where: { appealId: In(ids), status: 'pending' },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
    const supervisions = await m
      .getRepository(Supervision)
      .find({ where: { appealId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const plans = await m
      .getRepository(Plan)
      .find({ where: { appealId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const contests = await m
      .getRepository(AssessmentAppeal)
      .find({ where: { appealId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const contacts = await m
      .getRepository(ContactAttempt)
      .find({ where: { appealId: In(ids) }, order: { at: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    const staged = await m
      .getRepository(StagedReply)
      .find({ where: { appealId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
    // which appeals the duplicates and merge targets name are confidential (the disclosure policy's refs)
    const referred = [
      ...new Set(
        appeals.flatMap((a) => [
          ...(a.possibleDuplicates ?? []).map((d) => d.appealId),
          ...(a.mergedIntoId ? [a.mergedIntoId] : []),
        ]),
      ),
    ];
    const confidential = new Set(
      referred.length === 0
        ? []
        : (
            await m
              .getRepository(Appeal)
              .find({ where: { id: In(referred), confidential: true }, select: { id: true } })
          ).map((a) => a.id),
    );
    const whistles = await this.whistles(m, ids);
    const enterprises = await m.getRepository(Enterprise).find({
      where: { id: In([...new Set(appeals.map((a) => a.enterpriseId))]) },
      select: { id: true, name: true },
    });
    const names = await this.names(m, appeals, { assignments, returns, supervisions, plans, whistles });
    return appeals.map((appeal) => ({
      appeal,
      assignments: assignments.filter((x) => x.appealId === appeal.id),
      survey: surveys.find((s) => s.appealId === appeal.id) ?? null,
      pendingExtension: pending.find((e) => e.appealId === appeal.id) ?? null,
      enterpriseName: enterprises.find((e) => e.id === appeal.enterpriseId)?.name ?? null,
      pendingReturns: returns.filter((r) => r.appealId === appeal.id),
      supervisions: supervisions.filter((v) => v.appealId === appeal.id),
      assessmentAppeals: contests.filter((x) => x.appealId === appeal.id),
      contacts: contacts.filter((x) => x.appealId === appeal.id),
      stagedReplies: staged.filter((x) => x.appealId === appeal.id),
      plans: plans.filter((p) => p.appealId === appeal.id),
      whistle: whistles.find((x) => x.whistle.appealId === appeal.id) ?? null,
      refs: { confidential },
      names,
    }));
  }

  /** SPEC §12: each appeal's latest whistle, with its summoned departments and commitments. */
  private async whistles(m: EntityManager, ids: string[]): Promise<WhistleParts[]> {
    const latest = await m
      .getRepository(Whistle)
      .createQueryBuilder('w')
      .distinctOn(['w.appeal_id'])
      .where('w.appeal_id IN (:...ids)', { ids })
      .orderBy('w.appeal_id')
      .addOrderBy('w.created_at', 'DESC')
      .addOrderBy('w.id', 'DESC')
      .getMany();
    if (latest.length === 0) return [];
    const wids = latest.map((w) => w.id);
    const departments = await m.getRepository(WhistleDepartment).find({ where: { whistleId: In(wids) } });
    const commitments = await m.getRepository(WhistleCommitment).find({ where: { whistleId: In(wids) } });
    return latest.map((whistle) => ({
      whistle,
      departments: departments.filter((d) => d.whistleId === whistle.id),
      commitments: commitments.filter((c) => c.whistleId === whistle.id),
    }));
  }

  /**
   * The names shown beside ids (SPEC §5.1): departments (lead, assignments, routing suggestions, return
   * requests, supervisions, the lead of each possible duplicate) and categories, one query per kind for
   * the whole batch.
   */
  private async names(
    m: EntityManager,
    appeals: Appeal[],
    rows: {
      assignments: Assignment[];
      returns: ReturnRequest[];
      supervisions: Supervision[];
      plans: Plan[];
      whistles: WhistleParts[];
    },
  ): Promise<Names> {
    const duplicateIds = [
      ...new Set(appeals.flatMap((a) => (a.possibleDuplicates ?? []).map((d) => d.appealId))),
    ];
    const duplicates =
      duplicateIds.length === 0
        ? []
        : await m
            .getRepository(Appeal)
            .find({ where: { id: In(duplicateIds) }, select: { id: true, leadDepartmentId: true } });
    const departmentIds = new Set<string>();
    const add = (id: string | null | undefined) => {
      if (id) departmentIds.add(id);
    };
    for (const a of appeals) {
      add(a.leadDepartmentId);
      add(a.suggestedRouting?.leadDepartmentId);
      (a.suggestedRouting?.coDepartmentIds ?? []).forEach(add);
    }
    rows.assignments.forEach((x) => add(x.departmentId));
    rows.returns.forEach((r) => {
      add(r.departmentId);
      add(r.suggestedDepartmentId);
    });
    rows.supervisions.forEach((v) => add(v.departmentId));
    rows.plans.forEach((p) => add(p.departmentId));
    rows.whistles.flatMap(whistleDepartmentIds).forEach(add);
    duplicates.forEach((d) => add(d.leadDepartmentId));
    const departments =
      departmentIds.size === 0
        ? []
        : await m
            .getRepository(Department)
            .find({ where: { id: In([...departmentIds]) }, select: { id: true, name: true } });
    const categories = await m.getRepository(Category).find({
      where: { code: In([...new Set(appeals.map((a) => a.categoryCode))]) },
      select: { id: true, code: true, name: true },
    });
    return {
      departments: new Map(departments.map((d) => [d.id, d.name])),
      categories: new Map(categories.map((c) => [c.code, c.name])),
      duplicateLeads: new Map(duplicates.map((d) => [d.id, d.leadDepartmentId])),
    };
  }
}
