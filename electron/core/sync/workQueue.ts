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
