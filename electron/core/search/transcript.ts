import type Database from 'better-sqlite3-multiple-ciphers';
import { VaultError } from '../../../shared/errors';
import type { ConversationKind } from '../../../shared/search';
import type { TranscriptMessage, TranscriptPage } from '../../../shared/archive';
import { threadMessageIdSql } from '../archive/threadMessageId';
export type { TranscriptMessage, TranscriptPage } from '../../../shared/archive';

const columns = `id AS key, chat_id AS chatId, message_id AS messageId, time, sender_id AS senderId, sender_name AS senderName,
  type, subtype, text, file_name AS fileName, file_mime AS fileMime, file_size AS fileSize, extra_text AS extraText,
  deleted_at AS deletedAt, version`;

const threadMessageId = threadMessageIdSql('t');

function chatOf(db: Database.Database, chatId: string): TranscriptPage['chat'] {
  const chat = db
    .prepare<[string], { chatId: string; title: string | null; kind: ConversationKind; goneAt: number | null }>('SELECT chat_id AS chatId, title, kind, gone_at AS goneAt FROM chats WHERE chat_id = ?')
    .get(chatId);
  if (!chat) throw new VaultError('NOT_FOUND', `The archive has no conversation ${chatId}.`);
  if (chat.kind !== 'thread') return chat;
  const thread = db
    .prepare<[string], { parentChatId: string; parentTitle: string | null; messageKey: number | null }>(
      `SELECT t.parent_chat_id AS parentChatId, p.title AS parentTitle,
              (SELECT m.id FROM messages m WHERE m.chat_id = t.parent_chat_id AND m.message_id = ${threadMessageId}) AS messageKey
         FROM threads t LEFT JOIN chats p ON p.chat_id = t.parent_chat_id
        WHERE t.thread_chat_id = ? AND t.parent_chat_id IS NOT NULL`,
    )
    .get(chatId);
  return thread ? { ...chat, thread } : chat;
}

/** Marks the messages of a page that start a thread, with the thread's conversation (one query a page). */
function withThreads(db: Database.Database, chatId: string, messages: TranscriptMessage[]): TranscriptMessage[] {
  if (messages.length === 0) return messages;
  // The page's ids in every spelling a thread may use, so only this page's threads are read.
  const spellings = messages.flatMap((m) => [m.messageId, m.messageId.replace('_', '%20'), m.messageId.replace('_', ' ')]);
  const heads = db
    .prepare<[string, string], { messageId: string; chatId: string; title: string | null }>(
      `SELECT ${threadMessageId} AS messageId, t.thread_chat_id AS chatId, t.title FROM threads t
        WHERE t.parent_chat_id = ? AND t.thread_message_id IN (SELECT value FROM json_each(?))`,
    )
    .all(chatId, JSON.stringify(spellings));
  if (heads.length === 0) return messages;
  const byMessage = new Map(heads.map((h) => [h.messageId, { chatId: h.chatId, title: h.title }]));
  return messages.map((m) => {
    const thread = byMessage.get(m.messageId);
    return thread ? { ...m, thread } : m;
  });
}

/** These messages of one conversation (by key), in time order, as a transcript shows them. */
export function messagesByKeys(db: Database.Database, chatId: string, keys: readonly number[]): TranscriptMessage[] {
  if (keys.length === 0) return [];
  const rows = db
    .prepare<[string, string], TranscriptMessage>(`SELECT ${columns} FROM messages WHERE chat_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY time, id`)
    .all(chatId, JSON.stringify(keys));
  return withThreads(db, chatId, rows);
}

/**
 * A page of one conversation in time order, for the transcript view. `before`/`after` are message
 * keys (exclusive); neither means the newest page. Keys are time-ordered, and (time, id) row values
 * walk the (chat_id, time) index, so any page costs an index range scan.
 */
export function conversationPage(db: Database.Database, chatId: string, options: { before?: number; after?: number; limit?: number; includeDeleted?: boolean } = {}): TranscriptPage {
  const chat = chatOf(db, chatId);
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 1_000);
  const deleted = options.includeDeleted === false ? 'AND deleted_at IS NULL' : '';
  const keyTime = (key: number) => db.prepare<[number], { time: number }>('SELECT time FROM messages WHERE id = ?').get(key)?.time;
  let rows: TranscriptMessage[];
  if (options.after !== undefined) {
    const time = keyTime(options.after) ?? 0;
    rows = db
      .prepare<[string, number, number, number], TranscriptMessage>(`SELECT ${columns} FROM messages WHERE chat_id = ? AND (time, id) > (?, ?) ${deleted} ORDER BY time, id LIMIT ?`)
      .all(chatId, time, options.after, limit + 1);
    const hasNewer = rows.length > limit;
    rows = rows.slice(0, limit);
    return { chat, messages: withThreads(db, chatId, rows), hasOlder: true, hasNewer };
  }
  const time = options.before === undefined ? Number.MAX_SAFE_INTEGER : (keyTime(options.before) ?? Number.MAX_SAFE_INTEGER);
  const before = options.before ?? Number.MAX_SAFE_INTEGER;
  rows = db
    .prepare<[string, number, number, number], TranscriptMessage>(`SELECT ${columns} FROM messages WHERE chat_id = ? AND (time, id) < (?, ?) ${deleted} ORDER BY time DESC, id DESC LIMIT ?`)
    .all(chatId, time, before, limit + 1);
  const hasOlder = rows.length > limit;
  rows = rows.slice(0, limit).reverse();
  return { chat, messages: withThreads(db, chatId, rows), hasOlder, hasNewer: options.before !== undefined };
}

/** `around` messages before and after the message `key`, with it in the middle. */
export function messageContext(db: Database.Database, key: number, around = 10): TranscriptPage & { focus: number } {
  const message = db.prepare<[number], { chat_id: string }>('SELECT chat_id FROM messages WHERE id = ?').get(key);
  if (!message) throw new VaultError('NOT_FOUND', `The archive has no message with key ${key}.`);
  const older = conversationPage(db, message.chat_id, { before: key, limit: around });
  const newer = conversationPage(db, message.chat_id, { after: key, limit: around });
  const focus = db.prepare<[number], TranscriptMessage>(`SELECT ${columns} FROM messages WHERE id = ?`).get(key);
  return {
    chat: older.chat,
    messages: [...older.messages, ...(focus ? withThreads(db, message.chat_id, [focus]) : []), ...newer.messages],
    hasOlder: older.hasOlder,
    hasNewer: newer.hasNewer,
    focus: key,
  };
}

/** The earlier versions of a message, oldest first, each with when it was seen and replaced. */
export function messageVersions(db: Database.Database, key: number): { version: number; text: string | null; rawJson: string; seenAt: number; supersededAt: number }[] {
  return db
    .prepare<[number], { version: number; text: string | null; rawJson: string; seenAt: number; supersededAt: number }>(
      `SELECT version, text, raw_json AS rawJson, seen_at AS seenAt, superseded_at AS supersededAt
         FROM message_versions WHERE message_rowid = ? ORDER BY version`,
    )
    .all(key);
}
