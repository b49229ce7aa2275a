import { Lanes } from './lanes';

/** A run that ends when told: its start and end are observable. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Lanes', () => {
  it('runs at most size at once, the rest in arrival order, and hands a lane on without a gap', async () => {
    const lanes = new Lanes(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      lanes.run(async () => {
        started.push(i);
        await g.opened;
        return i;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(lanes.busy).toBe(2);
    gates[1].open();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect(lanes.busy).toBe(2);
    gates[0].open();
    gates[2].open();
    await tick();
    expect(started).toEqual([0, 1, 2, 3]);
    gates[3].open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
    expect(lanes.busy).toBe(0);
  });

  it('a run that fails frees its lane and fails only its own caller', async () => {
    const lanes = new Lanes(1);
    const failing = lanes.run(() => Promise.reject(new Error('boom')));
    const next = lanes.run(async () => 'next');
    await expect(failing).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(lanes.busy).toBe(0);
  });

  it('refuses a size that is not a whole number of at least one', () => {
    expect(() => new Lanes(0)).toThrow();
    expect(() => new Lanes(1.5)).toThrow();
  });
});
