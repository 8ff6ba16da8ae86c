import type Database from 'better-sqlite3-multiple-ciphers';
import { openKeyed } from '../cipher';
import { settleStoreSwap } from '../files/storeSwap';
import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { VaultError } from '../../../shared/errors';
import { checkArchiveFile, checkArchiveSchema } from '../archive/connection';
import { throwIfAborted, systemClock, type Clock } from '../util/clock';
import { testPausePoint } from '../util/testPause';
import { toolName, toolVersion } from '../version';
import { fileStoreRoot, openFileStore } from '../files/store';
import { listSnapshots, removeStalePartials } from './catalog';
import { fileFailure, fsyncDir, fsyncFile, sha256File } from './files';
import { manifestFormat, sameArchive, sidecarPath, type SnapshotManifest } from './manifest';
import { archiveStem, freeSnapshotPath, partialPath } from './names';
import { copyOnline, finishCopy, removeDatabaseFiles, type CopyProgress } from './onlineCopy';
import { rotateSnapshots, type RotationResult } from './rotation';
import { copySnapshotFiles, type FilesBackupCounts } from './snapshotFiles';

export interface CreateSnapshotOptions {
  archivePath: string;
  toDir: string;
  /** Keep this many snapshots of this archive in `toDir` (older ones are deleted); omitted: keep all. */
  keep?: number;
  /**
   * Also delete this archive's snapshots taken before its last retention purge (they still hold
   * what was purged). The snapshot just made is after it, so one always stays.
   */
  prunePurged?: boolean;
  signal?: AbortSignal;
  /** Snapshot names and manifest times (tests inject one). */
  clock?: Pick<Clock, 'now'>;
  /** Pages copied between two cancel checks (tests make it small). */
  pagesPerStep?: number;
  onProgress?: (progress: CopyProgress) => void;
}

export interface SnapshotResult {
  path: string;
  manifestPath: string;
  manifest: SnapshotManifest;
  /** Times the copy restarted because a writer committed between two steps (at most 1). */
  restarts: number;
  rotation: RotationResult | null;
  /** The archive's stored files in the snapshot (copied vs linked); null for an archive without attachments. */
  files: FilesBackupCounts | null;
  /** Temporary files of dead backups that were cleaned up first. */
  removedPartials: string[];
  durationMs: number;
}

/**
 * Takes an online snapshot of an archive into `toDir`: `<archive>-<UTC>.sqlite` plus its manifest
 * `<archive>-<UTC>.json`.
 *
 * Needs no writer lease: it only reads, through SQLite's backup API, so it is consistent while a
 * sync (or the desktop app) writes. The copy is written to a hidden temporary file, checked with
 * PRAGMA integrity_check, hashed, flushed, and only then renamed into place; any failure or a
 * cancel removes everything it wrote. Rotation (`keep`) runs only after that, so the snapshot just
 * made is always the newest good one and older ones are deleted only then.
 *
 * An archive written by a newer Cliq Vault is copied too (it is never opened for writing here);
 * `restore` is what refuses a snapshot this version cannot open.
 */
