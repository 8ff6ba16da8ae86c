import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0073-file-messages-covering-index';

/** The conversation list's question (archive/attachmentReads.ts): file messages with no attachment record, per conversation. */
const unrecorded = `SELECT m.chat_id AS chatId, count(*) AS n FROM messages m INDEXED BY messages_files
  WHERE m.file_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.chat_id = m.chat_id AND a.message_id = m.message_id AND a.file_id = m.file_id)
  GROUP BY m.chat_id ORDER BY m.chat_id`;

describe('migration 0073 file messages covering index', () => {
  it('answers which file messages have no attachment record from the index alone, with the same answer', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 73) db.transaction(() => step.up(db))();
    const insert = db.prepare(
      `INSERT INTO messages (id, chat_id, message_id, time, type, file_id, content_hash, raw_json, version_seen_at, first_seen_at)
       VALUES (?, ?, ?, ?, 'file', ?, 'h', '{}', 0, 0)`,
    );
    for (let i = 0; i < 40; i += 1) insert.run(1024 * (i + 1), `c${i % 3}`, `m${i}`, i, i % 4 === 0 ? null : `f${i % 5}`);
    db.exec(`INSERT INTO attachments (chat_id, message_id, file_id, message_key, first_seen_at)
             SELECT chat_id, message_id, file_id, id, 0 FROM messages WHERE file_id IS NOT NULL AND id % 3072 = 0`);
    const before = db.prepare(unrecorded).all() as { n: number }[];
    const files = db.prepare('SELECT count(*) FROM messages WHERE file_id IS NOT NULL').pluck().get() as number;
    const recorded = db.prepare('SELECT count(*) FROM attachments').pluck().get() as number;
    expect(recorded).toBeGreaterThan(0);
    expect(before.reduce((sum, r) => sum + r.n, 0)).toBe(files - recorded);
    const plan = () => (db.prepare(`EXPLAIN QUERY PLAN ${unrecorded}`).all() as { detail: string }[]).map((r) => r.detail);
    expect(plan()).toContainEqual('SCAN m USING INDEX messages_files');

    db.transaction(() => migration.up(db))();

    expect(migration.version).toBe(73);
    expect(db.prepare(unrecorded).all()).toEqual(before);
    // No read of the messages table for the message id any more.
    expect(plan()).toContainEqual('SCAN m USING COVERING INDEX messages_files');
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_files'").pluck().get()).toMatch(/\(chat_id, file_id, message_id\) WHERE file_id IS NOT NULL/);
  });
});
