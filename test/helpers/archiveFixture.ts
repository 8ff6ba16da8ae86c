import { join } from 'node:path';
import { openArchive, type Archive } from '../../electron/core/archive/archive';
import type { MessageRow } from '../../electron/core/sync/mapMessage';
import { messageRow } from './messages';

export interface FixtureMessage {
  chat: string;
  id: string;
  time: number;
  text?: string;
  sender?: { id: string; name: string };
  type?: string;
  file?: string;
  content?: Record<string, unknown>;
}

/**
 * A small archive with known content, written through the real repositories (the same code paths
 * as a sync), for tests that need exact expectations.
 */
export function buildArchive(
  dir: string,
  spec: {
    chats: { id: string; kind: 'direct' | 'group' | 'bot' | 'channel' | 'thread'; title: string; kindSource?: 'chat_type' | 'chat_id' | 'guessed' | 'listing' }[];
    users?: { id: string; email: string; name: string }[];
    members?: { chat: string; userId: string; email: string; name: string }[];
    messages: FixtureMessage[];
  },
): Archive {
  const archive = openArchive(join(dir, 'fixture.sqlite'));
  const runId = archive.runs.start(1, 'fixture', {}, process.pid, 'test');
  archive.transaction(() => archive.sealer.open('sync', runId, 1));
  const ctx = { runId, now: Date.UTC(2026, 0, 1) };
  archive.transaction(() => {
    for (const c of spec.chats) {
      archive.entities.chats.upsert(
        {
          key: c.id,
          values: {
            kind: c.kind,
            kind_source: c.kindSource ?? (c.kind === 'channel' || c.kind === 'thread' ? 'listing' : 'chat_type'),
            title: c.title,
            creator_id: null,
            created_at: null,
            participant_count: 2,
            server_message_count: null,
            server_last_modified: null,
          },
          sourceJson: JSON.stringify(c),
          sourceHash: c.id,
        },
        ctx,
      );
    }
    for (const u of spec.users ?? []) {
      archive.entities.users.upsert({ key: u.id, values: { email: u.email, name: u.name, display_name: u.name, status: 'active' }, sourceJson: JSON.stringify(u), sourceHash: u.id }, ctx);
    }
    const byChat = new Map<string, { userId: string; email: string; name: string }[]>();
    for (const m of spec.members ?? []) byChat.set(m.chat, [...(byChat.get(m.chat) ?? []), m]);
    for (const [chat, members] of byChat) archive.memberships.apply(chat, members, ctx);
    archive.messages.upsert(spec.messages.map(fixtureRow), ctx);
  });
  return archive;
}

export function fixtureRow(m: FixtureMessage): MessageRow {
  const content = m.content ?? (m.file ? { file: { id: `file-${m.id}`, name: m.file, type: 'application/pdf' }, comment: m.text ?? '' } : { text: m.text ?? '' });
  return messageRow(m.chat, { sender: m.sender ?? { id: '7100001', name: 'Dana Ruiz' }, id: m.id, time: m.time, type: m.type ?? (m.file ? 'file' : 'text'), content });
}

/** Records `thread` as a thread of `parent` started by `messageId` (spelled as the threads API spells it). */
export function insertThread(archive: Archive, thread: string, parent: string, messageId: string): void {
  archive.db
    .prepare(
      `INSERT INTO threads (thread_chat_id, parent_chat_id, channel_id, title, thread_message_id, source_json, source_hash, version_seen_at, first_seen_at, last_seen_at)
       VALUES (?, ?, 'C1', 'Follow-up', ?, '{}', 'x', 1, 1, 1)`,
    )
    .run(thread, parent, messageId);
}
