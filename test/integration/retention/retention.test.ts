import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VaultError } from '../../../shared/errors';
import { openArchive, type Archive } from '../../../electron/core/archive/archive';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { openFileStore } from '../../../electron/core/files/store';
import { placeHold, releaseHold } from '../../../electron/core/holds/holdWrites';
import { applyRetention, previewRetention } from '../../../electron/core/retention';
import { buildArchive, fixtureRow } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: number) => Date.UTC(2026, 0, d, 12);
const now = day(31);
const clock = { now: () => now };
const ann = { id: 'u1', name: 'Ann Lee' };
const bo = { id: 'u2', name: 'Bo Chan' };

const tempDir = useTempDir();
let archive: Archive;

/** c1 "Alpha" (group), c2 "Beta" (channel), c3 (direct); messages from Jan 2 to Jan 30. */
beforeEach(() => {
  archive = buildArchive(tempDir(), {
    chats: [
      { id: 'c1', kind: 'group', title: 'Alpha' },
      { id: 'c2', kind: 'channel', title: 'Beta' },
      { id: 'c3', kind: 'direct', title: 'Ann and Bo' },
    ],
    users: [
      { id: 'u1', email: 'ann@example.org', name: 'Ann Lee' },
      { id: 'u2', email: 'bo@example.org', name: 'Bo Chan' },
    ],
    members: [
      { chat: 'c1', userId: 'u1', email: 'ann@example.org', name: 'Ann Lee' },
      { chat: 'c3', userId: 'u1', email: 'ann@example.org', name: 'Ann Lee' },
      { chat: 'c3', userId: 'u2', email: 'bo@example.org', name: 'Bo Chan' },
    ],
    messages: [
      { chat: 'c1', id: 'm1', time: day(2), text: 'budget forecast', sender: ann },
      { chat: 'c1', id: 'm2', time: day(3), text: 'lunch plans', sender: bo },
      { chat: 'c1', id: 'm3', time: day(29), text: 'budget final', sender: bo },
      { chat: 'c2', id: 'm4', time: day(4), text: 'merger talk', sender: bo },
      { chat: 'c2', id: 'm5', time: day(5), text: 'quarterly report', sender: bo, file: 'report.pdf' },
      { chat: 'c3', id: 'm6', time: day(6), text: 'hello there', sender: bo },
    ],
  });
  // m2 is edited: its earlier version goes with it.
  archive.transaction(() => archive.messages.upsert([fixtureRow({ chat: 'c1', id: 'm2', time: day(3), text: 'lunch plans moved', sender: bo })], { runId: 1, now: day(20) }));
});

afterEach(() => {
  archive.close();
});

const messageIds = (path: string) => {
  const db = openArchiveDb(path, { readonly: true });
  try {
    return db.prepare('SELECT message_id FROM messages ORDER BY message_id').pluck().all() as string[];
  } finally {
    db.close();
  }
};
const fileHash = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');

