import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BundleZip } from '../../shared/archive';
import type { AppService } from '../core/app';
import { attachmentDisposition } from '../core/files';
import { plain, sendOpenFile } from './fileResponse';

/**
 * GET `/api/bundle.zip?id=<audit log id>` of `serve` (behind the bridge's token, Host and Origin
 * checks, like every /api/ path): one audit bundle as a zip, for a browser reaching a headless box
 * through an SSH tunnel. The bundle is named by its audit log row, never a path; `audit:zip`
 * re-checks its folder against the recorded SHA256SUMS and writes the deterministic zip beside it,
 * and this route streams that file (never held in memory) with the SHA-256 the screen showed in
 * `Repr-Digest` (RFC 9530), so the browser's copy can be checked against it.
 */
export const bundleZipRoute = '/api/bundle.zip';

export async function serveBundleZip(req: IncomingMessage, res: ServerResponse, url: URL, service: AppService): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Use GET.');
  const id = Number(url.searchParams.get('id') ?? '');
  if (!Number.isSafeInteger(id) || id < 1) return plain(res, 400, 'Name the bundle: ?id=<its number in the audit history>.');
  const zipped = await service.dispatch('audit:zip', { id });
  if (!zipped.ok) return plain(res, zipped.error.code === 'NOT_FOUND' ? 404 : 409, `${zipped.error.message}${zipped.error.hint ? ` ${zipped.error.hint}` : ''}`);
  const zip = zipped.value as BundleZip;
  let handle: FileHandle;
  try {
    handle = await open(zip.zipPath, 'r');
  } catch {
    return plain(res, 404, 'The zip of this bundle was removed before it could be sent: try again.');
  }
  try {
    // Another download of the same bundle may have renamed a new zip into place: same bytes, by construction.
    const size = (await handle.stat()).size;
    if (size !== zip.sizeBytes) return plain(res, 409, 'The zip of this bundle changed while it was being sent: try again.');
    await sendOpenFile(req, res, handle, {
      'Content-Type': 'application/zip',
      'Content-Length': String(size),
      'Content-Disposition': attachmentDisposition(zip.name),
      'Repr-Digest': `sha-256=:${Buffer.from(zip.sha256, 'hex').toString('base64')}:`,
    });
  } finally {
    await handle.close();
  }
}
