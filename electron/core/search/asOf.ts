import type Database from 'better-sqlite3-multiple-ciphers';
import type { AsOfTranscript, TranscriptPage } from '../../../shared/archive';
export type { AsOfTranscript } from '../../../shared/archive';
import { prepared } from './search';
import { conversationPage } from './transcript';

/**
 * Point in time: the conversation's title, members and messages as they stood at `asOf`, from the
 * archive's own records of when each version was first seen and when it was superseded, and when
 * a deletion, a join or a leave was noticed. It is bounded by what the archive saw: a message
 * whose text the archive first saw after `asOf` shows that text, marked `seen_later`; an edit or
 * deletion made before `asOf` but noticed by a later sync shows as not yet made.
 */
export function conversationAsOf(db: Database.Database, chatId: string, asOf: number, limit = 100): AsOfTranscript {
  // The newest page of what existed then: sent by asOf, and not noticed deleted by then.
  const rows = prepared(
    db,
    `SELECT id FROM messages WHERE chat_id = ? AND time <= ? AND (deleted_at IS NULL OR deleted_at > ?) ORDER BY time DESC, id DESC LIMIT ?`,
  )
    .pluck()
    .all(chatId, asOf, asOf, limit + 1) as number[];
  const keys = new Set(rows.slice(0, limit));
  // The transcript page of the same messages (threads, attachments), then each message as it was.
  const oldest = rows.slice(0, limit).at(-1);
  const page: TranscriptPage =
    oldest === undefined ? conversationPage(db, chatId, { limit: 1 }) : conversationPage(db, chatId, { after: previousKey(db, chatId, oldest), limit: 1_000 });
  const version = prepared(db, 'SELECT version, text FROM message_versions WHERE message_rowid = ? AND seen_at <= ? AND superseded_at > ? ORDER BY version LIMIT 1');
  const earliest = prepared(db, 'SELECT version, text, seen_at AS seenAt FROM message_versions WHERE message_rowid = ? ORDER BY version LIMIT 1');
  const seen = prepared(db, 'SELECT version_seen_at FROM messages WHERE id = ?').pluck();
  const messages = page.messages
    .filter((m) => keys.has(m.key))
    .map((m) => {
      const then = version.get(m.key, asOf, asOf) as { version: number; text: string | null } | undefined;
      if (then !== undefined) return { ...m, text: then.text, version: then.version, deletedAt: null, asOfNote: null };
      const first = earliest.get(m.key) as { version: number; text: string | null; seenAt: number } | undefined;
      // Every earlier version was superseded by then: the current text, if the archive had seen it by then.
      if (first === undefined || first.seenAt > asOf) {
        const current = first ?? { version: m.version, text: m.text };
        const currentSeen = seen.get(m.key) as number;
        const seenLater = first !== undefined || currentSeen > asOf;
        return { ...m, text: current.text, version: current.version, deletedAt: null, asOfNote: seenLater ? ('seen_later' as const) : null };
      }
      return { ...m, deletedAt: null, asOfNote: (seen.get(m.key) as number) > asOf ? ('seen_later' as const) : null };
    });
  return { asOf, title: titleAt(db, chatId, asOf, page.chat.title), members: membersAt(db, chatId, asOf), messages, hasOlder: rows.length > limit, firstSeenAt: firstSeen(db, chatId) };
}

/** The key just before `key` in the conversation's order (conversationPage's `after` is exclusive). */
function previousKey(db: Database.Database, chatId: string, key: number): number {
  const row = prepared(db, 'SELECT time FROM messages WHERE id = ?').get(key) as { time: number };
  const before = prepared(db, 'SELECT id FROM messages WHERE chat_id = ? AND (time, id) < (?, ?) ORDER BY time DESC, id DESC LIMIT 1').pluck().get(chatId, row.time, key) as number | undefined;
  return before ?? 0;
}

function titleAt(db: Database.Database, chatId: string, asOf: number, current: string | null): string | null {
  const state = prepared(db, "SELECT json_extract(source_json, '$.title') FROM entity_history WHERE kind = 'chat' AND entity_key = ? AND seen_at <= ? AND superseded_at > ? ORDER BY id LIMIT 1")
    .pluck()
    .get(chatId, asOf, asOf) as string | null | undefined;
  if (state !== undefined) return state;
  // Seen only later: the earliest state the archive has, else today's.
  const earliest = prepared(db, "SELECT json_extract(source_json, '$.title') FROM entity_history WHERE kind = 'chat' AND entity_key = ? AND seen_at > ? ORDER BY seen_at LIMIT 1")
    .pluck()
    .get(chatId, asOf) as string | null | undefined;
  return earliest !== undefined ? earliest : current;
}

function membersAt(db: Database.Database, chatId: string, asOf: number): AsOfTranscript['members'] {
  return prepared(
    db,
    `SELECT name, email, user_id AS userId FROM membership_intervals
      WHERE chat_id = ? AND (joined_source = 'first_archived' OR coalesce(joined_at, joined_noticed_at) <= ?)
        AND (left_noticed_run IS NULL OR coalesce(left_at, left_noticed_at) > ?)
      ORDER BY lower(coalesce(name, email, user_id))`,
  ).all(chatId, asOf, asOf) as AsOfTranscript['members'];
}

function firstSeen(db: Database.Database, chatId: string): number | null {
  return (prepared(db, 'SELECT first_seen_at FROM chats WHERE chat_id = ?').pluck().get(chatId) as number | undefined) ?? null;
}
