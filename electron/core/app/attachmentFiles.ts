import { randomBytes } from 'node:crypto';
import { constants, createWriteStream } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, rename, rm, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AttachmentRow } from '../../../shared/archive';
import { attachmentStatusWords } from '../../../shared/attachments';
import { VaultError } from '../../../shared/errors';
import { listAttachments, type AttachmentRecord } from '../archive/attachmentReads';
import { errorCodeOf, fileFailure, fsyncDir, fsyncFile } from '../backup/files';
import { openRefusal, safeFileName } from '../files/fileNames';
import { imageTypeOf, imageTypeOfFile, maxPreviewBytes, type ImageType } from '../files/imageKind';
import { fileStoreRoot, openFileStore, type FileStore } from '../files/store';
import type { AppContext } from './context';

/** One attachment, as the contract names it. */
export interface FileRef {
  chatId: string;
  messageId: string;
  fileId: string;
}

/**
 * What the screens do with an archived file: describe it (preview-able image? safe to open?),
 * preview it, save a copy where the user chooses, open a copy with the OS. The bytes always come
 * from the file store by the SHA-256 a stored attachment row names, never from a path or a name
 * Cliq gave; copies are written beside their destination and renamed into place, so a failure
 * leaves nothing half-written.
 */
export function createAttachmentFiles(ctx: AppContext) {
  let sessionDir: Promise<string> | null = null;

  const storeOf = () => openFileStore(ctx.archivePath());

  async function describe(records: AttachmentRecord[]): Promise<AttachmentRow[]> {
    const store = records.some((r) => r.status === 'stored') ? storeOf() : null;
    const rows: AttachmentRow[] = [];
    // One file at a time: a list of a thousand files must not open a thousand at once.
    for (const record of records) {
      const previewable = store !== null && record.status === 'stored' && record.sha256 !== null && (record.size ?? Infinity) <= maxPreviewBytes;
      const image = previewable && (await imageTypeOfStored(store, record.sha256 ?? '')) !== null;
      rows.push({ ...record, image, openRefusal: openRefusal(record.fileName) });
    }
    return rows;
  }

  /** The stored attachment `ref` names and its object in the store; NOT_FOUND (in words) otherwise. */
  async function storedFile(ref: FileRef): Promise<{ record: AttachmentRecord; sha256: string; path: string; store: FileStore; name: string }> {
    const [record] = listAttachments(ctx.readDb(), ref.chatId, { messageId: ref.messageId, fileId: ref.fileId, limit: 1 });
    if (!record) throw new VaultError('NOT_FOUND', `The archive has no file ${ref.fileId} in message ${ref.messageId} of ${ref.chatId}.`);
    const name = safeFileName(record.fileName, `file-${ref.fileId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}`);
    if (record.status !== 'stored' || record.sha256 === null) {
      throw new VaultError('NOT_FOUND', `${JSON.stringify(name)} is not in the archive (${attachmentStatusWords[record.status]}).`, {
        ...(record.reason ? { hint: record.reason } : {}),
      });
    }
    const store = storeOf();
    const size = await store.stat(record.sha256);
    if (size === null) {
      throw new VaultError('NOT_FOUND', `The stored copy of ${JSON.stringify(name)} is missing from the file store.`, {
        hint: 'Run `cliq-vault verify --files` to list what is missing, and restore the file store from a backup.',
        ui: {
          message: `The stored copy of ${JSON.stringify(name)} is missing from the file store.`,
          hint: 'Verify the archive with its files (Schedule & backups) to list what is missing, and restore the file store from a backup.',
        },
      });
    }
    if (size !== record.size) {
      throw new VaultError('TAMPERED', `The stored copy of ${JSON.stringify(name)} is ${size} bytes; the archive recorded ${record.size}.`, {
        hint: 'Run `cliq-vault verify --files`: the file store was changed outside Cliq Vault.',
        ui: {
          message: `The stored copy of ${JSON.stringify(name)} is ${size} bytes; the archive recorded ${record.size}.`,
          hint: 'Verify the archive with its files (Schedule & backups): the file store was changed outside Cliq Vault.',
        },
      });
    }
    return { record, sha256: record.sha256, path: store.pathOf(record.sha256), store, name };
  }

  async function thumbnail(ref: FileRef): Promise<{ dataUrl: string | null }> {
    const [record] = listAttachments(ctx.readDb(), ref.chatId, { messageId: ref.messageId, fileId: ref.fileId, limit: 1 });
    if (record?.status !== 'stored' || record.sha256 === null || (record.size ?? Infinity) > maxPreviewBytes) return { dataUrl: null };
    const store = storeOf();
    const size = await store.stat(record.sha256);
    if (size === null || size < 0 || size > maxPreviewBytes) return { dataUrl: null };
    // The type is decided on the very bytes sent, after they were read: never the sender's say-so.
    const bytes = await readStored(store, record.sha256);
    const type = bytes.length <= maxPreviewBytes ? imageTypeOf(bytes) : null;
    return { dataUrl: type === null ? null : `data:${type};base64,${bytes.toString('base64')}` };
  }

  async function save(ref: FileRef): Promise<{ available: boolean; path: string | null }> {
    const { host } = ctx.deps;
    if (!host.saveFile) return { available: false, path: null };
    const file = await storedFile(ref);
    // The dialog asks before replacing an existing file; what it answers has that consent.
    const chosen = await host.saveFile({ title: 'Save a copy of the file', defaultPath: file.name });
    if (chosen === null) return { available: true, path: null };
    const target = resolve(chosen);
    refuseArchiveTarget(target, ctx.archivePath());
    await copyInto(file, target, file.record.size ?? 0, 0o644);
    return { available: true, path: target };
  }

  async function open(ref: FileRef): Promise<{ available: boolean; opened: boolean; refusal: string | null }> {
    const { host } = ctx.deps;
    if (!host.openPath) return { available: false, opened: false, refusal: null };
    const file = await storedFile(ref);
    const refusal = openRefusal(file.record.fileName);
    if (refusal !== null) return { available: true, opened: false, refusal };
    sessionDir ??= mkdtemp(join(tmpdir(), 'cliq-vault-open-'));
    // One folder per object, so two files of the same name never meet; read-only copies.
    const dir = join(await sessionDir, file.sha256.slice(0, 16));
    const target = join(dir, file.name);
    if ((await stat(target).catch(() => null))?.size !== file.record.size) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await copyInto(file, target, file.record.size ?? 0, 0o400);
    }
    await host.openPath(target);
    return { available: true, opened: true, refusal: null };
  }

  /** Removes this session's copies for opening (the OS app may still hold one: then it stays for the OS to clean). */
  async function close(): Promise<void> {
    if (sessionDir === null) return;
    const dir = await sessionDir;
    sessionDir = null;
    await rm(dir, { recursive: true, force: true }).catch((error: unknown) => ctx.log.warn('Could not remove the copies opened this session', { dir, error: String(error) }));
  }

  return { describe, thumbnail, save, open, close };
}

