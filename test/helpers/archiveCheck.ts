import Database from 'better-sqlite3-multiple-ciphers';
import { expect } from 'vitest';
import { timeOfKey } from '../../electron/core/archive/messageKey';
import type { GroundTruth } from '../../electron/simulator';

interface MessageLine {
  message_id: string;
  raw_json: string;
  time: number;
}

/**
 * Compares an archive with the simulator's ground truth: every live chat, channel (and its chat id),
 * thread, user, current membership and message, the message payload compared whole. Returns the
 * truth messages the archive lacks, so a test can assert exactly which (if any) were expected.
 */
export function compareWithTruth(archivePath: string, truth: GroundTruth): { missing: { chatId: string; messageId: string; time: number }[] } {
  const db = new Database(archivePath, { readonly: true });
  try {
    const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];

    const chats = all<{
      chat_id: string;
      kind: string;
      kind_source: string;
      title: string | null;
      creator_id: string | null;
      participant_count: number;
      server_message_count: number;
      server_last_modified: number;
    }>(
      "SELECT chat_id, kind, kind_source, title, creator_id, participant_count, server_message_count, server_last_modified FROM chats WHERE gone_at IS NULL AND kind IN ('direct', 'group', 'bot') ORDER BY chat_id",
    );
    expect(chats.map((c) => c.chat_id)).toEqual(truth.chats.map((c) => c.chat_id).sort());
    const byId = new Map(chats.map((c) => [c.chat_id, c]));
    for (const t of truth.chats) {
      const a = byId.get(t.chat_id);
      expect(a, t.chat_id).toMatchObject({
        title: t.title,
        creator_id: t.creator_id,
        participant_count: t.participant_count,
        server_message_count: t.total_message_count,
        server_last_modified: t.last_modified_time,
      });
      // A kind read from H1 is the truth; any other is the documented guess, and says so.
      if (a?.kind_source === 'chat_type') expect(a.kind, t.chat_id).toBe({ dm: 'direct', group: 'group', bot: 'bot' }[t.kind]);
      else if (t.kind === 'bot') expect([a?.kind, a?.kind_source]).toEqual(['bot', 'chat_id']);
      else expect([a?.kind, a?.kind_source]).toEqual([t.participant_count <= 2 ? 'direct' : 'group', 'guessed']);
    }

    const channels = all<{ channel_id: string; chat_id: string | null; name: string; description: string | null; status: string }>(
      'SELECT channel_id, chat_id, name, description, status FROM channels WHERE gone_at IS NULL ORDER BY channel_id',
    );
    expect(channels).toEqual(
      truth.channels
        .map((c) => ({ channel_id: c.channel_id, chat_id: c.chat_id, name: c.name, description: c.description === '' ? null : c.description, status: c.status }))
        .sort((a, b) => (a.channel_id < b.channel_id ? -1 : 1)),
    );

    const threads = all<{ thread_chat_id: string; parent_chat_id: string; title: string }>('SELECT thread_chat_id, parent_chat_id, title FROM threads WHERE gone_at IS NULL ORDER BY thread_chat_id');
    expect(threads).toEqual(truth.threads.map((t) => ({ thread_chat_id: t.chat_id, parent_chat_id: t.parent_chat_id, title: t.title })).sort((a, b) => (a.thread_chat_id < b.thread_chat_id ? -1 : 1)));

    const users = all<{ user_id: string }>('SELECT user_id FROM users WHERE gone_at IS NULL ORDER BY user_id').map((u) => u.user_id);
    expect(users).toEqual(truth.users.map((u) => String(u.id)).sort());

    for (const [chatId, members] of Object.entries(truth.members)) {
      const open = all<{ user_id: string }>('SELECT user_id FROM memberships WHERE chat_id = ? AND gone_at IS NULL ORDER BY user_id', chatId).map((m) => m.user_id);
      expect(open, `members of ${chatId}`).toEqual(members.map((m) => m.user_id).sort());
    }

    const missing: { chatId: string; messageId: string; time: number }[] = [];
    // Conversations Cliq no longer lists are kept, marked gone; their messages are not Cliq's present.
    const archivedChats = new Set(
      all<{ chat_id: string }>('SELECT DISTINCT m.chat_id FROM messages m JOIN chats c ON c.chat_id = m.chat_id WHERE m.deleted_at IS NULL AND c.gone_at IS NULL').map((r) => r.chat_id),
    );
    for (const [chatId, messages] of Object.entries(truth.messages)) {
      archivedChats.delete(chatId);
      const lines = all<MessageLine>('SELECT message_id, raw_json, time FROM messages WHERE chat_id = ? AND deleted_at IS NULL', chatId);
      const archived = new Map(lines.map((l) => [l.message_id, l]));
      for (const message of messages) {
        const line = archived.get(message.id);
        if (!line) {
          missing.push({ chatId, messageId: message.id, time: message.time });
          continue;
        }
        expect(JSON.parse(line.raw_json), `${chatId}/${message.id}`).toEqual(message);
        archived.delete(message.id);
      }
      expect([...archived.keys()], `archived messages of ${chatId} that Cliq no longer has`).toEqual([]);
    }
    expect([...archivedChats], 'chats with live archived messages unknown to Cliq').toEqual([]);
    return { missing };
  } finally {
    db.close();
  }
}