export async function createSnapshot(options: CreateSnapshotOptions): Promise<SnapshotResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const archivePath = resolve(options.archivePath);
  const toDir = resolve(options.toDir);
  if (options.keep !== undefined && (!Number.isInteger(options.keep) || options.keep < 1)) {
    throw new VaultError('USAGE', `--keep must be a whole number of at least 1, not ${options.keep}.`, {
      hint: 'The snapshot just made always counts as one of them.',
      ui: { message: `The number of snapshots to keep must be a whole number of at least 1, not ${options.keep}.`, hint: 'The snapshot just made always counts as one of them.' },
    });
  }
  checkWritableFolder(toDir);
  const source = openSourceReadOnly(archivePath);
  const lastPurge = options.prunePurged === true ? lastPurgeAt(source) : null;
  let written: { path: string; manifest: SnapshotManifest; restarts: number; files: FilesBackupCounts | null; removedPartials: string[] };
  try {
    const removedPartials = removeStalePartials(toDir);
    const copy = await writeVerifiedCopy(source, {
      kind: 'snapshot',
      sourcePath: archivePath,
      dir: toDir,
      finalPath: (ms) => freeSnapshotPath(toDir, `${archiveStem(archivePath)}-`, ms),
      requireIntact: true,
      withFiles: true,
      clock,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.pagesPerStep !== undefined ? { pagesPerStep: options.pagesPerStep } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    written = { ...copy, removedPartials };
  } finally {
    source.close();
  }
  const rotation =
    options.keep === undefined && lastPurge === null ? null : rotateSnapshots(toDir, written, options.keep ?? Number.MAX_SAFE_INTEGER, lastPurge === null ? {} : { purgedAfter: lastPurge });
  return {
    path: written.path,
    manifestPath: sidecarPath(written.path),
    manifest: written.manifest,
    restarts: written.restarts,
    rotation,
    files: written.files,
    removedPartials: written.removedPartials,
    durationMs: clock.now() - started,
  };
}

/** The archive, opened read-only: a backup never writes to it, never migrates it, never locks it. */
export function openSourceReadOnly(archivePath: string): Database.Database {
  if (!existsSync(archivePath)) {
    throw new VaultError('ARCHIVE_NOT_FOUND', `No archive at ${archivePath}.`, {
      hint: 'Check the --archive path.',
      ui: { message: `No archive at ${archivePath}.`, hint: 'Check the archive path.' },
    });
  }
  checkArchiveFile(archivePath, false);
  settleStoreSwap(archivePath);
  let db: Database.Database;
  try {
    db = openKeyed(archivePath, { readonly: true, fileMustExist: true });
  } catch (error) {
    if (error instanceof VaultError) throw error;
    throw new VaultError('ARCHIVE_CORRUPT', `Could not open ${archivePath} as an SQLite archive.`, { cause: error });
  }
  try {
    // A sync may be committing a page: wait for it rather than fail with SQLITE_BUSY.
    db.pragma('busy_timeout = 10000');
    checkArchiveSchema(db, archivePath, false);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof VaultError) throw error;
    throw new VaultError('ARCHIVE_CORRUPT', `${archivePath} is not a readable SQLite archive.`, {
      cause: error,
      hint: 'If it was damaged, restore the last good snapshot (`cliq-vault backup --list --to DIR`, then `cliq-vault restore`).',
      ui: { message: `${archivePath} is not a readable SQLite archive.`, hint: 'If it was damaged, restore the last good snapshot under Schedule & backups.' },
    });
  }
}

/** A clear error before any work when a folder to write in (`what`) is missing or not writable. */
export function checkWritableFolder(dir: string, what = 'backup folder'): void {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VaultError('IO_ERROR', `The ${what} ${dir} does not exist.`, { cause: error, hint: `Create it first (mkdir -p "${dir}"); a typo is safer refused than created.` });
    }
    throw fileFailure('IO_ERROR', `Cannot use the ${what} ${dir}`, error, 'Check the path.');
  }
  if (!isDir) throw new VaultError('IO_ERROR', `${dir} is not a folder.`, { hint: `The ${what} must be a folder.` });
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw fileFailure('IO_ERROR', `Cannot write to the ${what} ${dir}`, error, 'Check its permissions.');
  }
}

export interface VerifiedCopyOptions {
  kind: SnapshotManifest['kind'];
  sourcePath: string;
  dir: string;
  /** Where the finished copy goes, chosen once the copy's time is known. */
  finalPath: (createdAtMs: number) => string;
  /** Refuse (and remove) a copy that fails integrity_check. A restore's safety copy keeps it anyway. */
  requireIntact: boolean;
  /**
   * Keep the archive's stored files in the copy's own store (`<copy>.sqlite.files`), linked from
   * earlier snapshots of the same archive in `dir` where they are. A safety copy has none: a
   * restore never removes a stored file.
   */
  withFiles?: boolean;
  clock: Pick<Clock, 'now'>;
  signal?: AbortSignal;
  pagesPerStep?: number;
  onProgress?: (progress: CopyProgress) => void;
}

/**
 * Online copy → self-contained file → integrity_check → fsync → SHA-256 → manifest → rename both
 * into place. Until the final renames everything lives under hidden temporary names that a failure
 * removes. The manifest is renamed first and the snapshot last: the snapshot's rename is the
 * commit, so a finished snapshot always has its manifest. A crash between the two leaves a
 * manifest alone, which describes nothing and listSnapshots ignores (a test killed a backup there:
 * the other order left a whole snapshot without a manifest, listed as bad).
 */
