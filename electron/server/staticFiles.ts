import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The file under `root` a URL path names, or null. Anything that would leave `root` — `..`,
 * encoded or not, backslashes, NUL, absolute paths — is refused rather than normalised.
 */
export function resolveStatic(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((part) => part === '..')) return null;
  const full = normalize(join(root, relative));
  if (!full.startsWith(normalize(root).replace(/[\\/]?$/, sep))) return null;
  if (!existsSync(full) || !statSync(full).isFile()) return null;
  return full;
}

export function readStatic(path: string): { body: Buffer; type: string } {
  return { body: readFileSync(path), type: mimeTypes[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}
