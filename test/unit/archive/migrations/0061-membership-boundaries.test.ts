import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0061-membership-boundaries';

describe('migration 0061 membership boundaries', () => {
  /** An archive at schema 60 holding the intervals of two listings of one chat, then migrated. */
  const migrated = () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 61) db.transaction(() => step.up(db))();
    const insert = db.prepare(`INSERT INTO memberships (chat_id, member_key, user_id, first_seen_at, last_seen_at, gone_at) VALUES (?, ?, ?, ?, ?, ?)`);
    insert.run('c1', 'u1', 'u1', 1_000, 2_000, null); // the first listing of c1
    insert.run('c1', 'u2', 'u2', 1_000, 1_000, 2_000); // first listing, noticed gone at the second
    insert.run('c1', 'u3', 'u3', 2_000, 2_000, null); // noticed at the second listing
    insert.run('c2', 'u3', 'u3', 2_000, 2_000, null); // c2's first listing happened later
    db.transaction(() => migration.up(db))();
    return db;
  };
  const intervals = (db: Database.Database) =>
    db
      .prepare(
        `SELECT chat_id, member_key, joined_source, joined_at, joined_noticed_at, joined_message_id, left_source, left_at, left_noticed_at
           FROM membership_intervals ORDER BY chat_id, member_key`,
      )
      .all();

  it('reads intervals archived before it: the first listing is "first archived" (no join time), later ones "noticed"', () => {
    const db = migrated();
    expect(migration.version).toBe(61);
    expect(intervals(db)).toEqual([
      { chat_id: 'c1', member_key: 'u1', joined_source: 'first_archived', joined_at: null, joined_noticed_at: 1_000, joined_message_id: null, left_source: null, left_at: null, left_noticed_at: null },
      {
        chat_id: 'c1',
        member_key: 'u2',
        joined_source: 'first_archived',
        joined_at: null,
        joined_noticed_at: 1_000,
        joined_message_id: null,
        left_source: 'noticed',
        left_at: 2_000,
        left_noticed_at: 2_000,
      },
      { chat_id: 'c1', member_key: 'u3', joined_source: 'noticed', joined_at: 2_000, joined_noticed_at: 2_000, joined_message_id: null, left_source: null, left_at: null, left_noticed_at: null },
      { chat_id: 'c2', member_key: 'u3', joined_source: 'first_archived', joined_at: null, joined_noticed_at: 2_000, joined_message_id: null, left_source: null, left_at: null, left_noticed_at: null },
    ]);
  });

  it('takes an info message as the boundary, keeps when it was noticed, and allows one per (interval, edge)', () => {
    const db = migrated();
    const id = (key: string) => (db.prepare("SELECT id FROM memberships WHERE chat_id = 'c1' AND member_key = ?").get(key) as { id: number }).id;
    const add = db.prepare('INSERT INTO membership_boundaries (membership_id, edge, at, message_id, subtype, noticed_at) VALUES (?, ?, ?, ?, ?, ?)');
    add.run(id('u3'), 'joined', 1_500, '1500_1', 'member_added', 2_000);
    add.run(id('u2'), 'left', 1_600, '1600_1', 'member_removed', 2_000);
    expect(() => add.run(id('u3'), 'joined', 1_700, '1700_1', 'member_added', 2_000), 'one join per interval').toThrow(/UNIQUE|PRIMARY/);
    expect(() => add.run(id('u1'), 'renamed', 1_700, '1700_1', 'x', 2_000)).toThrow(/CHECK/);
    expect(() => add.run(999, 'joined', 1_700, '1700_1', 'x', 2_000), 'an interval that exists').toThrow(/FOREIGN KEY/);
    const rows = intervals(db) as Record<string, unknown>[];
    expect(rows[1]).toMatchObject({ member_key: 'u2', left_source: 'info_message', left_at: 1_600, left_noticed_at: 2_000 });
    expect(rows[2]).toMatchObject({ member_key: 'u3', joined_source: 'info_message', joined_at: 1_500, joined_noticed_at: 2_000, joined_message_id: '1500_1' });
  });

  it("reads a conversation's info messages and first listing from indexes", () => {
    const db = migrated();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' ');
    expect(plan("SELECT message_id FROM messages WHERE chat_id = 'c' AND type = 'info' AND time > 5")).toMatch(/messages_info/);
    expect(plan("SELECT min(first_seen_at) FROM memberships WHERE chat_id = 'c'")).toMatch(/memberships_chat_first/);
  });
});
