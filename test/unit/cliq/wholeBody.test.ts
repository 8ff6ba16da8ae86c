import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wholeBody } from '../../../electron/core/cliq/wholeBody';

/** 3 MB in 64 KiB writes: many chunks, as a whole-history answer arrives. */
const payload = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 7919) % 251));
const writeInPieces = (res: import('node:http').ServerResponse, bytes: Buffer) => {
  for (let at = 0; at < bytes.length; at += 65_536) res.write(bytes.subarray(at, at + 65_536));
};

let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/declared') {
      res.writeHead(200, { 'content-length': String(payload.length) });
      writeInPieces(res, payload);
      res.end();
    } else if (req.url === '/chunked') {
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      writeInPieces(res, payload);
      res.end();
    } else if (req.url === '/gzip') {
      const packed = gzipSync(payload);
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(packed.length) });
      res.end(packed);
    } else if (req.url === '/cut') {
      res.writeHead(200, { 'content-length': String(payload.length) });
      res.write(payload.subarray(0, 1_000_000), () => res.destroy());
    } else {
      res.writeHead(204).end();
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('a response body read whole', () => {
  it('fills a buffer of the declared length, of its own memory, so it can be moved to a thread', async () => {
    const body = await wholeBody(await fetch(`${base}/declared`));
    expect(body.equals(payload)).toBe(true);
    expect(body.byteOffset).toBe(0);
    expect(body.buffer.byteLength).toBe(payload.length);
    expect(body.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('reads a body of no declared length (chunked) the same', async () => {
    expect((await wholeBody(await fetch(`${base}/chunked`))).equals(payload)).toBe(true);
  });

  it('reads a compressed answer decoded, whatever length its header gives', async () => {
    expect((await wholeBody(await fetch(`${base}/gzip`))).equals(payload)).toBe(true);
  });

  it('rejects a body cut before its declared length, as fetch does', async () => {
    await expect(wholeBody(await fetch(`${base}/cut`))).rejects.toThrow();
  });

  it('reads an answer with no body as empty', async () => {
    expect((await wholeBody(await fetch(`${base}/none`))).length).toBe(0);
  });

  it('keeps every byte when the declared length is wrong either way', async () => {
    const bytes = Buffer.from('{"data":[1,2,3]}');
    const claimed = (length: string) => new Response(new Blob([bytes]).stream(), { headers: { 'content-length': length } });
    expect((await wholeBody(claimed('4'))).toString()).toBe('{"data":[1,2,3]}');
    expect((await wholeBody(claimed('4096'))).toString()).toBe('{"data":[1,2,3]}');
    // A claim beyond what is believed is not allocated: the body is collected as it comes.
    expect((await wholeBody(claimed(String(2 ** 40)))).toString()).toBe('{"data":[1,2,3]}');
  });
});
