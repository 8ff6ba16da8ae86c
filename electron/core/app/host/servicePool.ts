import { contract, operationNames, type EventName, type EventPayloads, type OperationName, type Result } from '../../../../shared/contract';
import { toVaultError, VaultError } from '../../../../shared/errors';
import type { ScheduleStatus } from '../../../../shared/views';
import { systemClock, type Clock } from '../../util/clock';
import type { Logger } from '../../util/log';
import type { AppService } from '../appService';
import { createEventHub } from '../events';
import { sessionKeyring, type HostKeyring } from '../archiveKeyring';
import { keyFromMessage } from '../../cipher';
import type { AppHost, SecretStore, SigningKeyStore } from '../ports';
import { noSigningKey } from '../signingKeys';
import type { PortCall, SpawnWorker, WorkerConfig, WorkerToHost } from './protocol';
import { WorkerSlot } from './workerSlot';

export interface ServicePoolOptions {
  spawn: SpawnWorker;
  /** What every worker is told (its role is added per worker). */
  config: Omit<WorkerConfig, 'role'>;
  /** The host's secret store: the workers ask it over their channel, one profile at a time. */
  secrets: SecretStore;
  /** The host's archive keys: every call carries them; the workers ask it for changes. Default: the config's, for this session. */
  keys?: HostKeyring;
  /** The installation's bundle-signing key: the primary worker asks for it when it makes a bundle. Default: none (ephemeral keys). */
  signingKeys?: SigningKeyStore;
  /** The host's desktop (file manager, folder chooser), where there is one. */
  host: Pick<AppHost, 'reveal' | 'pickFolder' | 'saveFile' | 'openPath'>;
  log: Logger;
  /** Reader workers at most (started as reads need them). Default 2. */
  maxReaders?: number;
  /** How long `close` waits for a worker to finish cancelling its jobs before stopping it. Default 10 s. */
  closeGraceMs?: number;
  clock?: Clock;
}

type JobKind = 'sync' | 'audit';

/** Operations that put a new file in the archive's place: the readers let go of it first. */
const replacesArchive: ReadonlySet<string> = new Set(['backup:restore', 'cipher:encrypt', 'cipher:rekey']);

/**
 * The app service as the shells see it (the same `AppService` interface), run in workers so that
 * the thread answering the window, the tray and HTTP never runs SQL: one **primary** worker owns
 * every stateful operation (jobs, settings and profile changes, the demo org, restore), and up to
 * `maxReaders` **reader** workers answer the read-only operations (`lane: 'reader'` in the
 * contract) side by side. A worker that dies answers its pending calls with SERVICE_STOPPED, its
 * running jobs end with a done event carrying that error, and the next request starts a new one.
 */
