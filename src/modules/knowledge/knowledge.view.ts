import type { KnowledgeEntry } from './entities/knowledge-entry.entity';
import type { KnowledgeEvent } from './entities/knowledge-event.entity';
import type { KnowledgeVersion } from './entities/knowledge-version.entity';
import { isStale, mayAct, statusAt, Who } from './knowledge-rules';

/** The source of the centre's own entries, as a name. */
export const CENTRE = '12345热线中心';

/** Names beside ids (SPEC §5.1). */
export interface KnowledgeNames {
  departments: ReadonlyMap<string, string>;
  categories: ReadonlyMap<string, string>;
}

/** One version's texts and dates as shown. */
export function versionView(v: KnowledgeVersion, names: KnowledgeNames, showReason: boolean) {
  return {
    version: v.version,
    status: v.status,
    categoryCode: v.categoryCode,
    categoryName: names.categories.get(v.categoryCode) ?? null,
    title: v.title,
    question: v.question,
    answer: v.answer,
    kind: v.kind,
    keywords: v.keywords,
    policyRef: v.policyRef,
    effectiveFrom: v.effectiveFrom,
    expiresAt: v.expiresAt,
    reviewDueAt: v.reviewDueAt,
    public: v.public,
    rejectReason: showReason ? v.rejectReason : null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    submittedAt: v.submittedAt,
    publishedAt: v.publishedAt,
  };
}

/**
 * An entry as a viewer sees it: the version in force (or, before one is published, the newest), its
 * status at `now` (published past `expiresAt` is expired) and whether it is stale; and, for those who
 * work on it — its own side, the centre, supervisors, admins — the newer version being drafted or
 * reviewed (`draft`), while the one in force keeps answering.
 */
export function entryView(
  e: KnowledgeEntry,
  shown: KnowledgeVersion,
  latest: KnowledgeVersion,
  names: KnowledgeNames,
  who: Who,
  now: Date,
) {
  const works = who.role === 'supervisor' || who.role === 'admin' || mayAct('withdraw', who, e);
  const inForce = e.publishedVersion !== null;
  const { status: versionStatus, ...shownView } = versionView(shown, names, works);
  return {
    id: e.id,
    status: statusAt(e, now),
    versionStatus,
    stale: isStale(e, now),
    sourceDepartmentId: e.sourceDepartmentId,
    sourceDepartmentName: e.sourceDepartmentId
      ? (names.departments.get(e.sourceDepartmentId) ?? null)
      : CENTRE,
    ...shownView,
    // the entry's own dates, beside the version's
    reviewDueAt: inForce ? e.reviewDueAt : shown.reviewDueAt,
    publishedAt: e.publishedAt,
    confirmedAt: e.confirmedAt,
    latestVersion: works ? e.version : (e.publishedVersion ?? e.version),
    publishedVersion: e.publishedVersion,
    draft: works && inForce && latest.version !== shown.version ? versionView(latest, names, true) : null,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

export type KnowledgeEntryView = ReturnType<typeof entryView>;

/** A search hit: the version in force, its score, names beside ids. */
export function hitView(
  e: KnowledgeEntry,
  v: KnowledgeVersion,
  score: number,
  names: KnowledgeNames,
  now: Date,
) {
  return {
    id: e.id,
    version: v.version,
    title: v.title,
    question: v.question,
    answer: v.answer,
    kind: v.kind,
    keywords: v.keywords,
    categoryCode: v.categoryCode,
    categoryName: names.categories.get(v.categoryCode) ?? null,
    policyRef: v.policyRef,
    sourceDepartmentId: e.sourceDepartmentId,
    sourceDepartmentName: e.sourceDepartmentId
      ? (names.departments.get(e.sourceDepartmentId) ?? null)
      : CENTRE,
    public: e.public,
    stale: isStale(e, now),
    expiresAt: e.expiresAt,
    publishedAt: e.publishedAt,
    score,
  };
}

export function eventView(ev: KnowledgeEvent) {
  return {
    id: Number(ev.id),
    version: ev.version,
    action: ev.action,
    actorId: ev.actorId,
    actorRole: ev.actorRole,
    data: ev.data,
    createdAt: ev.createdAt,
  };
}
