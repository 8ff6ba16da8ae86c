import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/archive';
import { matchingMessageKeys, searchMessages } from '../../../electron/core/search/search';
import type { SearchQueryInput } from '../../../shared/search';
import { buildArchive, type FixtureMessage } from '../../helpers/archiveFixture';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { sqliteTokenCount } from '../../helpers/ftsTokens';
import { join } from 'node:path';

/**
 * Full-text search given arbitrary strings in every field. test/unit/search/search.test.ts holds
 * the text-only properties (simple mode never fails; advanced mode fails only as BAD_QUERY); here
 * every filter is arbitrary too, and:
 *
 * - simple mode, with the fields that have a syntax (dates, time zone, cursor) left valid, never
 *   fails — whatever the text, conversation ids, senders, participants and types hold;
 * - any field arbitrary, the only failures are USAGE (a malformed date, zone…) or BAD_QUERY (a bad
 *   cursor, advanced syntax) — never an SQLite or FTS5 error, never INTERNAL;
 * - no input widens a filter: every hit is in the conversations, of the senders, types and kinds
 *   asked for (text cannot be used to smuggle an `OR` past them).
 */

const dana = { id: '7100001', name: 'Dana Ruiz' };
const kofi = { id: '1901318000001615007', name: 'Kofi Mensah' };
const day = (d: string, h = 12) => Date.parse(`${d}T${String(h).padStart(2, '0')}:00:00Z`);

const messages: FixtureMessage[] = [
  { chat: 'g1', id: 'm1', time: day('2026-01-05'), text: 'Quarterly budget review "moved" to Friday OR NOT', sender: dana },
  { chat: 'g1', id: 'm2', time: day('2026-01-06'), text: 'The budget is approved: search_scope : x', sender: kofi },
  { chat: 'g1', id: 'm3', time: day('2026-01-06', 13), file: 'budget-2026.pdf', text: 'final numbers', sender: dana },
  { chat: 'CT_9_1', id: 'm4', time: day('2026-02-01'), text: 'Café meeting about the budget (draft*)', sender: kofi },
  { chat: 'CT_9_1-T-5', id: 'm5', time: day('2026-02-03'), text: 'Thread reply: budget questions', sender: dana },
  { chat: 'd1', id: 'm6', time: day('2026-03-31', 23), text: 'late night budget note 😀 مرحبا', sender: dana },
];

/** Strings that mean something to FTS5, SQL, JSON or the scope tokens. */
const syntax = fc.constantFrom(
  '"',
  '""',
  '*',
  '^',
  ':',
  '(',
  ')',
  '{',
  '}',
  '+',
  '-',
  'AND',
  'OR',
  'NOT',
  'NEAR',
  'NEAR(a b, 2)',
  'search_scope',
  'search_scope : c1',
  "'",
  ';',
  '--',
  '\\',
  '\u0000',
  '%',
  '_',
  '[',
  ']',
  'budget',
  'g1',
  'CT_9_1',
  '7100001',
  'dana@example.org',
  'text',
  'file',
);
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.array(syntax, { maxLength: 8 }).map((w) => w.join(' ')),
  fc.array(syntax, { maxLength: 8 }).map((w) => w.join('')),
);
const someOf = (item: fc.Arbitrary<string>) => fc.option(fc.array(item, { minLength: 1, maxLength: 4 }), { nil: undefined });

/** Every field of a search, arbitrary; `valid` keeps the fields that have a syntax well-formed. */
function queries(valid: boolean): fc.Arbitrary<SearchQueryInput> {
  const date = valid ? fc.constantFrom(undefined, '2026-01-01', '2026-02-01T00:00:00+01:00') : fc.option(anyText, { nil: undefined });
  return fc.record(
    {
      text: fc.option(anyText, { nil: undefined }),
      mode: valid ? fc.constant('simple' as const) : fc.constantFrom('simple' as const, 'advanced' as const),
      chats: someOf(anyText.filter((s) => s.length > 0)),
      kinds: fc.option(fc.subarray(['direct', 'group', 'bot', 'channel', 'thread'] as const, { minLength: 1 }), { nil: undefined }),
      senders: someOf(anyText.filter((s) => s.length > 0)),
      participants: someOf(anyText.filter((s) => s.length > 0)),
      from: date,
      to: date,
      timeZone: valid ? fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata') : fc.oneof(anyText, fc.constantFrom('UTC', 'Etc/GMT+14')),
      types: someOf(anyText.filter((s) => s.length > 0)),
      hasFile: fc.option(fc.boolean(), { nil: undefined }),
      deleted: fc.constantFrom('include' as const, 'exclude' as const, 'only' as const),
      includeVersions: fc.boolean(),
      order: fc.constantFrom('newest' as const, 'oldest' as const),
      limit: fc.integer({ min: 1, max: 500 }),
      cursor: valid
        ? fc.constant(undefined)
        : fc.option(
            anyText.map((s) => s.slice(0, 500)),
            { nil: undefined },
          ),
    },
    { requiredKeys: ['deleted', 'includeVersions', 'order', 'limit', 'mode', 'timeZone'] },
  );
}

