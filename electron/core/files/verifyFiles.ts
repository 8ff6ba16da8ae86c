import type Database from 'better-sqlite3-multiple-ciphers';
import { isVaultError } from '../../../shared/errors';
import type { FileFinding, FilesCheck, VerifyReport } from '../../../shared/archive';
import { verifyArchive } from '../archive/sealing/verify';
import { throwIfAborted } from '../util/clock';
import { referencedObjects } from './referenced';
import { isSha256, openFileStore, type FileStore } from './store';

const maxReportedFindings = 1_000;

export interface VerifyFilesOptions {
  /** Re-hash every object (streamed) against its sealed SHA-256, and look for objects nobody references. */
  rehash?: boolean;
  signal?: AbortSignal;
}

/**
 * `verify --archive`: every seal (verifyArchive), then the file store against the stored
 * attachments. Nothing is written, moved or deleted, in the archive or in its store.
 */
export async function verifyArchiveWithFiles(db: Database.Database, archivePath: string, options: VerifyFilesOptions = {}): Promise<VerifyReport> {
  const report = verifyArchive(db);
  const files = await checkStoredFiles(db, openFileStore(archivePath), options);
  return { ...report, files, ok: report.ok && (files === null || files.findings.length === 0) };
}

/**
 * Checks that every object a stored attachment names is in the store with the recorded size (a
 * stat each: cheap), or with `rehash` that its bytes still hash to the sealed SHA-256 (reads
 * every byte) and that the store holds nothing else. Null for an archive without attachments.
 */
export async function checkStoredFiles(db: Database.Database, store: FileStore, options: VerifyFilesOptions = {}): Promise<FilesCheck | null> {
  const objects = referencedObjects(db);
  if (objects === null) return null;
  const rehash = options.rehash ?? false;
  const check: FilesCheck = { rehashed: rehash, attachments: 0, filesChecked: 0, bytesHashed: 0, missing: 0, changed: 0, added: 0, findings: [] };
  const note = (finding: FileFinding, counter: 'missing' | 'changed' | 'added'): void => {
    check[counter] += 1;
    if (check.findings.length < maxReportedFindings) check.findings.push(finding);
  };
  const referenced = new Set<string>();
  for (const object of objects) {
    throwIfAborted(options.signal);
    check.attachments += object.attachments;
    check.filesChecked += 1;
    referenced.add(object.sha256);
    const base = { sha256: object.sha256, expectedBytes: object.bytes, attachments: object.attachments };
    // The table's CHECK allows only hex hashes; a row edited around it is reported by the seals.
    const size = isSha256(object.sha256) ? await store.stat(object.sha256) : null;
    if (size === null) {
      note({ ...base, code: 'file_missing', actualBytes: null, detail: `The stored file ${object.sha256} (${object.bytes} bytes) is not in ${store.root}.` }, 'missing');
      continue;
    }
    if (!rehash) {
      if (size !== object.bytes) {
        note({ ...base, code: 'file_size_changed', actualBytes: size, detail: `The stored file ${object.sha256} has ${size} bytes where ${object.bytes} were stored: it was altered.` }, 'changed');
      }
      continue;
    }
    const outcome = await rehashed(store, object.sha256, options.signal);
    if (outcome === null) {
      note({ ...base, code: 'file_missing', actualBytes: null, detail: `The stored file ${object.sha256} disappeared from ${store.root} while it was being checked.` }, 'missing');
      continue;
    }
    check.bytesHashed += outcome.size;
    if (!outcome.ok) {
      note(
        {
          ...base,
          code: 'file_changed',
          actualBytes: outcome.size,
          detail: `The bytes of the stored file ${object.sha256} now hash to ${outcome.actualSha256 ?? '?'}: they were changed after it was stored.`,
        },
        'changed',
      );
    } else if (outcome.size !== object.bytes) {
      note({ ...base, code: 'file_size_changed', actualBytes: outcome.size, detail: `The stored file ${object.sha256} has ${outcome.size} bytes where ${object.bytes} were recorded.` }, 'changed');
    }
  }
  if (rehash) {
    for await (const sha256 of store.list()) {
      throwIfAborted(options.signal);
      if (referenced.has(sha256)) continue;
      const size = await store.stat(sha256);
      note(
        {
          code: 'file_added',
          sha256,
          expectedBytes: null,
          actualBytes: size,
          attachments: 0,
          detail: `${store.root} holds ${sha256}, which no stored attachment names: it was added from outside (kept as found).`,
        },
        'added',
      );
    }
  }
  return check;
}

/** The object re-hashed, or null when it vanished between the stat and the read. */
async function rehashed(store: FileStore, sha256: string, signal: AbortSignal | undefined): Promise<{ ok: boolean; size: number; actualSha256?: string } | null> {
  try {
    return await store.verify(sha256, signal);
  } catch (error) {
    if (isVaultError(error) && error.code === 'NOT_FOUND') return null;
    throw error;
  }
}
