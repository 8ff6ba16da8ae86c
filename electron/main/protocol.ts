import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { type Logger, contentSecurityPolicy, mimeTypeOf } from '../core/util';
import { appHost, appScheme } from './origin';

/**
 * The `app:` scheme: the renderer's files, and nothing else, with a strict CSP. A custom protocol
 * instead of `file://` (Electron security checklist, item 18) gives the renderer a real origin for
 * the IPC sender check, and keeps every other file on the disk out of reach of a page.
 */

export { contentSecurityPolicy, mimeTypeOf };

/**
 * The file under `root` an `app://cliq-vault/…` URL names, or null when it names nothing we serve:
 * another scheme or host, a `.`/`..` segment (also percent-encoded, also made of an encoded `/`),
 * a backslash, a drive letter or other `:`, a NUL, an empty segment, or anything that would land
 * outside `root`. `/` is index.html. Checked after decoding, whatever Chromium normalised before.
 */
export function resolveRendererFile(root: string, requestUrl: string): string | null {
  // The raw text, not `URL.pathname`: the WHATWG parser would quietly collapse `/../`, and a request
  // that tries it is refused, not clamped into the folder.
  const prefix = `${appScheme}://${appHost}/`;
  if (!requestUrl.startsWith(prefix)) return null;
  const rawPath = requestUrl.slice(prefix.length).split(/[?#]/, 1)[0] ?? '';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Malformed percent-encoding: not a name of any file we ship.
    return null;
  }
  if (path.includes('\0') || path.includes('\\') || path.includes(':')) return null;
  const segments = path === '' ? ['index.html'] : path.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) return null;
  const file = resolve(root, ...segments);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return file;
}

function headers(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: headers('text/plain; charset=utf-8') });
}

/** The request handler for `app:`, serving files under `root` (dist/renderer). */
export function createAppProtocolHandler(root: string, log: Logger): (request: Request) => Promise<Response> {
  const base = resolve(root);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed');
    const file = resolveRendererFile(base, request.url);
    if (file === null) return plain(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return plain(404, 'Not found');
      log.error('app: protocol could not read a renderer file', { file, code });
      return plain(500, 'Could not read the file');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: headers(mimeTypeOf(file)) });
  };
}

/**
 * Declares `app:` privileged (standard, secure, fetch-capable). Electron only accepts this before
 * the app is ready, so index.ts calls it at load.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves `app:` from `root`; after ready. */
export function serveAppScheme(root: string, log: Logger): void {
  protocol.handle(appScheme, createAppProtocolHandler(root, log));
}
