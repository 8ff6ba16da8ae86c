import { createHmac } from 'node:crypto';

/**
 * Opaque page and sync tokens: base64url JSON plus a MAC, so a token the client edits, truncates or
 * invents is rejected with 400 like an expired one would be, instead of being quietly honoured.
 */
export class CursorCodec {
  constructor(private readonly key: string) {}

  encode(payload: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The payload, or null when the token is malformed or was not minted here. */
  decode(token: string, kind: string): Record<string, unknown> | null {
    const dot = token.lastIndexOf('.');
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    if (this.mac(body) !== token.slice(dot + 1)) return null;
    try {
      const payload: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      if (typeof payload !== 'object' || payload === null || (payload as { k?: unknown }).k !== kind) return null;
      return payload as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
