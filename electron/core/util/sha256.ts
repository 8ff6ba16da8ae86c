import { hash } from 'node:crypto';

/**
 * SHA-256 of a string (UTF-8) or bytes, as lowercase hex. One-shot `crypto.hash` rather than a
 * Hash object: ~1.3 µs instead of ~2.2 µs for a 700-byte row, and the sync hashes several strings
 * per message.
 */
export function sha256Hex(data: string | Uint8Array): string {
  return hash('sha256', data, 'hex');
}
