/**
 * Where `cliq-vault serve` sends an archived file's bytes (electron/server/fileRoutes.ts): plain
 * GETs the browser makes itself (a download link, an <img>), authorised by the session cookie.
 * Relative, as the operations are, so the UI works under any root. The desktop app has no such
 * URLs: it saves and opens through operations (files:save, files:open, archive:thumbnail).
 */
export interface FileRef {
  chatId: string;
  messageId: string;
  fileId: string;
}

function query(ref: FileRef): string {
  return new URLSearchParams({ chat: ref.chatId, message: ref.messageId, file: ref.fileId }).toString();
}

/** The download (always `Content-Disposition: attachment`, never rendered). */
export function fileDownloadHref(ref: FileRef, base = ''): string {
  return `${base}api/file?${query(ref)}`;
}

/** The image preview (PNG, JPEG, GIF or WebP by its bytes, or 404). */
export function fileThumbnailHref(ref: FileRef, base = ''): string {
  return `${base}api/thumbnail?${query(ref)}`;
}

/** An audit bundle's zip, by its audit log id (electron/server/bundleZipRoute.ts); prepared first by `audit:zip`. */
export function bundleZipHref(id: number, base = ''): string {
  return `${base}api/bundle.zip?${new URLSearchParams({ id: String(id) }).toString()}`;
}
