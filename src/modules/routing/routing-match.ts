/**
 * 智能分拨: which routing rule an incoming appeal matches. Pure: no Nest, TypeORM or BullMQ.
 *
 * A rule matches when every condition it names holds:
 * - `categoryCode`: the appeal's category or one of its ancestors (a rule on 融资 covers 融资 > 贷款审批);
 * - `keywords`: at least one keyword occurs in the title or the content (case- and width-insensitive);
 * - `district`: equal to the appeal's district.
 * Among matching rules the highest `priority` wins; a tie goes to the more specific rule (more conditions,
 * then the nearer category), then to the older rule, so the choice never depends on row order.
 * With no match, the category's default department (the nearest ancestor that has one) is suggested.
 */

export interface RuleLike {
  id: string;
  priority: number;
  categoryCode: string | null;
  keywords: string[];
  district: string | null;
  leadDepartmentId: string;
  coDepartmentIds: string[];
  autoDispatch: boolean;
  createdAt: Date;
}

export interface RoutingInput {
  /** The appeal's category code first, then its parent, grandparent … */
  categoryPath: string[];
  title: string;
  content: string;
  district: string | null;
}

export interface CategoryDefault {
  categoryCode: string;
  departmentId: string;
}

export type RoutingDecision =
  | {
      source: 'rule';
      rule: RuleLike;
      leadDepartmentId: string;
      coDepartmentIds: string[];
      autoDispatch: boolean;
    }
  | {
      source: 'category_default';
      categoryCode: string;
      leadDepartmentId: string;
      coDepartmentIds: [];
      autoDispatch: false;
    }
  | { source: 'none' };

/** NFKC folds full-width letters and digits (ＡＢＣ１２３ → ABC123); then case is ignored. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase();
}

export function normalizeKeywords(keywords: string[]): string[] {
  const out: string[] = [];
  for (const k of keywords) {
    const n = normalizeText(k).trim();
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** How deep in the appeal's category path the rule's category sits (0 = the category itself), or -1. */
function categoryDepth(rule: RuleLike, input: RoutingInput): number {
  return rule.categoryCode === null ? -1 : input.categoryPath.indexOf(rule.categoryCode);
}

export function ruleMatches(rule: RuleLike, input: RoutingInput): boolean {
  if (rule.categoryCode !== null && categoryDepth(rule, input) < 0) return false;
  if (rule.district !== null && rule.district !== input.district) return false;
  const keywords = normalizeKeywords(rule.keywords);
  if (keywords.length > 0) {
    const text = normalizeText(`${input.title}\n${input.content}`);
    if (!keywords.some((k) => text.includes(k))) return false;
  }
  return true;
}

function conditionCount(rule: RuleLike): number {
  return (
    (rule.categoryCode !== null ? 1 : 0) +
    (normalizeKeywords(rule.keywords).length > 0 ? 1 : 0) +
    (rule.district !== null ? 1 : 0)
  );
}

/** Sort order of matching rules: the first one wins. */
export function compareRules(input: RoutingInput): (a: RuleLike, b: RuleLike) => number {
  const depth = (r: RuleLike) => {
    const d = categoryDepth(r, input);
    return d < 0 ? Number.MAX_SAFE_INTEGER : d;
  };
  return (a, b) =>
    b.priority - a.priority ||
    conditionCount(b) - conditionCount(a) ||
    depth(a) - depth(b) ||
    a.createdAt.getTime() - b.createdAt.getTime() ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export function pickRule(rules: RuleLike[], input: RoutingInput): RuleLike | null {
  const matching = rules.filter((r) => ruleMatches(r, input));
  if (matching.length === 0) return null;
  return matching.sort(compareRules(input))[0];
}

export function decideRouting(
  rules: RuleLike[],
  input: RoutingInput,
  categoryDefault: CategoryDefault | null,
): RoutingDecision {
  const rule = pickRule(rules, input);
  if (rule) {
    return {
      source: 'rule',
      rule,
      leadDepartmentId: rule.leadDepartmentId,
      coDepartmentIds: rule.coDepartmentIds.filter((d) => d !== rule.leadDepartmentId),
      autoDispatch: rule.autoDispatch,
    };
  }
  if (categoryDefault) {
    return {
      source: 'category_default',
      categoryCode: categoryDefault.categoryCode,
      leadDepartmentId: categoryDefault.departmentId,
      coDepartmentIds: [],
      autoDispatch: false,
    };
  }
  return { source: 'none' };
}

/** The nearest category on the path (itself first) that names a default department. */
export function nearestDefault(
  path: { code: string; defaultDepartmentId: string | null }[],
): CategoryDefault | null {
  const hit = path.find((c) => c.defaultDepartmentId !== null);
  return hit ? { categoryCode: hit.code, departmentId: hit.defaultDepartmentId! } : null;
}
