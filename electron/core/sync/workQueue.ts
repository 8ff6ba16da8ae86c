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

/**
 * Feeds a WorkQueue, holding back an item whose parent is also part of the run until the parent's
 * own item has been worked (`finished`). The sync lists a thread's members after its channel's
 * this way: a thread's members are its channel's, so a change the channel's listing noticed makes
 * the thread's due in the same run (sync/members.ts). Nothing waits inside a worker, so no lane
 * can block on an item that is not yet queued.
 */
export class ParentFirst<T> {
  private readonly pushed = new Set<string>();
  private readonly done = new Set<string>();
  private readonly held = new Map<string, T[]>();
  private closing = false;

  constructor(
    private readonly queue: WorkQueue<T>,
    private readonly keyOf: (item: T) => string,
    private readonly parentOf: (item: T) => string | undefined,
    /** Whether the parent will come through this feed in this run. */
    private readonly expected: (key: string) => boolean,
  ) {}

  push(item: T): void {
    const parent = this.parentOf(item);
    if (parent !== undefined && !this.done.has(parent) && this.expected(parent)) {
      const waiting = this.held.get(parent) ?? [];
      waiting.push(item);
      this.held.set(parent, waiting);
      return;
    }
    this.release(item);
  }

  /** The item was worked: what waited for it is queued. */
  finished(item: T): void {
    const key = this.keyOf(item);
    this.done.add(key);
    const waiting = this.held.get(key);
    this.held.delete(key);
    for (const child of waiting ?? []) this.release(child);
    this.closeIfDone();
  }

  /** No more pushes. Items whose parent never came (its step failed early) are queued now. */
  close(): void {
    this.closing = true;
    for (const [parent, waiting] of [...this.held]) {
      if (this.pushed.has(parent)) continue;
      this.held.delete(parent);
      for (const child of waiting) this.release(child);
    }
    this.closeIfDone();
  }

  private release(item: T): void {
    this.pushed.add(this.keyOf(item));
    this.queue.push(item);
  }

  private closeIfDone(): void {
    if (this.closing && this.held.size === 0) this.queue.close();
  }
}
