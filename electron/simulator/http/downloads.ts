import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Signed, short-lived URLs on the download host (the 302 target of F1), as a presigned object-store
 * URL works: the query carries the expiry and an HMAC of (file id, expiry); the key is a secret of
 * this simulator instance (node:crypto, not the seed), so a URL from another instance is refused.
 */
export class DownloadSigner {
  /** Set once the download listener is up: http://127.0.0.1:<port>. */
  base = '';
  private readonly key = randomBytes(32);

  private signature(fileId: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`${fileId}\n${expires}`).digest();
  }

  /** The Location of F1's 302 for a file. */
  url(fileId: string, now: number, ttlMs: number): string {
    const expires = now + ttlMs;
    const query = new URLSearchParams({ expires: String(expires), signature: this.signature(fileId, expires).toString('base64url') });
    return `${this.base}/files/${encodeURIComponent(fileId)}?${query.toString()}`;
  }

  /** Whether a request's query signs this file and has not expired at `now`. */
  verify(fileId: string, query: URLSearchParams, now: number): boolean {
    const expiresText = query.get('expires') ?? '';
    const given = Buffer.from(query.get('signature') ?? '', 'base64url');
    if (!/^\d{1,16}$/.test(expiresText)) return false;
    const expires = Number(expiresText);
    const wanted = this.signature(fileId, expires);
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return false;
    return now < expires;
  }
}