export type AttachmentFiles = ReturnType<typeof createAttachmentFiles>;

/** A copy never lands on the archive or in its file store: that would replace evidence. */
function refuseArchiveTarget(target: string, archivePath: string): void {
  const archive = resolve(archivePath);
  const store = fileStoreRoot(archivePath);
  if ([archive, `${archive}-wal`, `${archive}-shm`, store].includes(target) || target.startsWith(store + sep)) {
    throw new VaultError('USAGE', 'A copy cannot be saved over the archive or into its file store.', { hint: 'Choose another folder.' });
  }
}

/**
 * Copies `source` (the OS copies it in chunks; never read whole here) to a temp name beside
 * `target`, checks its size, flushes it and renames it into place.
 */
async function copyInto(source: { path: string; sha256: string; store: FileStore }, target: string, expectedSize: number, mode: number): Promise<void> {
  const temp = join(dirname(target), `.${basename(target).slice(0, 40)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    // A sealed object is opened (and authenticated) on the way; a plain one the OS copies as it is.
    if (source.store.sealed) await pipeline(source.store.read(source.sha256), createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
    else await copyFile(source.path, temp, constants.COPYFILE_EXCL);
    await chmod(temp, mode | 0o200);
    const size = (await stat(temp)).size;
    if (size !== expectedSize) throw new VaultError('IO_ERROR', `The copy of the file is ${size} bytes, not ${expectedSize}.`, { hint: 'Try again; nothing was left behind.' });
    fsyncFile(temp);
    await chmod(temp, mode);
    await rename(temp, target);
    fsyncDir(dirname(target));
  } catch (error) {
    await unlink(temp).catch((cleanup: unknown) => {
      if (errorCodeOf(cleanup) !== 'ENOENT') throw fileFailure('IO_ERROR', `Could not remove ${temp}`, cleanup, 'Remove it by hand.');
    });
    throw fileFailure('IO_ERROR', `Could not write ${target}`, error, 'Choose another folder.');
  }
}

/** The image type of a stored object, from its first bytes (no preview when it is missing or unreadable). */
async function imageTypeOfStored(store: FileStore, sha256: string): Promise<ImageType | null> {
  if (!store.sealed) return imageTypeOfFile(store.pathOf(sha256));
  try {
    for await (const chunk of store.read(sha256)) return imageTypeOf(chunk.subarray(0, 12));
    return imageTypeOf(Buffer.alloc(0));
  } catch {
    // Missing, unreadable or failing its authentication: no preview, which is all this answers.
    return null;
  }
}

/** A small stored object whole (previews only: callers check its size first). */
async function readStored(store: FileStore, sha256: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of store.read(sha256)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
