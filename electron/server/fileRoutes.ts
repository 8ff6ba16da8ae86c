import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { AttachmentRow } from '../../shared/archive';
import type { AppInfo } from '../../shared/views';
import type { AppService } from '../core/app';
import { attachmentDisposition, imageTypeOf, maxPreviewBytes, openFileStore, type FileStore } from '../core/files';
import { fileCsp, plain, sendOpenFile } from './fileResponse';

/**
 * The two GET routes of `serve` that send an archived file's bytes (behind the bridge's token, Host
 * and Origin checks, like every /api/ path):
 *
 * - `/api/file?chat=…&message=…&file=…`: the download. Only an object a stored attachment row
 *   names, streamed from the file store (never read whole), always `application/octet-stream` with
 *   `Content-Disposition: attachment` (the name made safe), nosniff and a CSP that allows nothing,
 *   so no browser renders it, whatever Cliq said its type was.
 * - `/api/thumbnail?…`: the same object as an image preview, only when its own first bytes say PNG,
 *   JPEG, GIF or WebP (never SVG; never by the declared type or name) and it is at most 2 MB.
 */
export const fileRoutes = { download: '/api/file', thumbnail: '/api/thumbnail' } as const;

export async function serveAttachment(req: IncomingMessage, res: ServerResponse, url: URL, service: AppService): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Use GET.');
  const ref = { chatId: url.searchParams.get('chat'), messageId: url.searchParams.get('message'), fileId: url.searchParams.get('file') };
  if (ref.chatId === null || ref.messageId === null || ref.fileId === null) return plain(res, 400, 'Name the file: ?chat=…&message=…&file=…');
  const found = await service.dispatch('archive:attachments', { ...ref, limit: 1 });
  if (!found.ok) return plain(res, found.error.code === 'USAGE' ? 400 : 404, found.error.message);
  const row = (found.value as AttachmentRow[])[0];
  if (row?.status !== 'stored' || row.sha256 === null) return plain(res, 404, 'The archive holds no such file.');
  const info = await service.dispatch('app:info', {});
  const archivePath = info.ok ? (info.value as AppInfo).archivePath : null;
  if (archivePath === null) return plain(res, 404, 'The archive holds no such file.');

  const store = openFileStore(archivePath);
  if (store.sealed) return serveSealed(req, res, url, store, row, row.sha256);
  let handle: FileHandle;
  try {
    handle = await open(store.pathOf(row.sha256), 'r');
  } catch {
    // A row says stored but the store has no object: verify --files reports it; here, not found.
    return plain(res, 404, 'The stored copy of this file is missing from the file store.');
  }
  try {
    const size = (await handle.stat()).size;
    if (size !== row.size) return plain(res, 409, 'The stored copy of this file no longer has the size the archive recorded: verify the archive, re-hashing its attachment files.');
    const thumbnail = url.pathname === fileRoutes.thumbnail;
    let type = 'application/octet-stream';
    if (thumbnail) {
      const head = Buffer.alloc(12);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const image = size <= maxPreviewBytes ? imageTypeOf(head.subarray(0, bytesRead)) : null;
      if (image === null) return plain(res, 404, 'This file has no preview.');
      type = image;
    }
    await sendOpenFile(req, res, handle, {
      'Content-Type': type,
      'Content-Length': String(size),
      ...(thumbnail ? {} : { 'Content-Disposition': attachmentDisposition(row.fileName) }),
    });
  } finally {
    await handle.close();
  }
}

/**
 * The same answers for the store of an encrypted archive: the object is opened chunk by chunk
 * (each authenticated before it is sent) instead of sent from the file as it is on disk. A chunk
 * that fails its authentication ends the response early: the browser sees a cut download, never
 * altered bytes.
 */
async function serveSealed(req: IncomingMessage, res: ServerResponse, url: URL, store: FileStore, row: AttachmentRow, sha256: string): Promise<void> {
  const size = await store.stat(sha256);
  if (size === null) return plain(res, 404, 'The stored copy of this file is missing from the file store.');
  if (size !== row.size) return plain(res, 409, 'The stored copy of this file no longer has the size the archive recorded: verify the archive, re-hashing its attachment files.');
  const thumbnail = url.pathname === fileRoutes.thumbnail;
  let type = 'application/octet-stream';
  if (thumbnail) {
    let image = null;
    try {
      for await (const chunk of store.read(sha256)) {
        image = size <= maxPreviewBytes ? imageTypeOf(chunk.subarray(0, 12)) : null;
        break;
      }
    } catch {
      image = null;
    }
    if (image === null) return plain(res, 404, 'This file has no preview.');
    type = image;
  }
  res.setHeader('Content-Security-Policy', fileCsp);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(size), ...(thumbnail ? {} : { 'Content-Disposition': attachmentDisposition(row.fileName) }) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(store.read(sha256), res).catch((error: unknown) => {
    if (!res.destroyed) throw error;
  });
}
