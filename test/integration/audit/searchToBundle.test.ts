import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { syncArchive } from '../../../electron/core/createCore';
import { searchMessages } from '../../../electron/core/search/search';
import { auditScopeOf, emptyReviewFilters, searchQueryOf, type ReviewFilters } from '../../../shared/reviewFilters';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * "Export these results" sends a search's filters to the Audit screen: the bundle of that scope must
 * hold exactly the messages the search lists — no more, no fewer — for every filter of the model.
 */
describe('a search exported as an audit bundle', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('holds exactly the search’s messages, filter by filter (text, channel with threads, participant, files, edited, deleted, dates)', async () => {
    const sim = await simulator({ seed: 9, scale: 'small', clock: 'manual' });
    const archive = join(tempDir(), 'a.sqlite');
    await syncArchive(archive, connectionTo(sim), { files: 'none' });
    sim.advance(60_000);
    sim.mutate({ seed: 2, editMessages: 6, deleteMessages: 4, membersLeave: 2 });
    await syncArchive(archive, connectionTo(sim), { files: 'none' });

    const db = openArchiveDb(archive, { readonly: true });
    const channel = db.prepare('SELECT parent_chat_id FROM threads GROUP BY parent_chat_id ORDER BY count(*) DESC LIMIT 1').pluck().get() as string;
    const member = db.prepare('SELECT user_id FROM memberships WHERE user_id IS NOT NULL AND chat_id = ? LIMIT 1').pluck().get(channel) as string;
    const word = (db.prepare("SELECT text FROM messages WHERE text LIKE '% %' ORDER BY id LIMIT 1 OFFSET 40").pluck().get() as string).split(/\s+/).find((w) => /^[a-z]{4,}$/i.test(w)) ?? 'the';

    /** Every message a search lists, as `chat/message`, paged to the end (an earlier-version hit counts its message once). */
    const searched = (f: ReviewFilters): Set<string> => {
      const found = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = searchMessages(db, { ...searchOf(f), limit: 500, ...(cursor ? { cursor } : {}) });
        for (const h of page.hits) found.add(`${h.chatId}/${h.messageId}`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return found;
    };
    const bundled = async (f: ReviewFilters, name: string): Promise<Set<string>> => {
      const out = join(tempDir(), name);
      await createAuditBundle({ archivePath: archive, outDir: out, scope: { ...auditScopeOf(f, 'Europe/Berlin'), formats: ['jsonl'], files: false } });
      return new Set(
        readFileSync(join(out, 'data', 'messages.jsonl'), 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as { chat_id: string; message_id: string })
          .map((m) => `${m.chat_id}/${m.message_id}`),
      );
    };

    const cases: [string, Partial<ReviewFilters>][] = [
      ['text', { text: word }],
      ['channel', { conversations: [channel] }],
      ['participant', { participants: [member], text: word }],
      ['files', { hasFile: 'yes', kinds: ['channel', 'thread', 'group'] }],
      ['edited', { edited: 'yes' }],
      ['deleted', { deleted: 'only', to: '2030-12-31' }],
      ['versions', { edited: 'yes', includeVersions: true, text: word }],
    ];
    const threadCount = db.prepare('SELECT count(*) FROM messages WHERE chat_id IN (SELECT thread_chat_id FROM threads WHERE parent_chat_id = ?)').pluck().get(channel) as number;
    expect(threadCount).toBeGreaterThan(0);
    for (const [name, patch] of cases) {
      const f = { ...emptyReviewFilters, ...patch };
      const fromSearch = searched(f);
      expect([name, await bundled(f, name)]).toEqual([name, fromSearch]);
      if (name !== 'versions') expect([name, fromSearch.size > 0]).toEqual([name, true]);
    }
    // The channel's threads came with it, in both.
    expect(searched({ ...emptyReviewFilters, conversations: [channel] }).size).toBe((db.prepare('SELECT count(*) FROM messages WHERE chat_id = ?').pluck().get(channel) as number) + threadCount);
    db.close();
  });
});

/** The Search screen's mapping: the same filters, read in the same zone as the bundle's. */
const searchOf = (f: ReviewFilters) => searchQueryOf(f, 'Europe/Berlin');
