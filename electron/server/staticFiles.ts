import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { mimeTypeOf } from '../core/util';

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
  return { body: readFileSync(path), type: mimeTypeOf(path) };
}
