import { VaultError } from '../../../shared/errors';
import type { FileStore } from '../files/store';
import type { CliqHttp } from './http';

/** What {@link downloadFile} needs; `maxBytes` is the archive's policy, not Cliq's. */
export interface DownloadFileOptions {
  /** The size the message declares (`content.file.dimensions.size`), to cross-check. */
  declaredSize?: number | undefined;
  /** Refuse (FILE_TOO_LARGE, not retried) a file larger than this. */
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface DownloadedFile {
  /** SHA-256 of the bytes: the stored object's name. */
  sha256: string;
  size: number;
  /** As served ('' when none). */
  contentType: string;
  /**
   * The name from Content-Disposition, exactly as sent: untrusted data (it may hold `../`, slashes,
   * control characters). Store and show it as text; never build a path from it.
   */
  filename: string | undefined;
  /** The store already held these bytes (another file id, or an earlier download). */
  deduplicated: boolean;
  /**
   * The message declared a size and the served bytes have another: recorded for the caller to
   * report, not a failure (see below).
   */
  declaredSizeMismatch?: { declared: number; served: number };
}

/**
 * F1 (docs/cliq-api.md §7.6): downloads one file into the store, streamed and hashed as it
 * arrives, never held whole and never stored in part.
 *
 * - The served `Content-Length` is the size the bytes must have (the store's `expectedSize`): a
 *   body that ends early or runs past it is DOWNLOAD_INCOMPLETE, retried like a reset.
 * - Decision: the message's declared size is only cross-checked. The bytes are what the archive
 *   keeps and the Content-Length is checked against the same answer; a message's size can be stale
 *   or rounded, and refusing the file for it would lose evidence. A difference is returned as
 *   `declaredSizeMismatch` for the run to record as a warning.
 * - FORBIDDEN and NOT_FOUND (the file is not visible, its message was deleted) and FILE_TOO_LARGE
 *   (past `maxBytes`) are not retried: the caller records them.
 */
export async function downloadFile(http: CliqHttp, store: Pick<FileStore, 'put'>, fileId: string, options: DownloadFileOptions = {}): Promise<DownloadedFile> {
  if (fileId === '' || fileId.length > 1_000) throw new VaultError('USAGE', `${JSON.stringify(fileId.slice(0, 80))} is not a Cliq file id.`);
  const { declaredSize, maxBytes, signal } = options;
  return http.download({ family: 'files.get', path: `/api/v2/files/${encodeURIComponent(fileId)}`, rest: true, signal }, async (body, meta) => {
    const stored = await store.put(body, {
      ...(meta.contentLength !== undefined ? { expectedSize: meta.contentLength } : {}),
      ...(maxBytes !== undefined ? { maxBytes } : {}),
      ...(signal ? { signal } : {}),
    });
    const result: DownloadedFile = { sha256: stored.sha256, size: stored.size, contentType: meta.contentType, filename: meta.filename, deduplicated: stored.deduplicated };
    if (declaredSize !== undefined && declaredSize !== stored.size) result.declaredSizeMismatch = { declared: declaredSize, served: stored.size };
    return result;
  });
}
