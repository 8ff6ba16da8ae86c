import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AttachmentFailure } from '../../electron/core/archive/attachmentsRepo';
import { openFileStore } from '../../electron/core/files/store';
import { buildArchive } from './archiveFixture';

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