export function createServicePool(options: ServicePoolOptions): AppService & { start(): void; workers(): { role: WorkerConfig['role']; inFlight: number }[] } {
  const { spawn, config, secrets, host, log } = options;
  const keys = options.keys ?? sessionKeyring(config.archiveKeys.map(keyFromMessage));
  const signingKeys = options.signingKeys ?? noSigningKey();
  const clock = options.clock ?? systemClock;
  const maxReaders = Math.max(1, options.maxReaders ?? 2);
  const closeGraceMs = options.closeGraceMs ?? 10_000;
  const events = createEventHub(log);
  const { emit } = events;
  let primary: WorkerSlot | null = null;
  const readers: WorkerSlot[] = [];
  /** Jobs the primary is running, so a crash can end them instead of leaving the UI waiting. */
  const jobs = new Map<string, JobKind>();
  /**
   * While an operation that replaces the archive file runs (a restore, encrypt, re-key), reads wait:
   * a reader's open connection would make SQLite refuse the swap.
   */
  let restoring: Promise<unknown> | null = null;
  let closed = false;

  function onWorkerMessage(slot: WorkerSlot, message: Extract<WorkerToHost, { t: 'event' } | { t: 'log' }>): void {
    if (message.t === 'log') {
      log[message.level](message.message, { ...message.fields, worker: slot.role });
      return;
    }
    trackJobs(message.event, message.payload);
    emit(message.event, message.payload);
  }

  function trackJobs(event: EventName, payload: EventPayloads[EventName]): void {
    const jobId = (payload as { jobId?: unknown }).jobId;
    if (typeof jobId !== 'string') return;
    if (event === 'sync:progress' || event === 'audit:progress') jobs.set(jobId, event === 'sync:progress' ? 'sync' : 'audit');
    if (event === 'sync:done' || event === 'audit:done') jobs.delete(jobId);
  }

  async function answerPort(call: PortCall): Promise<unknown> {
    switch (call.port) {
      case 'secrets.has':
        return secrets.has(call.profileId);
      case 'secrets.get':
        return secrets.get(call.profileId);
      case 'secrets.set':
        return secrets.set(call.profileId, call.secrets);
      case 'secrets.delete':
        return secrets.delete(call.profileId);
      case 'keys.status':
        return keys.status();
      case 'keys.unlock':
        return keys.unlock(call.passphrase);
      case 'keys.use':
        return keys.use(call.key);
      case 'keys.create':
        return keys.create({ passphrase: call.passphrase });
      case 'keys.protect':
        return keys.protect(call.passphrase);
      case 'signing.status':
        return signingKeys.status();
      case 'signing.current':
        return signingKeys.current();
      case 'host.reveal':
        if (!host.reveal) throw new VaultError('USAGE', 'There is no file manager here.');
        return host.reveal(call.path);
      case 'host.pickFolder':
        if (!host.pickFolder) throw new VaultError('USAGE', 'There is no folder chooser here.');
        return host.pickFolder({ title: call.title, defaultPath: call.defaultPath });
      case 'host.saveFile':
        if (!host.saveFile) throw new VaultError('USAGE', 'There is no save dialog here.');
        return host.saveFile({ title: call.title, defaultPath: call.defaultPath });
      case 'host.openPath':
        if (!host.openPath) throw new VaultError('USAGE', 'Files cannot be opened here.');
        return host.openPath(call.path);
    }
  }

  function startSlot(role: WorkerConfig['role']): WorkerSlot {
    const slot: WorkerSlot = new WorkerSlot(
      role,
      spawn,
      config,
      {
        message: (message) => onWorkerMessage(slot, message),
        port: answerPort,
        exit: (detail) => {
          if (slot === primary) {
            primary = null;
            endOrphanedJobs(detail);
          }
          const index = readers.indexOf(slot);
          if (index >= 0) readers.splice(index, 1);
          if (!closed) log.error(`The app service's ${role} worker stopped`, { detail });
        },
      },
      () => ({ secretStorage: secrets.kind, archiveKeys: keys.keys() }),
    );
    return slot;
  }

  /** The primary died: every job it ran ends now, with an error saying why, so no screen waits forever. */
  function endOrphanedJobs(detail: string): void {
    const error = new VaultError('SERVICE_STOPPED', "Cliq Vault's background service stopped unexpectedly while this was running.", {
      hint: `Start it again: a sync resumes where it stopped, and nothing archived was lost. (${detail})`,
    }).toShape();
    for (const [jobId, kind] of [...jobs]) {
      jobs.delete(jobId);
      if (kind === 'sync') emit('sync:done', { jobId, error });
      else emit('audit:done', { jobId, error });
    }
  }

  function primarySlot(): WorkerSlot {
    if (closed) throw new VaultError('SERVICE_STOPPED', 'Cliq Vault is shutting down.');
    if (primary === null || !primary.isAlive) primary = startSlot('primary');
    return primary;
  }

  /**
   * An idle reader if there is one, else the least busy. Readers that died (or were stopped for a
   * restore) are replaced here, so the pool is back to `maxReaders` warm workers after one request.
   */
  function readerSlot(): WorkerSlot {
    if (closed) throw new VaultError('SERVICE_STOPPED', 'Cliq Vault is shutting down.');
    while (readers.length < maxReaders) readers.push(startSlot('reader'));
    const idle = readers.find((slot) => slot.inFlight === 0);
    return idle ?? readers.reduce((best, slot) => (slot.inFlight < best.inFlight ? slot : best));
  }

  async function dispatchTo(slot: WorkerSlot, name: string, request: unknown): Promise<Result<unknown>> {
    try {
      const result = (await slot.call({ op: 'dispatch', name, request })) as Result<unknown>;
      if (result.ok && (name === 'sync:start' || name === 'audit:export')) {
        const jobId = (result.value as { jobId?: unknown }).jobId;
        if (typeof jobId === 'string') jobs.set(jobId, name === 'sync:start' ? 'sync' : 'audit');
      }
      return result;
    } catch (error) {
      return { ok: false, error: toVaultError(error).toShape() };
    }
  }

  /** Readers are stateless: stopping them is how their connections to the archive are let go. */
  function stopReaders(): void {
    for (const slot of readers.splice(0)) slot.kill();
  }

  /**
   * Before a restore: each reader is asked to let go of the archive, which also writes the looks
   * its review log still queues (into the archive they were made in), then stopped. One that does
   * not answer within the grace period is stopped all the same.
   */
  async function releaseReaders(): Promise<void> {
    const slots = readers.splice(0);
    const grace = new AbortController();
    await Promise.race([Promise.all(slots.map((slot) => slot.call({ op: 'releaseArchive' }).catch(() => undefined))), clock.sleep(closeGraceMs, grace.signal).catch(() => undefined)]);
    grace.abort();
    for (const slot of slots) slot.kill();
  }

  async function exclusive(name: string, request: unknown): Promise<Result<unknown>> {
    await restoring;
    // Reads wait from now on, while the readers let go too: none may start a connection of its own meanwhile.
    const running = releaseReaders().then(() => dispatchTo(primarySlot(), name, request));
    restoring = running;
    try {
      return await running;
    } finally {
      if (restoring === running) restoring = null;
    }
  }

  const pool = {
    /**
     * Starts every worker now, as the shell opens: a reader started on demand would make the first
     * read that finds the others busy wait for a worker to boot (measured: ~0.45 s on the bench).
     */
    start(): void {
      primarySlot();
      while (readers.length < maxReaders) readers.push(startSlot('reader'));
    },
    workers() {
      return [...(primary ? [primary] : []), ...readers].filter((slot) => slot.isAlive).map((slot) => ({ role: slot.role, inFlight: slot.inFlight }));
    },
    async dispatch(name: string, request: unknown): Promise<Result<unknown>> {
      try {
        if (replacesArchive.has(name)) return await exclusive(name, request);
        const lane = (operationNames as readonly string[]).includes(name) ? contract[name as OperationName].lane : 'primary';
        if (lane === 'reader') {
          await restoring;
          return await dispatchTo(readerSlot(), name, request);
        }
        return await dispatchTo(primarySlot(), name, request);
      } catch (error) {
        return { ok: false, error: toVaultError(error).toShape() };
      }
    },
    on: events.on,
    async runScheduledJob(): Promise<ScheduleStatus> {
      return (await primarySlot().call({ op: 'runScheduledJob' })) as ScheduleStatus;
    },
    releaseArchive(): void {
      stopReaders();
      void primary?.call({ op: 'releaseArchive' }).catch(() => undefined);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const slots = [...(primary ? [primary] : []), ...readers.splice(0)];
      primary = null;
      const grace = new AbortController();
      await Promise.all(
        slots.map(async (slot) => {
          // Jobs are cancelled and connections closed by the worker itself; one that does not
          // finish within the grace period is stopped (the lease rules cover a writer stopped mid-run).
          await Promise.race([slot.call({ op: 'close' }).catch(() => undefined), clock.sleep(closeGraceMs, grace.signal).catch(() => undefined)]);
          slot.kill();
        }),
      );
      grace.abort();
    },
  };
  return pool;
}
