import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/archive';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { holdMentions, listHolds } from '../../../electron/core/holds/holdReads';
import { isHeld, markHeld } from '../../../electron/core/holds/holdScope';
import { placeHold, releaseHold } from '../../../electron/core/holds/holdWrites';
import type { HoldInput } from '../../../shared/holds';
import { buildArchive, fixtureRow } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: number, h = 12) => Date.UTC(2026, 0, d, h);
const ann = { id: 'u1', name: 'Ann Lee' };
const bo = { id: 'u2', name: 'Bo Chan' };
const cy = { id: 'u3', name: 'Cy Park' };

const tempDir = useTempDir();
let archive: Archive;

/**
 * c1 "Alpha" (group: Ann and Bo; Ann left on Jan 15), c2 "Beta" (channel: Cy) with its thread t2,
 * c3 (direct: Bo and Cy).
 */
beforeEach(() => {
  archive = buildArchive(tempDir(), {
    chats: [
      { id: 'c1', kind: 'group', title: 'Alpha' },
      { id: 'c2', kind: 'channel', title: 'Beta' },
      { id: 't2', kind: 'thread', title: 'Beta thread' },
      { id: 'c3', kind: 'direct', title: 'Bo and Cy' },
    ],
    users: [
      { id: 'u1', email: 'ann@example.org', name: 'Ann Lee' },
      { id: 'u2', email: 'bo@example.org', name: 'Bo Chan' },
      { id: 'u3', email: 'Cy@Example.org', name: 'Cy Park' },
    ],
    members: [
      { chat: 'c1', userId: 'u1', email: 'ann@example.org', name: 'Ann Lee' },
      { chat: 'c1', userId: 'u2', email: 'bo@example.org', name: 'Bo Chan' },
      { chat: 'c2', userId: 'u3', email: 'cy@example.org', name: 'Cy Park' },
      { chat: 'c3', userId: 'u2', email: 'bo@example.org', name: 'Bo Chan' },
      { chat: 'c3', userId: 'u3', email: 'cy@example.org', name: 'Cy Park' },
    ],
    messages: [
      { chat: 'c1', id: 'm1', time: day(5), text: 'budget forecast', sender: ann },
      { chat: 'c1', id: 'm2', time: day(10), text: 'lunch plans', sender: bo },
      { chat: 'c1', id: 'm3', time: Date.UTC(2026, 1, 1, 12), text: 'budget final', sender: bo },
      { chat: 'c2', id: 'm4', time: day(6), text: 'merger talk', sender: cy },
      { chat: 't2', id: 'm5', time: day(7), text: 'merger details', sender: cy },
      { chat: 'c3', id: 'm6', time: day(8), text: 'hello there', sender: bo },
    ],
  });
  const ctx = { runId: 1, now: day(15) };
  archive.transaction(() => {
    archive.entities.threads.upsert(
      {
        key: 't2',
        values: { parent_chat_id: 'c2', channel_id: null, title: 'Beta thread', thread_message_id: null, parent_message_sender: null, thread_state: null, follower_count: null, last_message_at: null },
        sourceJson: '{}',
        sourceHash: 't2',
      },
      ctx,
    );
    // The Jan 15 listing of Alpha no longer has Ann: her membership ends then.
    archive.memberships.apply('c1', [{ userId: 'u2', name: 'Bo Chan', email: 'bo@example.org' }], ctx, Date.UTC(2026, 0, 1));
  });
});

afterEach(() => {
  archive.close();
});

