/**
 * A set that keeps only its latest `capacity` members: what a process did lately, remembered so a later
 * job about the same thing need not ask the database. Forgetting only costs that question again.
 */
export class RecentSet<T> {
  private readonly members = new Set<T>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`capacity must be ≥ 1, got ${capacity}`);
  }

  add(value: T): void {
    // re-adding moves nothing: insertion order is the order of first addition
    this.members.add(value);
    for (const oldest of this.members) {
      if (this.members.size <= this.capacity) break;
      this.members.delete(oldest);
    }
  }

  has(value: T): boolean {
    return this.members.has(value);
  }

  get size(): number {
    return this.members.size;
  }
}
