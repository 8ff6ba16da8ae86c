import type { FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';

/** The strictest policy: a file response may load, run and frame nothing. */
export const fileCsp = "default-src 'none'; sandbox";

/** Sends an open file's bytes after the headers (none for HEAD), streamed, never read whole. */
export async function sendOpenFile(req: IncomingMessage, res: ServerResponse, handle: FileHandle, headers: Record<string, string>): Promise<void> {
  res.setHeader('Content-Security-Policy', fileCsp);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(handle.createReadStream({ start: 0, autoClose: false }), res).catch((error: unknown) => {
    // The browser went away mid-download (cancelled, closed): nothing to answer, nothing wrong here.
    if (!res.destroyed) throw error;
  });
}

export function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
