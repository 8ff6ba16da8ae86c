import type Database from 'better-sqlite3-multiple-ciphers';
import type { AsOfTranscript } from '../../../shared/archive';
export type { AsOfTranscript } from '../../../shared/archive';
import { prepared } from './search';
import { messagesByKeys } from './transcript';

/**
 * Point in time: the conversation's title, members and messages as they stood at `asOf`, from the
 * archive's own records of when each version was first seen and when it was superseded, and when
 * a deletion, a join or a leave was noticed. It is bounded by what the archive saw: a message
 * whose text the archive first saw after `asOf` shows that text, marked `seen_later`; an edit or
 * deletion made before `asOf` but noticed by a later sync shows as not yet made.
 */
export function conversationAsOf(db: Database.Database, chatId: string, asOf: number, limit = 100): AsOfTranscript {
  // The newest page of what existed then: sent by asOf, and not noticed deleted by then.
  const rows = prepared(db, `SELECT id FROM messages WHERE chat_id = ? AND time <= ? AND (deleted_at IS NULL OR deleted_at > ?) ORDER BY time DESC, id DESC LIMIT ?`)
    .pluck()
    .all(chatId, asOf, asOf, limit + 1) as number[];
  // Each as the transcript shows it (threads), then as it read then.
  const page = messagesByKeys(db, chatId, rows.slice(0, limit));
  const version = prepared(db, 'SELECT version, text FROM message_versions WHERE message_rowid = ? AND seen_at <= ? AND superseded_at > ? ORDER BY version LIMIT 1');
  const earliest = prepared(db, 'SELECT version, text, seen_at AS seenAt FROM message_versions WHERE message_rowid = ? ORDER BY version LIMIT 1');
  const seen = prepared(db, 'SELECT version_seen_at FROM messages WHERE id = ?').pluck();
  const messages = page.map((m) => {
    const then = version.get(m.key, asOf, asOf) as { version: number; text: string | null } | undefined;
    if (then !== undefined) return { ...m, text: then.text, version: then.version, deletedAt: null, asOfNote: null };
    const first = earliest.get(m.key) as { version: number; text: string | null; seenAt: number } | undefined;
    // Its first known text was seen only later: what it said then is not known to the archive.
    if (first !== undefined && first.seenAt > asOf) return { ...m, text: first.text, version: first.version, deletedAt: null, asOfNote: 'seen_later' as const };
    // Never edited, or every earlier version was superseded by then: the current text, seen by then or not.
    return { ...m, deletedAt: null, asOfNote: (seen.get(m.key) as number) > asOf ? ('seen_later' as const) : null };
  });
  return { asOf, title: titleAt(db, chatId, asOf, currentTitle(db, chatId)), members: membersAt(db, chatId, asOf), messages, hasOlder: rows.length > limit, firstSeenAt: firstSeen(db, chatId) };
}

function currentTitle(db: Database.Database, chatId: string): string | null {
  return (prepared(db, 'SELECT title FROM chats WHERE chat_id = ?').pluck().get(chatId) as string | null | undefined) ?? null;
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