describe('search with arbitrary strings in every filter', () => {
  let dir: string;
  let archive: Archive;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cliq-vault-fts-prop-'));
    const chats = [
      ['g1', 'group', 'Finance, "core" OR x'],
      ['CT_9_1', 'channel', '#legal*'],
      ['CT_9_1-T-5', 'thread', 'Vendor: questions'],
      ['d1', 'direct', 'Kofi Mensah'],
    ] as const;
    archive = buildArchive(dir, {
      chats: chats.map(([id, kind, title]) => ({ id, kind, title })),
      users: [dana, kofi].map((u, i) => ({ ...u, email: i === 0 ? 'dana@example.org' : 'Kofi.Mensah@example.org' })),
      members: [{ chat: 'g1', userId: dana.id, email: 'dana@example.org', name: dana.name }],
      messages,
    });
  });
  afterAll(() => {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every hit keeps to the filters asked for. */
  function keepsToFilters(q: SearchQueryInput): void {
    const page = searchMessages(archive.db, q);
    for (const hit of page.hits) {
      if (q.chats) expect(q.chats).toContain(hit.chatId);
      if (q.kinds) expect(q.kinds).toContain(hit.chatKind);
      if (q.types) expect(q.types).toContain(hit.type);
      if (q.senders && !q.senders.some((s) => s.includes('@'))) expect(q.senders).toContain(hit.senderId);
      if (q.hasFile === true) expect(hit.fileName).not.toBeNull();
      if (q.hasFile === false) expect(hit.fileName).toBeNull();
    }
    expect(page.hits.length).toBeLessThanOrEqual(q.limit ?? 50);
  }

  it('simple mode never fails, whatever the text, conversations, senders, participants and types, but names a text with no words (3,000 queries)', () => {
    const tokens = sqliteTokenCount();
    fc.assert(
      fc.property(queries(true), (q) => {
        // Two refusals instead of a silent "nothing": a start date after the end date (USAGE; the
        // generator's two dates are a month apart, so the instants' order is theirs), then a text of
        // punctuation alone (BAD_QUERY).
        if (q.from !== undefined && q.to !== undefined && Date.parse(q.from) > Date.parse(q.to)) {
          expect(() => keepsToFilters(q)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringContaining('is after the end date') as unknown }));
          return;
        }
        const wordless = q.text !== undefined && q.text.trim() !== '' && tokens(q.text) === 0;
        if (wordless) {
          expect(() => keepsToFilters(q)).toThrow(expect.objectContaining({ code: 'BAD_QUERY' }));
          return;
        }
        keepsToFilters(q);
        matchingMessageKeys(archive.db, q);
      }),
      { numRuns: 3_000, seed: 20_261_124 },
    );
  });

  it('any field arbitrary: an answer, USAGE or BAD_QUERY — never another error (3,000 queries)', () => {
    const codes = new Map<string, number>();
    fc.assert(
      fc.property(queries(false), (q) => {
        for (const run of [() => keepsToFilters(q), () => matchingMessageKeys(archive.db, q)]) {
          try {
            run();
          } catch (error) {
            const code = (error as { code?: unknown }).code;
            expect(['USAGE', 'BAD_QUERY'], `${String(error)} for ${JSON.stringify(q)}`).toContain(code);
            codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
          }
        }
      }),
      { numRuns: 3_000, seed: 20_261_124 },
    );
    // Both kinds of refusal were met: the generator reaches the checks it claims to.
    expect([...codes.keys()].sort()).toEqual(['BAD_QUERY', 'USAGE']);
  });

  it('text cannot widen a filter: the same words with a conversation filter find a subset', () => {
    const tokens = sqliteTokenCount();
    fc.assert(
      fc.property(anyText, fc.constantFrom('g1', 'CT_9_1', 'd1'), (text, chat) => {
        // A text with no words is refused whatever the filter (simple mode's one refusal).
        if (text.trim() !== '' && tokens(text) === 0) {
          expect(() => searchMessages(archive.db, { text, chats: [chat], limit: 500 })).toThrow(expect.objectContaining({ code: 'BAD_QUERY' }));
          return;
        }
        const all = new Set(searchMessages(archive.db, { text, limit: 500 }).hits.map((h) => h.key));
        const inChat = searchMessages(archive.db, { text, chats: [chat], limit: 500 }).hits;
        for (const hit of inChat) {
          expect(hit.chatId).toBe(chat);
          expect(all.has(hit.key)).toBe(true);
        }
      }),
      { numRuns: 1_000, seed: 20_261_124 },
    );
  });
});
