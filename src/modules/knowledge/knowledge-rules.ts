/**
 * The rules of a knowledge entry (SPEC §10), pure: what an entry's fields must be, who may do what to it,
 * what its status is at an instant and when it is stale. No Nest or TypeORM here.
 */

export const KNOWLEDGE_KINDS = [
  'service_guide',
  'law_regulation',
  'hot_qa',
  'daily_consultation',
  'notice',
  'business_guide',
] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];

/** The entry's status as stored; `expired` is also what a published entry past `expiresAt` shows. */
export const ENTRY_STATUSES = ['draft', 'pending_review', 'published', 'expired', 'withdrawn'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** A version's status: the one in force is `published`, the one it replaced `superseded`. */
export const VERSION_STATUSES = ['draft', 'pending_review', 'published', 'superseded', 'withdrawn'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

export const MAX_TITLE = 128;
export const MAX_KEYWORD = 20;
export const MAX_KEYWORDS = 20;
/** SPEC §10: an entry is due for review six months after its publication (or its last confirmation). */
export const REVIEW_MONTHS = 6;

export interface FieldProblem {
  field: string;
  message: string;
}

/** Keywords trimmed, blanks and repeats dropped (compared case- and width-insensitively). */
export function normalizeKeywords(keywords: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const k of keywords) {
    const word = k.normalize('NFKC').trim();
    const key = word.toLowerCase();
    if (word === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(word);
  }
  return out;
}

/** The key two titles are compared by: trimmed, NFKC, lower case. */
export function titleKey(title: string): string {
  return title.normalize('NFKC').trim().toLowerCase();
}

/** SPEC §10: title ≤ 128 characters; each keyword ≤ 20 characters and not the title. */
export function entryProblems(e: { title: string; keywords: string[] }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const title = e.title.trim();
  if (title === '') problems.push({ field: 'title', message: 'must not be blank' });
  if ([...title].length > MAX_TITLE)
    problems.push({ field: 'title', message: `must be at most ${MAX_TITLE} characters` });
  if (e.keywords.length > MAX_KEYWORDS)
    problems.push({ field: 'keywords', message: `at most ${MAX_KEYWORDS} keywords` });
  for (const k of e.keywords) {
    if ([...k].length > MAX_KEYWORD) {
      problems.push({ field: 'keywords', message: `each keyword must be at most ${MAX_KEYWORD} characters` });
      break;
    }
  }
  if (e.keywords.some((k) => titleKey(k) === titleKey(title)))
    problems.push({ field: 'keywords', message: 'a keyword must not be the title' });
  return problems;
}

/**
 * `months` calendar months after an instant, on the same wall-clock day in the zone (the last day of a
 * shorter month: 31 August + 6 months is 28/29 February).
 */
export function addMonths(at: Date, months: number, offsetMinutes = 480): Date {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), lastDay);
  const moved = Date.UTC(
    y,
    m,
    day,
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
    local.getUTCMilliseconds(),
  );
  return new Date(moved - offsetMinutes * 60_000);
}

/** The status an entry shows at `now`: a published entry past its `expiresAt` is expired. */
export function statusAt(e: { status: EntryStatus; expiresAt: Date | null }, now: Date): EntryStatus {
  if (e.status === 'published' && e.expiresAt !== null && e.expiresAt.getTime() <= now.getTime())
    return 'expired';
  return e.status;
}

/**
 * SPEC §10: a published entry past its `reviewDueAt` is stale until its department confirms it (which
 * moves `reviewDueAt`) or edits it (an edit after the due instant).
 */
export function isStale(
  e: { status: EntryStatus; expiresAt: Date | null; reviewDueAt: Date | null; editedAt: Date | null },
  now: Date,
): boolean {
  if (statusAt(e, now) !== 'published' || e.reviewDueAt === null) return false;
  if (e.reviewDueAt.getTime() > now.getTime()) return false;
  return e.editedAt === null || e.editedAt.getTime() < e.reviewDueAt.getTime();
}

/** The same rule in SQL, over an entry row aliased `e` at the instant `at`. */
export const STALE_SQL = (at: string) =>
  `(e.status = 'published' AND (e.expires_at IS NULL OR e.expires_at > ${at}) AND e.review_due_at <= ${at}` +
  ` AND (e.edited_at IS NULL OR e.edited_at < e.review_due_at))`;
/** Published and in force at `at` (not expired). */
export const IN_FORCE_SQL = (at: string) =>
  `(e.status = 'published' AND (e.expires_at IS NULL OR e.expires_at > ${at}))`;

export type KnowledgeAction = 'create' | 'edit' | 'submit' | 'publish' | 'reject' | 'withdraw' | 'confirm';

/** Who is asking: a role and, for a handler, its department. */
export interface Who {
  role: string;
  departmentId: string | null;
}

/**
 * SPEC §10 "who may": the owning side — the source department's handlers, or the centre's dispatchers
 * for the centre's own entries (no source department) — drafts, edits, submits and confirms; a dispatcher
 * publishes and rejects; either side withdraws.
 */
export function mayAct(
  action: KnowledgeAction,
  who: Who,
  entry: { sourceDepartmentId: string | null },
): boolean {
  const owner =
    entry.sourceDepartmentId === null
      ? who.role === 'dispatcher'
      : who.role === 'handler' && who.departmentId === entry.sourceDepartmentId;
  switch (action) {
    case 'publish':
    case 'reject':
      return who.role === 'dispatcher';
    case 'withdraw':
      return owner || who.role === 'dispatcher';
    default:
      return owner;
  }
}

/** Who may read an entry at all, whatever its status: enterprises only public ones in force. */
export function mayRead(
  who: Who,
  e: { sourceDepartmentId: string | null; status: EntryStatus; public: boolean; expiresAt: Date | null },
  now: Date,
): boolean {
  const inForce = statusAt(e, now) === 'published';
  if (who.role === 'enterprise') return inForce && e.public;
  if (who.role === 'handler') return inForce || e.sourceDepartmentId === who.departmentId;
  return true;
}
