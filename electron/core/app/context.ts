import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import { settingsSchema, type OrgProfile, type Settings } from '../../../shared/settings';
import { openArchiveDb } from '../archive/connection';
import { failedLook, ReviewRecorder, type ReviewLook } from '../review';
import type { Runtime } from '../createCore';
import { systemClock, type Clock } from '../util/clock';
import { silentLogger, type Logger } from '../util/log';
import type { AppServiceDeps } from './appService';
import { createEventHub, type EventListener } from './events';
import { cachedSettings } from './settingsCache';
import { sessionKeyring } from './archiveKeyring';
import { archiveKeys } from '../cipher/keyState';
import type { ArchiveKeyStore, SigningKeyStore } from './ports';
import { noSigningKey } from './signingKeys';

/** Sends one event to every listener. */
export type Emit = EventListener;

/**
 * What every part of one app service shares: its ports, clock and log, the events, the settings
 * (read through a cache; every write announced as `settings:changed`), the active profile and its
 * archive, and the one read-only connection the screens read through.
 */
export interface AppContext {
  readonly deps: AppServiceDeps;
  readonly clock: Clock;
  readonly log: Logger;
  /** Clock, log and fetch as the core's Cliq client and sync take them. */
  readonly runtime: Runtime;
  /** A listener that throws is logged; the others still hear the event. */
  emit: Emit;
  /** Subscribes to every event; returns the unsubscribe. */
  on(listener: Emit): () => void;
  settings(): Settings;
  /** Validates with the shared schema, writes, emits `settings:changed`; returns what was written. */
  writeSettings(next: Settings): Settings;
  activeProfile(current?: Settings): OrgProfile | null;
  /** The active profile's archive (or serve's --archive); USAGE while no org is connected. */
  archivePath(): string;
  /** `serve --archive` opened an archive no connected org syncs into: it is read, never synced. */
  archiveReadOnly(): boolean;
  /** The read-only connection for the screens; null while the archive does not exist yet. */
  readerOrNull(): Database.Database | null;
  /** As readerOrNull, but ARCHIVE_NOT_FOUND (with a hint) while nothing is archived. */
  readDb(): Database.Database;
  /** Closes the read-only connection; the next read opens it again. */
  closeReader(): void;
  /** The shell's archive keys (the desktop's kept keys, or serve's session keys). */
  readonly keys: ArchiveKeyStore;
  /** The installation's bundle-signing key (the desktop's kept key, serve's key file), or none. */
  readonly signingKeys: SigningKeyStore;
  /** The review log's recorder of this service (batched; closed with the service). */
  readonly review: ReviewRecorder;
  /**
   * Runs a look at the archive and records it in the review log: `describe` gives its entry from
   * the answer (results, the conversation), a throw is recorded as refused or failed and rethrown.
   * Recording never fails or delays the look (core/review).
   */
  look<T>(action: ReviewLook['action'], scope: Record<string, unknown>, run: () => T, describe?: (value: Awaited<T>) => Partial<ReviewLook>): T;
}

/** The refusal of a sync into an archive opened read-only (`serve --archive` with no org of its own). */
export function readOnlyArchive(path: string): VaultError {
  return new VaultError('USAGE', `No org is connected to ${path}: it is open read-only, so it cannot be synced here.`, {
    hint: 'Connect the org on the Connect screen, then serve its archive; a demo archive can be synced again from the Sync screen.',
  });
}

/** The refusal of anything that needs an org while none is connected. */
export function noOrgConnected(): VaultError {
  return new VaultError('USAGE', 'No org is connected yet.', { hint: 'Connect an org (or try the demo org) on the Connect screen.' });
}

export function createAppContext(deps: AppServiceDeps): AppContext {
  const clock = deps.clock ?? systemClock;
  const log = deps.log ?? silentLogger;
  const events = createEventHub(log);
  const store = cachedSettings(deps.settings);
  let reader: { path: string; db: Database.Database } | null = null;

  const { emit } = events;
  const review = new ReviewRecorder({
    // Looks made in the desktop app, or in the browser mode (serve), whose archive may be opened read-only:
    // a reviewer's looks are on record there too (docs/custody.md, "Review log").
    shell: deps.host.shell === 'electron' ? 'desktop' : 'serve',
    clock,
    log,
    reviewer: () => {
      const profile = activeProfile();
      return { profileId: profile?.id ?? null, profileName: profile?.name ?? null };
    },
    ...(deps.reviewTimers ? { timers: deps.reviewTimers } : {}),
  });
  const settings = () => store.read();
  const activeProfile = (current = settings()): OrgProfile | null => current.profiles.find((p) => p.id === current.activeProfile) ?? null;

  function archivePath(): string {
    if (deps.archiveOverride !== undefined) return resolve(deps.archiveOverride);
    const profile = activeProfile();
    if (!profile) throw noOrgConnected();
    return profile.archivePath;
  }

  function archiveReadOnly(): boolean {
    if (deps.archiveOverride === undefined) return false;
    const profile = activeProfile();
    return profile === null || resolve(profile.archivePath) !== resolve(deps.archiveOverride);
  }

  function closeReader(): void {
    reader?.db.close();
    reader = null;
  }

  function readerOrNull(): Database.Database | null {
    if (deps.archiveOverride === undefined && activeProfile() === null) return null;
    const path = archivePath();
    if (reader?.path === path) return reader.db;
    closeReader();
    if (!existsSync(path)) return null;
    reader = { path, db: openArchiveDb(path, { readonly: true }) };
    return reader.db;
  }

  return {
    deps,
    clock,
    log,
    runtime: { clock, log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
    emit,
    on: events.on,
    settings,
    writeSettings(next) {
      const parsed = settingsSchema.parse(next);
      store.write(parsed);
      emit('settings:changed', parsed);
      return parsed;
    },
    activeProfile,
    archivePath,
    archiveReadOnly,
    readerOrNull,
    readDb() {
      const db = readerOrNull();
      if (!db) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync from the Sync screen to create the archive.' });
      return db;
    },
    closeReader,
    keys: deps.keys ?? sessionKeyring(archiveKeys()),
    signingKeys: deps.signingKeys ?? noSigningKey(),
    review,
    look(action, scope, run, describe) {
      let path: string | null = null;
      try {
        path = archivePath();
      } catch {
        // No org connected: nothing is read, so there is nothing to record (and nowhere to).
      }
      const record = (entry: Partial<ReviewLook> | null) => {
        // null: the archive itself is unusable (damaged, too new…): nothing read, nothing written into it.
        if (entry !== null && path !== null && existsSync(path)) review.record(path, { action, scope, ...entry });
      };
      const done = (value: Awaited<ReturnType<typeof run>>) => {
        record(describe ? describe(value) : {});
        return value;
      };
      let value: ReturnType<typeof run>;
      try {
        value = run();
      } catch (error) {
        record(failedLook(error));
        throw error;
      }
      if (value instanceof Promise) {
        return value.then(done, (error: unknown) => {
          record(failedLook(error));
          throw error;
        }) as ReturnType<typeof run>;
      }
      return done(value as Awaited<ReturnType<typeof run>>);
    },
  };
}
