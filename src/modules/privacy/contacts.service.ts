import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { phoneHash } from '../../common/phone-hash';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { AppealWriter, Change } from '../appeals/appeal-writer';
import { mayRevealContact } from '../appeals/disclosure';
import { OPEN_ASSIGNMENT_SQL } from '../assignments/entities/assignment.entity';
import type { Actor } from '../auth/auth.decorators';
import { TERMINAL_STATUSES } from '../workflow/appeal-state-machine';

/** Appeals anonymised per transaction by one run of the retention job. */
const BATCH = 500;
/** When an appeal ended, for retention: its close, or for the other ends (rejected, withdrawn, merged) its last change. */
const ENDED_AT = `coalesce(a.closed_at, a.updated_at)`;

/**
 * The filer's contact (SPEC §11): the audited reveal of the whole contact to a department that holds the
 * case and to the centre, and the retention job that anonymises it CONTACT_RETENTION_DAYS after the appeal
 * ended. The contact lives on the appeal row only, never in the hash-chained event data: the events record
 * that it was revealed (and to whom) or anonymised, so anonymising leaves every chain verifiable.
 */
@Injectable()
export class ContactsService {
  private readonly logger = new Logger(ContactsService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly writer: AppealWriter,
  ) {}

  /** `GET /appeals/{id}/contact`: the whole contact, recorded as `contact.revealed` naming who asked. */
  async reveal(id: string, actor: Actor) {
    const { returns } = await this.writer.change(id, actor, undefined, async ({ m, appeal, allow }) => {
      allow('reveal_contact');
      if (!mayRevealContact(appeal, actor.role))
        throw DomainError.forbidden('the contact of a confidential appeal is never revealed to departments');
      if (actor.role === 'handler') await this.assertHolder(m, appeal.id, actor);
      const contact = {
        contactName: appeal.contactName,
        contactPhone: appeal.contactPhone,
        anonymisedAt: appeal.contactAnonymisedAt,
      };
      return {
        action: 'reveal_contact',
        returns: contact,
        // who: the actor of the event, with the name and department beside the id; never the contact itself
        data: { username: actor.username, departmentId: actor.departmentId ?? null },
      } satisfies Change;
    });
    return { appealId: id, ...returns! };
  }

  /** SPEC §11: a handler sees the whole contact only while its department holds an open lead or co assignment. */
  private async assertHolder(m: EntityManager, appealId: string, actor: Actor): Promise<void> {
    const [row] = await m.query(
      `SELECT 1 FROM assignments WHERE appeal_id = $1 AND department_id = $2 AND status IN ${OPEN_ASSIGNMENT_SQL} LIMIT 1`,
      [appealId, actor.departmentId],
    );
    if (!row) throw DomainError.forbidden('only a department with an open assignment sees the whole contact');
  }

  /** The instant before which an ended appeal is due for anonymisation. */
  private cutoff(now: Date): Date {
    return new Date(now.getTime() - this.config.contacts.retentionDays * 86_400_000);
  }

  /**
   * The retention job: anonymises, BATCH appeals per transaction, the contact of every appeal that ended
   * CONTACT_RETENTION_DAYS ago: name and phone gone, the phone's keyed hash kept (the centre still finds the
   * appeals of a phone), `contact.anonymised` appended; the stored webhook bodies of the appeal lose the
   * contact too (a delivery still pending then sends the body without it: bodies are signed when sent). Safe to run twice: an anonymised appeal is not selected again. Returns how many it did.
   */
  async anonymiseDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const outcomes = await this.writer.changeMany(
        async (m, now) =>
          (
            await m.query(
              `SELECT a.id FROM appeals a
                WHERE a.status = ANY($1) AND a.contact_anonymised_at IS NULL
                  AND (a.contact_name IS NOT NULL OR a.contact_phone IS NOT NULL)
                  AND ${ENDED_AT} <= $2
                ORDER BY ${ENDED_AT} LIMIT ${BATCH}`,
              [TERMINAL_STATUSES, this.cutoff(now)],
            )
          ).map((r: { id: string }) => r.id),
        async (steps) => {
          const changes = new Map<string, Change>();
          for (const { appeal, now, allow } of steps) {
            allow('anonymise_contact');
            changes.set(appeal.id, {
              action: 'anonymise_contact',
              patch: {
                contactName: null,
                contactPhone: null,
                contactPhoneHash: phoneHash(this.config.contacts.hashKey, appeal.contactPhone),
                contactAnonymisedAt: now,
              },
              data: {},
            });
          }
          if (steps.length > 0)
            await steps[0].m.query(
              `UPDATE webhook_deliveries
                  SET body = jsonb_set(jsonb_set(body::jsonb, '{appeal,contactName}', 'null'),
                                       '{appeal,contactPhone}', 'null')::text
                WHERE appeal_id = ANY($1) AND body::jsonb ? 'appeal'`,
              [steps.map((s) => s.appeal.id)],
            );
          return changes;
        },
        { skipLocked: true },
      );
      const done = [...outcomes.values()].filter((o) => o === 'changed').length;
      total += done;
      if (outcomes.size < BATCH) break;
    }
    if (total > 0) this.logger.log(`anonymised the contact of ${total} appeal(s)`);
    return total;
  }

  /** `GET /retention` (admin): what is due and what was done. */
  async status() {
    const now = this.clock.now();
    const cutoff = this.cutoff(now);
    const [due] = await this.db.query(
      `SELECT count(*)::int AS n FROM appeals a
        WHERE a.status = ANY($1) AND a.contact_anonymised_at IS NULL
          AND (a.contact_name IS NOT NULL OR a.contact_phone IS NOT NULL) AND ${ENDED_AT} <= $2`,
      [TERMINAL_STATUSES, cutoff],
    );
    const [done] = await this.db.query(
      `SELECT count(*)::int AS n, max(contact_anonymised_at) AS last FROM appeals WHERE contact_anonymised_at IS NOT NULL`,
    );
    const upcoming = await this.db.query(
      `SELECT a.id, a.number, ${ENDED_AT} AS ended_at FROM appeals a
        WHERE a.status = ANY($1) AND a.contact_anonymised_at IS NULL
          AND (a.contact_name IS NOT NULL OR a.contact_phone IS NOT NULL)
        ORDER BY ${ENDED_AT} LIMIT 20`,
      [TERMINAL_STATUSES],
    );
    const recent = await this.db.query(
      `SELECT id, number, contact_anonymised_at AS at FROM appeals WHERE contact_anonymised_at IS NOT NULL
        ORDER BY contact_anonymised_at DESC, id LIMIT 20`,
    );
    const days = this.config.contacts.retentionDays;
    return {
      retentionDays: days,
      due: due.n as number,
      done: done.n as number,
      lastAnonymisedAt: (done.last as Date | null) ?? null,
      next: upcoming.map((r: { id: string; number: string; ended_at: Date }) => ({
        appealId: r.id,
        number: r.number,
        endedAt: r.ended_at,
        dueAt: new Date(new Date(r.ended_at).getTime() + days * 86_400_000),
      })),
      recent: recent.map((r: { id: string; number: string; at: Date }) => ({
        appealId: r.id,
        number: r.number,
        anonymisedAt: r.at,
      })),
    };
  }
}
