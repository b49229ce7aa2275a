/**
 * At most `size` runs of async work at once; a run beyond waits for a lane, in arrival order. A lane
 * is handed straight to the next waiter when a run ends, so the count never dips while work is queued.
 */
export class Lanes {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`lanes: size must be a whole number ≥ 1, got ${size}`);
  }

  /** Runs busy now (for tests and gauges). */
  get busy(): number {
    return this.running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.size) this.running++;
    else await new Promise<void>((take) => this.waiting.push(take));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
