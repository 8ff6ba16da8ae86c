import type { EventName, EventPayloads, OperationName, RequestOf, ResponseOf, VaultApi } from '../../shared/contract';
import { ApiError } from '../../renderer/src/api/ApiError';

type Handler<N extends OperationName> = (request: RequestOf<N>) => ResponseOf<N> | Promise<ResponseOf<N>>;
type Handlers = { [N in OperationName]?: Handler<N> };

export interface Call {
  name: OperationName;
  request: unknown;
}

/**
 * An in-memory VaultApi: answers each operation from a handler (a fixture or a function of the
 * request), records every call, and emits events on demand. An operation without a handler fails
 * loudly, so a test cannot pass by accident on a call it did not expect.
 */
export class FakeVaultApi implements VaultApi {
  readonly calls: Call[] = [];
  private readonly handlers: Handlers;
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  constructor(handlers: Handlers = {}) {
    this.handlers = { ...handlers };
  }

  /** Sets (or replaces) how an operation answers. */
  handle<N extends OperationName>(name: N, handler: Handler<N>): this {
    (this.handlers as Record<string, unknown>)[name] = handler;
    return this;
  }

  invoke<N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
    this.calls.push({ name, request });
    const handler: Handler<N> | undefined = this.handlers[name];
    if (handler === undefined) return Promise.reject(new ApiError({ code: 'INTERNAL', message: `FakeVaultApi: no handler for ${name}` }));
    return Promise.resolve().then(() => handler(request));
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (payload: EventPayloads[E]) => void)(payload);
  }

  listenerCount(event: EventName): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** The requests made to one operation, in order. */
  requestsOf<N extends OperationName>(name: N): RequestOf<N>[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.request as RequestOf<N>);
  }
}

/** A promise the test settles when it chooses (to hold a response back, e.g. a stale search). */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