export async function writeVerifiedCopy(
  source: Database.Database,
  options: VerifiedCopyOptions,
): Promise<{ path: string; manifest: SnapshotManifest; restarts: number; files: FilesBackupCounts | null }> {
  const tempDb = partialPath(options.dir, 'sqlite');
  let filesPlaced = false;
  const tempManifest = partialPath(options.dir, 'json');
  let finalPath: string | undefined;
  let manifestPlaced = false;
  let committed = false;
  try {
    const { restarts } = await copyOnline(source, tempDb, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.pagesPerStep !== undefined ? { pagesPerStep: options.pagesPerStep } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const createdAtMs = options.clock.now();
    const facts = finishCopy(tempDb);
    if (options.requireIntact && facts.integrity !== 'ok') {
      throw new VaultError('BACKUP_FAILED', `The copy of ${options.sourcePath} failed PRAGMA integrity_check: ${facts.integrity}.`, {
        hint: 'The archive itself is probably damaged. Keep it as it is, and restore the last good snapshot (`cliq-vault backup --list`).',
        ui: {
          message: `The copy of ${options.sourcePath} failed PRAGMA integrity_check: ${facts.integrity}.`,
          hint: 'The archive itself is probably damaged. Keep it as it is, and restore the last good snapshot under Schedule & backups.',
        },
      });
    }
    fsyncFile(tempDb);
    const { sha256, sizeBytes } = await sha256File(tempDb, options.signal);
    throwIfAborted(options.signal);
    const files = options.withFiles ? await copySnapshotFiles(tempDb, openFileStore(options.sourcePath), earlierSnapshots(options.dir, facts.archiveId, options.sourcePath), options.signal) : null;
    throwIfAborted(options.signal);

    finalPath = options.finalPath(createdAtMs);
    const manifest: SnapshotManifest = {
      format: manifestFormat,
      formatVersion: 1,
      kind: options.kind,
      file: basename(finalPath),
      sourcePath: options.sourcePath,
      archiveId: facts.archiveId,
      schemaVersion: facts.schemaVersion,
      createdAt: new Date(createdAtMs).toISOString(),
      createdAtMs,
      sizeBytes,
      sha256,
      integrity: facts.integrity,
      lastSyncRun: facts.lastSyncRun,
      counts: facts.counts,
      tool: toolName,
      toolVersion,
      ...(files ? { files: files.files } : {}),
    };
    writeFileSync(tempManifest, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    fsyncFile(tempManifest);
    testPausePoint('backup:verified');
    // The files before the manifest and the database: a committed snapshot always has them.
    if (existsSync(fileStoreRoot(tempDb))) {
      renameSync(fileStoreRoot(tempDb), fileStoreRoot(finalPath));
      filesPlaced = true;
    }
    renameSync(tempManifest, sidecarPath(finalPath));
    manifestPlaced = true;
    testPausePoint('backup:rename');
    renameSync(tempDb, finalPath);
    committed = true;
    fsyncDir(dirname(finalPath));
    return { path: finalPath, manifest, restarts, files: files?.counts ?? null };
  } catch (error) {
    removeDatabaseFiles(tempDb);
    rmSync(fileStoreRoot(tempDb), { recursive: true, force: true });
    rmSync(tempManifest, { force: true });
    if (filesPlaced && !committed && finalPath !== undefined) rmSync(fileStoreRoot(finalPath), { recursive: true, force: true });
    if (committed && finalPath !== undefined) {
      rmSync(finalPath, { force: true });
      rmSync(fileStoreRoot(finalPath), { recursive: true, force: true });
    }
    if (manifestPlaced && finalPath !== undefined) rmSync(sidecarPath(finalPath), { force: true });
    throw fileFailure('BACKUP_FAILED', `Could not write a snapshot of ${options.sourcePath} to ${options.dir}`, error, 'Check the folder and try again.');
  }
}

/** Earlier good snapshots of the same archive in `dir` that hold stored files, newest first: where a new snapshot links its files from. */
function earlierSnapshots(dir: string, archiveId: string | null, sourcePath: string): string[] {
  return listSnapshots(dir)
    .filter((entry) => entry.manifest?.kind === 'snapshot' && entry.manifest.files !== undefined && sameArchive(entry.manifest, { archiveId, sourcePath }))
    .map((entry) => entry.path);
}

/** When the archive's last purge that removed anything ended (epoch ms), or null: nothing was ever purged. */
function lastPurgeAt(db: Database.Database): number | null {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'retention_runs'").get() !== undefined;
  if (!hasTable) return null;
  const row = db.prepare<[], { at: number | null }>('SELECT max(coalesce(ended_at, started_at)) AS at FROM retention_runs WHERE purged > 0').get();
  return row?.at ?? null;
}
