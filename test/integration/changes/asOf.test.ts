import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { conversationAsOf, conversationPage } from '../../../electron/core/search';
import { lastJson, runCli } from '../../helpers/cli';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

type State = Map<string, { messages: string[]; members: string[] }>;

/** Every conversation's messages (id and text, in order) and current members, as the archive reads now. */
function stateNow(path: string): State {
  const db = openArchiveDb(path, { readonly: true });
  try {
    const chats = db.prepare<[], string>('SELECT chat_id FROM chats ORDER BY chat_id').pluck().all();
    const members = db.prepare<[string], string>("SELECT coalesce(name, email, user_id) FROM membership_intervals WHERE chat_id = ? AND left_noticed_run IS NULL ORDER BY 1").pluck();
    return new Map(
      chats.map((chatId) => [
        chatId,
        { messages: conversationPage(db, chatId, { limit: 1_000, includeDeleted: false }).messages.map((m) => `${m.messageId} ${m.text ?? ''}`), members: members.all(chatId) },
      ]),
    );
  } finally {
    db.close();
  }
}

/** Point in time: a conversation as it stood before the simulator changed it is what the archive read then. */
describe('transcripts as of a time', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('equal the conversations as they were before a mutation: old texts, deleted messages, departed members; nothing added later', async () => {
    const sim = await simulator({ scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const before = stateNow(path);
    await sleep(20);
    const asOf = Date.now();
    await sleep(20);
    const mutation = sim.mutate({ seed: 4, editMessages: 4, deleteMessages: 3, newMessages: 4, swapMembers: 2 });
    expect(mutation.edited.length).toBeGreaterThan(0);
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const after = stateNow(path);

    const touched = new Set([...mutation.edited, ...mutation.deleted, ...mutation.added].map((c) => c.chatId).concat(mutation.swapped.map((s) => s.chatId)));
    expect(touched.size).toBeGreaterThan(0);
    const db = openArchiveDb(path, { readonly: true });
    try {
      for (const chatId of touched) {
        const then = conversationAsOf(db, chatId, asOf, 1_000);
        expect(then.messages.map((m) => `${m.messageId} ${m.text ?? ''}`), chatId).toEqual(before.get(chatId)?.messages);
        expect(then.members.map((m) => m.name ?? m.email ?? m.userId).sort(), chatId).toEqual([...(before.get(chatId)?.members ?? [])].sort());
        expect(then.messages.every((m) => m.asOfNote === null), chatId).toBe(true);
        // And as of later (the simulator stamps new messages a little ahead), what the archive reads now.
        const now = conversationAsOf(db, chatId, Date.now() + 3_600_000, 1_000);
        expect(now.messages.map((m) => `${m.messageId} ${m.text ?? ''}`), chatId).toEqual(after.get(chatId)?.messages);
      }
    } finally {
      db.close();
    }

    // The CLI's --as-of: the same, as text and JSON; it says it is bounded by what the archive saw.
    const [edited] = mutation.edited;
    if (edited === undefined) throw new Error('nothing was edited');
    const at = new Date(asOf).toISOString();
    const json = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--limit', '1000', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect((lastJson(json) as { messages: { messageId: string; text: string | null }[] }).messages.map((m) => `${m.messageId} ${m.text ?? ''}`)).toEqual(before.get(edited.chatId)?.messages);
    const text = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--tz', 'UTC']);
    expect(text.stdout).toMatch(/^As of .* \(UTC\), as far as the archive saw it/);
    expect(text.stdout).toMatch(/\nMembers then \(\d+\): /);
    const refused = await runCli(['transcript', '--archive', path, '--chat', edited.chatId, '--as-of', at, '--format', 'html']);
    expect(refused.code).toBe(2);
  });
});
