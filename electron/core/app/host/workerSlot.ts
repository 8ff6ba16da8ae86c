import { VaultError, type ErrorShape } from '../../../../shared/errors';
import type { HostToWorker, PortCall, SpawnWorker, WorkerCall, WorkerConfig, WorkerToHost } from './protocol';

/** What a slot reports to its pool. */
export interface SlotListener {
  message(message: Extract<WorkerToHost, { t: 'event' } | { t: 'log' }>): void;
  /** A worker asks its host for a port (secrets, dialogs); the answer goes back to it. */
  port(call: PortCall): Promise<unknown>;
  /** The worker is gone; its calls still pending have been answered with SERVICE_STOPPED. */
  exit(detail: string): void;
}

/** The answer every call still pending gets when its worker dies. */
export function stoppedError(role: WorkerConfig['role'], detail: string): VaultError {
  return new VaultError('SERVICE_STOPPED', "Cliq Vault's background service stopped unexpectedly before it answered.", {
    hint: `Try again: a new one starts on the next request, and nothing archived was lost. (${role} worker: ${detail})`,
  });
}

/**
 * One worker as its host sees it: numbered calls and their answers, the worker's own calls of the
 * host's ports, and what happens when it dies. The slot never restarts anything: the pool replaces
 * a dead slot on the next request.
 */
export class WorkerSlot {
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: VaultError) => void }>();
  private nextId = 1;
  private alive = true;
  private readonly handle;
  /** Calls sent and not yet answered (the pool routes reads to the least busy reader). */
  inFlight = 0;

  constructor(
    readonly role: WorkerConfig['role'],
    spawn: SpawnWorker,
    config: Omit<WorkerConfig, 'role'>,
    private readonly listener: SlotListener,
    /** What every call carries: the host's secret storage kind and its archive keys, as they are now. */
    private readonly current: () => Pick<Extract<HostToWorker, { t: 'call' }>, 'secretStorage' | 'archiveKeys'>,
  ) {
    this.handle = spawn(role);
    this.handle.onMessage((message) => this.receive(message));
    this.handle.onExit((detail) => this.died(detail));
    this.post({ t: 'init', config: { ...config, role } });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  /** Sends a call; resolves with the worker's answer, rejects with SERVICE_STOPPED if it dies first. */
  call(call: WorkerCall): Promise<unknown> {
    if (!this.alive) return Promise.reject(stoppedError(this.role, 'already stopped'));
    const id = this.nextId++;
    this.inFlight++;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ t: 'call', id, call, ...this.current() });
    }).finally(() => {
      this.inFlight--;
    });
  }

  kill(): void {
    this.handle.kill();
    // A worker that was told to stop is stopped, whether or not its exit has been reported yet.
    this.died('stopped by Cliq Vault');
  }

  private post(message: HostToWorker): void {
    try {
      this.handle.postMessage(message);
    } catch (error) {
      // A channel that refuses a message belongs to a worker that is gone (or going).
      this.handle.kill();
      this.died(`its channel failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private receive(message: WorkerToHost): void {
    switch (message.t) {
      case 'ready':
        return;
      case 'result': {
        const waiting = this.pending.get(message.id);
        if (!waiting) return;
        this.pending.delete(message.id);
        if (message.ok) waiting.resolve(message.value);
        else waiting.reject(fromShape(message.error));
        return;
      }
      case 'event':
      case 'log':
        this.listener.message(message);
        return;
      case 'port':
        this.listener.port(message.call).then(
          (value) => this.post({ t: 'answer', id: message.id, ok: true, value }),
          (error: unknown) => this.post({ t: 'answer', id: message.id, ok: false, error: toShape(error) }),
        );
        return;
    }
  }

  private died(detail: string): void {
    if (!this.alive) return;
    this.alive = false;
    const error = stoppedError(this.role, detail);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
    this.listener.exit(detail);
  }
}

function fromShape(shape: ErrorShape): VaultError {
  return VaultError.fromShape(shape);
}

function toShape(error: unknown): ErrorShape {
  if (error instanceof VaultError) return error.toShape();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
