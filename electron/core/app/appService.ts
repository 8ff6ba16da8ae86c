import type { EventName, EventPayloads, Result } from '../../../shared/contract';
import type { ScheduleStatus } from '../../../shared/views';
import type { Clock } from '../util/clock';
import type { Logger } from '../util/log';
import type { ReviewTimers } from '../review';
import type { AppHost, SecretStore, SettingsStore, ArchiveKeyStore, SigningKeyStore } from './ports';

/**
 * The app behind the contract: every operation of shared/contract.ts, for whichever transport
 * carries it (IPC in Electron, HTTP in `serve`). Transports only move bytes and call `dispatch`.
 */
export interface AppService {
  /**
   * Runs one operation. `name` and `request` are untrusted (they came over IPC or HTTP): an unknown
   * name or a request its schema refuses answers `{ ok: false, error: { code: 'USAGE' } }` and
   * changes nothing. Never throws.
   */
  dispatch(name: string, request: unknown): Promise<Result<unknown>>;
  /** Subscribes to every event; returns the unsubscribe. */
  on(listener: <E extends EventName>(event: E, payload: EventPayloads[E]) => void): () => void;
  /** The nightly job (sync, then backup when a backup folder is set), as the in-app scheduler runs it. */
  runScheduledJob(): Promise<ScheduleStatus>;
  /**
   * Closes the read-only connection the screens read through, now; the next read opens it again.
   * A process that only reads (a reader worker) calls it before a restore, which SQLite refuses
   * while another connection has the archive open.
   */
  releaseArchive(): void;
  /** Cancels running jobs, waits for them, stops the demo simulator, closes the archive. */
  close(): Promise<void>;
}

export interface AppServiceDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** The shell's archive keys; a session keyring of this process's keys when absent (tests, in-process). */
  keys?: ArchiveKeyStore;
  /** The installation's bundle-signing key; none (ephemeral keys) when absent. */
  signingKeys?: SigningKeyStore;
  host: AppHost;
  log?: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Overrides the active profile's archive (serve --archive). */
  archiveOverride?: string;
  /** The review log's timers (tests drive them by hand); Node's otherwise. */
  reviewTimers?: ReviewTimers;
}
