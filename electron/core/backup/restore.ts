import type Database from 'better-sqlite3-multiple-ciphers';
import { openKeyed } from '../cipher';
import { constants, copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { VaultError, isVaultError } from '../../../shared/errors';
import { pidIsAlive } from '../archive/archive';
import { openArchiveDb } from '../archive/connection';
import { LeaseRepo, type LeaseHolder } from '../archive/leaseRepo';
import { Sealer } from '../archive/sealing/sealer';
import { throwIfAborted, systemClock, type Clock } from '../util/clock';
import { toolVersion } from '../version';
import { removeStalePartials } from './catalog';
import { fileFailure, fsyncDir, fsyncFile, sha256File } from './files';
import { sidecarPath, type SnapshotManifest } from './manifest';
import { archiveStem, freeSnapshotPath, partialPath } from './names';
import { integrityOf, readFacts, removeDatabaseFiles, type CopyFacts } from './onlineCopy';
import { restoreSnapshotFiles, type FilesRestoreCounts } from './restoreFiles';
import { describeHolder, otherArchiveRefusal, snapshotRefusal } from './restorePlan';
import { checkWritableFolder, writeVerifiedCopy } from './snapshot';
import { verifySnapshot } from './verify';

export interface RestoreOptions {
  snapshotPath: string;
  archivePath: string;
  /** Allow a snapshot whose archive id differs from the current archive's (another org's archive). */
  allowOtherArchive?: boolean;
  signal?: AbortSignal;
  /** */
  clock?: Pick<Clock, 'now'>;
  isAlive?: (pid: number) => boolean;
}

export interface SafetyCopy {
  path: string;
  /** `online-backup` (a verified snapshot with a manifest) or `file-copy` (an archive SQLite could not open). */
  method: 'online-backup' | 'file-copy';
  integrity: string;
}

export interface RestoreReport {
  archivePath: string;
  snapshotPath: string;
  snapshot: SnapshotManifest;
  /** The archive as it was, kept beside it; null when there was no archive to keep. */
  safetyCopy: SafetyCopy | null;
  previous: CopyFacts | null;
  restored: CopyFacts;
  /** The snapshot's stored files brought back into the archive's store; null for a snapshot without files. */
  files: FilesRestoreCounts | null;
  /** False when there was no archive that could be opened, so no writer lease could be checked. */
  leaseChecked: boolean;
  notes: string[];
  durationMs: number;
}

/**
 * The restore holds the lease for as long as a big archive takes to copy twice; a heartbeat renews
 * it while the safety copy runs, and a restore killed midway is taken over at once on this host.
 */
const leaseTtlMs = 10 * 60_000;

const stopOthersHint = 'Nothing was changed. Quit the desktop app and any Cliq Vault command using this archive, then run the restore again.';

/**
 * Replaces an archive with a snapshot.
 *
 * 1. The snapshot is verified first (manifest, SHA-256, integrity_check, a schema this version can
 *    open, the same archive id): if anything fails, RESTORE_REFUSED and nothing is touched.
 * 2. The archive's writer lease is taken (a sync or the desktop app writing → ARCHIVE_LOCKED), and
 *    the restore stops if any other process has the archive open (see ensureNoOtherConnection).
 * 3. A safety copy of the current archive is made beside it with the online backup API
 *    (`<archive>.before-restore-<UTC>.sqlite` + manifest: restorable like any snapshot). An archive
 *    SQLite cannot open is copied file by file instead, with the `-wal` that belongs to it.
 * 4. The snapshot is copied to a temporary file beside the archive, checked against its hash,
 *    given this restore's lease (so the lease stays held across the swap), and flushed; the
 *    snapshot's stored files the archive's store lacks are copied into it (never overwriting one).
 * 5. The archive's WAL is checkpointed and truncated and the archive closed, so no frame of the old
 *    file can ever be applied to the restored one.
 * 6. The temporary file is renamed over the archive (atomic) and the folder flushed.
 * 7. The result is opened as the app opens it and must pass integrity_check; the lease is released.
 *
 * A failure before step 6 leaves the archive as it was and removes what the restore wrote.
 *
 * IMPORTANT: stop the desktop app and any scheduled Cliq Vault job before restoring. The lease
 * stops their writes and an open connection stops the restore, but only stopping them is certain.
 */
export async function restoreSnapshot(options: RestoreOptions): Promise<RestoreReport> {
  const clock = options.clock ?? systemClock;
  const isAlive = options.isAlive ?? pidIsAlive;
  const started = clock.now();
  const archivePath = resolve(options.archivePath);
  const snapshotPath = resolve(options.snapshotPath);
  const dir = dirname(archivePath);

  const verification = await verifySnapshot(snapshotPath, options.signal);
  const refusal = snapshotRefusal(verification, archivePath);
  const snapshot = verification.manifest;
  if (refusal !== null || !snapshot) {
    throw new VaultError('RESTORE_REFUSED', `${snapshotPath} cannot be restored: ${refusal ?? 'it has no manifest'}.`, {
      hint: 'Nothing was changed. Pick another snapshot (`cliq-vault backup --list --to DIR` shows which are good).',
      ui: { message: `${snapshotPath} cannot be restored: ${refusal ?? 'it has no manifest'}.`, hint: 'Nothing was changed. Pick another snapshot: the list shows which are good.' },
    });
  }
  checkWritableFolder(dir, 'folder of the archive');
  removeStalePartials(dir);

  const me: LeaseHolder = { holder: `cliq-vault ${toolVersion} restore`, pid: process.pid, host: hostname() };
  const current = openCurrent(archivePath);
  let db = current.state === 'open' ? current.db : undefined;
  let leaseHeld = false;
  let swapped = false;
  let originalTouched = false;
  let safetyCopy: SafetyCopy | null = null;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const notes: string[] = [];
  const temp = partialPath(dir, 'sqlite');
  const safetyPath = (ms: number) => freeSnapshotPath(dir, `${archiveStem(archivePath)}.before-restore-`, ms);
  try {
    let previous: CopyFacts | null = null;
    if (db) {
      previous = readFacts(db);
      const other = otherArchiveRefusal(previous.archiveId, verification, options.allowOtherArchive ?? false);
      if (other) {
        throw new VaultError('RESTORE_REFUSED', `${snapshotPath} cannot be restored over ${archivePath}: ${other}.`, {
          hint: 'Nothing was changed. Check both paths; pass --allow-other-archive only if replacing it with another archive is really meant.',
          ui: { message: `${snapshotPath} cannot be restored over ${archivePath}: ${other}.`, hint: 'Nothing was changed. Pick a snapshot of this archive.' },
        });
      }
      const taken = new LeaseRepo(db, isAlive, clock).acquire(me, leaseTtlMs);
      if (!taken.ok) {
        throw new VaultError('ARCHIVE_LOCKED', `The archive is being written by another process (${describeHolder(taken.current)}).`, {
          hint: 'Nothing was changed. Quit the desktop app or wait for that sync to finish, then run the restore again.',
        });
      }
      leaseHeld = true;
      // Refuse before copying anything when another process has the archive open.
      quiesce(db, archivePath);
      db = undefined;
      ensureNoOtherConnection(archivePath);
      const held = openArchiveDb(archivePath);
      db = held;
      heartbeat = setInterval(() => new LeaseRepo(held, isAlive, clock).heartbeat(me, leaseTtlMs), 60_000);
      heartbeat.unref();
      const copy = await writeVerifiedCopy(held, {
        kind: 'safety-copy',
        sourcePath: archivePath,
        dir,
        finalPath: safetyPath,
        requireIntact: false,
        clock,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      safetyCopy = { path: copy.path, method: 'online-backup', integrity: copy.manifest.integrity };
      if (copy.manifest.integrity !== 'ok') notes.push(`the archive being replaced failed integrity_check (${copy.manifest.integrity}); the safety copy keeps it as it was`);
    } else if (current.state === 'unreadable' || hasLeftovers(archivePath)) {
      safetyCopy = { path: fileCopy(archivePath, safetyPath(clock.now())), method: 'file-copy', integrity: current.state === 'unreadable' ? current.reason : 'no archive file' };
      notes.push(
        current.state === 'unreadable'
          ? `the current archive could not be opened (${current.reason}); it was copied file by file, and no writer lease could be checked in it`
          : 'there was no archive file, only SQLite files left where it was; they were kept in the safety copy',
      );
    } else {
      notes.push('there was no archive at that path: the snapshot was put there');
    }

    await prepareReplacement(snapshotPath, temp, snapshot.sha256, me, clock, options.signal);
    // The files first: the archive that names them appears only once they are all in its store.
    const files = snapshot.files ? await restoreSnapshotFiles(snapshotPath, snapshot.files, archivePath, options.signal) : null;
    if (files && files.damaged.length > 0) {
      notes.push(
        `${files.damaged.length} stored file(s) already in the archive's store do not hash to their names; they were kept as found (verify --files lists them): ${files.damaged.slice(0, 5).join(', ')}`,
      );
    }
    if (snapshot.files && snapshot.files.unavailable.length > 0) {
      notes.push(`${snapshot.files.unavailable.length} stored file(s) were already missing or damaged when the snapshot was made; they are not restored (verify --files lists them)`);
    }
    throwIfAborted(options.signal);

    if (db) {
      clearInterval(heartbeat);
      quiesce(db, archivePath);
      db = undefined;
      ensureNoOtherConnection(archivePath);
    } else {
      // The old files are in the safety copy; a WAL or journal left beside the new file would be
      // applied to it on the next open.
      originalTouched = true;
      for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${archivePath}${suffix}`, { force: true });
    }
    renameSync(temp, archivePath);
    swapped = true;
    fsyncDir(dir);

    const restored = checkRestored(archivePath, me, safetyCopy, isAlive, clock, {
      snapshot: basename(snapshotPath),
      snapshotSha256: snapshot.sha256,
      snapshotCreatedAt: snapshot.createdAt,
      safetyCopy: safetyCopy?.path ?? null,
      by: { user: userInfo().username, host: hostname() },
    });
    leaseHeld = false;
    return { archivePath, snapshotPath, snapshot, safetyCopy, previous, restored, files, leaseChecked: current.state === 'open', notes, durationMs: clock.now() - started };
  } catch (error) {
    if (!swapped) {
      removeDatabaseFiles(temp);
      // The archive was not changed, so the copy of it made for this restore is only clutter.
      if (safetyCopy && !originalTouched) {
        removeDatabaseFiles(safetyCopy.path);
        rmSync(sidecarPath(safetyCopy.path), { force: true });
      }
    }
    throw fileFailure('IO_ERROR', `Restore of ${archivePath} from ${basename(snapshotPath)} failed`, error, 'Check the folder of the archive and try again.');
  } finally {
    clearInterval(heartbeat);
    if (leaseHeld && !swapped) releaseLease(db, archivePath, me, isAlive, clock);
    else db?.close();
  }
}

type CurrentArchive = { state: 'open'; db: Database.Database } | { state: 'missing' } | { state: 'unreadable'; reason: string };

/**
 * Opens the current archive the way a writer does, so its lease can be taken. One written by a
 * newer Cliq Vault is refused by openArchiveDb (ARCHIVE_TOO_NEW): replacing it needs that version.
 */
function openCurrent(archivePath: string): CurrentArchive {
  if (!existsSync(archivePath)) return { state: 'missing' };
  try {
    return { state: 'open', db: openArchiveDb(archivePath) };
  } catch (error) {
    // A damaged header reads as no archive at all (NOT_AN_ARCHIVE): the file is kept beside, byte for byte, either way.
    if (isVaultError(error) && (error.code === 'ARCHIVE_CORRUPT' || error.code === 'NOT_AN_ARCHIVE')) return { state: 'unreadable', reason: error.message };
    throw error;
  }
}

function hasLeftovers(archivePath: string): boolean {
  return ['-wal', '-journal'].some((suffix) => existsSync(`${archivePath}${suffix}`));
}

/**
 * A file-by-file copy of an archive SQLite cannot open: the main file and its WAL or rollback
 * journal (committed pages not yet in the main file), under the safety copy's name, so that opening
 * the copy sees what opening the original would have.
 */
function fileCopy(archivePath: string, target: string): string {
  const suffixes = ['', '-wal', '-journal'].filter((suffix) => existsSync(`${archivePath}${suffix}`));
  for (const suffix of suffixes) copyFileSync(`${archivePath}${suffix}`, `${target}${suffix}`, constants.COPYFILE_EXCL);
  for (const suffix of suffixes) fsyncFile(`${target}${suffix}`);
  return target;
}

/**
 * The snapshot, copied beside the archive (same file system, so the swap is a rename), checked
 * against its hash (a copy is only as good as the disk it went through), then given this restore's
 * lease, so the archive is never without it between the swap and the release.
 */
async function prepareReplacement(snapshotPath: string, temp: string, sha256: string, me: LeaseHolder, clock: Pick<Clock, 'now'>, signal: AbortSignal | undefined): Promise<void> {
  copyFileSync(snapshotPath, temp, constants.COPYFILE_EXCL);
  if ((await sha256File(temp, signal)).sha256 !== sha256) {
    throw new VaultError('IO_ERROR', 'The copy of the snapshot beside the archive differs from the snapshot.', {
      hint: 'Nothing was changed. Check the disk of the archive (free space, errors) and try again.',
    });
  }
  // A plain open: no migration and no switch to WAL, so it stays one self-contained file until it is in place.
  const db = openKeyed(temp, { fileMustExist: true });
  try {
    const hasLease = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'writer_lease'").get() !== undefined;
    if (hasLease) {
      const now = clock.now();
      db.prepare('INSERT OR REPLACE INTO writer_lease (id, holder, pid, host, acquired_at, heartbeat_at, expires_at) VALUES (1, ?, ?, ?, ?, ?, ?)').run(
        me.holder,
        me.pid,
        me.host,
        now,
        now,
        now + leaseTtlMs,
      );
    }
  } finally {
    db.close();
  }
  fsyncFile(temp);
}

/**
 * Checkpoints every WAL frame into the main file, truncates the WAL and closes the connection.
 * `busy` means a reader is in the middle of a read, so the WAL cannot be emptied: refuse.
 */
function quiesce(db: Database.Database, archivePath: string): void {
  const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  if (!result || result.busy !== 0) {
    throw new VaultError('ARCHIVE_LOCKED', `Another process is reading ${archivePath}, so its WAL cannot be emptied.`, { hint: stopOthersHint });
  }
  db.close();
}

/**
 * SQLite deletes an archive's `-wal` when the last connection to it closes. If it is still there
 * right after this process closed its own, another process has the archive open (the desktop app,
 * a backup, a `stats`); renaming a new file under it would leave that process on the old one.
 */
function ensureNoOtherConnection(archivePath: string): void {
  if (existsSync(`${archivePath}-wal`)) {
    throw new VaultError('ARCHIVE_LOCKED', `Another process has ${archivePath} open.`, { hint: stopOthersHint });
  }
}

function releaseLease(db: Database.Database | undefined, archivePath: string, me: LeaseHolder, isAlive: (pid: number) => boolean, clock: Pick<Clock, 'now'>): void {
  const handle = db ?? openArchiveDb(archivePath);
  try {
    new LeaseRepo(handle, isAlive, clock).release(me);
  } finally {
    handle.close();
  }
}

/**
 * Opens the restored archive as the app does (WAL; migrations if the snapshot's schema is older),
 * requires integrity_check to pass, and releases the lease that came with the replacement file.
 */
/**
 * The restored archive records that it was restored — from which snapshot, with which hash, where
 * the archive it replaced was kept — as a sealed event, so its own history shows the restore.
 */
function recordRestore(db: Database.Database, now: number, details: Record<string, unknown>): void {
  const sealer = new Sealer(db);
  db.transaction(() => {
    const sealId = sealer.open('restore', null, now);
    const event = db
      .prepare('INSERT INTO archive_events (at, run_id, kind, subject, detail) VALUES (?, NULL, ?, ?, ?)')
      .run(now, 'archive_restored', typeof details.snapshot === 'string' ? details.snapshot : null, JSON.stringify(details));
    sealer.reseal('archive_events', event.lastInsertRowid);
    sealer.close(sealId, now);
  }).immediate();
}

function checkRestored(archivePath: string, me: LeaseHolder, safetyCopy: SafetyCopy | null, isAlive: (pid: number) => boolean, clock: Pick<Clock, 'now'>, details: Record<string, unknown>): CopyFacts {
  const db = openArchiveDb(archivePath);
  try {
    const integrity = integrityOf(db);
    if (integrity !== 'ok') {
      throw new VaultError('ARCHIVE_CORRUPT', `The restored archive failed integrity_check: ${integrity}.`, {
        hint: safetyCopy ? `The archive as it was before is in ${safetyCopy.path}.` : 'Try another snapshot.',
      });
    }
    recordRestore(db, clock.now(), details);
    new LeaseRepo(db, isAlive, clock).release(me);
    return readFacts(db);
  } finally {
    db.close();
  }
}
