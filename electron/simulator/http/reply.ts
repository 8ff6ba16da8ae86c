/**
 * What a handler answers. Large exports give their body as a chunk generator, so a 100k-message
 * channel is written piece by piece instead of as one giant string.
 */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | (() => Iterable<string | Uint8Array>);
  /** What the body is, so faults can break it in a fitting way. */
  kind: 'json' | 'csv' | 'html' | 'xml' | 'empty' | 'redirect' | 'binary';
}

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const CSV_TYPE = 'text/csv; charset=utf-8';
export const HTML_TYPE = 'text/html; charset=utf-8';

export function jsonReply(value: unknown, status = 200): Reply {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value), kind: 'json' };
}

export function streamedJsonReply(chunks: () => Iterable<string>, status = 200): Reply {
  return { status, headers: { 'content-type': JSON_TYPE }, body: chunks, kind: 'json' };
}

export function csvReply(text: string): Reply {
  return { status: 200, headers: { 'content-type': CSV_TYPE }, body: text, kind: 'csv' };
}

export function htmlReply(status: number, text: string): Reply {
  return { status, headers: { 'content-type': HTML_TYPE }, body: text, kind: 'html' };
}

/** 204 and friends: no body at all (never the docs' {"Response Code": …} placeholder, docs/cliq-api.md §4.1). */
export function emptyReply(status = 204): Reply {
  return { status, headers: {}, body: '', kind: 'empty' };
}

export function redirectReply(location: string): Reply {
  return { status: 302, headers: { location }, body: '', kind: 'redirect' };
}

/**
 * Bytes streamed with a known length (F1's files): Content-Length is set up front, and the chunks
 * come from a generator, so a multi-megabyte file is never one Buffer.
 */
export function binaryReply(contentType: string, length: number, chunks: () => Iterable<Uint8Array>, headers: Record<string, string> = {}): Reply {
  return { status: 200, headers: { 'content-type': contentType, 'content-length': String(length), ...headers }, body: chunks, kind: 'binary' };
}

/** The whole body as one string (faults that cut or rewrite a text body need it; never a binary one). */
export function bodyText(reply: Reply): string {
  if (typeof reply.body === 'string') return reply.body;
  let text = '';
  for (const chunk of reply.body()) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}
