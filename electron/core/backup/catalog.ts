import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pidIsAlive } from '../archive/archive';
import { errorCodeOf, fileFailure } from './files';
import { readManifest, type SnapshotManifest } from './manifest';
import { partialOwner, snapshotNamePattern } from './names';

/** A snapshot found in a folder: its manifest when it has a valid one, else why not. */
export interface SnapshotEntry {
  path: string;
  name: string;
  manifest?: SnapshotManifest;
  problem?: string;
}

/**
 * The snapshots in `dir`, newest first: every `<name>.json` that is a Cliq Vault manifest whose
 * file is there, and every `<stem>-<UTC>.sqlite` that lacks one (listed with the problem: it was
 * not made whole by `backup`, which places the manifest before the snapshot). A manifest alone
 * describes nothing — a backup killed between its two renames, or a rotation between its two
 * deletions — and is not listed. Nothing else in the folder is looked at.
 */
export function listSnapshots(dir: string): SnapshotEntry[] {
  const folder = resolve(dir);
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    throw fileFailure('IO_ERROR', `Could not read the backup folder ${folder}`, error, 'Check the backup folder path.');
  }
  const entries = new Map<string, SnapshotEntry>();
  for (const name of names) {
    if (!name.endsWith('.json') || name.startsWith('.')) continue;
    const read = readManifest(join(folder, name));
    if (!('manifest' in read)) continue;
    const stem = name.slice(0, -'.json'.length);
    const file = `${stem}.sqlite`;
    // A manifest names its own file; one that names another is not trusted to describe anything.
    if (read.manifest.file !== file) continue;
    const path = join(folder, file);
    if (existsSync(path)) entries.set(file, { path, name: file, manifest: read.manifest });
  }
  for (const name of names) {
    if (entries.has(name) || !snapshotNamePattern.test(name)) continue;
    entries.set(name, { path: join(folder, name), name, problem: 'no manifest (.json) beside it' });
  }
  return [...entries.values()].sort(newestFirst);
}

export function newestFirst(a: SnapshotEntry, b: SnapshotEntry): number {
  const at = a.manifest?.createdAtMs ?? 0;
  const bt = b.manifest?.createdAtMs ?? 0;
  if (at !== bt) return bt - at;
  return b.name.localeCompare(a.name, 'en', { numeric: true });
}

/**
 * Removes temporary files that a backup or restore on this host left when its process died
 * (power cut, SIGKILL, out of memory). Files of live processes and of other hosts are left alone,
 * and so is one this user may not delete: cleaning up must never make a backup fail.
 */
export function removeStalePartials(dir: string): string[] {
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const pid = partialOwner(name);
    if (pid === undefined || pid === process.pid || pidIsAlive(pid)) continue;
    try {
      // A temp copy's stored files are a folder.
      rmSync(join(dir, name), { force: true, recursive: true });
      removed.push(name);
    } catch (error) {
      if (!['EACCES', 'EPERM', 'EBUSY'].includes(errorCodeOf(error) ?? '')) throw error;
    }
  }
  return removed;
}
