/**
 * SPEC §3, §8.1: the most specific SLA policy wins — category first (the appeal's own category beats its
 * parent, which beats none), then channel, then type, then urgency. A policy matches when every field it sets
 * matches. Ties (two policies equally specific) go to the older one, so adding a policy never
 * silently changes which one applies to existing cases of equal specificity.
 */
export interface MatchablePolicy {
  categoryCode: string | null;
  channel: string | null;
  type: string | null;
  urgency: string | null;
  createdAt: Date;
}

export interface AppealTraits {
  /** The appeal's category first, then its parent, up to the root. */
  categoryPath: string[];
  channel: string;
  type: string;
  urgency: string;
}

export function policyScore(p: MatchablePolicy, a: AppealTraits): number[] | null {
  let categoryRank = 0;
  if (p.categoryCode !== null) {
    const depth = a.categoryPath.indexOf(p.categoryCode);
    if (depth < 0) return null;
    categoryRank = a.categoryPath.length - depth; // own category scores highest
  }
  if (p.channel !== null && p.channel !== a.channel) return null;
  if (p.type !== null && p.type !== a.type) return null;
  if (p.urgency !== null && p.urgency !== a.urgency) return null;
  return [categoryRank, p.channel !== null ? 1 : 0, p.type !== null ? 1 : 0, p.urgency !== null ? 1 : 0];
}

export function matchPolicy<P extends MatchablePolicy>(policies: readonly P[], a: AppealTraits): P | null {
  let best: { p: P; score: number[] } | null = null;
  for (const p of policies) {
    const score = policyScore(p, a);
    if (!score) continue;
    if (
      !best ||
      compare(score, best.score) > 0 ||
      (compare(score, best.score) === 0 && p.createdAt < best.p.createdAt)
    ) {
      best = { p, score };
    }
  }
  return best?.p ?? null;
}

function compare(x: number[], y: number[]): number {
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
