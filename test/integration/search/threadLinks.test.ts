import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { syncArchive } from '../../../electron/core/createCore';
import { conversationPage, messageContext } from '../../../electron/core/search/transcript';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/**
 * A thread and the message that started it link to each other in the transcript (issue 13), though
 * Cliq names that message in its `%20` spelling and the archive keeps the `_` one.
 */
describe('thread links in transcripts', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('gives a thread its parent conversation and first message, and marks that message with its thread', async () => {
    const sim = await simulator({ seed: 3, scale: 'small' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const truth = sim.truth();
    expect(truth.threads.length).toBeGreaterThan(0);
    const db = openArchiveDb(path, { readonly: true });
    try {
      let linked = 0;
      for (const thread of truth.threads) {
        const page = conversationPage(db, thread.chat_id, { limit: 5 });
        const parent = db.prepare<[string], { title: string | null }>('SELECT title FROM chats WHERE chat_id = ?').get(thread.parent_chat_id);
        expect(parent).toBeDefined();
        expect(page.chat.thread).toMatchObject({ parentChatId: thread.parent_chat_id, parentTitle: parent?.title ?? null });
        const key = page.chat.thread?.messageKey ?? null;
        if (key === null) continue;
        linked += 1;
        // The parent's transcript around that message marks it as the thread's start.
        const around = messageContext(db, key, 2);
        const head = around.messages.find((m) => m.key === key);
        expect(head?.messageId.replace('_', '%20')).toBe(thread.thread_message_id.replace(' ', '%20'));
        expect(head?.thread).toEqual({ chatId: thread.chat_id, title: thread.title });
        // No other message of the page claims that thread.
        expect(around.messages.filter((m) => m.thread?.chatId === thread.chat_id)).toHaveLength(1);
      }
      expect(linked).toBeGreaterThan(0);
      // A conversation that is not a thread has no parent.
      expect(conversationPage(db, truth.channels[0]?.chat_id ?? '', { limit: 1 }).chat.thread).toBeUndefined();
    } finally {
      db.close();
    }
  });
});
