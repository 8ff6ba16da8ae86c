import { openKeyed } from '../cipher';
import { link, lstat, mkdir, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isVaultError } from '../../../shared/errors';
import { referencedObjects } from '../files/referenced';
import { openFileStore, type FileStore } from '../files/store';
import { throwIfAborted } from '../util/clock';
import { errorCodeOf, fileFailure, fsyncDir } from './files';
import type { SnapshotManifest } from './manifest';

/** The files part of a snapshot's manifest. */
export type SnapshotFiles = NonNullable<SnapshotManifest['files']>;

/** What a snapshot did with the archive's stored files. */
export interface FilesBackupCounts {
  /** Objects in the snapshot, and their bytes. */
  files: number;
  bytes: number;
  /** Objects written into the snapshot from the archive's store (read, hashed, fsynced). */
  copied: number;
  bytesCopied: number;
  /** Objects hard-linked from an earlier snapshot of the same archive (no bytes written). */
  linked: number;
  bytesLinked: number;
  /** Objects the database names that the archive's store could not give as stored. */
  unavailable: SnapshotFiles['unavailable'];
}

/**
 * Puts into the store of the snapshot copy at `copyPath` (`<copyPath>.files`, the store's own
 * layout, so the snapshot's files open like an archive's: `openFileStore(snapshotPath)`) every
 * object its database names, as stored attachments. Each is hard-linked from the newest of
 * `earlier` (paths of earlier snapshots of the same archive, newest first) whose copy has the right
 * size — snapshots share the bytes yet each folder holds every file it needs, so deleting one
 * snapshot never takes a file from another — or else copied from `source`: streamed, hashed while
 * written, fsynced and checked against its name. An object the archive's store lacks, or holds with
 * other bytes, is left out and listed as unavailable: the snapshot is still made (nothing in the
 * archive is lost by making it), and says so. Null for a database without attachments.
 */
export async function copySnapshotFiles(copyPath: string, source: FileStore, earlier: string[], signal?: AbortSignal): Promise<{ files: SnapshotFiles; counts: FilesBackupCounts } | null> {
  const objects = readObjects(copyPath);
  if (objects === null) return null;
  const target = openFileStore(copyPath);
  const sources = earlier.map((path) => openFileStore(path));
  const counts: FilesBackupCounts = { files: 0, bytes: 0, copied: 0, bytesCopied: 0, linked: 0, bytesLinked: 0, unavailable: [] };
  const kept: SnapshotFiles['objects'] = [];
  const folders = new Set<string>();
  let previous: string | undefined;
  for (const { sha256, bytes } of objects) {
    throwIfAborted(signal);
    // Two sizes for one hash only come from an edited database (verify reports it); keep the first.
    if (sha256 === previous) continue;
    previous = sha256;
    if (await linkFromEarlier(sources, target, sha256, bytes, folders)) {
      counts.linked += 1;
      counts.bytesLinked += bytes;
    } else {
      const outcome = await copyFromStore(source, target, sha256, bytes, signal);
      if (outcome !== 'copied') {
        counts.unavailable.push({ sha256, size: bytes, reason: outcome });
        continue;
      }
      counts.copied += 1;
      counts.bytesCopied += bytes;
    }
    kept.push({ sha256, size: bytes });
    counts.files += 1;
    counts.bytes += bytes;
  }
  // put() flushed the folders it made; a link's new name must survive a power cut too.
  for (const folder of folders) fsyncDir(folder);
  await rm(join(target.root, 'tmp'), { recursive: true, force: true });
  return { files: { objects: kept, bytes: counts.bytes, unavailable: counts.unavailable }, counts };
}

/**
 * Re-hashes every object a snapshot's manifest lists, in the snapshot's own store: the problems
 * found, in words (the first 20, then how many more).
 */
export async function verifySnapshotFiles(snapshotPath: string, files: SnapshotFiles, signal?: AbortSignal): Promise<{ checked: number; problems: string[] }> {
  const store = openFileStore(snapshotPath);
  const problems: string[] = [];
  let checked = 0;
  for (const { sha256, size } of files.objects) {
    throwIfAborted(signal);
    checked += 1;
    const problem = await objectProblem(store, sha256, size, signal);
    if (problem !== null) problems.push(problem);
  }
  return { checked, problems: problems.length > 20 ? [...problems.slice(0, 20), `and ${problems.length - 20} more stored file(s) with problems`] : problems };
}

async function objectProblem(store: FileStore, sha256: string, size: number, signal: AbortSignal | undefined): Promise<string | null> {
  try {
    const result = await store.verify(sha256, signal);
    if (!result.ok) return `stored file ${sha256} no longer hashes to its name: it changed after the snapshot was made`;
    if (result.size !== size) return `stored file ${sha256} has ${result.size} bytes, the manifest says ${size}`;
    return null;
  } catch (error) {
    if (isVaultError(error) && error.code === 'NOT_FOUND') return `stored file ${sha256} is missing from ${store.root}`;
    throw error;
  }
}

/** The objects the snapshot copy's own database names: consistent with it, whatever a sync did since. */
function readObjects(copyPath: string): { sha256: string; bytes: number }[] | null {
  const db = openKeyed(copyPath, { readonly: true, fileMustExist: true });
  try {
    return referencedObjects(db);
  } finally {
    db.close();
  }
}

/** Links the object from the first earlier snapshot holding it with the right size; false when none could. */
async function linkFromEarlier(sources: FileStore[], target: FileStore, sha256: string, size: number, folders: Set<string>): Promise<boolean> {
  // A sealed object is copied (sealed afresh under the archive's key): an earlier snapshot may be under a key since changed.
  if (target.sealed) return false;
  const to = target.pathOf(sha256);
  for (const source of sources) {
    const from = source.pathOf(sha256);
    try {
      const facts = await lstat(from);
      if (!facts.isFile() || facts.size !== size) continue;
      await mkdir(dirname(to), { recursive: true });
      await link(from, to);
      // The link's folder and the ones mkdir may have made for it (…/ab/cd, …/ab, sha256/).
      for (let folder = dirname(to), up = 0; up < 3; folder = dirname(folder), up += 1) folders.add(folder);
      return true;
    } catch (error) {
      const code = errorCodeOf(error);
      // Not there, or no hard links between these two (another device, a file system without
      // them, a link count at its limit): the object is copied instead.
      if (code === 'ENOENT' || code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EMLINK') continue;
      throw fileFailure('BACKUP_FAILED', `Could not link the stored file ${sha256} from ${source.root}`, error, 'Check the backup folder.');
    }
  }
  return false;
}

/** Copies the object from the archive's store through put() (streamed, hashed, fsynced), or says why it cannot be kept. */
async function copyFromStore(source: FileStore, target: FileStore, sha256: string, size: number, signal: AbortSignal | undefined): Promise<'copied' | 'missing' | 'changed'> {
  if ((await source.stat(sha256)) === null) return 'missing';
  try {
    const put = await target.put(source.read(sha256), { expectedSize: size, ...(signal ? { signal } : {}) });
    if (put.sha256 === sha256) return 'copied';
    // Other bytes under this name: they are no copy of the file, and must not sit in the snapshot.
    if (!put.deduplicated) await unlink(put.path);
    return 'changed';
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT' || (isVaultError(error) && error.code === 'NOT_FOUND')) return 'missing';
    // A sealed object that fails its authentication is no copy of the file either.
    if (isVaultError(error) && (error.code === 'DOWNLOAD_INCOMPLETE' || error.code === 'TAMPERED')) return 'changed';
    throw error;
  }
}
