import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncArchive } from '../../../electron/core/createCore';
import { buildFilesArchive, exeBytes, pngBytes, storeFileOf } from '../../helpers/attachmentsFixture';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { get, useServedBridges } from '../../helpers/servedBridge';
import { useTempDir } from '../../helpers/tempDir';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fileQuery = (chat: string, message: string, file: string) => new URLSearchParams({ chat, message, file }).toString();

describe('serve: archived files (download and preview routes)', () => {
  const tempDir = useTempDir('cliq-vault-files-');
  const simulator = useSimulators();
  const serve = useServedBridges();

  it('streams a stored file as an attachment download: octet-stream, nosniff, a CSP that allows nothing, exact bytes', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const { bridge, auth } = await serve(dir, path);
    const reply = await get(bridge, `/api/file?${fileQuery('CT_1', 'm1', 'file-m1')}`, auth);
    expect(reply.status).toBe(200);
    // Declared application/pdf by Cliq, PNG bytes in fact: neither decides what the browser is told.
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="scan.pdf"; filename*=UTF-8''scan.pdf`);
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(reply.headers['content-length']).toBe(String(pngBytes.length));
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    expect(sha256(reply.body)).toBe(sha.png);
  });

  it('names hostile files safely in Content-Disposition (RFC 6266 / 5987): no header injection, no path', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const { bridge, auth } = await serve(dir, path);
    const reply = await get(bridge, `/api/file?${fileQuery('CT_1', 'm3', 'file-m3')}`, auth);
    expect(reply.status).toBe(200);
    const disposition = String(reply.headers['content-disposition']);
    expect(disposition).toBe(
      `attachment; filename="_img src=x onerror=alert(1)__; filename=evil.exegnp.html"; filename*=UTF-8''_img%20src%3Dx%20onerror%3Dalert%281%29__%3B%20filename%3Devil.exegnp.html`,
    );
    expect(disposition).not.toMatch(/[\r\n\u202e]/);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(sha256(reply.body)).toBe(sha.html);
    const exe = await get(bridge, `/api/file?${fileQuery('CT_1', 'm2', 'file-m2')}`, auth);
    expect(exe.headers['content-disposition']).toBe(`attachment; filename="invoice.pdf.exe"; filename*=UTF-8''invoice.pdf.exe`);
    expect(exe.body.equals(exeBytes)).toBe(true);
  });

  it('needs the token, the loopback Host and no foreign Origin, like every other /api/ path', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const { bridge, auth } = await serve(dir, path);
    const route = `/api/file?${fileQuery('CT_1', 'm1', 'file-m1')}`;
    const anonymous = await get(bridge, route);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.toString()).not.toContain('PNG');
    expect((await get(bridge, route, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await get(bridge, route, { ...auth, Host: 'evil.example:80' })).status).toBe(421);
    expect((await get(bridge, route, { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(bridge, `/api/thumbnail?${fileQuery('CT_1', 'm1', 'file-m1')}`)).status).toBe(401);
  });

  it('answers 404 for a file no stored row names (refused by Cliq, unknown, of another chat) and 400 for a malformed request', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    const { bridge, auth } = await serve(dir, path);
    for (const [chat, message, file] of [
      ['CT_1', 'm5', 'file-m5'],
      ['CT_1', 'm1', 'file-m2'],
      ['CT_2', 'm1', 'file-m1'],
      ['CT_2', 'm7', 'file-m7'],
      ['CT_9', 'm1', 'file-m1'],
    ] as const) {
      const reply = await get(bridge, `/api/file?${fileQuery(chat, message, file)}`, auth);
      expect(reply.status, `${chat} ${message} ${file}`).toBe(404);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
    expect((await get(bridge, '/api/file?chat=CT_1&message=m1', auth)).status).toBe(400);
    expect((await get(bridge, `/api/file?${fileQuery('../../etc', 'm1', 'file-m1')}`, auth)).status).toBe(400);
  });

  it('previews only raster images by their magic bytes, with the image type set after the check and default-src none', async () => {
    const dir = tempDir();
    const { path, sha } = await buildFilesArchive(dir);
    const { bridge, auth } = await serve(dir, path);
    const png = await get(bridge, `/api/thumbnail?${fileQuery('CT_1', 'm1', 'file-m1')}`, auth);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['x-content-type-options']).toBe('nosniff');
    expect(String(png.headers['content-security-policy'])).toMatch(/^default-src 'none'/);
    expect(png.headers['content-disposition']).toBeUndefined();
    expect(sha256(png.body)).toBe(sha.png);
    // SVG and HTML declared image/png, a program: no preview whatever Cliq said.
    for (const message of ['m2', 'm3', 'm4', 'm5']) {
      const reply = await get(bridge, `/api/thumbnail?${fileQuery('CT_1', message, `file-${message}`)}`, auth);
      expect(reply.status, message).toBe(404);
      expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    }
  });

  it('streams a large file with the traversal-shaped name it was given, and lives on when a download is cut off', async () => {
    const dir = tempDir();
    const { path } = await buildFilesArchive(dir);
    // 12 MB of varied bytes, stored for CT_2's file (named ../../../etc/passwd by its sender).
    const chunk = (i: number) => createHash('sha512').update(String(i)).digest();
    const chunks = Array.from({ length: (12 * 1024 * 1024) / 64 }, (_, i) => chunk(i));
    const big = Buffer.concat(chunks);
    await storeFileOf(path, { chatId: 'CT_2', messageId: 'm7', fileId: 'file-m7' }, chunks);
    const { bridge, auth } = await serve(dir, path);
    const route = `/api/file?${fileQuery('CT_2', 'm7', 'file-m7')}`;

    // A browser that gives up after the first bytes: the server is not disturbed.
    await new Promise<void>((resolvePromise, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: bridge.port, path: route, headers: { Host: `127.0.0.1:${bridge.port}`, ...auth } }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolvePromise();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolvePromise() : reject(error)));
      req.end();
    });

    const reply = await get(bridge, route, auth);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-length']).toBe(String(big.length));
    expect(reply.headers['content-disposition']).toBe(`attachment; filename="_.._.._etc_passwd"; filename*=UTF-8''_.._.._etc_passwd`);
    expect(sha256(reply.body)).toBe(sha256(big));
  });

  it('serves every file a simulator sync stored, hashing to its sealed SHA-256', async () => {
    const sim = await simulator({ seed: 6, scale: 'tiny' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), { files: 'all' })).status).toBe('complete');
    const db = new Database(path, { readonly: true });
    const rows = db
      .prepare<[], { chat_id: string; message_id: string; file_id: string; status: string; sha256: string | null; bytes: number | null }>(
        'SELECT chat_id, message_id, file_id, status, sha256, bytes FROM attachments ORDER BY message_key',
      )
      .all();
    db.close();
    const { bridge, auth } = await serve(dir, path);
    expect(rows.some((r) => r.status === 'stored')).toBe(true);
    for (const row of rows) {
      const reply = await get(bridge, `/api/file?${fileQuery(row.chat_id, row.message_id, row.file_id)}`, auth);
      if (row.status !== 'stored') {
        expect(reply.status, row.file_id).toBe(404);
        continue;
      }
      expect(reply.status, row.file_id).toBe(200);
      expect(reply.body.length).toBe(row.bytes);
      expect(sha256(reply.body)).toBe(row.sha256);
      expect(reply.headers['content-type']).toBe('application/octet-stream');
      expect(String(reply.headers['content-disposition'])).toMatch(/^attachment; filename="[^"\r\n]*"; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    }
  });
});
