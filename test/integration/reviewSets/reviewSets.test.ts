import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Archive } from '../../../electron/core/archive/archive';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { placeHold } from '../../../electron/core/holds/holdWrites';
import { exportJsonl } from '../../../electron/core/export';
import { applyRetention } from '../../../electron/core/retention';
import { codeReviewItem, codingHistory, createReviewSet, listReviewSets, reviewItems } from '../../../electron/core/reviewSets';
import { matchingMessageKeys } from '../../../electron/core/search/search';
import type { ReviewCode } from '../../../shared/reviewSets';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: number) => Date.UTC(2026, 0, d, 12);
const clock = { now: () => day(31) };
const ann = { id: 'u1', name: 'Ann Lee' };
const bo = { id: 'u2', name: 'Bo Chan' };

const tempDir = useTempDir();
let archive: Archive;
let path: string;

/** c1 "Alpha" (group), c2 "Beta" (channel), c3 (direct); messages from Jan 2 to Jan 29. */
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
    messages: [
      { chat: 'c1', id: 'm1', time: day(2), text: 'budget forecast', sender: ann },
      { chat: 'c1', id: 'm2', time: day(3), text: 'lunch plans', sender: bo },
      { chat: 'c1', id: 'm3', time: day(29), text: 'budget final', sender: bo },
      { chat: 'c2', id: 'm4', time: day(4), text: 'merger talk budget', sender: bo },
      { chat: 'c2', id: 'm5', time: day(5), text: 'quarterly report', sender: bo },
      { chat: 'c3', id: 'm6', time: day(6), text: 'hello there', sender: bo },
    ],
  });
  path = archive.path;
  archive.close();
});

afterEach(() => {
  archive.close();
});

