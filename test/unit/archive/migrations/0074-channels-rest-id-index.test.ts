import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { archiveMentionResolver } from '../../../../electron/core/archive/mentionResolver';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0074-channels-rest-id-index';

/** The resolver's question (archive/mentionResolver.ts). */
const byEitherId = `SELECT coalesce(ch.name, c.title) AS title FROM channels ch LEFT JOIN chats c ON c.chat_id = ch.chat_id
  WHERE ch.rest_channel_id = @id OR ch.channel_id = @id
  ORDER BY ch.rest_channel_id = @id DESC, ch.gone_at IS NOT NULL LIMIT 1`;

describe('migration 0074 channels rest id index', () => {
  it('finds a channel by either id through indexes instead of reading every channel', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 74) db.transaction(() => step.up(db))();
    const insert = db.prepare(
      `INSERT INTO channels (channel_id, rest_channel_id, name, source_json, source_hash, first_seen_at, last_seen_at, version_seen_at)
       VALUES (?, ?, ?, '{}', 'h', 0, 0, 0)`,
    );
    for (let i = 0; i < 50; i += 1) insert.run(`18000000000000${String(i).padStart(5, '0')}`, i % 7 === 0 ? null : `P${i}`, `#room-${i}`);
    const plan = () => (db.prepare(`EXPLAIN QUERY PLAN ${byEitherId}`).all({ id: 'x' }) as { detail: string }[]).map((r) => r.detail);
    expect(plan()).toContain('SCAN ch');

    db.transaction(() => migration.up(db))();

    expect(migration.version).toBe(74);
    expect(plan()).not.toContain('SCAN ch');
    expect(plan().join(' ')).toMatch(/channels_rest_id/);
    const resolver = archiveMentionResolver(db);
    expect(resolver.channel('P12')).toBe('room-12');
    expect(resolver.channel('1800000000000000014')).toBe('room-14');
    expect(resolver.channel('P14')).toBeNull();
  });
});
