import type { WhistleCommitment } from './entities/whistle-commitment.entity';
import type { WhistleDepartment } from './entities/whistle-department.entity';
import type { Whistle } from './entities/whistle.entity';
import { ACTIVE_WHISTLE_STATUSES, WHISTLE_STATUS_NAMES, type WhistleStatus } from './whistle-states';

/** A whistle with its summoned departments and its commitments, as read together. */
export interface WhistleParts {
  whistle: Whistle;
  departments: WhistleDepartment[];
  commitments: WhistleCommitment[];
}

/**
 * A whistle as the API shows it (SPEC §12), pure: names beside ids (department id → name), no staff user
 * id anywhere, so the filer of a confidential appeal is never named through it (SPEC §2: the request's
 * requester is given only by its role). `now` decides the live flags; `internal` false (the enterprise)
 * leaves out the supervisions.
 */
export function toWhistleView(p: WhistleParts, names: Map<string, string>, now: Date, internal = true) {
  const w = p.whistle;
  const name = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  const ref = (id: string | null) => (id ? { id, name: name(id) } : null);
  return {
    id: w.id,
    appealId: w.appealId,
    status: w.status,
    statusName: WHISTLE_STATUS_NAMES[w.status],
    reason: w.reason,
    requestedRole: w.requestedRole,
    requestedDepartments: (w.requestedDepartmentIds ?? []).map((id) => ref(id)!),
    createdAt: w.createdAt,
    reviewDueAt: w.reviewDueAt,
    reviewedAt: w.reviewedAt,
    reviewedOnTime: w.reviewedOnTime,
    decisionReason: w.decisionReason,
    leadDepartmentId: w.leadDepartmentId,
    leadDepartment: ref(w.leadDepartmentId),
    meetingAt: w.meetingAt,
    location: w.location,
    meetingDueAt: w.meetingDueAt,
    departments: [...p.departments]
      .sort((a, b) => (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1))
      .map((d) => ({
        departmentId: d.departmentId,
        departmentName: name(d.departmentId),
        role: d.role,
        checkInDueAt: d.checkInDueAt,
        checkedInAt: d.checkedInAt,
        attendeeName: d.attendeeName,
        missed: d.checkedInAt === null && d.checkInDueAt.getTime() < now.getTime(),
      })),
    minutes:
      w.heldAt === null
        ? null
        : {
            summary: w.minutesSummary,
            resolvedOnSite: w.resolvedOnSite,
            heldAt: w.heldAt,
            onTime: w.heldOnTime,
          },
    commitments: [...p.commitments]
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.id.localeCompare(b.id))
      .map((c) => ({
        id: c.id,
        departmentId: c.departmentId,
        departmentName: name(c.departmentId),
        content: c.content,
        dueAt: c.dueAt,
        completedAt: c.completedAt,
        completion: c.completion,
        onTime: c.completedOnTime,
        overdue: c.completedAt === null && c.dueAt.getTime() < now.getTime(),
        // the supervision an overdue opened is an internal note (SPEC §5.1)
        supervisionId: internal ? c.supervisionId : null,
      })),
    closedAt: w.closedAt,
    closeNote: w.closeNote,
  };
}
export type WhistleView = ReturnType<typeof toWhistleView>;

/** Every department id a whistle view names (for one names query). */
export function whistleDepartmentIds(p: WhistleParts): string[] {
  return [
    ...(p.whistle.requestedDepartmentIds ?? []),
    ...(p.whistle.leadDepartmentId ? [p.whistle.leadDepartmentId] : []),
    ...p.departments.map((d) => d.departmentId),
    ...p.commitments.map((c) => c.departmentId),
  ];
}

/** A whistle still running (requested, approved or held): the appeal may not have another (SPEC §12). */
export const isActiveWhistle = (status: WhistleStatus): boolean => ACTIVE_WHISTLE_STATUSES.includes(status);