/** The messages held now by the active holds, by message id. */
function held(): string[] {
  const db = openArchiveDb(archive.path, { readonly: true });
  try {
    markHeld(db);
    return db.prepare('SELECT m.message_id FROM temp.held_messages h JOIN messages m ON m.id = h.key ORDER BY m.message_id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Places one hold alone (releasing the others first) and says what it holds. */
let n = 0;
function only(criteria: Omit<HoldInput, 'name'>): string[] {
  const db = openArchiveDb(archive.path, { readonly: true });
  const active = listHolds(db).filter((h) => h.status === 'active');
  db.close();
  for (const h of active) releaseHold(archive.path, { name: h.name, reason: 'next case' });
  placeHold(archive.path, { name: `case ${(n += 1)}`, ...criteria });
  return held();
}

describe('the legal hold scope predicate', () => {
  it('holds nothing while no hold is placed', () => {
    expect(held()).toEqual([]);
  });

  it('custodian: messages they sent and every message of conversations they were a member of (a channel with its threads)', () => {
    expect(only({ custodians: ['u1'] })).toEqual(['m1', 'm2', 'm3']);
    // Cy: by e-mail, in another case: sent m4–m5, member of Beta (so its thread) and of the direct chat with Bo.
    expect(only({ custodians: ['cy@example.org'] })).toEqual(['m4', 'm5', 'm6']);
  });

  it("custodian: a conversation counts only when the membership overlaps the hold's dates", () => {
    // Ann left Alpha on Jan 15: a hold on February holds nothing of hers (m3 is Bo's, in February).
    expect(only({ custodians: ['ann@example.org'], from: '2026-01-20', to: '2026-02-28' })).toEqual([]);
    expect(only({ custodians: ['ann@example.org'], from: '2026-01-01', to: '2026-01-31' })).toEqual(['m1', 'm2']);
  });

  it('conversations: every message of the conversation, and of its threads for a channel', () => {
    expect(only({ conversations: ['c2'] })).toEqual(['m4', 'm5']);
    expect(only({ conversations: ['Alpha'] })).toEqual(['m1', 'm2', 'm3']);
  });

  it('dates: message time within [from, to], both days included, read in the given zone', () => {
    expect(only({ from: '2026-01-06', to: '2026-01-08' })).toEqual(['m4', 'm5', 'm6']);
    // 12:00 UTC on Jan 8 is 2026-01-09 in Auckland (UTC+13): the 9th there holds m6.
    expect(only({ from: '2026-01-09', to: '2026-01-09', timeZone: 'Pacific/Auckland' })).toEqual(['m6']);
  });

  it("query: the Search screen's query, on current text and on earlier versions", () => {
    expect(only({ query: 'budget' })).toEqual(['m1', 'm3']);
    expect(only({ query: 'merger NOT details', queryMode: 'advanced' })).toEqual(['m4']);
    // Bo edits m2: its earlier text, kept as a version, still matches.
    archive.transaction(() => archive.messages.upsert([fixtureRow({ chat: 'c1', id: 'm2', time: day(10), text: 'dinner plans', sender: bo })], { runId: 1, now: day(16) }));
    expect(only({ query: 'lunch' })).toEqual(['m2']);
    expect(only({ query: 'dinner' })).toEqual(['m2']);
  });

  it('several criteria in one hold intersect', () => {
    expect(only({ query: 'budget', to: '2026-01-31' })).toEqual(['m1']);
    expect(only({ query: 'budget', conversations: ['c2'] })).toEqual([]);
    expect(only({ custodians: ['u3'], conversations: ['c3'] })).toEqual(['m6']);
    expect(only({ custodians: ['u2'], from: '2026-01-09', to: '2026-01-31', query: 'lunch' })).toEqual(['m2']);
  });

  it('several holds add up', () => {
    placeHold(archive.path, { name: 'beta', conversations: ['c2'] });
    placeHold(archive.path, { name: 'budget', query: 'budget' });
    expect(held()).toEqual(['m1', 'm3', 'm4', 'm5']);
  });

  it('holds a message archived after the hold was placed: the scope is evaluated, never snapshotted', () => {
    placeHold(archive.path, { name: 'alpha', conversations: ['c1'], reason: 'litigation' });
    expect(held()).toEqual(['m1', 'm2', 'm3']);
    archive.transaction(() => archive.messages.upsert([fixtureRow({ chat: 'c1', id: 'm7', time: day(20), text: 'late news', sender: bo })], { runId: 1, now: day(21) }));
    expect(held()).toEqual(['m1', 'm2', 'm3', 'm7']);
    const db = openArchiveDb(archive.path, { readonly: true });
    expect(isHeld(db, 'c1', 'm7')).toBe(true);
    expect(isHeld(db, 'c3', 'm6')).toBe(false);
    db.close();
  });

  it('a released hold no longer holds; its records stay, sealed, and the archive verifies', () => {
    placeHold(archive.path, { name: 'alpha', conversations: ['c1'] });
    placeHold(archive.path, { name: 'beta', conversations: ['c2'] });
    releaseHold(archive.path, { name: 'alpha', reason: 'matter closed' });
    expect(held()).toEqual(['m4', 'm5']);
    const db = openArchiveDb(archive.path, { readonly: true });
    const holds = listHolds(db);
    expect(holds.map((h) => [h.name, h.status, h.counts.messages])).toEqual([
      ['beta', 'active', 2],
      ['alpha', 'released', 3],
    ]);
    expect(holds[1]?.release?.reason).toBe('matter closed');
    expect(db.prepare("SELECT count(*) FROM seals WHERE kind = 'audit'").pluck().get()).toBe(3);
    expect(verifyArchive(db).problems).toEqual([]);
    db.close();
  });

  it('records custodians as given and as resolved, and counts what each hold holds', () => {
    placeHold(archive.path, { name: 'people', custodians: ['CY@example.org', 'u1'] });
    const db = openArchiveDb(archive.path, { readonly: true });
    const [hold] = listHolds(db);
    expect(hold?.custodians).toEqual([
      { given: 'CY@example.org', userIds: ['u3'], email: 'cy@example.org' },
      { given: 'u1', userIds: ['u1'], email: 'ann@example.org' },
    ]);
    expect(hold?.counts).toEqual({ messages: 6, conversations: 4, custodians: 2, senders: 3 });
    db.close();
  });

  it('names the holds that touched an audit scope, active and released', () => {
    placeHold(archive.path, { name: 'alpha', conversations: ['c1'], reason: 'litigation' });
    placeHold(archive.path, { name: 'beta', conversations: ['c2'] });
    releaseHold(archive.path, { name: 'beta', reason: 'done' });
    const db = openArchiveDb(archive.path, { readonly: true });
    db.exec(`CREATE TEMP TABLE scope_chats (chat_id TEXT PRIMARY KEY) WITHOUT ROWID; CREATE TEMP TABLE scope_messages (key INTEGER PRIMARY KEY);
             INSERT INTO scope_chats VALUES ('c2'); INSERT INTO scope_messages SELECT id FROM messages WHERE chat_id = 'c2';`);
    expect(holdMentions(db, true).map((h) => [h.name, h.status, h.messagesInScope, h.releaseReason])).toEqual([['beta', 'released', 1, 'done']]);
    expect(holdMentions(db, false).map((h) => [h.name, h.status, h.messagesInScope])).toEqual([
      ['alpha', 'active', 3],
      ['beta', 'released', 2],
    ]);
    db.close();
  });
});

describe('the scope predicate against a reference written in plain code', () => {
  /** The fixture as data: each message, each membership interval (null: open), the threads. */
  const messages = [
    { id: 'm1', chat: 'c1', sender: 'u1', time: day(5), words: ['budget', 'forecast'] },
    { id: 'm2', chat: 'c1', sender: 'u2', time: day(10), words: ['lunch', 'plans'] },
    { id: 'm3', chat: 'c1', sender: 'u2', time: Date.UTC(2026, 1, 1, 12), words: ['budget', 'final'] },
    { id: 'm4', chat: 'c2', sender: 'u3', time: day(6), words: ['merger', 'talk'] },
    { id: 'm5', chat: 't2', sender: 'u3', time: day(7), words: ['merger', 'details'] },
    { id: 'm6', chat: 'c3', sender: 'u2', time: day(8), words: ['hello', 'there'] },
  ];
  const intervals = [
    { chat: 'c1', user: 'u1', left: day(15) },
    { chat: 'c1', user: 'u2', left: null },
    { chat: 'c2', user: 'u3', left: null },
    { chat: 'c3', user: 'u2', left: null },
    { chat: 'c3', user: 'u3', left: null },
  ];
  const withThreads = (chats: Set<string>) => new Set([...chats, ...(chats.has('c2') ? ['t2'] : [])]);
  const days = ['2026-01-05', '2026-01-07', '2026-01-09', '2026-01-20', '2026-02-01'];
  const hold = fc
    .record({
      custodians: fc.subarray(['u1', 'u2', 'u3']),
      conversations: fc.subarray(['c1', 'c2', 'c3']),
      from: fc.option(fc.constantFrom(...days), { nil: undefined }),
      to: fc.option(fc.constantFrom(...days), { nil: undefined }),
      query: fc.option(fc.constantFrom('budget', 'merger', 'plans', 'hello'), { nil: undefined }),
    })
    .filter(
      (h) =>
        (h.from === undefined || h.to === undefined || h.from <= h.to) &&
        (h.custodians.length > 0 || h.conversations.length > 0 || h.from !== undefined || h.to !== undefined || h.query !== undefined),
    );

  function expected(h: typeof hold extends fc.Arbitrary<infer T> ? T : never): string[] {
    const from = h.from === undefined ? -Infinity : Date.parse(`${h.from}T00:00:00Z`);
    const to = h.to === undefined ? Infinity : Date.parse(`${h.to}T00:00:00Z`) + 86_400_000 - 1;
    const custodianChats = withThreads(new Set(intervals.filter((i) => h.custodians.includes(i.user) && (i.left === null || i.left >= from)).map((i) => i.chat)));
    const chats = withThreads(new Set(h.conversations));
    return messages
      .filter(
        (m) =>
          (h.custodians.length === 0 || h.custodians.includes(m.sender) || custodianChats.has(m.chat)) &&
          (h.conversations.length === 0 || chats.has(m.chat)) &&
          m.time >= from &&
          m.time <= to &&
          (h.query === undefined || m.words.includes(h.query)),
      )
      .map((m) => m.id);
  }

  it('holds exactly what the criteria say, for random holds (AND within a hold, OR across holds)', () => {
    let round = 0;
    fc.assert(
      fc.property(fc.array(hold, { minLength: 1, maxLength: 3 }), (holds) => {
        round += 1;
        const db = openArchiveDb(archive.path, { readonly: true });
        const active = listHolds(db).filter((h) => h.status === 'active');
        db.close();
        for (const h of active) releaseHold(archive.path, { name: h.name, reason: 'next round' });
        holds.forEach((h, i) => placeHold(archive.path, { name: `round ${round} hold ${i}`, ...h }));
        expect(held()).toEqual([...new Set(holds.flatMap(expected))].sort());
      }),
      { numRuns: 25, seed: 14_2026 },
    );
  });
});

describe('placing and releasing holds', () => {
  it('refuses a hold with no criteria, an unknown custodian (naming the nearest people) and an unknown conversation', () => {
    expect(() => placeHold(archive.path, { name: 'empty', reason: 'why not' })).toThrow(/names nothing to hold/);
    expect(() => placeHold(archive.path, { name: 'typo', custodians: ['anne@example.org'] })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: 'No one in the archive has the e-mail address "anne@example.org".' }) as Error,
    );
    expect(() => placeHold(archive.path, { name: 'typo', custodians: ['anne@example.org'] })).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('u1  ann@example.org  Ann Lee') as string }) as Error,
    );
    expect(() => placeHold(archive.path, { name: 'ghost', custodians: ['u9'] })).toThrow(/No one in the archive has the user id "u9"/);
    expect(() => placeHold(archive.path, { name: 'nowhere', conversations: ['Gamma'] })).toThrow(/no conversation with the id or title "Gamma"/);
    expect(() => placeHold(archive.path, { name: 'syntax', query: '"unterminated', queryMode: 'advanced' })).toThrow(/not valid search syntax/);
    expect(() => placeHold(archive.path, { name: 'symbols', query: '***' })).toThrow(/has no words to search for/);
  });

  it('keeps names unique among active holds, and a released name free again', () => {
    placeHold(archive.path, { name: 'matter', conversations: ['c1'] });
    expect(() => placeHold(archive.path, { name: 'matter', conversations: ['c2'] })).toThrow(/already named "matter"/);
    releaseHold(archive.path, { name: 'matter', reason: 'settled' });
    expect(placeHold(archive.path, { name: 'matter', conversations: ['c2'] }).status).toBe('active');
  });

  it('refuses a release without a reason, of an unknown name, and of a hold already released', () => {
    placeHold(archive.path, { name: 'matter', conversations: ['c1'] });
    expect(() => releaseHold(archive.path, { name: 'matter', reason: '  ' })).toThrow(/needs a reason/);
    expect(() => releaseHold(archive.path, { name: 'other', reason: 'x' })).toThrow(/No hold is named "other"/);
    releaseHold(archive.path, { name: 'matter', reason: 'settled' });
    expect(() => releaseHold(archive.path, { name: 'matter', reason: 'again' })).toThrow(/already released/);
  });

  it('the database itself refuses to change or delete a hold record, or to reuse an active name', () => {
    placeHold(archive.path, { name: 'matter', conversations: ['c1'] });
    expect(() => archive.db.prepare("UPDATE legal_holds SET reason = 'edited'").run()).toThrow(/never changed/);
    expect(() => archive.db.prepare('DELETE FROM legal_hold_chats').run()).toThrow(/never deleted/);
    expect(() =>
      archive.db.prepare("INSERT INTO legal_holds (name, placed_at, os_user, host, tool_version, time_zone, query_mode) VALUES ('matter', 1, 'x', 'h', 'v', 'UTC', 'simple')").run(),
    ).toThrow(/already in use/);
  });
});
