import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { memberKey } from '../../../electron/core/archive/membershipsRepo';
import { useTempDir } from '../../helpers/tempDir';

describe('memberships and inventory entities', () => {
  const tempDir = useTempDir();
  const setup = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    return { archive, at: (now: number) => ({ runId, now }) };
  };
  const dana = { userId: '7100001', name: 'Dana Ruiz', email: 'dana@example.org' };
  const kofi = { userId: '7100002', name: 'Kofi Mensah', email: 'kofi@example.org' };

  it('records membership as intervals: join, leave, come back', () => {
    const { archive, at } = setup();
    const apply = (members: (typeof dana)[], now: number, listedBefore: number | null) => archive.transaction(() => archive.memberships.apply('c1', members, at(now), listedBefore));
    // The first listing finds members (since an unknown time); later ones notice joins and leaves.
    expect(apply([dana, kofi], 10, null)).toEqual({ firstArchived: 2, joined: 0, left: 0, unchanged: 0, fromInfoMessages: 0 });
    expect(apply([dana], 20, 10)).toEqual({ firstArchived: 0, joined: 0, left: 1, unchanged: 1, fromInfoMessages: 0 });
    expect(apply([dana, kofi], 30, 20)).toEqual({ firstArchived: 0, joined: 1, left: 0, unchanged: 1, fromInfoMessages: 0 });
    expect(archive.memberships.lastChangeAt('c1')).toBe(30);
    expect(archive.db.prepare('SELECT member_key, joined_source, joined_at, left_source, left_at FROM membership_intervals ORDER BY member_key, joined_noticed_at').all()).toEqual([
      { member_key: '7100001', joined_source: 'first_archived', joined_at: null, left_source: null, left_at: null },
      { member_key: '7100002', joined_source: 'first_archived', joined_at: null, left_source: 'noticed', left_at: 20 },
      { member_key: '7100002', joined_source: 'noticed', joined_at: 30, left_source: null, left_at: null },
    ]);
    const rows = archive.db.prepare('SELECT member_key, first_seen_at, last_seen_at, gone_at FROM memberships ORDER BY member_key, first_seen_at').all();
    expect(rows).toEqual([
      { member_key: '7100001', first_seen_at: 10, last_seen_at: 30, gone_at: null },
      { member_key: '7100002', first_seen_at: 10, last_seen_at: 10, gone_at: 20 },
      { member_key: '7100002', first_seen_at: 30, last_seen_at: 30, gone_at: null },
    ]);
  });

  it('keys a member without a user id by e-mail, and skips one with neither', () => {
    expect(memberKey({ userId: null, name: 'X', email: 'X@Example.org' })).toBe('email:x@example.org');
    expect(memberKey({ userId: null, name: 'X', email: null })).toBeNull();
  });

  it('keeps earlier metadata in entity_history, marks the unlisted gone, and notes a return', () => {
    const { archive, at } = setup();
    const user = (name: string) => ({ key: '7100001', values: { email: 'd@x.org', name, display_name: name, status: 'active' }, sourceJson: JSON.stringify({ name }), sourceHash: name });
    const store = archive.entities.users;
    expect(archive.transaction(() => store.upsert(user('Dana'), at(10)))).toBe('inserted');
    expect(archive.transaction(() => store.upsert(user('Dana'), at(20)))).toBe('unchanged');
    expect(archive.transaction(() => store.upsert(user('Dana Ruiz'), at(30)))).toBe('changed');
    expect(archive.db.prepare('SELECT kind, entity_key, source_json, seen_at, superseded_at FROM entity_history').all()).toEqual([
      { kind: 'user', entity_key: '7100001', source_json: '{"name":"Dana"}', seen_at: 10, superseded_at: 30 },
    ]);
    expect(archive.transaction(() => store.markGone(new Set(), at(40), { where: '1 = 1', params: [] }))).toEqual(['7100001']);
    expect(archive.db.prepare('SELECT name, gone_at FROM users').get()).toEqual({ name: 'Dana Ruiz', gone_at: 40 });
    expect(archive.db.prepare('SELECT kind, subject, noticed_at FROM tombstones').all()).toEqual([{ kind: 'user', subject: '7100001', noticed_at: 40 }]);
    expect(archive.transaction(() => store.upsert(user('Dana Ruiz'), at(50)))).toBe('reappeared');
    expect(archive.db.prepare('SELECT gone_at FROM users').get()).toEqual({ gone_at: null });
    expect(archive.db.prepare('SELECT kind, subject FROM archive_events').all()).toEqual([{ kind: 'user_reappeared', subject: '7100001' }]);
  });
});
