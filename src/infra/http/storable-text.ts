/**
 * SPEC §5.1: a NUL character anywhere (body, query, path) is 400, never 500. PostgreSQL's text cannot
 * hold NUL (SQLSTATE 22021 for a parameter, 22P05 for `\u0000` in jsonb), and a UTF-16 surrogate that is
 * not half of a pair is not a character at all: the driver writes it as U+FFFD (text silently changed)
 * or jsonb refuses it. Those are the only strings of a UTF-8 database's text type that it refuses, so
 * they are refused here, once, for every request, before validation and before any query.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const UNSTORABLE_MESSAGE = 'must not contain a NUL character or half of a surrogate pair';

/** Whether PostgreSQL's text can hold the string exactly as given. */
export function storable(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The field name as it is shown: what cannot be stored is written as its escape. */
function shown(name: string): string {
  return name.replace(
    new RegExp(UNSTORABLE.source, 'g'),
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The first place in a parsed body or query that holds an unstorable string, key or value, as a dotted
 * path like class-validator's (`items.0.title`), or null. Iterative: the depth is bounded before this
 * runs (body-depth), but a loop does not depend on it.
 */
export function unstorableField(value: unknown, root = ''): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      if (!storable(v)) return at || 'body';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [String(i), item])
      : Object.entries(v as Record<string, unknown>);
    // reversed onto the stack, so the first field in the request is reported first
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      // a storable key is shown as it is
      if (!storable(key)) return at ? `${at}.${shown(key)}` : shown(key);
      stack.push([child, at ? `${at}.${key}` : key]);
    }
  }
  return null;
}

/**
 * Whether a request path, percent-decoded segment by segment, holds something unstorable or cannot be
 * decoded at all (a percent-encoded surrogate half is not UTF-8): path parameters are parsed from it.
 */
export function unstorablePath(path: string): boolean {
  for (const segment of path.split('/')) {
    if (!segment.includes('%')) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return true;
    }
    if (!storable(decoded)) return true;
  }
  return false;
}
