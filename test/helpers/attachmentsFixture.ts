import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AttachmentFailure } from '../../electron/core/archive/attachmentsRepo';
import { openFileStore } from '../../electron/core/files/store';
import { buildArchive } from './archiveFixture';
import { openArchive } from '../../electron/core/archive/archive';

export const filesChat = '1901318000001615007';
export const otherChat = '1901318000001615999';

export interface FixtureFile {
  /** Message id; the file id is `file-<message>` (see fixtureRow). */
  message: string;
  chat?: string;
  name: string;
  /** Stored with these bytes, or recorded as unavailable with a reason; absent: left pending. */
  bytes?: Buffer;
  failure?: { status: AttachmentFailure; reason: string };
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * An archive whose file messages have attachment rows in every state, written through the real
 * repositories and file store (the calls a sync's file lane makes), in `dir/fixture.sqlite`.
 */
export async function archiveWithFiles(dir: string, files: FixtureFile[]): Promise<string> {
  const archive = buildArchive(dir, {
    chats: [
      { id: filesChat, kind: 'group', title: 'Evidence' },
      { id: otherChat, kind: 'group', title: 'Elsewhere' },
    ],
    messages: files.map((f, i) => ({ chat: f.chat ?? filesChat, id: f.message, time: Date.UTC(2026, 0, 2, 0, 0, i), file: f.name })),
  });
  const path = archive.path;
  try {
    const ctx = { runId: 1, now: Date.UTC(2026, 0, 2) };
    archive.transaction(() => {
      for (const chat of [filesChat, otherChat]) archive.attachments.registerFromMessages(chat, ctx);
    });
    const store = openFileStore(path);
    for (const f of files) {
      const key = { chatId: f.chat ?? filesChat, messageId: f.message, fileId: `file-${f.message}` };
      if (f.bytes !== undefined) {
        const put = await store.put(Readable.from([f.bytes]), { expectedSize: f.bytes.length });
        archive.transaction(() => archive.attachments.recordStored(key, { sha256: put.sha256, bytes: put.size, contentType: 'application/octet-stream', servedName: null }, ctx));
      } else if (f.failure !== undefined) {
        const { status, reason } = f.failure;
        archive.transaction(() => archive.attachments.recordFailure(key, status, reason, null, ctx));
      }
    }
  } finally {
    archive.close();
  }
  return path;
}

/** A 1×1 PNG: real magic bytes, a real image. */
export const pngBytes = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f6e2b30000000049454e44ae426082', 'hex');
export const exeBytes = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
export const htmlBytes = Buffer.from('<!doctype html><script>alert(document.cookie)</script>');
export const svgBytes = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>');

/** Names as hostile as Cliq may send them. */
export const hostileHtmlName = '<img src=x onerror=alert(1)>"; filename=evil.exe\r\n\u202Egnp.html';
export const traversalName = '../../../etc/passwd';

export const T = Date.UTC(2026, 0, 5, 9, 0);

/**
 * An archive whose attachments are known exactly, written through the real repositories and file
 * store: in CT_1 a stored PNG (named .pdf: the preview goes by the bytes), a stored program with a
 * double extension, a stored web page with a hostile name, SVG bytes named .png, a file Cliq refused
 * (403), and a text message; in CT_2 a file no sync has registered yet (pending).
 */
export async function buildFilesArchive(dir: string): Promise<{ path: string; sha: Record<'png' | 'exe' | 'html' | 'svg', string> }> {
  const archive = buildArchive(dir, {
    chats: [
      { id: 'CT_1', kind: 'group', title: 'Deals' },
      { id: 'CT_2', kind: 'direct', title: 'Dana' },
    ],
    messages: [
      { chat: 'CT_1', id: 'm1', time: T + 1_000, file: 'scan.pdf', sender: { id: '7100001', name: 'Dana Ruiz' } },
      { chat: 'CT_1', id: 'm2', time: T + 2_000, file: 'invoice.pdf.exe' },
      { chat: 'CT_1', id: 'm3', time: T + 3_000, file: hostileHtmlName },
      { chat: 'CT_1', id: 'm4', time: T + 4_000, file: 'logo.png' },
      { chat: 'CT_1', id: 'm5', time: T + 5_000, file: 'secret.pdf' },
      { chat: 'CT_1', id: 'm6', time: T + 6_000, text: 'see the files above' },
      { chat: 'CT_2', id: 'm7', time: T + 7_000, file: traversalName },
    ],
  });
  try {
    const runId = archive.db.prepare<[], { id: number }>('SELECT max(id) AS id FROM sync_runs').get()?.id ?? 1;
    const ctx = { runId, now: T + 60_000 };
    archive.transaction(() => archive.attachments.registerFromMessages('CT_1', ctx));
    const store = openFileStore(archive.path);
    const put = async (bytes: Buffer) => (await store.put(Readable.from([bytes]))).sha256;
    const sha = { png: await put(pngBytes), exe: await put(exeBytes), html: await put(htmlBytes), svg: await put(svgBytes) };
    const sizes = { png: pngBytes.length, exe: exeBytes.length, html: htmlBytes.length, svg: svgBytes.length };
    archive.transaction(() => {
      const stored = (messageId: string, kind: keyof typeof sha, contentType: string) =>
        archive.attachments.recordStored({ chatId: 'CT_1', messageId, fileId: `file-${messageId}` }, { sha256: sha[kind], bytes: sizes[kind], contentType, servedName: null }, ctx);
      stored('m1', 'png', 'application/pdf');
      stored('m2', 'exe', 'application/pdf');
      stored('m3', 'html', 'image/png');
      stored('m4', 'svg', 'image/png');
      archive.attachments.recordFailure({ chatId: 'CT_1', messageId: 'm5', fileId: 'file-m5' }, 'forbidden', 'FORBIDDEN: 403 from Cliq', T + 3_600_000, ctx);
    });
    return { path: archive.path, sha };
  } finally {
    archive.close();
  }
}

/**
 * Registers a chat's files (as a sync run would, in a seal of its own) and stores `chunks` as the
 * bytes of one of them, streamed into the file store. Returns its SHA-256.
 */
export async function storeFileOf(path: string, key: { chatId: string; messageId: string; fileId: string }, chunks: Iterable<Buffer>): Promise<string> {
  const put = await openFileStore(path).put(Readable.from(chunks));
  const archive = openArchive(path);
  try {
    const runId = archive.runs.start(T + 120_000, 'fixture', {}, process.pid, 'test');
    const ctx = { runId, now: T + 120_000 };
    archive.transaction(() => {
      archive.sealer.open('sync', runId, ctx.now);
      archive.attachments.registerFromMessages(key.chatId, ctx);
      archive.attachments.recordStored(key, { sha256: put.sha256, bytes: put.size, contentType: null, servedName: null }, ctx);
    });
  } finally {
    archive.close();
  }
  return put.sha256;
}
