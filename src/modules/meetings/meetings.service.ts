import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common/clock';
import { DomainError } from '../../common/domain-error';
import { LocalDays } from '../../common/local-time';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { decodeCursor, toPage } from '../../common/pagination';
import { flatten } from '../../infra/http/validation';
import { BatchFiling, BatchItem, ItemProblem, itemsInvalid } from '../appeals/batch-filing';
import type { Actor } from '../auth/auth.decorators';
import { DepartmentsService } from '../departments/departments.service';
import { DistrictsService } from '../districts/districts.service';
import { Meeting, MeetingEnterprise } from './meeting.entity';
import { CreateMeetingDto, FileIssuesDto, ListMeetingsQuery, MeetingIssueDto } from './meetings.dto';

/** The names a meeting's view carries beside its district code and host department id (SPEC §5.1). */
export interface MeetingNames {
  districtName: string | null;
  hostDepartmentName: string | null;
}

/**
 * A meeting as a caller sees it. An enterprise sees the meetings it attended, with itself as the only
 * enterprise named (who else came is the centre's record); the centre, supervisors and admins see all.
 */
export function toMeetingView(m: Meeting, enterpriseIds: string[], viewer: Actor, names: MeetingNames) {
  return {
    id: m.id,
    title: m.title,
    heldAt: m.heldAt,
    district: m.district,
    districtName: names.districtName,
    hostDepartmentId: m.hostDepartmentId,
    hostDepartmentName: names.hostDepartmentName,
    leaderName: m.leaderName,
    attendeeCount: m.attendeeCount,
    enterpriseIds:
      viewer.role === 'enterprise' ? enterpriseIds.filter((id) => id === viewer.enterpriseId) : enterpriseIds,
    enterpriseCount: enterpriseIds.length,
    createdAt: m.createdAt,
  };
}

export type MeetingView = ReturnType<typeof toMeetingView>;

/**
 * Links every attendance of these enterprises to the enterprise's previous one (over all meetings, and
 * within the meeting's district) in (heldAt, meetingId) order, rewriting only the links a new meeting
 * changed: the one after it too when it was held before an enterprise's latest. The caller holds the
 * enterprises' rows locked, so two meetings created at once cannot both miss each other.
 */
export async function chainAttendances(m: EntityManager, enterpriseIds: string[]): Promise<void> {
  await m.query(
    `UPDATE meeting_enterprises me
        SET prev_held_at = x.prev, prev_held_at_in_district = x.prev_in_district
       FROM (SELECT meeting_id, enterprise_id,
                    lag(held_at) OVER (PARTITION BY enterprise_id ORDER BY held_at, meeting_id) AS prev,
                    lag(held_at) OVER (PARTITION BY enterprise_id, district ORDER BY held_at, meeting_id) AS prev_in_district
               FROM meeting_enterprises WHERE enterprise_id = ANY($1::uuid[])) x
      WHERE me.meeting_id = x.meeting_id AND me.enterprise_id = x.enterprise_id
        AND (me.prev_held_at IS DISTINCT FROM x.prev OR me.prev_held_at_in_district IS DISTINCT FROM x.prev_in_district)`,
    [enterpriseIds],
  );
}

