import { VaultError } from '../../../shared/errors';
import { openFileStore } from '../files/store';
import { throwIfAborted } from '../util/clock';
import type { SnapshotFiles } from './snapshotFiles';

/** What a restore did with the snapshot's stored files. */
export interface FilesRestoreCounts {
  /** Objects the snapshot holds. */
  files: number;
  /** Copied into the archive's store because it lacked them. */
  copied: number;
  bytesCopied: number;
  /** Already in the archive's store with the right bytes: kept as they were. */
  present: number;
  /** In the archive's store under the right name but with other bytes: kept as found (never overwritten), listed here. */
  damaged: string[];
}

/**
 * Brings the snapshot's stored files back into the archive's store: each object the store lacks
 * is copied in through put() (streamed, hashed, fsynced, linked into place), so the restored
 * archive's attachments open. Nothing in the store is overwritten or removed: an object already
 * there is re-hashed and kept when right, and reported when not. Runs before the archive is
 * swapped, so a failure here (a full disk) leaves the archive as it was; objects copied by then
 * stay (content-addressed: they are only the snapshot's bytes, and `verify --files` lists any
 * the archive does not name).
 */
export async function restoreSnapshotFiles(snapshotPath: string, files: SnapshotFiles, archivePath: string, signal?: AbortSignal): Promise<FilesRestoreCounts> {
  const from = openFileStore(snapshotPath);
  const to = openFileStore(archivePath);
  const counts: FilesRestoreCounts = { files: files.objects.length, copied: 0, bytesCopied: 0, present: 0, damaged: [] };
  for (const { sha256, size } of files.objects) {
    throwIfAborted(signal);
    if ((await to.stat(sha256)) !== null) {
      const existing = await to.verify(sha256, signal);
      if (existing.ok) counts.present += 1;
      else counts.damaged.push(sha256);
      continue;
    }
    const put = await to.put(from.read(sha256), { expectedSize: size, ...(signal ? { signal } : {}) });
    if (put.sha256 !== sha256) {
      throw new VaultError('RESTORE_REFUSED', `The snapshot's stored file ${sha256} changed while it was being restored.`, {
        hint: 'The archive was not replaced. Verify the snapshot (`cliq-vault backup --list --to DIR`) and pick a good one.',
        ui: { message: `The snapshot's stored file ${sha256} changed while it was being restored.`, hint: 'The archive was not replaced. Pick a snapshot the list shows as good.' },
      });
    }
    counts.copied += 1;
    counts.bytesCopied += size;
  }
  return counts;
}
