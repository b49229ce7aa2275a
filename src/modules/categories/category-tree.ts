/**
 * GET /categories?tree=true, pure: flat categories nested under their parents, siblings in code order.
 * A category whose parent is not in the list is a root (the tree under `parentCode` starts at its children).
 */
export function buildTree<T extends { code: string; parentCode: string | null }>(
  rows: T[],
  rootParent: string | null = null,
): (T & { children: (T & { children: unknown[] })[] })[] {
  type Node = T & { children: Node[] };
  const nodes = new Map<string, Node>();
  for (const r of [...rows].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)))
    nodes.set(r.code, { ...r, children: [] });
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentCode === null ? undefined : nodes.get(node.parentCode);
    if (rootParent !== null) {
      if (node.parentCode === rootParent) roots.push(node);
      else parent?.children.push(node);
    } else if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
