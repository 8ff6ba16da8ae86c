import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive, type Archive } from '../../../electron/core/archive/archive';
import type { MessagePayload } from '../../../electron/core/cliq/schemas';
import { rowHash } from '../../../electron/core/archive/sealing/rowHash';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { parsedRow } from '../../../electron/core/sync/parsedRow';
import { messageRow, textMessage } from '../../helpers/messages';
import { useTempDir } from '../../helpers/tempDir';

function search(archive: Archive, query: string): string[] {
  return archive.db
    .prepare<[string], { message_id: string }>('SELECT m.message_id FROM messages_fts f JOIN messages m ON m.id = f.rowid WHERE messages_fts MATCH ? ORDER BY f.rowid')
    .all(query)
    .map((r) => r.message_id);
}

describe('MessagesRepo', () => {
  const tempDir = useTempDir();
  const setup = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    return { archive, ctx: (now: number) => ({ runId, now }) };
  };

  it('inserts new messages into the table and the FTS index in one go', () => {
    const { archive, ctx } = setup();
    const counts = archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('1700000000250_1', 1700000000250, 'Retention policy signed'))], ctx(10)));
    expect(counts).toEqual({ inserted: 1, changed: 0, unchanged: 0, restored: 0, purged: 0 });
    expect(search(archive, 'retention')).toEqual(['1700000000250_1']);
  });

  it('gives messages keys in time order, ties in the same millisecond in arrival order', () => {
    const { archive, ctx } = setup();
    archive.transaction(() =>
      archive.messages.upsert(
        [
          messageRow('c1', textMessage('m3', 3000, 'third')),
          messageRow('c2', textMessage('m1', 1000, 'first')),
          messageRow('c1', textMessage('m2a', 2000, 'tie a')),
          messageRow('c1', textMessage('m2b', 2000, 'tie b')),
        ],
        ctx(10),
      ),
    );
    const order = archive.db
      .prepare<[], { message_id: string }>('SELECT message_id FROM messages ORDER BY id')
      .all()
      .map((r) => r.message_id);
    expect(order).toEqual(['m1', 'm2a', 'm2b', 'm3']);
  });

  it('stores a new conversation whose page repeats a message (or changes it) once, as a version', () => {
    const { archive, ctx } = setup();
    const counts = archive.transaction(() =>
      archive.messages.upsert(
        [messageRow('c9', textMessage('m1', 1000, 'first')), messageRow('c9', textMessage('m1', 1000, 'first')), messageRow('c9', textMessage('m1', 1000, 'first, edited'))],
        ctx(10),
      ),
    );
    expect(counts).toEqual({ inserted: 1, changed: 1, unchanged: 1, restored: 0, purged: 0 });
    expect(archive.db.prepare("SELECT count(*) AS n FROM messages WHERE chat_id = 'c9'").get()).toEqual({ n: 1 });
    expect(search(archive, 'edited')).toEqual(['m1']);
  });

  it('leaves an identical message untouched and ignores a changed is_read', () => {
    const { archive, ctx } = setup();
    const raw = textMessage('m1', 1000, 'hello', { is_read: false });
    archive.transaction(() => archive.messages.upsert([messageRow('c1', raw)], ctx(10)));
    const again = archive.transaction(() => archive.messages.upsert([messageRow('c1', { ...raw, is_read: true })], ctx(20)));
    expect(again).toEqual({ inserted: 0, changed: 0, unchanged: 1, restored: 0, purged: 0 });
  });

  it('keeps the earlier version of an edited message and re-indexes the new text', () => {
    const { archive, ctx } = setup();
    archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('m1', 1000, 'draft wording'))], ctx(10)));
    const counts = archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('m1', 1000, 'final wording', { revision: 2 }))], ctx(20)));
    expect(counts.changed).toBe(1);
    const current = archive.db
      .prepare<[], { text: string; version: number; version_seen_at: number; first_seen_at: number }>('SELECT text, version, version_seen_at, first_seen_at FROM messages')
      .get();
    expect(current).toEqual({ text: 'final wording', version: 2, version_seen_at: 20, first_seen_at: 10 });
    const versions = archive.db.prepare('SELECT version, text, seen_at, superseded_at FROM message_versions').all();
    expect(versions).toEqual([{ version: 1, text: 'draft wording', seen_at: 10, superseded_at: 20 }]);
    expect(search(archive, 'draft')).toEqual([]);
    expect(search(archive, 'final')).toEqual(['m1']);
    // FTS5 raises SQLITE_CORRUPT_VTAB if the index disagrees with the messages it indexes.
    expect(() => archive.db.exec("INSERT INTO messages_fts(messages_fts) VALUES('integrity-check')")).not.toThrow();
  });

  it('tombstones what a full walk did not see, keeps the data, and restores a message that comes back', () => {
    const { archive, ctx } = setup();
    archive.transaction(() =>
      archive.messages.upsert(
        ['a', 'b', 'c'].map((id, i) => messageRow('c1', textMessage(id, 1000 + i, `text ${id}`))),
        ctx(10),
      ),
    );
    const gone = archive.transaction(() => {
      archive.messages.markSeen('c1', ['a', 'c']);
      return archive.messages.tombstoneUnseen('c1', 0, Number.MAX_SAFE_INTEGER, ctx(20));
    });
    expect(gone).toBe(1);
    const b = archive.db.prepare<[], { text: string; deleted_at: number }>("SELECT text, deleted_at FROM messages WHERE message_id = 'b'").get();
    expect(b).toEqual({ text: 'text b', deleted_at: 20 });
    expect(archive.db.prepare('SELECT count(*) AS n FROM walk_seen').get()).toEqual({ n: 0 });

    const back = archive.transaction(() => archive.messages.upsert([messageRow('c1', textMessage('b', 1001, 'text b'))], ctx(30)));
    expect(back.restored).toBe(1);
    expect(archive.db.prepare("SELECT deleted_at FROM messages WHERE message_id = 'b'").get()).toEqual({ deleted_at: null });
    expect(archive.db.prepare('SELECT kind, subject FROM archive_events').all()).toEqual([{ kind: 'message_reappeared', subject: 'c1/b' }]);
  });

  it('tombstones only inside the range a partial export covered', () => {
    const { archive, ctx } = setup();
    archive.transaction(() =>
      archive.messages.upsert(
        [1000, 2000, 3000, 4000].map((t) => messageRow('c1', textMessage(`m${t}`, t, 'x'))),
        ctx(10),
      ),
    );
    archive.messages.markSeen('c1', ['m2000', 'm2000']);
    expect(archive.messages.countSeen('c1')).toBe(1);
    const gone = archive.transaction(() => archive.messages.tombstoneUnseen('c1', 2000, 3000, ctx(20)));
    expect(gone).toBe(1);
    expect(archive.messages.countSeen('c1')).toBe(0);
    const deleted = archive.db.prepare<[], { message_id: string }>('SELECT message_id FROM messages WHERE deleted_at IS NOT NULL').all();
    expect(deleted).toEqual([{ message_id: 'm3000' }]);
    expect(archive.messages.countLive('c1')).toBe(3);
  });

  it('takes a hash sealed ahead only for the key and the write it was made for', () => {
    const { archive, ctx } = setup();
    const sealedFor = ctx(10);
    const ahead = (id: string, time: number, text: string, stamp = sealedFor) => {
      const raw = textMessage(id, time, text);
      return parsedRow('c1', raw as MessagePayload, raw, stamp);
    };
    const rows = [
      ahead('m1', 1000, 'first'),
      // The same millisecond: the second gets the next key, for which its hash was not made.
      ahead('m2', 1000, 'tie'),
      // Sealed for another write (a later one stores it): its hash would hold the wrong times.
      ahead('m3', 3000, 'later', ctx(11)),
    ];
    archive.transaction(() => archive.messages.upsert(rows, sealedFor));
    const columns = archive.sealer.columnsOf('messages');
    const stored = archive.db.prepare<[], Record<string, unknown>>('SELECT * FROM messages ORDER BY id').all();
    const recomputed = stored.map((row) => rowHash('messages', columns, row));
    expect(stored.map((row) => row.row_hash)).toEqual(recomputed);
    expect(stored.map((row) => row.message_id)).toEqual(['m1', 'm2', 'm3']);
    // The first was sealed ahead and taken as it was; the others' ahead-of-time hashes were wrong.
    expect(rows.map((row) => row.preseal?.rowHash === recomputed[rows.indexOf(row)])).toEqual([true, false, false]);
    expect(verifyArchive(archive.db).problems).toEqual([]);
  });

  it("is caught by verify if a hash sealed ahead was not the row's", () => {
    const { archive, ctx } = setup();
    const raw = textMessage('m1', 1000, 'first');
    const row = parsedRow('c1', raw as MessagePayload, raw, ctx(10));
    row.preseal = { now: 10, runId: row.preseal?.runId ?? 0, rowHash: '0'.repeat(64) };
    archive.transaction(() => archive.messages.upsert([row], ctx(10)));
    expect(verifyArchive(archive.db).problems).not.toEqual([]);
  });
});
