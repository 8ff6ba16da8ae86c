import Database from 'better-sqlite3-multiple-ciphers';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { syncArchive } from '../../../electron/core/createCore';
import { adminReads } from '../../helpers/extras';
import { readRows } from '../../helpers/readRows';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface PinRow {
  id: number;
  chat_id: string;
  gone_at: number | null;
  gone_run: number | null;
  ended_by: string | null;
  row_hash: string;
}

const pinsOf = (path: string, chatIds: string[]) =>
  readRows<PinRow>(path, 'SELECT id, chat_id, gone_at, gone_run, ended_by, row_hash FROM sticky_messages WHERE chat_id IN (SELECT value FROM json_each(?)) ORDER BY id', JSON.stringify(chatIds));

describe('the pin of a conversation gone from Cliq', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('ends with the conversation (gone_at set, no reason given, nothing deleted), and the archive still verifies', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual' });
    // The seeded org pins only channels: a chat the admin can read gets a pin too.
    const readableChat = sim.org.conversations.find((c) => c.kind !== 'thread' && c.channel === null && !c.removed && c.messages.length > 1 && adminReads(sim, c));
    expect(sim.mutate({ seed: 5, replaceSticky: 1, chatIds: [readableChat?.chatId ?? ''] }).stickyReplaced).toEqual([readableChat?.chatId]);
    const path = join(tempDir(), 'a.sqlite');
    // Reactions are not what this is about: no MS3 call, so the sync is quick.
    const first = await syncArchive(path, connectionTo(sim), { reactionsPerRun: 0 });
    expect(first.status).toBe('complete');

    // One pinned channel and one pinned chat the admin can read (H3 asked about them), removed from Cliq.
    const pinned = sim.org.conversations.filter((c) => c.kind !== 'thread' && !c.removed && sim.org.stickies.has(c.chatId) && adminReads(sim, c));
    const channel = pinned.find((c) => c.channel !== null && sim.org.threadsOf(c).length === 0);
    const chat = pinned.find((c) => c.channel === null);
    expect(channel).toBeDefined();
    expect(chat).toBeDefined();
    const doomed = [channel?.chatId ?? '', chat?.chatId ?? ''];
    const kept = pinned.find((c) => !doomed.includes(c.chatId))?.chatId ?? '';
    const before = pinsOf(path, doomed);
    expect(before.map((p) => p.chat_id).sort()).toEqual([...doomed].sort());
    expect(before.every((p) => p.gone_at === null)).toBe(true);
    expect(pinsOf(path, [kept]).map((p) => p.gone_at)).toEqual([null]);

    sim.advance(60_000);
    expect(sim.mutate({ seed: 6, removeChats: 2, chatIds: doomed }).removed.slice().sort()).toEqual([...doomed].sort());
    const after = await syncArchive(path, connectionTo(sim), { reactionsPerRun: 0 });
    expect(after.status).toBe('complete');
    expect(after.counts.goneChats).toBe(2);

    // The same rows, each now ended by this run with no reason (no H3 check saw it unpinned), re-sealed.
    const ended = pinsOf(path, doomed);
    expect(ended.map((p) => p.id)).toEqual(before.map((p) => p.id));
    for (const pin of ended) {
      expect(pin.gone_at).not.toBeNull();
      expect(pin.gone_run).toBe(after.runId);
      expect(pin.ended_by).toBeNull();
      expect(pin.row_hash).not.toBe(before.find((p) => p.id === pin.id)?.row_hash);
    }
    // The conversations are marked gone, their messages kept; a conversation still on Cliq keeps its pin.
    expect(readRows<{ n: number }>(path, 'SELECT count(*) AS n FROM chats WHERE gone_at IS NOT NULL AND chat_id IN (SELECT value FROM json_each(?))', JSON.stringify(doomed))[0]?.n).toBe(2);
    expect(pinsOf(path, [kept]).map((p) => p.gone_at)).toEqual([null]);

    const db = new Database(path, { readonly: true });
    try {
      expect(verifyArchive(db).problems).toEqual([]);
    } finally {
      db.close();
    }
  });
});