/**
 * What an archive holds, without the times and run ids that differ between two syncs of the same
 * org: two archives of the same org must give equal snapshots however their syncs were interrupted.
 */
export function canonicalSnapshot(archivePath: string): Record<string, unknown[]> {
  const db = new Database(archivePath, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return {
      chats: q(
        'SELECT chat_id, kind, title, creator_id, created_at, participant_count, server_message_count, server_last_modified, source_json, gone_at IS NOT NULL AS gone FROM chats ORDER BY chat_id',
      ),
      channels: q('SELECT channel_id, rest_channel_id, chat_id, name, description, status, source_json, gone_at IS NOT NULL AS gone FROM channels ORDER BY channel_id'),
      threads: q('SELECT thread_chat_id, parent_chat_id, channel_id, title, source_json, gone_at IS NOT NULL AS gone FROM threads ORDER BY thread_chat_id'),
      users: q('SELECT user_id, email, name, status, source_json, gone_at IS NOT NULL AS gone FROM users ORDER BY user_id'),
      memberships: q('SELECT chat_id, member_key, user_id, name, email, gone_at IS NOT NULL AS gone FROM memberships ORDER BY chat_id, member_key, gone'),
      messages: q('SELECT chat_id, message_id, time, sender_id, type, text, content_hash, raw_json, version, deleted_at IS NOT NULL AS deleted FROM messages ORDER BY chat_id, message_id'),
      messageKeys: q('SELECT id FROM messages ORDER BY chat_id, message_id')
        .map((r) => (r as { id: number }).id)
        .map(timeOfKey),
      versions: q('SELECT m.chat_id, m.message_id, v.version, v.content_hash FROM message_versions v JOIN messages m ON m.id = v.message_rowid ORDER BY 1, 2, 3'),
      syncState: q('SELECT chat_id, status, synced_message_count, synced_last_modified FROM chat_sync_state ORDER BY chat_id'),
      integrity: q('PRAGMA integrity_check'),
    };
  } finally {
    db.close();
  }
}

/**
 * Chat ids of the channels whose members the sync lists over REST (C3): those C1 showed as joined
 * by the admin, or organisation-level (sync/members.ts), as recorded from C1's answer.
 */
export function restReadableChannels(archivePath: string): Set<string> {
  return chatIds(
    archivePath,
    `SELECT chat_id FROM channels WHERE gone_at IS NULL AND chat_id IS NOT NULL
      AND (json_extract(source_json, '$.rest.joined') IN (1, 'true') OR json_extract(source_json, '$.rest.level') = 'organization')`,
  );
}

/**
 * Chat ids of the group chats whose members the sync lists over REST (H2): those the admin's own
 * chats listing (H1) showed, as recorded by their kind's source.
 */
export function ownGroupChats(archivePath: string): Set<string> {
  return chatIds(archivePath, "SELECT chat_id FROM chats WHERE gone_at IS NULL AND kind = 'group' AND kind_source = 'chat_type'");
}

function chatIds(archivePath: string, sql: string): Set<string> {
  const db = new Database(archivePath, { readonly: true });
  try {
    return new Set(
      db
        .prepare<[], { chat_id: string }>(sql)
        .all()
        .map((r) => r.chat_id),
    );
  } finally {
    db.close();
  }
}
