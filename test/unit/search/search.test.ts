import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Archive } from '../../../electron/core/archive/archive';
import { matchingMessageKeys, searchMessages } from '../../../electron/core/search/search';
import { conversationPage, messageContext, messageVersions } from '../../../electron/core/search/transcript';
import type { SearchQueryInput } from '../../../shared/search';
import { buildArchive, fixtureRow, type FixtureMessage } from '../../helpers/archiveFixture';
import { sqliteTokenCount } from '../../helpers/ftsTokens';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: string, h = 12) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);
const dana = { id: '7100001', name: 'Dana Ruiz' };
const kofi = { id: '1901318000001615007', name: 'Kofi Mensah' };

const messages: FixtureMessage[] = [
  { chat: 'g1', id: 'm1', time: day('2026-01-05'), text: 'Quarterly budget review moved to Friday', sender: dana },
  { chat: 'g1', id: 'm2', time: day('2026-01-06'), text: 'The budget is approved', sender: kofi },
  { chat: 'g1', id: 'm3', time: day('2026-01-06', 13), file: 'budget-2026.pdf', text: 'final numbers', sender: dana },
  { chat: 'CT_9_1', id: 'm4', time: day('2026-02-01'), text: 'Café meeting about the budget', sender: kofi },
  { chat: 'CT_9_1', id: 'm5', time: day('2026-02-02'), text: 'Nothing to see here', sender: kofi },
  { chat: 'CT_9_1-T-5', id: 'm6', time: day('2026-02-03'), text: 'Thread reply: budget questions', sender: dana },
  {
    chat: 'd1',
    id: 'm7',
    time: day('2026-03-01'),
    type: 'info',
    content: { type: 'call_notification', data: { status: 'completed', call_type: 'audio', duration: '00:01:00', callee: { name: 'Kofi', id: kofi.id } } },
    sender: dana,
  },
  { chat: 'd1', id: 'm8', time: day('2026-03-31', 23), text: 'late night budget note', sender: dana },
];

function setup(dir: string): Archive {
  return buildArchive(dir, {
    chats: [
      { id: 'g1', kind: 'group', title: 'Finance, "core"' },
      { id: 'CT_9_1', kind: 'channel', title: '#legal' },
      { id: 'CT_9_1-T-5', kind: 'thread', title: 'Vendor questions' },
      { id: 'd1', kind: 'direct', title: 'Kofi Mensah' },
    ],
    users: [
      { id: dana.id, email: 'dana@example.org', name: dana.name },
      { id: kofi.id, email: 'Kofi.Mensah@example.org', name: kofi.name },
    ],
    members: [
      { chat: 'g1', userId: dana.id, email: 'dana@example.org', name: dana.name },
      { chat: 'g1', userId: kofi.id, email: 'kofi.mensah@example.org', name: kofi.name },
      { chat: 'd1', userId: dana.id, email: 'dana@example.org', name: dana.name },
      { chat: 'CT_9_1', userId: kofi.id, email: 'kofi.mensah@example.org', name: kofi.name },
    ],
    messages,
  });
}