const read = <T>(fn: (db: ReturnType<typeof openArchiveDb>) => T): T => {
  const db = openArchiveDb(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
};
const ids = (setId: number, filter: Parameters<typeof reviewItems>[1]['filter'] = {}) => read((db) => reviewItems(db, { setId, filter }).items.map((i) => i.messageId));
const code = (input: ReviewCode) => codeReviewItem(path, input, { clock });

describe('review sets', () => {
  it('a set made from filters freezes exactly what a search with those filters finds, in conversation order', () => {
    const set = createReviewSet(path, { name: 'Budget', description: 'first pass', source: { scope: { query: 'budget' } } }, { clock });
    const searched = read(
      (db) =>
        db
          .prepare(`SELECT message_id FROM messages WHERE id IN (${matchingMessageKeys(db, { text: 'budget' }).join(',')}) ORDER BY chat_id, time`)
          .pluck()
          .all() as string[],
    );
    expect(searched).toEqual(['m1', 'm3', 'm4']);
    expect(ids(set.id)).toEqual(searched);
    expect(set).toMatchObject({ name: 'Budget', description: 'first pass', items: 3, reviewed: 0, purged: 0, tagCounts: {}, customTags: [] });
    expect(set.sourceText).toMatch(/^search: .*"budget"/);
    expect(set.owner.osUser).not.toBe('');
    expect(read((db) => listReviewSets(db)).map((s) => s.name)).toEqual(['Budget']);
    expect(read((db) => verifyArchive(db).problems)).toEqual([]);
  });

  it('a set made from a hold holds what the hold holds', () => {
    placeHold(path, { name: 'Merger', conversations: ['c2'], reason: 'litigation' }, { clock });
    const set = createReviewSet(path, { name: 'Merger review', source: { hold: 'Merger' } }, { clock });
    expect(ids(set.id)).toEqual(['m4', 'm5']);
    expect(set.sourceText).toBe('hold: "Merger", what it held when the set was made');
    expect(() => createReviewSet(path, { name: 'Other', source: { hold: 'Nope' } }, { clock })).toThrow(/No hold is named "Nope"/);
  });

  it('refuses a duplicate name, an empty source, and shows the cap', () => {
    createReviewSet(path, { name: 'All', source: { scope: {} } }, { clock });
    expect(() => createReviewSet(path, { name: 'All', source: { scope: { query: 'lunch' } } }, { clock })).toThrow(/already named "All"/);
    expect(() => createReviewSet(path, { name: 'None', source: { scope: { query: 'zebra' } } }, { clock })).toThrow(/would hold no message/);
    expect(ids(1)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('codes messages and conversations: a round trip through the filters, inherited conversation tags, refusals', () => {
    const set = createReviewSet(path, { name: 'All', source: { scope: {} } }, { clock });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm3', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm3', action: 'tag', tag: 'privileged' });
    code({ setId: set.id, chatId: 'c2', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c2', action: 'note', note: 'the merger channel' });
    code({ setId: set.id, chatId: 'c3', messageId: 'm6', action: 'reviewed', reviewed: true });
    code({ setId: set.id, chatId: 'c1', messageId: 'm2', action: 'tag', tag: 'hot-doc' });
    const { set: after } = code({ setId: set.id, chatId: 'c1', messageId: 'm2', action: 'untag', tag: 'hot-doc' });

    expect(ids(set.id, { withTags: ['responsive'] })).toEqual(['m1', 'm3', 'm4', 'm5']);
    expect(ids(set.id, { withTags: ['responsive'], withoutTags: ['privileged'] })).toEqual(['m1', 'm4', 'm5']);
    expect(ids(set.id, { reviewed: 'yes' })).toEqual(['m1', 'm3', 'm4', 'm5', 'm6']);
    expect(ids(set.id, { reviewed: 'no' })).toEqual(['m2']);
    expect(ids(set.id, { chatId: 'c2' })).toEqual(['m4', 'm5']);
    expect(after).toMatchObject({ items: 6, reviewed: 5, tagCounts: { responsive: 4, privileged: 1 }, customTags: ['hot-doc'] });

    const page = read((db) => reviewItems(db, { setId: set.id, filter: { chatId: 'c2' } }));
    expect(page.total).toBe(2);
    expect(page.items[0]).toMatchObject({
      messageId: 'm4',
      tags: [],
      conversationTags: ['responsive'],
      conversationNote: 'the merger channel',
      reviewed: true,
      purged: false,
      conversationTitle: 'Beta',
    });

    // Refusals, each in clear words, and none of them recorded.
    expect(() => code({ setId: 99, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'responsive' })).toThrow(/No review set is named "99"/);
    expect(() => code({ setId: set.id, chatId: 'c1', messageId: 'zz', action: 'tag', tag: 'responsive' })).toThrow(/is not in the review set "All"/);
    expect(() => code({ setId: set.id, chatId: 'c9', action: 'tag', tag: 'responsive' })).toThrow(/No message of the conversation c9 is in the review set/);
    expect(() => code({ setId: set.id, chatId: 'c2', messageId: 'm4', action: 'untag', tag: 'responsive' })).toThrow(/does not carry the tag "responsive"/);
    const history = read((db) => codingHistory(db, { setId: set.id }));
    expect(history).toHaveLength(8);
    expect(history[0]).toMatchObject({ action: 'untag', tag: 'hot-doc', messageId: 'm2' });
    expect(read((db) => codingHistory(db, { setId: set.id, chatId: 'c2', messageId: 'm4' })).map((r) => r.action)).toEqual(['note', 'tag']);

    // Sealed: verify passes; a coding row changed with an SQLite tool is found.
    expect(read((db) => verifyArchive(db).problems)).toEqual([]);
    const raw = openArchiveDb(path);
    raw.exec('DROP TRIGGER review_codings_unchanged');
    raw.prepare("UPDATE review_codings SET tag = 'not-responsive' WHERE id = 1").run();
    raw.close();
    const report = read((db) => verifyArchive(db));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'row_changed', table: 'review_codings' })]));
  });

  it('export --what review_sets, review_set_items and review_codings list them all, ids as strings', async () => {
    const set = createReviewSet(path, { name: 'Budget', source: { scope: { query: 'budget' } } }, { clock });
    code({ setId: set.id, chatId: 'c2', action: 'tag', tag: 'responsive' });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'reviewed', reviewed: true });
    const dir = tempDir();
    const lines = async (kind: 'review_sets' | 'review_set_items' | 'review_codings') => {
      const out = `${dir}/${kind}.jsonl`;
      const db = openArchiveDb(path, { readonly: true });
      try {
        await exportJsonl(db, kind, out);
      } finally {
        db.close();
      }
      return readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    };
    expect(await lines('review_sets')).toEqual([
      expect.objectContaining({
        set_id: 1,
        name: 'Budget',
        source: { scope: expect.objectContaining({ query: 'budget', timeZone: 'UTC' }) as unknown },
        items: 3,
        row_hash: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
      }),
    ]);
    expect((await lines('review_set_items')).map((i) => [i.position, i.chat_id, i.message_id])).toEqual([
      [1, 'c1', 'm1'],
      [2, 'c1', 'm3'],
      [3, 'c2', 'm4'],
    ]);
    expect((await lines('review_codings')).map((c) => [c.action, c.chat_id, c.message_id, c.tag, c.reviewed])).toEqual([
      ['tag', 'c2', null, 'responsive', null],
      ['reviewed', 'c1', 'm1', null, 1],
    ]);
  });

  it('a message purged under retention stays in the set, as purged, and verify passes', async () => {
    const set = createReviewSet(path, { name: 'All', source: { scope: {} } }, { clock });
    code({ setId: set.id, chatId: 'c1', messageId: 'm1', action: 'tag', tag: 'responsive' });
    expect((await applyRetention(path, { keepDays: 10 }, { clock })).purge).toBe(5);
    const page = read((db) => reviewItems(db, { setId: set.id }));
    expect(page.items).toHaveLength(6);
    expect(page.items.filter((i) => i.purged).map((i) => i.messageId)).toEqual(['m1', 'm2', 'm4', 'm5', 'm6']);
    expect(page.items.find((i) => i.messageId === 'm1')).toMatchObject({ key: null, text: null, tags: ['responsive'] });
    expect(page.set.purged).toBe(5);
    expect(read((db) => verifyArchive(db).problems)).toEqual([]);
  });
});
