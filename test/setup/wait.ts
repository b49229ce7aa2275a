import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` until it gives a truthy value and returns that value; throws naming `what` after `ms`.
 * Tests wait for queue work this way, with a generous deadline: no assertion depends on how long it took.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  what = 'condition',
  ms = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
