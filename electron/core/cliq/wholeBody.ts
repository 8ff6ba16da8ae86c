/**
 * A response's whole body as one Buffer, held once.
 *
 * Why not `response.arrayBuffer()`: fetch collects the chunks and copies them into a new buffer at
 * the end, so a body is held twice at that moment. A whole-history messages answer is the biggest
 * thing a sync holds (about 13 MB for a 50,000-message conversation), and that moment set the
 * sync's peak memory (docs/performance.md). When the answer says how long it is, the buffer is
 * made that long first and the chunks are copied in as they come.
 *
 * The declared length is a claim, not a promise. It is believed only without a content encoding
 * (fetch decompresses, and the header counts the compressed bytes) and up to
 * {@link believedLengthBytes}; memory never touched is not resident, so even a false claim costs
 * address space, not memory. A body longer than declared goes on in a list of chunks; a shorter one
 * is cut to what came. The buffer has an ArrayBuffer of its own (never Node's shared pool), so a
 * big body can be moved to another thread without a copy.
 *
 * A connection cut mid-body rejects, as `arrayBuffer()` does, with fetch's own error.
 */
export async function wholeBody(response: Response): Promise<Buffer> {
  const stream = response.body;
  if (stream === null) return Buffer.alloc(0);
  const declared = response.headers.has('content-encoding') ? undefined : declaredLength(response.headers.get('content-length'));
  const into = Buffer.allocUnsafeSlow(declared !== undefined && declared <= believedLengthBytes ? declared : 0);
  let filled = 0;
  const beyond: Uint8Array[] = [];
  const reader: ReadableStreamDefaultReader<Uint8Array> = stream.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    if (beyond.length === 0 && filled + chunk.byteLength <= into.length) {
      into.set(chunk, filled);
      filled += chunk.byteLength;
    } else {
      beyond.push(chunk);
    }
  }
  if (beyond.length === 0) return filled === into.length ? into : into.subarray(0, filled);
  return Buffer.concat([into.subarray(0, filled), ...beyond]);
}

/** Bodies declared longer than this are collected as they come (no answer of Cliq is near it). */
export const believedLengthBytes = 256 * 2 ** 20;

/** A Content-Length header's value, when it is one. */
export function declaredLength(value: string | null): number | undefined {
  return value !== null && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