describe('retention', () => {
  it('a dry run says per conversation what would go and what a hold keeps, and changes no byte of the archive', () => {
    placeHold(archive.path, { name: 'Merger', conversations: ['c2'], reason: 'litigation' }, { clock });
    archive.close();
    const before = fileHash(archive.path);
    expect(existsSync(`${archive.path}-wal`)).toBe(false);
    const preview = previewRetention(archive.path, { keepDays: 10 }, { clock });
    // The database file is the same to the byte, and no page waits in a write-ahead log (reading a
    // WAL archive makes SQLite create an empty log and its shared-memory index, which hold nothing).
    expect(fileHash(archive.path)).toBe(before);
    expect(existsSync(`${archive.path}-wal`) ? statSync(`${archive.path}-wal`).size : 0).toBe(0);
    expect(preview.cutoff).toBe(now - 10 * 86_400_000);
    expect(preview.holds).toBe(1);
    expect(preview.purge).toBe(3); // m1, m2, m6 (m3 is recent; m4 and m5 are held)
    expect(preview.keptHeld).toBe(2);
    expect(preview.versions).toBe(1);
    expect(preview.conversations.map((c) => [c.chatId, c.purge, c.keptHeld])).toEqual([
      ['c1', 2, 0],
      ['c3', 1, 0],
      ['c2', 0, 2],
    ]);
    expect(messageIds(archive.path)).toHaveLength(6);
  });

  it('applies: purges what is due and not held, keeps a sealed record of each, and the archive still verifies', async () => {
    placeHold(archive.path, { name: 'Merger', conversations: ['Beta'] }, { clock });
    const result = await applyRetention(archive.path, { keepDays: 10 }, { clock, batchSize: 2 });
    expect(result.purge).toBe(3);
    expect(result.keptHeld).toBe(2);
    expect(result.runId).not.toBeNull();
    expect(messageIds(archive.path)).toEqual(['m3', 'm4', 'm5']);
    const db = openArchiveDb(archive.path, { readonly: true });
    try {
      const records = db.prepare('SELECT message_id, run_id, versions, content_hash, row_hash_was, row_hash, seal_id FROM purged_messages ORDER BY message_id').all() as Record<string, unknown>[];
      expect(records.map((r) => [r.message_id, r.versions])).toEqual([
        ['m1', 0],
        ['m2', 1],
        ['m6', 0],
      ]);
      for (const r of records) {
        expect(r.run_id).toBe(result.runId);
        expect(r.content_hash).toMatch(/^[0-9a-f]{64}$/);
        expect(r.row_hash_was).toMatch(/^[0-9a-f]{64}$/);
        expect(r.seal_id).not.toBeNull();
      }
      expect(db.prepare('SELECT count(*) FROM message_versions').pluck().get()).toBe(0);
      // The words are gone from the index too: neither current nor earlier text is found.
      expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'lunch OR forecast OR hello'").pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM versions_fts WHERE versions_fts MATCH 'lunch'").pluck().get()).toBe(0);
      expect(db.prepare("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'merger'").pluck().get()).toBe(1);
      const run = db.prepare('SELECT status, purged, kept_held, policy_json FROM retention_runs WHERE run_id = ?').get(result.runId) as Record<string, unknown>;
      expect(run).toMatchObject({ status: 'complete', purged: 3, kept_held: 2 });
      expect(JSON.parse(run.policy_json as string)).toMatchObject({ keepDays: 10 });
      expect(verifyArchive(db).problems).toEqual([]);
    } finally {
      db.close();
    }
    const writer = openArchiveDb(archive.path);
    try {
      expect(() => writer.prepare('DELETE FROM purged_messages').run()).toThrow(/never deleted/);
      expect(() => writer.prepare("UPDATE purged_messages SET content_hash = 'x'").run()).toThrow(/never changed/);
    } finally {
      writer.close();
    }
  });

  it('a pin of a purged message goes with it, and a later check of the pin does not archive it again', async () => {
    const pin = (messageId: string, text: string) => ({
      content_hash: createHash('sha256').update(messageId).digest('hex'),
      message_id: messageId,
      text,
      sender_id: ann.id,
      sender_name: 'Ann Lee',
      creator_id: bo.id,
      creator_name: 'Bo Chan',
      message_time: day(2),
      pinned_at: day(7),
      modified_at: day(7),
      expiry_time: -1,
      raw_json: JSON.stringify({ msguid: messageId, text }),
    });
    // Cliq's pin API spells a message id with '%20' where the messages API has '_'.
    const spelled = (id: string) => id.replace('_', '%20');
    archive.transaction(() => archive.messages.upsert([fixtureRow({ chat: 'c1', id: 'm1_1', time: day(2), text: 'pinned words', sender: ann })], { runId: 1, now: day(8) }));
    archive.transaction(() => archive.sticky.record('c1', pin(spelled('m1_1'), 'pinned words'), { runId: 1, now: day(8) }));
    archive.transaction(() => archive.sticky.record('c2', pin('m4', 'merger talk'), { runId: 1, now: day(8) }));
    archive.close();
    expect((await applyRetention(archive.path, { keepDays: 10, conversations: ['c1'] }, { clock })).purge).toBe(3);
    const pins = (path: string) => {
      const db = openArchiveDb(path, { readonly: true });
      try {
        return db.prepare('SELECT chat_id, text FROM sticky_messages ORDER BY chat_id').all();
      } finally {
        db.close();
      }
    };
    expect(pins(archive.path)).toEqual([{ chat_id: 'c2', text: 'merger talk' }]);
    const again = openArchive(archive.path);
    try {
      again.transaction(() => again.sealer.open('sync', 1, day(31)));
      again.transaction(() => again.sticky.record('c1', pin(spelled('m1_1'), 'pinned words'), { runId: 1, now: day(31) }));
      expect(again.sticky.pinned('c1')).toBe(false);
    } finally {
      again.close();
    }
    expect(pins(archive.path)).toEqual([{ chat_id: 'c2', text: 'merger talk' }]);
  });

  it('scopes by kind and conversation; nothing due writes nothing but the run', async () => {
    const kinds = await applyRetention(archive.path, { keepDays: 10, kinds: ['direct'] }, { clock });
    expect(kinds.purge).toBe(1);
    expect(messageIds(archive.path)).not.toContain('m6');
    const named = await applyRetention(archive.path, { keepDays: 10, conversations: ['Alpha'] }, { clock });
    expect(named.purge).toBe(2);
    expect(messageIds(archive.path)).toEqual(['m3', 'm4', 'm5']);
    const again = await applyRetention(archive.path, { keepDays: 10, conversations: ['Alpha'] }, { clock });
    expect(again.purge).toBe(0);
  });

  it('a hold placed while a purge runs wins from the next batch on', async () => {
    let placed = false;
    const result = await applyRetention(
      archive.path,
      { keepDays: 10 },
      {
        clock,
        batchSize: 1,
        onBatch: () => {
          if (placed) return;
          placed = true;
          placeHold(archive.path, { name: 'Late', custodians: ['u2'] }, { clock });
        },
      },
    );
    // The first batch took m1 (key order); then the hold on Bo's messages (and chats he is in) wins.
    expect(result.purge).toBe(1);
    expect(messageIds(archive.path)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6']);
    expect(result.keptHeld).toBe(4);
  });

  it('a released hold no longer keeps anything', async () => {
    placeHold(archive.path, { name: 'Merger', conversations: ['c2'] }, { clock });
    releaseHold(archive.path, { name: 'Merger', reason: 'matter closed' }, { clock });
    const result = await applyRetention(archive.path, { keepDays: 10 }, { clock });
    expect(result.purge).toBe(5);
    expect(result.keptHeld).toBe(0);
  });

  it('a purged message seen again by a sync is not archived again', async () => {
    await applyRetention(archive.path, { keepDays: 10, conversations: ['c3'] }, { clock });
    const counts = archive.transaction(() => {
      archive.sealer.open('sync', 1, now);
      return archive.messages.upsert([fixtureRow({ chat: 'c3', id: 'm6', time: day(6), text: 'hello there', sender: bo })], { runId: 1, now });
    });
    expect(counts).toMatchObject({ inserted: 0, purged: 1 });
    expect(messageIds(archive.path)).not.toContain('m6');
    // Cliq still holds it: the sync's count of live messages includes it, so no full walk is forced.
    expect(archive.messages.countLive('c3')).toBe(1);
  });

  it('removes a purged attachment from the file store once nothing names it', async () => {
    const store = openFileStore(archive.path);
    const put = await store.put(Readable.from([Buffer.from('%PDF quarterly report')]));
    archive.transaction(() => {
      archive.attachments.registerFromMessages('c2', { runId: 1, now });
      archive.attachments.recordStored(
        { chatId: 'c2', messageId: 'm5', fileId: 'file-m5' },
        { sha256: put.sha256, bytes: put.size, contentType: 'application/pdf', servedName: 'report.pdf' },
        { runId: 1, now },
      );
    });
    const preview = previewRetention(archive.path, { keepDays: 10, conversations: ['c2'] }, { clock });
    expect(preview.attachments).toBe(1);
    const result = await applyRetention(archive.path, { keepDays: 10, conversations: ['c2'] }, { clock });
    expect(result.filesRemoved).toBe(1);
    expect(await store.has(put.sha256)).toBe(false);
    const db = openArchiveDb(archive.path, { readonly: true });
    try {
      expect(db.prepare('SELECT attachments FROM purged_messages WHERE message_id = ?').pluck().get('m5')).toBe(1);
      expect(verifyArchive(db).problems).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses a policy it cannot apply, in words, and purges nothing', async () => {
    const refusal = async (policy: Parameters<typeof applyRetention>[1]) => {
      const error = await applyRetention(archive.path, policy, { clock }).then(
        () => null,
        (e: unknown) => e,
      );
      if (!(error instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(error)}`);
      return error;
    };
    const zero = await refusal({ keepDays: 0 });
    expect(zero.code).toBe('USAGE');
    expect(zero.message).toMatch(/at least 1 day/);
    const unknown = await refusal({ keepDays: 10, conversations: ['Nope'] });
    expect(unknown.message).toMatch(/Nope/);
    expect(messageIds(archive.path)).toHaveLength(6);
  });
});
