/**
 * An async queue: producers push and finally close; consumers pull until the queue is closed and
 * drained. The sync engine uses it to start archiving chats while inventory is still listing more.
 */
export class WorkQueue<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((value: T | undefined) => void)[] = [];
  private closed = false;

  push(item: T): void {
    if (this.closed) throw new Error('push on a closed WorkQueue');
    const waiter = this.waiters.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  get size(): number {
    return this.items.length;
  }

  /** The next item, or undefined once the queue is closed and empty. */
  next(): Promise<T | undefined> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** Runs `worker` on items of `queue` with at most `concurrency` in flight; resolves when drained. */
export async function drain<T>(queue: WorkQueue<T>, concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  const lanes = Array.from({ length: Math.max(1, concurrency) }, async () => {
    for (let item = await queue.next(); item !== undefined; item = await queue.next()) await worker(item);
  });
  await Promise.all(lanes);
}

/**
 * Admits work by weight: the total weight in flight stays within `capacity`, except that a single
 * item heavier than the capacity may run alone. Waiters are admitted in arrival order.
 */
export class WeightGate {
  private inFlight = 0;
  private readonly waiting: { weight: number; admit: () => void }[] = [];

  constructor(private readonly capacity: number) {}

  /** Waits until `weight` fits, then holds it; call the returned function to give it back. */
  async acquire(weight: number): Promise<() => void> {
    const w = Math.min(Math.max(0, weight), this.capacity);
    if (this.waiting.length > 0 || this.inFlight + w > this.capacity) {
      await new Promise<void>((admit) => this.waiting.push({ weight: w, admit }));
    } else {
      this.inFlight += w;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= w;
      this.admitWaiting();
    };
  }

  private admitWaiting(): void {
    for (let next = this.waiting[0]; next && this.inFlight + next.weight <= this.capacity; next = this.waiting[0]) {
      this.waiting.shift();
      this.inFlight += next.weight;
      next.admit();
    }
  }
}
