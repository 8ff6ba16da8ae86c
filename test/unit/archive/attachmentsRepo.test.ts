import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { nextAttemptAfter, type AttachmentPolicy } from '../../../electron/core/archive/attachmentsRepo';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { messageRow, textMessage } from '../../helpers/messages';
import { useTempDir } from '../../helpers/tempDir';

function fileMessage(id: string, time: number, fileId: string, name: string, size: number | string): Record<string, unknown> {
  return { sender: { name: 'Dana Ruiz', id: '7100001' }, id, time, type: 'file', content: { file: { id: fileId, name, type: 'application/pdf', dimensions: { size } }, comment: 'see attached' } };
}

const all: AttachmentPolicy = { files: 'all', maxBytes: null };
const none: AttachmentPolicy = { files: 'none', maxBytes: null };
const hash = 'c0'.repeat(32);

describe('AttachmentsRepo', () => {
  const tempDir = useTempDir();
  const setup = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const ctx = (now: number) => ({ runId, now });
    const store = (chatId: string, raws: Record<string, unknown>[]) =>
      archive.transaction(() =>
        archive.messages.upsert(
          raws.map((r) => messageRow(chatId, r)),
          ctx(10),
        ),
      );
    return { archive, ctx, store };
  };
  const key = (chatId: string, messageId: string, fileId: string) => ({ chatId, messageId, fileId });

  it('registers the files of stored messages once, with what the message declared, and never overwrites a row', () => {
    const { archive, ctx, store } = setup();
    store('1234567890123456789', [
      textMessage('m1', 1000, 'no file here'),
      fileMessage('m2', 2000, '9876543210987654321', 'report.pdf', '2048'),
      fileMessage('m3', 3000, 'f3', '../../etc/passwd', 10),
    ]);
    store('c2', [fileMessage('m4', 4000, 'f4', 'other.png', 5)]);
    expect(archive.transaction(() => archive.attachments.registerFromMessages('1234567890123456789', ctx(20)))).toBe(2);
    expect(
      archive.transaction(() => archive.attachments.registerFromMessages('1234567890123456789', ctx(21))),
      'already registered',
    ).toBe(0);
    const rows = archive.db.prepare('SELECT chat_id, message_id, file_id, file_name, declared_size, declared_type, status, attempts, first_seen_at FROM attachments ORDER BY message_key').all();
    expect(rows).toEqual([
      {
        chat_id: '1234567890123456789',
        message_id: 'm2',
        file_id: '9876543210987654321',
        file_name: 'report.pdf',
        declared_size: 2048,
        declared_type: 'application/pdf',
        status: 'pending',
        attempts: 0,
        first_seen_at: 20,
      },
      {
        chat_id: '1234567890123456789',
        message_id: 'm3',
        file_id: 'f3',
        file_name: '../../etc/passwd',
        declared_size: 10,
        declared_type: 'application/pdf',
        status: 'pending',
        attempts: 0,
        first_seen_at: 20,
      },
    ]);
    // An edit of the message (a new version) does not touch the registered row.
    store('1234567890123456789', [fileMessage('m2', 2000, '9876543210987654321', 'renamed.pdf', 1)]);
    archive.transaction(() => archive.attachments.registerFromMessages('1234567890123456789', ctx(30)));
    expect(archive.db.prepare("SELECT file_name, declared_size FROM attachments WHERE message_id = 'm2'").get()).toEqual({ file_name: 'report.pdf', declared_size: 2048 });
  });

  it('a message edited to another file registers the new one beside the old, both due, the old row kept', () => {
    const { archive, ctx, store } = setup();
    store('c1', [fileMessage('m1', 1000, 'first-file', 'draft.pdf', 10)]);
    archive.transaction(() => archive.attachments.registerFromMessages('c1', ctx(20)));
    archive.transaction(() => archive.attachments.recordStored(key('c1', 'm1', 'first-file'), { sha256: hash, bytes: 10, contentType: null, servedName: null }, ctx(21)));
    store('c1', [fileMessage('m1', 1000, 'second-file', 'final.pdf', 12)]);
    expect(archive.transaction(() => archive.attachments.registerFromMessages('c1', ctx(30)))).toBe(1);
    const rows = archive.db.prepare("SELECT file_id, file_name, status FROM attachments WHERE message_id = 'm1' ORDER BY first_seen_at").all();
    expect(rows).toEqual([
      { file_id: 'first-file', file_name: 'draft.pdf', status: 'stored' },
      { file_id: 'second-file', file_name: 'final.pdf', status: 'pending' },
    ]);
    expect(archive.attachments.due(40, 10, all, 40).map((r) => r.fileId)).toEqual(['second-file']);
  });

  it('hands out due rows by policy and backoff, and never a stored one', () => {
    const { archive, ctx, store } = setup();
    store('c', [fileMessage('m1', 1000, 'f1', 'a', 10), fileMessage('m2', 2000, 'f2', 'b', 20), fileMessage('m3', 3000, 'f3', 'c', 5_000_000), fileMessage('m4', 4000, 'f4', 'd', 1)]);
    store('d', [fileMessage('m5', 5000, 'f5', 'e', 1)]);
    archive.transaction(() => {
      archive.attachments.registerFromMessages('c', ctx(1));
      archive.attachments.registerFromMessages('d', ctx(1));
    });
    const ids = (now: number, policy: AttachmentPolicy, chatId?: string, since = now) => archive.attachments.due(now, 100, policy, since, chatId).map((r) => r.fileId);
    expect(ids(100, all)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(ids(100, all, 'd')).toEqual(['f5']);
    expect(archive.attachments.due(100, 2, all, 100).map((r) => r.fileId)).toEqual(['f1', 'f2']);

    archive.transaction(() => {
      archive.attachments.recordStored(key('c', 'm1', 'f1'), { sha256: hash, bytes: 10, contentType: 'application/pdf', servedName: 'a' }, ctx(100));
      archive.attachments.recordFailure(key('c', 'm2', 'f2'), 'forbidden', 'FORBIDDEN: no access', nextAttemptAfter(100, 1), ctx(100));
      archive.attachments.recordFailure(key('c', 'm3', 'f3'), 'too_large', 'declared 5000000 bytes, over the limit of 1000000', null, ctx(100), false);
      archive.attachments.recordFailure(key('c', 'm4', 'f4'), 'skipped', 'files: none', null, ctx(100), false);
      archive.attachments.recordFailure(key('d', 'm5', 'f5'), 'not_found', 'NOT_FOUND', null, ctx(100));
    });
    // Nothing new under 'none'; the skipped and the too large come back when the policy admits them;
    // the forbidden one after its backoff; the stored and the not found ones never.
    expect(ids(200, none)).toEqual([]);
    expect(ids(200, { files: 'all', maxBytes: 1_000_000 })).toEqual(['f4']);
    expect(ids(200, all)).toEqual(['f3', 'f4']);
    expect(ids(100 + 3_600_000, all)).toEqual(['f2', 'f3', 'f4']);
    // …unless it was tried since the run's file lane began (at 50): it waits for the next run.
    expect(ids(100 + 3_600_000, all, undefined, 50)).toEqual(['f3', 'f4']);

    const row = archive.db.prepare("SELECT status, sha256, bytes, content_type, attempts, first_attempt_at, last_attempt_at, next_attempt_at, reason FROM attachments WHERE file_id = 'f1'").get();
    expect(row).toEqual({ status: 'stored', sha256: hash, bytes: 10, content_type: 'application/pdf', attempts: 1, first_attempt_at: 100, last_attempt_at: 100, next_attempt_at: null, reason: null });
    expect(archive.db.prepare("SELECT attempts, first_attempt_at FROM attachments WHERE file_id = 'f4'").get(), 'a skip is no attempt').toEqual({ attempts: 0, first_attempt_at: null });
    // A stored row stays stored whatever is recorded later.
    archive.transaction(() => archive.attachments.recordFailure(key('c', 'm1', 'f1'), 'failed', 'late', 5, ctx(300)));
    expect(archive.db.prepare("SELECT status FROM attachments WHERE file_id = 'f1'").get()).toEqual({ status: 'stored' });

    expect(archive.attachments.countsPerChat()).toEqual([
      { chatId: 'c', total: 4, stored: 1, pending: 0, unavailable: 2, skipped: 1 },
      { chatId: 'd', total: 1, stored: 0, pending: 0, unavailable: 1, skipped: 0 },
    ]);
  });

  it('seals every write: verify passes, and sees a changed attachment row', () => {
    const { archive, ctx, store } = setup();
    store('c', [fileMessage('m1', 1000, 'f1', 'a', 10)]);
    archive.transaction(() => archive.attachments.registerFromMessages('c', ctx(1)));
    archive.transaction(() => archive.attachments.recordStored(key('c', 'm1', 'f1'), { sha256: hash, bytes: 10, contentType: null, servedName: null }, ctx(2)));
    expect(verifyArchive(archive.db).problems).toEqual([]);
    archive.db.prepare("UPDATE attachments SET sha256 = ? WHERE file_id = 'f1'").run('d0'.repeat(32));
    const report = verifyArchive(archive.db);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'row_changed', table: 'attachments', key: { chat_id: 'c', message_id: 'm1', file_id: 'f1' } })]);
  });

  it('backs off an hour, doubling per attempt, at most a day', () => {
    const h = 3_600_000;
    expect([1, 2, 3, 5, 6, 40].map((n) => nextAttemptAfter(0, n) / h)).toEqual([1, 2, 4, 16, 24, 24]);
  });
});
