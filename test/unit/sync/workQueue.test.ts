import { describe, expect, it } from 'vitest';
import { ParentFirst, WeightGate, WorkQueue, drain } from '../../../electron/core/sync/workQueue';

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('WorkQueue and drain', () => {
  it('runs every item pushed before and after the consumers start, at most `concurrency` at once', async () => {
    const queue = new WorkQueue<number>();
    queue.push(1);
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const draining = drain(queue, 2, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await settle();
      done.push(n);
      running -= 1;
    });
    for (const n of [2, 3, 4, 5]) queue.push(n);
    queue.close();
    await draining;
    expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
  });
});

describe('WeightGate', () => {
  it('admits work while the weights fit, and the next waiter when weight is given back', async () => {
    const gate = new WeightGate(10);
    const releaseA = await gate.acquire(6);
    let admittedB = false;
    const b = gate.acquire(5).then((release) => {
      admittedB = true;
      return release;
    });
    await settle();
    expect(admittedB).toBe(false);
    releaseA();
    const releaseB = await b;
    expect(admittedB).toBe(true);
    releaseB();
  });

  it('lets an item heavier than the capacity run, but alone', async () => {
    const gate = new WeightGate(10);
    const small = await gate.acquire(1);
    const order: string[] = [];
    const big = gate.acquire(50).then((release) => {
      order.push('big');
      return release;
    });
    const after = gate.acquire(1).then((release) => {
      order.push('after');
      return release;
    });
    await settle();
    expect(order).toEqual([]);
    small();
    const releaseBig = await big;
    await settle();
    // Arrival order: the small one that came after the big one waits for it.
    expect(order).toEqual(['big']);
    releaseBig();
    (await after)();
    expect(order).toEqual(['big', 'after']);
  });

  it('ignores a second release of the same weight', async () => {
    const gate = new WeightGate(10);
    const release = await gate.acquire(10);
    release();
    release();
    const a = await gate.acquire(10);
    let admitted = false;
    void gate.acquire(1).then(() => (admitted = true));
    await settle();
    expect(admitted).toBe(false);
    a();
    await settle();
    expect(admitted).toBe(true);
  });
});

describe('ParentFirst', () => {
  interface Item {
    id: string;
    parent?: string;
  }
  const feed = (expected: string[]) => {
    const queue = new WorkQueue<Item>();
    const order: string[] = [];
    const parents = new ParentFirst<Item>(
      queue,
      (i) => i.id,
      (i) => i.parent,
      (id) => expected.includes(id),
    );
    const worked = drain(queue, 2, (item) => {
      order.push(item.id);
      parents.finished(item);
      return Promise.resolve();
    });
    return { parents, order, worked };
  };

  it('queues a child only after its parent was worked, even when the child comes first', async () => {
    const { parents, order, worked } = feed(['C']);
    parents.push({ id: 'T1', parent: 'C' });
    parents.push({ id: 'G' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['G']);
    parents.push({ id: 'C' });
    parents.push({ id: 'T2', parent: 'C' });
    parents.close();
    await worked;
    expect(order).toEqual(['G', 'C', 'T1', 'T2']);
  });

  it('does not hold a child whose parent is not part of the run, or never came (closing releases it)', async () => {
    const { parents, order, worked } = feed(['C']);
    parents.push({ id: 'T0', parent: 'elsewhere' });
    parents.push({ id: 'T1', parent: 'C' });
    parents.close();
    await worked;
    expect(order).toEqual(['T0', 'T1']);
  });
});
