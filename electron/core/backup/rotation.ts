import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { fileStoreRoot } from '../files/store';
import { errorCodeOf } from './files';
import { listSnapshots, newestFirst, type SnapshotEntry } from './catalog';
import { sameArchive, sidecarPath, type SnapshotManifest } from './manifest';
import { snapshotNamePattern } from './names';

export interface RotationResult {
  kept: string[];
  deleted: string[];
  /** Old snapshots that could not be deleted (kept; the backup itself succeeded). */
  failed: { file: string; error: string }[];
}

/**
 * Keeps the newest `keep` snapshots of one archive in `dir` and deletes the older ones.
 *
 * Called only after `newest` was written, verified and renamed into place, and `newest` is always
 * kept whatever the clocks say, so the last good snapshot is never deleted. Only pairs this code
 * made are candidates: a manifest of ours, of kind `snapshot` (never a restore's safety copy), for
 * the same archive id, naming a `<stem>-<UTC>.sqlite` file beside it (with its `.sqlite.files` folder
 * of stored files). Anything else in the folder
 * — other archives' snapshots, files without a manifest, unrelated files — is left alone.
 */
export function rotateSnapshots(dir: string, newest: { path: string; manifest: SnapshotManifest }, keep: number, options: { purgedAfter?: number } = {}): RotationResult {
  if (!Number.isInteger(keep) || keep < 1) throw new RangeError(`keep must be a whole number ≥ 1, not ${keep}`);
  const newestName = basename(newest.path);
  const mine = listSnapshots(dir).filter(
    (entry): entry is SnapshotEntry & { manifest: SnapshotManifest } =>
      entry.manifest !== undefined &&
      entry.problem === undefined &&
      entry.name !== newestName &&
      entry.manifest.kind === 'snapshot' &&
      snapshotNamePattern.test(entry.name) &&
      sameArchive(entry.manifest, newest.manifest),
  );
  mine.sort(newestFirst);
  // With `purgedAfter` (backup --prune-purged): snapshots made before the archive's last purge go
  // too, whatever `keep` says — they still hold what retention removed.
  const purgedBefore = options.purgedAfter;
  const older = mine.filter((entry, i) => i >= keep - 1 || (purgedBefore !== undefined && entry.manifest.createdAtMs < purgedBefore));
  const result: RotationResult = { kept: [newestName, ...mine.filter((e) => !older.includes(e)).map((e) => e.name)], deleted: [], failed: [] };
  for (const entry of older) {
    try {
      // The database first: a sidecar left alone describes nothing and is ignored by listSnapshots.
      rmSync(entry.path);
      rmSync(sidecarPath(entry.path), { force: true });
      // Its stored files are its own names (hard links): the bytes stay for every snapshot that links them.
      rmSync(fileStoreRoot(entry.path), { recursive: true, force: true });
      result.deleted.push(entry.name);
    } catch (error) {
      result.failed.push({ file: entry.name, error: errorCodeOf(error) ?? String(error) });
    }
  }
  return result;
}
