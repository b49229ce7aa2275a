/**
 * Where a routing claim starts scanning the unrouted appeals (routing_pending, by created_at). Until
 * vacuum, every routed appeal leaves a dead entry in that table's index, so a process keeps a mark and
 * starts each claim there instead of at the index's start.
 */
/** Where a claim starts: the process's mark, or the claiming job's own appeal when that is older. */
export function claimStart(mark: Date | null, own: Date): Date | null {
  if (!mark) return null;
  return own < mark ? own : mark;
}

/**
 * The mark after a claim that started at `from`: the oldest other appeal it took, or, when it took none
 * (nothing unrouted and free from `from` on), its own appeal's created_at if that is later. Never earlier
 * than `from`, so a claim's dead entries are not read again by the next.
 */
export function nextClaimFrom(from: Date | null, own: Date, oldestTaken: Date | null): Date | null {
  if (oldestTaken) return oldestTaken;
  if (!from || own > from) return own;
  return from;
}
