import type { EventName, EventPayloads, Result } from '../../../../shared/contract';
import type { ErrorShape } from '../../../../shared/errors';
import type { AppInfo } from '../../../../shared/views';
import type { KeyMessage } from '../../cipher';
import type { LogLevel } from '../../util/log';

/**
 * The messages between the app service's host (the Electron main process, or `serve`'s main
 * thread) and its workers (Electron utility processes, or worker threads). Everything here is
 * structured-clone data: no functions, no class instances, and never a secret except in the answer
 * to a worker's `secrets.get`, which it asks only when it connects to Cliq.
 */

/** What a worker is told once, before anything else: who it is and what its host can do. */
export interface WorkerConfig {
  role: 'primary' | 'reader';
  /** Folder of the settings file (config.json), shared with the host and the other workers. */
  settingsDir: string | undefined;
  archiveOverride: string | undefined;
  defaultArchiveDir: string;
  shell: AppInfo['shell'];
  runsScheduleInApp: boolean;
  /** As the worker starts; every call brings the current one. */
  secretStorage: AppInfo['secretStorage'];
  /** Whether the host shows paths in a file manager / has a folder chooser (asked over `port` calls). */
  canReveal: boolean;
  canPickFolder: boolean;
  /** Whether the host has a save dialog / opens files with the OS's apps (asked over `port` calls). */
  canSaveFile: boolean;
  canOpenFile: boolean;
  /** Whether the worker may start the built-in demo org (the simulator), in itself. */
  demo: boolean;
  logLevel: LogLevel;
  /**
   * The keys of encrypted archives the host holds as the worker starts (serve: CLIQ_VAULT_KEY or
   * --key-file; the desktop app: its safeStorage keys). Keys travel in messages only, never in
   * argv or env; every call brings the current ones.
   */
  archiveKeys: KeyMessage[];
}

/**
 * The workers' config under `serve` (and whatever imitates it: tests, the bench): a browser shell
 * with no desktop, secrets in process memory, the demo org available, no in-app schedule.
 */
export function serveWorkerConfig(options: {
  settingsDir: string | undefined;
  archiveOverride: string | undefined;
  defaultArchiveDir: string;
  logLevel: LogLevel;
  archiveKeys?: KeyMessage[] | undefined;
}): Omit<WorkerConfig, 'role'> {
  return {
    ...options,
    archiveKeys: options.archiveKeys ?? [],
    shell: 'browser',
    runsScheduleInApp: false,
    secretStorage: 'memory',
    canReveal: false,
    canPickFolder: false,
    canSaveFile: false,
    canOpenFile: false,
    demo: true,
  };
}

/** Calls the host makes of a worker. */
export type WorkerCall = { op: 'dispatch'; name: string; request: unknown } | { op: 'runScheduledJob' } | { op: 'releaseArchive' } | { op: 'close' };

/** Calls a worker makes of its host: the ports that stay where the OS lives (secrets, dialogs). */
export type PortCall =
  | { port: 'secrets.has'; profileId: string }
  | { port: 'secrets.get'; profileId: string }
  | { port: 'secrets.set'; profileId: string; secrets: { clientSecret: string; refreshToken: string } }
  | { port: 'secrets.delete'; profileId: string }
  | { port: 'keys.status' }
  | { port: 'keys.unlock'; passphrase: string }
  | { port: 'keys.use'; key: KeyMessage }
  | { port: 'keys.create'; passphrase: string | undefined }
  | { port: 'keys.protect'; passphrase: string | null }
  | { port: 'signing.status' }
  | { port: 'signing.current' }
  | { port: 'host.reveal'; path: string }
  | { port: 'host.pickFolder'; title: string; defaultPath: string | undefined }
  | { port: 'host.saveFile'; title: string; defaultPath: string }
  | { port: 'host.openPath'; path: string };

/**
 * Each call carries the host's current secret storage kind (it changes when the user allows weak
 * storage) and every archive key the host holds (they change on unlock, encrypt and re-key).
 */
export type HostToWorker =
  | { t: 'init'; config: WorkerConfig }
  | { t: 'call'; id: number; call: WorkerCall; secretStorage: AppInfo['secretStorage']; archiveKeys: KeyMessage[] }
  | { t: 'answer'; id: number; ok: true; value: unknown }
  | { t: 'answer'; id: number; ok: false; error: ErrorShape };

export type WorkerToHost =
  | { t: 'ready' }
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: ErrorShape }
  | { t: 'event'; event: EventName; payload: EventPayloads[EventName] }
  | { t: 'log'; level: LogLevel; message: string; fields: Record<string, unknown> | undefined }
  | { t: 'port'; id: number; call: PortCall };

/** A dispatch's answer is itself a Result; the other calls answer their value. */
export type DispatchResult = Result<unknown>;

/**
 * The one shape both kinds of worker have from the host's side. A worker thread (`serve`) and an
 * Electron utility process (the desktop app) are adapted to it; the pool knows nothing else.
 */
export interface WorkerHandle {
  postMessage(message: HostToWorker): void;
  onMessage(listener: (message: WorkerToHost) => void): void;
  /** Called once when the worker is gone, for whatever reason (exit, crash, kill, failed start). */
  onExit(listener: (detail: string) => void): void;
  /** Stops the worker now (it may be in the middle of something). */
  kill(): void;
}

/** Starts a worker running electron/worker/appServiceEntry.ts. */
export type SpawnWorker = (role: WorkerConfig['role']) => WorkerHandle;

/** The worker's side of the channel: its parent, whichever kind it is. */
export interface ParentChannel {
  postMessage(message: WorkerToHost): void;
  onMessage(listener: (message: HostToWorker) => void): void;
}

/**
 * A worker's end, reported once (a crash may be reported twice, as 'error' then 'exit'), to a
 * listener that may subscribe after it happened. Each adaptor (thread, utility process) uses one.
 */
export function exitReporter(): { exited(detail: string): void; onExit(listener: (detail: string) => void): void } {
  let listener: ((detail: string) => void) | null = null;
  let gone: string | null = null;
  return {
    exited(detail) {
      if (gone !== null) return;
      gone = detail;
      listener?.(detail);
    },
    onExit(next) {
      listener = next;
      if (gone !== null) next(gone);
    },
  };
}

export function isWorkerToHost(value: unknown): value is WorkerToHost {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}

export function isHostToWorker(value: unknown): value is HostToWorker {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}