/** Meetings (政企恳谈会) and the filing of their issues (SPEC §8.1). */
@Injectable()
export class MeetingsService {
  private readonly days: LocalDays;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly departments: DepartmentsService,
    private readonly districts: DistrictsService,
    private readonly filing: BatchFiling,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.days = new LocalDays(config.calendarTimeZone);
  }

  async create(dto: CreateMeetingDto, actor: Actor): Promise<MeetingView> {
    return this.db.transaction(async (m) => {
      const district = await this.districts.resolveOptional(dto.district, 'district', m);
      const [host] = dto.hostDepartmentId
        ? await this.departments.requireAll([dto.hostDepartmentId], 'hostDepartmentId', m)
        : [];
      // locked in one order: meetings created at once for the same enterprise chain its attendances one
      // after the other (FOR NO KEY UPDATE leaves foreign-key checks and reads free)
      const found: { id: string }[] = dto.enterpriseIds.length
        ? await m.query(
            `SELECT id FROM enterprises WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
            [dto.enterpriseIds],
          )
        : [];
      const missing = dto.enterpriseIds.filter((id) => !found.some((e) => e.id === id));
      if (missing.length > 0)
        throw DomainError.validation(
          'enterpriseIds names unknown enterprises',
          missing.map((id) => ({ field: 'enterpriseIds', message: `no enterprise ${id}` })),
        );
      const repo = m.getRepository(Meeting);
      const row = repo.create({
        title: dto.title,
        heldAt: new Date(dto.heldAt),
        district,
        hostDepartmentId: dto.hostDepartmentId ?? null,
        leaderName: dto.leaderName ?? null,
        attendeeCount: dto.attendeeCount ?? dto.enterpriseIds.length,
        createdBy: actor.id,
        createdAt: this.clock.now(),
      });
      await repo.insert(row);
      if (dto.enterpriseIds.length > 0) {
        await m.getRepository(MeetingEnterprise).insert(
          dto.enterpriseIds.map((enterpriseId) => ({
            meetingId: row.id,
            enterpriseId,
            heldAt: row.heldAt,
            district: row.district,
          })),
        );
        await chainAttendances(m, dto.enterpriseIds);
      }
      return toMeetingView(row, dto.enterpriseIds, actor, {
        districtName: await this.districts.nameOf(district, m),
        hostDepartmentName: host?.name ?? null,
      });
    });
  }

  async list(q: ListMeetingsQuery, actor: Actor) {
    const limit = q.limit ?? 20;
    const district = q.district === undefined ? undefined : await this.districts.resolve(q.district);
    const qb = this.db
      .getRepository(Meeting)
      .createQueryBuilder('m')
      .orderBy('m.held_at', 'DESC')
      .addOrderBy('m.id', 'DESC')
      .take(limit + 1);
    if (actor.role === 'enterprise')
      qb.andWhere(
        'EXISTS (SELECT 1 FROM meeting_enterprises me WHERE me.meeting_id = m.id AND me.enterprise_id = :ent)',
        { ent: actor.enterpriseId },
      );
    if (district !== undefined) qb.andWhere('m.district = :district', { district });
    if (q.from) qb.andWhere('m.held_at >= :from', { from: this.days.queryInstant(q.from, 'start') });
    if (q.to) qb.andWhere('m.held_at < :to', { to: this.days.queryInstant(q.to, 'end') });
    const after = decodeCursor(q.cursor, ['t', 'id']);
    if (after) qb.andWhere('(m.held_at, m.id) < (:t, :id)', { t: new Date(after.t), id: after.id });
    const page = toPage(await qb.getMany(), limit, (m) => ({ t: m.heldAt.toISOString(), id: m.id }));
    const attending = await this.attending(
      this.db.manager,
      page.items.map((m) => m.id),
    );
    const names = await this.names(page.items);
    return {
      items: page.items.map((m) => toMeetingView(m, attending.get(m.id) ?? [], actor, names(m))),
      nextCursor: page.nextCursor,
    };
  }

  async get(id: string, actor: Actor): Promise<MeetingView> {
    const meeting = await this.db.getRepository(Meeting).findOneBy({ id });
    if (!meeting) throw DomainError.notFound('meeting');
    const enterpriseIds = (await this.attending(this.db.manager, [id])).get(id) ?? [];
    // an enterprise that did not attend is told nothing about the meeting (SPEC §1: 404, never 403)
    if (actor.role === 'enterprise' && !enterpriseIds.includes(actor.enterpriseId ?? ''))
      throw DomainError.notFound('meeting');
    return toMeetingView(meeting, enterpriseIds, actor, (await this.names([meeting]))(meeting));
  }

  /** The district and host department names of these meetings. */
  private async names(meetings: Meeting[]): Promise<(m: Meeting) => MeetingNames> {
    const districts = await this.districts.names(meetings.map((m) => m.district));
    const hosts = await this.departments.names(meetings.map((m) => m.hostDepartmentId));
    return (m) => ({
      districtName: m.district ? (districts.get(m.district) ?? null) : null,
      hostDepartmentName: m.hostDepartmentId ? (hosts.get(m.hostDepartmentId) ?? null) : null,
    });
  }

  /**
   * 问题征集 → 任务交办: every item filed as an appeal of channel `meeting` with the meeting's id, all or
   * none; items solved at the meeting are answered on the spot at once. Each item is checked on its own
   * and every problem names its index; an item's enterprise must be one that attended.
   */
  async fileIssues(meetingId: string, dto: FileIssuesDto, actor: Actor) {
    const items = await validItems(dto.items);
    const filed = await this.filing.file(actor, async (m) => {
      // FOR SHARE: the meeting and who attended stay as read until the issues are in
      const [meeting] = await m.query(`SELECT id, district FROM meetings WHERE id = $1 FOR SHARE`, [
        meetingId,
      ]);
      if (!meeting) throw DomainError.notFound('meeting');
      const attended = new Set((await this.attending(m, [meetingId])).get(meetingId) ?? []);
      const problems: ItemProblem[] = items.flatMap((item, index) =>
        attended.has(item.enterpriseId)
          ? []
          : [{ index, field: `items.${index}.enterpriseId`, message: 'did not attend this meeting' }],
      );
      if (problems.length > 0) throw itemsInvalid(problems);
      return { items, channel: 'meeting', meetingId, district: meeting.district as string | null };
    });
    return { meetingId, items: filed };
  }

  private async attending(m: EntityManager, meetingIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (meetingIds.length === 0) return out;
    const rows: { meeting_id: string; enterprise_id: string }[] = await m.query(
      `SELECT meeting_id, enterprise_id FROM meeting_enterprises WHERE meeting_id = ANY($1::uuid[])
       ORDER BY meeting_id, enterprise_id`,
      [meetingIds],
    );
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r.enterprise_id]);
    return out;
  }
}

/** Every item validated as MeetingIssueDto (unknown fields refused); 400 naming each bad item's index. */
async function validItems(raw: Record<string, unknown>[]): Promise<BatchItem[]> {
  const problems: ItemProblem[] = [];
  const items: BatchItem[] = [];
  for (const [index, plain] of raw.entries()) {
    const dto = plainToInstance(MeetingIssueDto, plain, { enableImplicitConversion: false });
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    for (const e of flatten(errors, `items.${index}`)) problems.push({ index, ...e });
    items.push({
      enterpriseId: dto.enterpriseId,
      type: dto.type,
      categoryCode: dto.categoryCode,
      title: dto.title,
      content: dto.content,
      urgency: dto.urgency,
      resolvedOnSpot: dto.resolvedOnSite?.content,
    });
  }
  if (problems.length > 0) throw itemsInvalid(problems);
  return items;
}
