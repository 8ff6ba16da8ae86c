import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isVaultError } from '../../../shared/errors';
import { latestSchemaVersion } from '../archive/migrations';
import { sha256File } from './files';
import { readManifest, sidecarPath, type SnapshotManifest } from './manifest';
import { inspectSnapshotFile, type CopyFacts } from './onlineCopy';
import { verifySnapshotFiles } from './snapshotFiles';

export interface SnapshotVerification {
  path: string;
  ok: boolean;
  /** Why it cannot be trusted, in words; empty when ok. */
  problems: string[];
  manifest?: SnapshotManifest;
  sha256?: string;
  sizeBytes?: number;
  facts?: CopyFacts;
  /** Stored files re-hashed in the snapshot's `.sqlite.files` (0 for a snapshot without files). */
  filesChecked: number;
  /**
   * What could not be checked, in words: an encrypted snapshot whose key was not given (or does not
   * open it) is checked against its manifest only (size, SHA-256), not its content or stored files.
   */
  unchecked?: string;
}

/**
 * Checks a snapshot before anyone relies on it: its manifest is ours, the file's size and SHA-256
 * match it (so these are the bytes that passed integrity_check when the snapshot was made), it
 * passes PRAGMA integrity_check now, it is the archive the manifest names, and its schema is one
 * this version of Cliq Vault can open (a snapshot of a newer archive is kept, never restored here),
 * and every stored file the manifest lists is in the snapshot's `.sqlite.files` and hashes to its name.
 */
export async function verifySnapshot(snapshotPath: string, signal?: AbortSignal): Promise<SnapshotVerification> {
  const path = resolve(snapshotPath);
  if (!existsSync(path)) return { path, ok: false, problems: ['no such file'], filesChecked: 0 };
  const problems: string[] = [];
  const read = readManifest(sidecarPath(path));
  const manifest = 'manifest' in read ? read.manifest : undefined;
  if ('problem' in read) problems.push(read.problem);

  const { sha256, sizeBytes } = await sha256File(path, signal);
  if (manifest) {
    if (manifest.sizeBytes !== sizeBytes) problems.push(`size is ${sizeBytes} bytes, the manifest says ${manifest.sizeBytes}`);
    if (manifest.sha256 !== sha256) problems.push('SHA-256 differs from the manifest: the file changed after it was made');
    if (manifest.integrity !== 'ok') problems.push(`made from a damaged archive (integrity_check: ${manifest.integrity})`);
  }

  let facts: CopyFacts | undefined;
  let unchecked: string | undefined;
  try {
    facts = inspectSnapshotFile(path);
  } catch (error) {
    if (isVaultError(error) && (error.code === 'ARCHIVE_KEY_REQUIRED' || error.code === 'ARCHIVE_KEY_WRONG')) {
      // Not a fault of the snapshot: a listing of many snapshots must not stop at the first one it cannot open.
      unchecked = `encrypted, and ${error.code === 'ARCHIVE_KEY_REQUIRED' ? 'no key was given' : 'the key given does not open it'}: checked against its manifest only (size, SHA-256), not its content or stored files`;
    } else if (error instanceof Database.SqliteError) {
      problems.push(`not a readable SQLite database (${error.code})`);
    } else {
      throw error;
    }
  }
  if (facts) {
    if (facts.integrity !== 'ok') problems.push(`integrity_check: ${facts.integrity}`);
    if (facts.schemaVersion > latestSchemaVersion) {
      problems.push(`written by a newer Cliq Vault (schema ${facts.schemaVersion}; this version knows up to ${latestSchemaVersion})`);
    }
    if (manifest && facts.archiveId !== manifest.archiveId) problems.push('its archive id differs from the manifest');
  }
  // The stored files are checked like the database: every byte re-hashed against its name.
  // Sealed stored files cannot be re-hashed without the key either (they would all look changed).
  const files = manifest?.files && unchecked === undefined ? await verifySnapshotFiles(path, manifest.files, signal) : { checked: 0, problems: [] };
  problems.push(...files.problems);
  return {
    path,
    ok: problems.length === 0,
    problems,
    sha256,
    sizeBytes,
    filesChecked: files.checked,
    ...(unchecked !== undefined ? { unchecked } : {}),
    ...(manifest ? { manifest } : {}),
    ...(facts ? { facts } : {}),
  };
}