describe('searchMessages', () => {
  const tempDir = useTempDir();
  const ids = (archive: Archive, q: SearchQueryInput) => searchMessages(archive.db, q).hits.map((h) => h.messageId);

  it('finds every message with all the words, newest first, across text, file names and call notices', () => {
    const archive = setup(tempDir());
    expect(ids(archive, { text: 'budget' })).toEqual(['m8', 'm6', 'm4', 'm3', 'm2', 'm1']);
    expect(ids(archive, { text: 'BUDGET approved' })).toEqual(['m2']);
    expect(ids(archive, { text: 'cafe' })).toEqual(['m4']);
    expect(ids(archive, { text: 'audio call' })).toEqual(['m7']);
    expect(ids(archive, { text: 'budget', order: 'oldest' })).toEqual(['m1', 'm2', 'm3', 'm4', 'm6', 'm8']);
  });

  it('filters by conversation, kind, sender (id or e-mail), participant, type and attachment', () => {
    const archive = setup(tempDir());
    expect(ids(archive, { text: 'budget', chats: ['CT_9_1'] })).toEqual(['m4']);
    expect(ids(archive, { text: 'budget', kinds: ['thread', 'direct'] })).toEqual(['m8', 'm6']);
    expect(ids(archive, { text: 'budget', senders: [kofi.id] })).toEqual(['m4', 'm2']);
    expect(ids(archive, { text: 'budget', senders: ['kofi.mensah@EXAMPLE.org'] })).toEqual(['m4', 'm2']);
    expect(ids(archive, { text: 'budget', participants: ['dana@example.org'] })).toEqual(['m8', 'm3', 'm2', 'm1']);
    expect(ids(archive, { text: 'budget', hasFile: true })).toEqual(['m3']);
    expect(ids(archive, { text: 'budget', hasFile: false, chats: ['g1'] })).toEqual(['m2', 'm1']);
    expect(ids(archive, { types: ['info'] })).toEqual(['m7']);
    expect(ids(archive, { text: 'budget', senders: ['nobody@example.org'] })).toEqual([]);
  });

  it('reads date ranges as calendar days in the chosen time zone, both ends included', () => {
    const archive = setup(tempDir());
    expect(ids(archive, { text: 'budget', from: '2026-01-06', to: '2026-02-01' })).toEqual(['m4', 'm3', 'm2']);
    // 2026-03-31 23:00 UTC is already April 1st in Berlin (UTC+2 in summer time).
    expect(ids(archive, { text: 'budget', from: '2026-03-31', to: '2026-03-31', timeZone: 'UTC' })).toEqual(['m8']);
    expect(ids(archive, { text: 'budget', from: '2026-03-31', to: '2026-03-31', timeZone: 'Europe/Berlin' })).toEqual([]);
    expect(ids(archive, { text: 'budget', from: '2026-04-01', to: '2026-04-01', timeZone: 'Europe/Berlin' })).toEqual(['m8']);
    expect(ids(archive, { text: 'budget', from: '2026-02-01T12:00:00+00:00', to: '2026-02-03T11:59:59+00:00' })).toEqual(['m4']);
    expect(() => searchMessages(archive.db, { text: 'x', timeZone: 'Mars/Olympus' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('hands its date range to FTS5 as integers, the only bounds FTS5 seeks to', () => {
    // FTS5 ignores a rowid bound that is not an INTEGER and better-sqlite3 binds numbers as REALs:
    // the results stay right (SQLite checks the range itself) but FTS5 walks the word's whole
    // index. So no statement may compare an FTS rowid with a bare parameter.
    const archive = setup(tempDir());
    const prepare = vi.spyOn(archive.db, 'prepare');
    expect(ids(archive, { text: 'budget', from: '2026-01-06', to: '2026-02-01', order: 'oldest' })).toEqual(['m2', 'm3', 'm4']);
    expect(matchingMessageKeys(archive.db, { text: 'budget', from: '2026-01-06', to: '2026-02-01' })).toHaveLength(3);
    const fts = prepare.mock.calls.map(([sql]) => sql).filter((sql) => /messages_fts MATCH/.test(sql));
    expect(fts.length).toBeGreaterThanOrEqual(2);
    for (const sql of fts) {
      expect(sql).toContain('f.rowid BETWEEN CAST(@lo AS INTEGER) AND CAST(@hi AS INTEGER)');
      expect(sql).not.toMatch(/rowid\s*(BETWEEN|[<>]=?)\s*[@?]/);
    }
    expect(archive.db.prepare('SELECT typeof(CAST(@lo AS INTEGER)) AS t').get({ lo: 1.0e15 })).toEqual({ t: 'integer' });
  });

  it('pages with a cursor: no duplicates, no gaps, in both orders', () => {
    const archive = setup(tempDir());
    for (const order of ['newest', 'oldest'] as const) {
      const all = ids(archive, { text: 'budget', order });
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 10; page += 1) {
        const result = searchMessages(archive.db, { text: 'budget', order, limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...result.hits.map((h) => h.messageId));
        if (result.nextCursor === null) break;
        cursor = result.nextCursor;
      }
      expect(seen).toEqual(all);
    }
    expect(() => searchMessages(archive.db, { text: 'budget', cursor: 'garbage' })).toThrow(expect.objectContaining({ code: 'BAD_QUERY' }));
  });

  it('returns snippets as segments with the matched words marked, and the hit details', () => {
    const archive = setup(tempDir());
    const [hit] = searchMessages(archive.db, { text: 'approved' }).hits;
    expect(hit).toMatchObject({ chatId: 'g1', chatTitle: 'Finance, "core"', chatKind: 'group', senderId: kofi.id, senderName: 'Kofi Mensah', type: 'text', deleted: false, edited: false });
    expect(hit?.snippet).toEqual([
      { text: 'The budget is ', hit: false },
      { text: 'approved', hit: true },
    ]);
    const [file] = searchMessages(archive.db, { text: 'pdf' }).hits;
    expect(file?.snippet.some((s) => s.hit && s.text === 'pdf')).toBe(true);
  });

  it('finds deleted messages (marked), excludes them or shows only them; finds edited-away words in earlier versions', () => {
    const archive = setup(tempDir());
    const ctx = { runId: 1, now: Date.UTC(2026, 4, 1) };
    archive.transaction(() => {
      archive.messages.markSeen('g1', ['m1', 'm3']);
      archive.messages.tombstoneUnseen('g1', 0, Number.MAX_SAFE_INTEGER, ctx);
      archive.messages.upsert([fixtureRow({ ...(messages[0] as FixtureMessage), text: 'Quarterly review moved to Monday' })], ctx);
    });
    expect(searchMessages(archive.db, { text: 'approved' }).hits[0]?.deleted).toBe(true);
    expect(ids(archive, { text: 'budget', chats: ['g1'], deleted: 'exclude' })).toEqual(['m3']);
    expect(ids(archive, { text: 'budget', deleted: 'only' })).toEqual(['m2']);
    // "Friday" survives only in the earlier version of m1.
    expect(ids(archive, { text: 'friday' })).toEqual([]);
    const found = searchMessages(archive.db, { text: 'friday', includeVersions: true }).hits;
    expect(found).toEqual([expect.objectContaining({ messageId: 'm1', version: 1, edited: true })]);
    const both = searchMessages(archive.db, { text: 'quarterly', includeVersions: true }).hits.map((h) => [h.messageId, h.version ?? 'current']);
    expect(both).toEqual([
      ['m1', 'current'],
      ['m1', 1],
    ]);
    expect(messageVersions(archive.db, found[0]?.key ?? 0).map((v) => v.text)).toEqual(['Quarterly budget review moved to Friday']);
  });

  it('filters by having earlier versions (edited or never edited), alone or with words', () => {
    const archive = setup(tempDir());
    archive.transaction(() => archive.messages.upsert([fixtureRow({ ...(messages[1] as FixtureMessage), text: 'The budget is approved, signed' })], { runId: 1, now: Date.UTC(2026, 4, 1) }));
    expect(ids(archive, { edited: true })).toEqual(['m2']);
    expect(ids(archive, { text: 'budget', edited: false })).toEqual(['m8', 'm6', 'm4', 'm3', 'm1']);
    expect(ids(archive, { text: 'budget', edited: true, senders: [dana.id] })).toEqual([]);
  });

  it('brings the threads of a channel picked, by id or through a participant, unless the kinds leave threads out', () => {
    const archive = setup(tempDir());
    const seen = { version_seen_at: 1, first_seen_at: 1, last_seen_at: 1 };
    archive.db
      .prepare(
        `INSERT INTO threads (thread_chat_id, parent_chat_id, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at)
         VALUES ('CT_9_1-T-5', 'CT_9_1', '{}', 'x', @version_seen_at, @first_seen_at, @last_seen_at)`,
      )
      .run(seen);
    expect(ids(archive, { text: 'budget', chats: ['CT_9_1'] })).toEqual(['m6', 'm4']);
    // Kofi is a member of g1 and of the channel (not of its thread): the thread comes with the channel.
    expect(ids(archive, { text: 'budget', participants: [kofi.id] })).toEqual(['m6', 'm4', 'm3', 'm2', 'm1']);
    expect(ids(archive, { text: 'budget', chats: ['CT_9_1'], kinds: ['channel'] })).toEqual(['m4']);
    expect(ids(archive, { text: 'budget', chats: ['g1'] })).toEqual(['m3', 'm2', 'm1']);
  });

  it('advanced mode takes FTS5 operators and reports invalid syntax clearly', () => {
    const archive = setup(tempDir());
    expect(ids(archive, { text: 'approved OR cafe', mode: 'advanced' })).toEqual(['m4', 'm2']);
    expect(ids(archive, { text: 'budget NOT approved', mode: 'advanced', chats: ['g1'] })).toEqual(['m3', 'm1']);
    expect(ids(archive, { text: '"budget review"', mode: 'advanced' })).toEqual(['m1']);
    expect(ids(archive, { text: 'bud*', mode: 'advanced', senders: [kofi.id] })).toEqual(['m4', 'm2']);
    expect(() => searchMessages(archive.db, { text: '(budget OR', mode: 'advanced' })).toThrow(
      expect.objectContaining({ code: 'BAD_QUERY', message: expect.stringContaining('not valid search syntax') as unknown }),
    );
    // The same text in simple mode is just words.
    expect(ids(archive, { text: '(budget OR' })).toEqual([]);
    expect(ids(archive, { text: 'budget OR' })).toEqual([]);
  });

  it('never fails on anything a user can type in simple mode but a text with no words, which it names (property, 3,000 strings)', () => {
    const archive = setup(tempDir());
    const tokens = sqliteTokenCount();
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.stringMatching(/^[a-z "*()^:{}+\-ANDORNOT]{0,30}$/)), (text) => {
        const wordless = text.trim() !== '' && tokens(text) === 0;
        let thrown: unknown;
        try {
          searchMessages(archive.db, { text });
        } catch (error) {
          thrown = error;
        }
        if (wordless) expect(thrown).toMatchObject({ code: 'BAD_QUERY', message: expect.stringContaining('has no words to search for') as unknown });
        else expect(thrown).toBeUndefined();
      }),
      { numRuns: 3_000 },
    );
  });

  it('says why a query of punctuation alone finds nothing, and ignores punctuation next to words', () => {
    const archive = setup(tempDir());
    for (const text of ['"', '***', '(', ' :-) ', '🎉', '""', '-- ^ --']) {
      for (const mode of ['simple', 'advanced'] as const) {
        expect(() => searchMessages(archive.db, { text, mode })).toThrow(
          expect.objectContaining({
            code: 'BAD_QUERY',
            message: `The query “${text.trim()}” has no words to search for: punctuation and symbols are ignored.`,
            hint: expect.stringContaining('at least one word or number') as unknown,
          }),
        );
      }
    }
    // An empty phrase ANDed with the words used to match nothing at all.
    expect(ids(archive, { text: 'budget *** "' })).toEqual(ids(archive, { text: 'budget' }));
    expect(ids(archive, { text: 'budget 🎉 approved' })).toEqual(['m2']);
    // A blank text is no text filter: the filters alone list what they select.
    expect(ids(archive, { text: '   ', chats: ['d1'] })).toEqual(['m8', 'm7']);
  });

  it('refuses a start date after the end date instead of answering nothing', () => {
    const archive = setup(tempDir());
    expect(() => searchMessages(archive.db, { text: 'budget', from: '2026-02-01', to: '2026-01-06' })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: 'The start date (2026-02-01) is after the end date (2026-01-06).' }),
    );
    expect(() => searchMessages(archive.db, { from: '2026-02-01T12:00:00+00:00', to: '2026-02-01T11:59:59+00:00' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    // The same day at both ends, or an instant inside the last day, is a range.
    expect(ids(archive, { text: 'budget', from: '2026-02-01', to: '2026-02-01' })).toEqual(['m4']);
    expect(ids(archive, { text: 'budget', from: '2026-02-01T12:00:00+00:00', to: '2026-02-01' })).toEqual(['m4']);
    // Days are read in the zone: 2026-04-01 in Berlin starts before the end of 2026-03-31 in UTC terms, and is still after it as a day.
    expect(() => searchMessages(archive.db, { from: '2026-04-01', to: '2026-03-31', timeZone: 'Europe/Berlin' })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('in advanced mode, any text either searches or is a BAD_QUERY — never another error (property)', () => {
    const archive = setup(tempDir());
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[a-z "*()^:{}+\-ANDORNOT]{0,30}$/)), (text) => {
        try {
          searchMessages(archive.db, { text, mode: 'advanced' });
        } catch (error) {
          expect(error).toMatchObject({ code: 'BAD_QUERY' });
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('transcripts', () => {
  const tempDir = useTempDir();

  it('pages a conversation by time and shows the context around a hit', () => {
    const archive = setup(tempDir());
    const newest = conversationPage(archive.db, 'g1', { limit: 2 });
    expect(newest.messages.map((m) => m.messageId)).toEqual(['m2', 'm3']);
    expect(newest).toMatchObject({ hasOlder: true, hasNewer: false, chat: { title: 'Finance, "core"', kind: 'group' } });
    const older = conversationPage(archive.db, 'g1', { before: newest.messages[0]?.key ?? 0, limit: 2 });
    expect(older.messages.map((m) => m.messageId)).toEqual(['m1']);
    expect(older.hasOlder).toBe(false);
    const hit = searchMessages(archive.db, { text: 'approved' }).hits[0];
    const context = messageContext(archive.db, hit?.key ?? 0, 1);
    expect(context.messages.map((m) => m.messageId)).toEqual(['m1', 'm2', 'm3']);
    expect(context.focus).toBe(hit?.key);
    expect(() => conversationPage(archive.db, 'nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
