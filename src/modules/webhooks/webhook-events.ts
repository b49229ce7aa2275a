import { EVENT_ACTIONS } from '../workflow/appeal-state-machine';
import { forbiddenHost } from './webhook-target';

/** The event actions a webhook can subscribe to: all of SPEC §5's; ["*"] subscribes to all of them. */
export const WEBHOOK_EVENTS = EVENT_ACTIONS;

export const ALL_EVENTS = '*';

/** Whether a webhook's filter selects an event action. */
export function subscribes(filter: readonly string[], action: string): boolean {
  return filter.includes(ALL_EVENTS) || filter.includes(action);
}

/** Why a filter is not acceptable, or null: a non-empty list of known actions, or exactly ["*"]. */
export function eventFilterProblem(filter: unknown): string | null {
  if (!Array.isArray(filter) || filter.length === 0) return 'must be a non-empty array';
  if (filter.some((e) => typeof e !== 'string')) return 'must contain strings';
  if (filter.includes(ALL_EVENTS)) return filter.length === 1 ? null : '"*" must be the only entry';
  const unknown = filter.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e as string));
  if (unknown.length > 0) return `unknown event ${unknown.join(', ')}`;
  if (new Set(filter).size !== filter.length) return 'must not repeat an event';
  return null;
}

/** Why a URL is not a delivery target, or null: http(s), a host that is not link-local or cloud metadata, no credentials (SPEC §5). */
export function webhookUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a string';
  if (value !== value.trim()) return 'must not start or end with spaces';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  // private and loopback hosts are allowed on purpose: targets sit on government intranets (SPEC §5);
  // link-local and cloud metadata addresses are not, in whatever form the address is written (§5.1)
  if (url.hostname === '') return 'must name a host';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  const forbidden = forbiddenHost(url.hostname);
  if (forbidden) return `must not point to ${forbidden}`;
  return null;
}
