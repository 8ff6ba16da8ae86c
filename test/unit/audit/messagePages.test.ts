import { describe, expect, it } from 'vitest';
import { indexScopeForPages, messagePageSize, messagePages } from '../../../electron/core/audit/messagePages';
import { resolveScope } from '../../../electron/core/audit/scope';
import { auditScopeSchema } from '../../../shared/audit';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const tempDir = useTempDir();
const sender = { id: '7100001', name: 'Dana Ruiz' };
const minute = (n: number) => Date.parse('2026-01-01T00:00:00Z') + n * 60_000;

/**
 * A channel whose messages span three months, three to a minute (a tie of times in every
 * minute), and a second channel interleaved with it: more than two pages fall in January.
 */
function archiveOfTwoChannels() {
  const messages = [];
  for (let i = 0; i < 3 * 1_000; i += 1) {
    messages.push({ chat: 'c1', id: `a${i}`, time: minute(Math.floor(i / 3) * 130), text: `a ${i}`, sender });
    messages.push({ chat: 'c2', id: `b${i}`, time: minute(Math.floor(i / 3) * 130), text: `b ${i}`, sender });
  }
  return buildArchive(tempDir(), {
    chats: [
      { id: 'c1', kind: 'channel', title: 'General' },
      { id: 'c2', kind: 'channel', title: 'Other' },
    ],
    messages,
  });
}

function idsOfPages(pages: Iterable<{ message_id: string; time: number }[]>): { ids: string[]; sizes: number[]; times: number[] } {
  const ids: string[] = [];
  const sizes: number[] = [];
  const times: number[] = [];
  for (const page of pages) {
    sizes.push(page.length);
    for (const m of page) {
      ids.push(m.message_id);
      times.push(m.time);
    }
  }
  return { ids, sizes, times };
}

describe('the pages of a conversation', () => {
  it('read only the messages in scope, in time order, a page at a time', () => {
    const archive = archiveOfTwoChannels();
    const db = archive.db;
    const expected = db
      .prepare("SELECT message_id FROM messages WHERE chat_id = 'c1' AND time >= ? AND time < ? ORDER BY time, id")
      .pluck()
      .all(Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-02-01T00:00:00Z')) as string[];
    expect(expected.length).toBeGreaterThan(2 * messagePageSize);

    const read = db.transaction(() => {
      resolveScope(db, auditScopeSchema.parse({ conversations: ['c1'], from: '2026-01-01', to: '2026-01-31', timeZone: 'UTC' }));
      indexScopeForPages(db);
      return idsOfPages(messagePages(db, true, 'c1'));
    })();
    expect(read.ids).toEqual(expected);
    expect(read.sizes.slice(0, -1).every((n) => n === messagePageSize)).toBe(true);
    expect([...read.times].sort((a, b) => a - b)).toEqual(read.times);
    // The other channel's messages at the same times are not in scope.
    expect(read.ids.every((id) => id.startsWith('a'))).toBe(true);
  });

  it('read every message of the conversation when not scoped', () => {
    const archive = archiveOfTwoChannels();
    const read = idsOfPages(messagePages(archive.db, false, 'c2'));
    expect(read.ids).toEqual(archive.db.prepare("SELECT message_id FROM messages WHERE chat_id = 'c2' ORDER BY time, id").pluck().all());
    expect(read.ids).toHaveLength(3_000);
  });

  it('follow the scope they were last ordered from, and refuse before it was ordered', () => {
    const archive = archiveOfTwoChannels();
    const db = archive.db;
    db.transaction(() => {
      resolveScope(db, auditScopeSchema.parse({ conversations: ['c1', 'c2'], from: '2026-02-01', to: '2026-02-28', timeZone: 'UTC' }));
      expect(() => [...messagePages(db, true, 'c1')]).toThrow(/scope_pages/);
      indexScopeForPages(db);
      const february = idsOfPages(messagePages(db, true, 'c2')).ids;
      expect(february.length).toBeGreaterThan(0);
      // Narrowed afterwards (as a review set's tag filter would): ordered again, the pages follow.
      db.prepare("DELETE FROM temp.scope_messages WHERE key IN (SELECT id FROM messages WHERE chat_id = 'c2' AND message_id LIKE 'b1%')").run();
      indexScopeForPages(db);
      const narrowed = idsOfPages(messagePages(db, true, 'c2')).ids;
      expect(narrowed).toEqual(february.filter((id) => !id.startsWith('b1')));
      expect(narrowed.length).toBeLessThan(february.length);
    })();
  });
});
