import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError } from '../../common/domain-error';
import type { Actor } from '../auth/auth.decorators';
import { AppealReader } from '../appeals/appeal-reader';
import { AppealWriter, Change, EventDraft, NoticeDraft } from '../appeals/appeal-writer';
import type { Appeal } from '../appeals/entities/appeal.entity';
import { Assignments } from '../assignments/assignments';
import type { Assignment } from '../assignments/entities/assignment.entity';
import { CalendarService } from '../calendar/calendar.service';
import { computeDeadline } from '../calendar/working-calendar';
import { Department } from '../departments/department.entity';
import { contactCountsAt } from './contact-counting';
import { ContactAttempt } from './entities/contact-attempt.entity';
import { centreContactNotice } from './follow-up-notices';
import { LogContactDto } from './follow-up.dto';
import { contactView, ContactView } from './follow-up.view';

/** What POST /appeals/{id}/contacts answers: the attempt, and whether the lead's contact counted with it. */
export type LoggedContact = ContactView & { counted: boolean };

/**
 * 首次联系 (SPEC §9.1): attempts to reach the enterprise, logged by a department holding the case or by the
 * centre on the lead's behalf, and the lead's contact counted — once — by the rule of contact-counting.ts.
 * Each attempt is a change of the appeal (contact.logged; assignment.contacted when the contact counts),
 * written through the writer, so the deadline timers see it in the same transaction.
 */
@Injectable()
export class Contacts {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly writer: AppealWriter,
    private readonly reader: AppealReader,
    private readonly assignments: Assignments,
    private readonly calendar: CalendarService,
  ) {}

  async log(id: string, dto: LogContactDto, actor: Actor): Promise<LoggedContact> {
    const { returns } = await this.writer.actFor(id, actor, dto.expectedVersion, async (step) => {
      const { m, appeal, now, allow } = step;
      allow('log_contact');
      const target = await this.target(m, appeal, actor, dto);
      const at = dto.at === undefined ? now : new Date(dto.at);
      if (at.getTime() > now.getTime())
        throw DomainError.validation('the contact cannot be in the future', [
          { field: 'at', message: 'must not be in the future' },
        ]);
      if (at.getTime() < target.dispatchedAt.getTime())
        throw DomainError.validation('the contact cannot be before the dispatch', [
          { field: 'at', message: 'must not be before the dispatch' },
        ]);
      const row = m.getRepository(ContactAttempt).create({
        id: randomUUID(),
        appealId: appeal.id,
        assignmentId: target.id,
        departmentId: target.departmentId,
        method: dto.method,
        outcome: dto.outcome,
        at,
        note: dto.note ?? null,
        loggedBy: actor.id,
        loggedRole: actor.role,
        createdAt: now,
      });
      await m.getRepository(ContactAttempt).insert(row);
      const contacted = await this.count(m, target);
      const byCentre = actor.role === 'dispatcher';
      const same = { fromStatus: appeal.status, toStatus: appeal.status };
      const after: EventDraft[] = contacted
        ? [
            {
              action: 'assignment.contacted',
              ...same,
              data: {
                assignmentId: target.id,
                departmentId: target.departmentId,
                contactId: contacted.contactId,
                contactedAt: contacted.at.toISOString(),
                rule: contacted.rule,
                onTime: contacted.onTime,
                contactDueAt: target.contactDueAt?.toISOString() ?? null,
              },
            },
          ]
        : [];
      const notify: NoticeDraft[] = byCentre ? [centreContactNotice(appeal, target.departmentId)] : [];
      const name = await this.departmentName(m, target.departmentId);
      const change: Change<LoggedContact> & { returns: LoggedContact } = {
        action: 'log_contact',
        // the staff note stays out of the hash-chained log: it may carry personal data (DOMAIN §11.7)
        data: {
          contactId: row.id,
          assignmentId: target.id,
          departmentId: target.departmentId,
          role: target.role,
          method: row.method,
          outcome: row.outcome,
          at: at.toISOString(),
          byCentre,
        },
        after,
        notify,
        returns: { ...contactView(row, actor, appeal, name), counted: contacted?.contactId === row.id },
      };
      return change;
    });
    return returns;
  }

  /** GET /appeals/{id}/contacts: every attempt, by instant, as the caller may see it. */
  async list(id: string, actor: Actor): Promise<{ items: ContactView[] }> {
    const m = this.db.manager;
    const appeal = await this.reader.getVisible(m, id, actor);
    const rows = await m
      .getRepository(ContactAttempt)
      .find({ where: { appealId: id }, order: { at: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    const names = await this.departmentNames(
      m,
      rows.map((r) => r.departmentId),
    );
    return { items: rows.map((r) => contactView(r, actor, appeal, names.get(r.departmentId) ?? null)) };
  }

  /**
   * The assignment an attempt is logged for: a handler's own department's open one (never on a confidential
   * appeal: only the centre contacts its filer); the centre's, the lead's — on a confidential appeal as a
   * three-way call, the department listening in without learning the filer's number.
   */
  private async target(m: EntityManager, appeal: Appeal, actor: Actor, dto: LogContactDto) {
    if (actor.role === 'handler') {
      if (appeal.confidential)
        throw DomainError.forbidden('on a confidential appeal only the centre contacts the filer');
      return this.assignments.own(m, appeal, actor);
    }
    const lead = (await this.assignments.open(m, appeal.id)).find((a) => a.role === 'lead');
    if (!lead) throw new DomainError('INVALID_TRANSITION', 'the appeal has no open lead assignment');
    if (appeal.confidential && dto.method !== 'three_way_call')
      throw DomainError.validation('on a confidential appeal the centre records a three_way_call', [
        { field: 'method', message: 'must be three_way_call on a confidential appeal' },
      ]);
    return lead;
  }

  /**
   * SPEC §9.1: the lead's contact counts at its first reached attempt, or its second unreached one a
   * working hour after the first; recorded once on the assignment with its on-time verdict. Null when it
   * does not count yet, was counted before, or the assignment is not the lead's.
   */
  private async count(m: EntityManager, target: Assignment) {
    if (target.role !== 'lead' || target.contactedAt !== null) return null;
    const attempts = await m
      .getRepository(ContactAttempt)
      .find({ where: { assignmentId: target.id }, order: { at: 'ASC', createdAt: 'ASC', id: 'ASC' } });
    const cal = await this.calendar.calendar(m);
    const counted = contactCountsAt(attempts, (at) => computeDeadline(cal, at, 'PT1H', 'working'));
    if (!counted) return null;
    const at = counted.attempt.at;
    const onTime = target.contactDueAt ? at.getTime() <= target.contactDueAt.getTime() : null;
    // conditional: a contact is recorded once however the attempts race
    const [, n]: [unknown, number] = await m.query(
      `UPDATE assignments SET contacted_at = $2, contacted_on_time = $3 WHERE id = $1 AND contacted_at IS NULL`,
      [target.id, at, onTime],
    );
    if (n !== 1) return null;
    return { contactId: counted.attempt.id, at, rule: counted.rule, onTime };
  }

  private async departmentName(m: EntityManager, id: string): Promise<string | null> {
    return (await this.departmentNames(m, [id])).get(id) ?? null;
  }

  private async departmentNames(m: EntityManager, ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await m
      .getRepository(Department)
      .find({ where: { id: In(unique) }, select: { id: true, name: true } });
    return new Map(rows.map((d) => [d.id, d.name]));
  }
}
