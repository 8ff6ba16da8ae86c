import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0062-chat-kind-source';
import { verifyArchive } from '../../../../electron/core/archive/sealing/verify';

describe('migration 0062 chat kind source', () => {
  const upTo = (version: number) => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < version) db.transaction(() => step.up(db))();
    return db;
  };

  it('marks what each archived kind came from, re-hashes the chats under a closed seal, and the archive verifies', () => {
    // Rows written before 0030 are sealed by its genesis seal, as an archive of that age was.
    const db = upTo(30);
    db.exec(`
      INSERT INTO chats (chat_id, kind, title, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES
        ('c-dm', 'direct', 'Ann', '{}', 'h', 0, 0, 0),
        ('c-group', 'group', 'Ops', '{}', 'h', 0, 0, 0),
        ('c-B1', 'bot', 'Bot', '{}', 'h', 0, 0, 0),
        ('c-chan', 'channel', '#all', '{}', 'h', 0, 0, 0),
        ('c-thread', 'thread', 'Q', '{}', 'h', 0, 0, 0);
      INSERT INTO memberships (chat_id, member_key, user_id, first_seen_at, last_seen_at) VALUES ('c-group', 'u1', 'u1', 0, 0);
    `);
    for (const step of migrations) if (step.version >= 30 && step.version < 62) db.transaction(() => step.up(db))();
    expect(verifyArchive(db).problems).toEqual([]);
    const sealsBefore = (db.prepare('SELECT count(*) AS n FROM seals').get() as { n: number }).n;

    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(62);
    expect(db.prepare('SELECT chat_id, kind_source FROM chats ORDER BY chat_id').all()).toEqual([
      { chat_id: 'c-B1', kind_source: 'chat_id' },
      { chat_id: 'c-chan', kind_source: 'listing' },
      { chat_id: 'c-dm', kind_source: 'guessed' },
      { chat_id: 'c-group', kind_source: 'guessed' },
      { chat_id: 'c-thread', kind_source: 'listing' },
    ]);
    const seals = db.prepare<[], { id: number; kind: string; closed: number }>('SELECT id, kind, closed_at IS NOT NULL AS closed FROM seals ORDER BY id').all();
    expect(seals).toHaveLength(sealsBefore + 1);
    expect(seals.at(-1)).toMatchObject({ kind: 'genesis', closed: 1 });
    // The chats moved to the new seal; the membership stays with the seal that wrote it.
    expect(db.prepare('SELECT DISTINCT seal_id FROM chats').all()).toEqual([{ seal_id: seals.at(-1)?.id }]);
    expect(db.prepare('SELECT seal_id FROM memberships').get()).toEqual({ seal_id: seals[0]?.id });
    const report = verifyArchive(db);
    expect(report.problems).toEqual([]);
    expect(report.rowsChecked).toBe(6);
  });

  it('refuses a kind_source it does not know, and an empty archive gets no seal', () => {
    const db = upTo(62);
    db.transaction(() => migration.up(db))();
    expect(db.prepare('SELECT count(*) AS n FROM seals').get()).toEqual({ n: 1 });
    expect(() =>
      db.exec(`INSERT INTO chats (chat_id, kind, kind_source, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at) VALUES ('x', 'group', 'maybe', '{}', 'h', 0, 0, 0)`),
    ).toThrow(/CHECK constraint failed/);
  });
});
