import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { syncArchive } from '../../electron/core/createCore';
import { referencedObjects, type ReferencedObject } from '../../electron/core/files/referenced';
import { openFileStore } from '../../electron/core/files/store';
import type { RunningSimulator } from '../../electron/simulator';
import { connectionTo } from './sim';

/** Syncs `sim` into `path` with its files, and returns the objects its stored attachments name (at least 2, some non-empty). */
export async function archiveWithFiles(sim: RunningSimulator, path: string): Promise<ReferencedObject[]> {
  const report = await syncArchive(path, connectionTo(sim), { files: 'all' });
  expect(report.status).toBe('complete');
  const objects = storedObjects(path);
  expect(objects.filter((o) => o.bytes > 0).length).toBeGreaterThanOrEqual(2);
  return objects;
}

/** The objects the archive's stored attachments name, read from its database. */
export function storedObjects(path: string): ReferencedObject[] {
  const db = new Database(path, { readonly: true });
  try {
    return referencedObjects(db) ?? [];
  } finally {
    db.close();
  }
}

/** Flips one byte of a stored object in place (same size): what bit rot or a quiet edit does. */
export function tamperObject(archivePath: string, sha256: string): void {
  const path = openFileStore(archivePath).pathOf(sha256);
  const bytes = readFileSync(path);
  bytes[0] = (bytes[0] ?? 0) ^ 0xff;
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
}
