import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openArchive } from '../../../electron/core/archive/archive';
import { emptyCounts } from '../../../electron/core/sync/engine';
import { scheduledRowV2, scheduledRowV3, settleFates } from '../../../electron/core/sync/scheduledMessages';
import { scheduledV2Schema, scheduledV3Schema } from '../../../electron/core/cliq/scheduledMessages';
import { messageRow, textMessage } from '../../helpers/messages';
import { useTempDir } from '../../helpers/tempDir';

const hour = 3_600_000;
const creator = '7100001';

/** A v3 item as Cliq sends it: a time trigger at `at`, or a status trigger. */
function v3(id: string, text: string, at: number | null, created = 0): Record<string, unknown> {
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00').replace('.000', '');
  return {
    id,
    timezone: 'Europe/Berlin',
    created_time: iso(created),
    ...(at === null ? { schedule_status: 'check_in' } : { time: iso(at) }),
    creator: { name: 'Dana Ruiz', id: creator },
    message: { sender: { id: creator }, type: 'text', content: { text }, is_pinned: false },
  };
}

describe('fates of scheduled messages that left the list', () => {
  const tempDir = useTempDir();
  const setup = () => {
    const archive = openArchive(join(tempDir(), 'a.sqlite'));
    const runId = archive.runs.start(1, 'test', {}, 1, 'h');
    archive.transaction(() => archive.sealer.open('sync', runId, 1));
    const write = (now: number) => ({ runId, now });
    const list = (items: Record<string, unknown>[], now: number) =>
      archive.transaction(() => {
        for (const raw of items) archive.entities.scheduledMessages.upsert(scheduledRowV3(scheduledV3Schema.parse(raw), raw), write(now));
      });
    const leave = (ids: string[], now: number) =>
      archive.transaction(() => {
        for (const id of ids) archive.entities.scheduledMessages.markOneGone(id, write(now));
      });
    const settle = (now: number) => {
      const counts = emptyCounts();
      archive.transaction(() => settleFates(archive, write(now), counts));
      return counts;
    };
    const fates = () => archive.db.prepare('SELECT scheduled_id AS id, fate, fate_at, sent_chat_id, sent_message_id FROM scheduled_messages ORDER BY scheduled_id').all();
    return { archive, list, leave, settle, fates };
  };

  it('sent when its message is archived, deleted before its time, presumed sent after it, gone for a status trigger; a later match settles it', () => {
    const { archive, list, leave, settle, fates } = setup();
    const t0 = 100 * hour;
    list([v3('a-sent', 'Reminder A', t0 + hour), v3('b-ahead', 'Reminder B', t0 + 10 * hour), v3('c-passed', 'Reminder C', t0 + 2 * hour), v3('d-status', 'Reminder D', null)], t0);
    // A's message is archived, and an older message with the same text that must not be taken for it.
    archive.transaction(() =>
      archive.messages.upsert(
        [
          messageRow('chat-1', textMessage('m-old', 10, 'Reminder A', { sender: { id: creator, name: 'Dana' } })),
          messageRow('chat-1', textMessage('m-a', t0 + hour + 500, 'Reminder A', { sender: { id: creator, name: 'Dana' } })),
        ],
        { runId: 1, now: t0 + 3 * hour },
      ),
    );
    leave(['a-sent', 'b-ahead', 'c-passed', 'd-status'], t0 + 3 * hour);
    expect(settle(t0 + 3 * hour)).toMatchObject({ scheduledSent: 1, scheduledDeleted: 1, scheduledPresumedSent: 1, scheduledGone: 1 });
    expect(fates()).toEqual([
      { id: 'a-sent', fate: 'sent', fate_at: t0 + 3 * hour, sent_chat_id: 'chat-1', sent_message_id: 'm-a' },
      // Its time was 10 h after creation, 7 h after it left: withdrawn.
      { id: 'b-ahead', fate: 'deleted', fate_at: t0 + 3 * hour, sent_chat_id: null, sent_message_id: null },
      { id: 'c-passed', fate: 'presumed_sent', fate_at: t0 + 3 * hour, sent_chat_id: null, sent_message_id: null },
      { id: 'd-status', fate: 'gone', fate_at: t0 + 3 * hour, sent_chat_id: null, sent_message_id: null },
    ]);

    // C's message reaches the archive at a later sync (its conversation failed before): settled then.
    archive.transaction(() =>
      archive.messages.upsert([messageRow('chat-2', textMessage('m-c', t0 + 2 * hour, 'Reminder C', { sender: { id: creator, name: 'Dana' } }))], { runId: 1, now: t0 + 5 * hour }),
    );
    expect(settle(t0 + 5 * hour)).toMatchObject({ scheduledSent: 1 });
    expect(fates()).toContainEqual({ id: 'c-passed', fate: 'sent', fate_at: t0 + 5 * hour, sent_chat_id: 'chat-2', sent_message_id: 'm-c' });
    // Nothing left to decide: the next run changes nothing.
    const again = settle(t0 + 6 * hour);
    expect([again.scheduledSent, again.scheduledDeleted, again.scheduledPresumedSent, again.scheduledGone]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('matches a v2 item (no text) only in its chat, within minutes after its time', () => {
    const { archive, settle, fates } = setup();
    const t0 = 100 * hour;
    const raw = { chat_id: 'chat-9', creator, created_time: 0, scheduled_time: t0, id: 4000000131002 };
    archive.transaction(() => {
      archive.entities.scheduledMessages.upsert(scheduledRowV2(scheduledV2Schema.parse(raw), raw), { runId: 1, now: t0 - hour });
      archive.messages.upsert(
        [
          messageRow('chat-8', textMessage('m-elsewhere', t0 + 1000, 'x', { sender: { id: creator, name: 'Dana' } })),
          messageRow('chat-9', textMessage('m-late', t0 + hour, 'y', { sender: { id: creator, name: 'Dana' } })),
          messageRow('chat-9', textMessage('m-it', t0 + 2000, 'z', { sender: { id: creator, name: 'Dana' } })),
        ],
        { runId: 1, now: t0 + hour },
      );
      archive.entities.scheduledMessages.markOneGone('4000000131002', { runId: 1, now: t0 + hour });
    });
    settle(t0 + hour);
    expect(fates()).toEqual([{ id: '4000000131002', fate: 'sent', fate_at: t0 + hour, sent_chat_id: 'chat-9', sent_message_id: 'm-it' }]);
  });
});
