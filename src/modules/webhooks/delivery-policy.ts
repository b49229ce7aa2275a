/**
 * When to retry a webhook delivery, when to give up on it and when to disable the webhook (SPEC §5:
 * retried with exponential backoff; a URL failing for a day is disabled with a visible reason).
 * Pure: no clock, no database.
 */
export interface DeliveryPolicy {
  /** Delay after the first failed attempt; doubles with every further failure. */
  backoffMs: number;
  /** The longest delay between two attempts. */
  maxBackoffMs: number;
  /** A delivery with this many failed attempts is marked failed and never tried again. */
  maxAttempts: number;
  /** A webhook whose failures began at least this long ago is disabled at its next failure. */
  disableAfterMs: number;
}

/** The delay before the next attempt once `failedAttempts` (≥ 1) attempts have failed. */
export function retryDelayMs(
  failedAttempts: number,
  p: Pick<DeliveryPolicy, 'backoffMs' | 'maxBackoffMs'>,
): number {
  const n = Math.max(1, Math.floor(failedAttempts));
  // 2^(n-1) overflows to Infinity long after the cap: Math.min keeps it finite
  return Math.min(p.maxBackoffMs, p.backoffMs * 2 ** Math.min(n - 1, 60));
}

export type AfterFailure = { giveUp: true } | { giveUp: false; retryInMs: number };

/** What follows a failed attempt number `attempt` (1-based): another try later, or none. */
export function afterFailure(attempt: number, p: DeliveryPolicy): AfterFailure {
  if (attempt >= p.maxAttempts) return { giveUp: true };
  return { giveUp: false, retryInMs: retryDelayMs(attempt, p) };
}

/** At a failure at `now`: disable the webhook when its run of failures began `disableAfterMs` ago or earlier. */
export function shouldDisable(
  failingSince: Date | null,
  now: Date,
  p: Pick<DeliveryPolicy, 'disableAfterMs'>,
): boolean {
  return failingSince !== null && now.getTime() - failingSince.getTime() >= p.disableAfterMs;
}

/** The reason an admin sees on a disabled webhook. */
export function disabledReason(failingSince: Date, lastError: string): string {
  return `failing since ${failingSince.toISOString()}: last error ${lastError}`;
}
