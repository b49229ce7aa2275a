/** SPEC §5: a body nested deeper than this is refused with 400 before anything walks it recursively. */
export const MAX_BODY_DEPTH = 32;

/**
 * Whether a parsed JSON value nests objects or arrays deeper than `max` (a scalar is depth 0, `{}` and
 * `[]` depth 1). Iterative, so a body 100,000 levels deep costs a loop, not the stack: the validation
 * that runs after it (class-transformer) recurses and would overflow.
 */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}
