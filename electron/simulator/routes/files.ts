import { HttpError, notFound } from '../http/errors';
import { binaryReply, redirectReply, type Reply } from '../http/reply';
import { fileChunks, fileContentType, fileRedirects, type FileEntry } from '../org/files';
import type { SimState } from '../state';
import { canRead, param, type ApiRoute } from './types';

/**
 * F1, `GET /api/v2/files/{file_id}` (docs/cliq-api.md §7.6, §10.12): the bytes of a message's
 * `content.file`, for files in conversations the caller can read (the same rule as MS1). The answer's
 * format is undocumented [GAP]: here raw bytes with Content-Type, Content-Length and an attachment
 * Content-Disposition, or for a share of files a 302 to the download host.
 */

/** RFC 5987 attr-chars stay; everything else (UTF-8) is percent-encoded. */
function extValue(text: string): string {
  return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266). filename* carries the name exactly as
 * the message gives it; the quoted fallback is printable ASCII with `"` and `\` escaped and
 * everything else (controls, CR/LF, non-ASCII, the RTL override) replaced by `_`. Slashes and `..`
 * are left in both on purpose: sanitising a name is the client's job, and the simulator is hostile.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/g, (c) => `\\${c}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${extValue(name)}`;
}

/** The 200 answer with the file's bytes (F1 itself, or the download host). */
export function fileReply(state: SimState, file: FileEntry): Reply {
  const seed = state.org.fileSeed;
  return binaryReply(fileContentType(file.name, file.type), file.size, () => fileChunks(seed, file), {
    'content-disposition': contentDisposition(file.name),
  });
}

const getFile: ApiRoute = {
  method: 'GET',
  path: '/api/v2/files/{FILE_ID}',
  family: 'files.get',
  handle(request) {
    const { state } = request;
    const file = state.files.get(param(request, 'FILE_ID'));
    // Unknown ids, files of deleted messages and of removed chats: all gone alike.
    const conversation = file ? state.org.live(file.chatId) : undefined;
    if (!file || !conversation) throw notFound();
    if (!canRead(state.org, conversation, request.viewer)) throw new HttpError(403);
    if (fileRedirects(state.org.fileSeed, file.id, state.options.fileRedirectShare)) {
      return redirectReply(state.downloads.url(file.id, request.now, state.options.downloadUrlTtlMs));
    }
    return fileReply(state, file);
  },
};

export const fileRoutes: ApiRoute[] = [getFile];
