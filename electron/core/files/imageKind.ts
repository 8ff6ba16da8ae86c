import { open } from 'node:fs/promises';

/** The image types a preview is made of: raster formats browsers decode without running anything. Never SVG. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** The largest stored image a preview is made of (bigger ones show none). */
export const maxPreviewBytes = 2 * 1024 * 1024;

/**
 * The image type of bytes by their magic numbers alone (never by Cliq's declared type or the
 * name, which are the sender's say-so), or null when they are none of PNG, JPEG, GIF or WebP.
 */
export function imageTypeOf(head: Uint8Array): ImageType | null {
  const at = (i: number) => head[i];
  const ascii = (from: number, text: string) => Array.from({ length: text.length }, (_, i) => text.charCodeAt(i)).every((code, i) => at(from + i) === code);
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'image/png';
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'image/gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  return null;
}

/** The image type of a file on disk by its first bytes (see imageTypeOf); null for anything else or a missing file. */
export async function imageTypeOfFile(path: string): Promise<ImageType | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    // Missing or unreadable: no preview, which is all this answers.
    return null;
  }
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return imageTypeOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
