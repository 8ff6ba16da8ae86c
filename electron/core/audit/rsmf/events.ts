import type Database from 'better-sqlite3-multiple-ciphers';
import { messagePlainText, type MentionResolver } from '../../../../shared/markup';
import type { FileStore } from '../../files/store';
import { storedFileName } from '../attachmentFiles';
import type { IntervalRow as MemberInterval } from '../transcripts/members';
import { archivedContent, byMessage, messagePages, preparedPerScope, type PagedMessage } from '../messagePages';
import { contentOf } from '../textDisplay';
import type { RsmfAttachment, RsmfCustom, RsmfEdit, RsmfEvent, RsmfReaction } from './manifest';
import { ParticipantBook } from './participants';
import { threadMessageIdSql } from '../../archive/threadMessageId';

/** What reading a conversation's events needs; one per bundle. */
export interface EventContext {
  db: Database.Database;
  /** true: only the messages in temp.scope_messages (and threads in temp.scope_chats); false: everything. */
  scoped: boolean;
  resolver: MentionResolver;
  store: Pick<FileStore, 'has'>;
  /** The scope's dates as instants (ms): joins and leaves outside them are left out. */
  from: number | null;
  to: number | null;
  /** Review-set tags of a message, written as the event's "Review tags" custom field. */
  tagsOf?: (chatId: string, messageId: string) => readonly string[];
  signal?: AbortSignal;
  /** SHA-256 → whether the file store holds it: asked once per export. */
  stored: Map<string, boolean>;
}

/** A file rsmf.zip carries: its entry name, the SHA-256 it must hash to, its size. */
export interface ZipEntry {
  name: string;
  sha256: string;
  bytes: number;
}

/** One conversation, read for its manifest: events in time order (each already JSON), participants, files. */
export interface ConversationEvents {
  events: string[];
  participants: ParticipantBook;
  entries: ZipEntry[];
  counts: { messages: number; joins: number; leaves: number; attachments: number; threads: number };
  first: number | null;
  last: number | null;
}

type MessageRow = PagedMessage;

/** An interval with its boundaries' info messages (their events stand for the join or leave). */
type IntervalRow = Omit<MemberInterval, 'joined_noticed_at' | 'left_noticed_at'> & { id: number; joined_message_id: string | null; left_message_id: string | null };

interface FileRow {
  message_id: string;
  file_id: string;
  file_name: string | null;
  sha256: string | null;
  bytes: number | null;
  status: string;
}

interface ReactionRow {
  message_id: string;
  emoji: string;
  user_id: string;
  user_name: string | null;
}

interface Statements {
  versions: Database.Statement<[number], { version: number; text: string | null; raw_json: string; superseded_at: number }>;
  files: Database.Statement<[string, string], FileRow>;
  reactions: Database.Statement<[string, string], ReactionRow>;
  intervals: Database.Statement<[string], IntervalRow>;
  threads: Database.Statement<[string], { thread_chat_id: string; thread_message_id: string | null }>;
}

/** RSMF's limit on a reaction's value. */
const reactionChars = 30;

const statements = preparedPerScope((db, scoped): Statements => ({
  versions: db.prepare('SELECT version, text, raw_json, superseded_at FROM message_versions WHERE message_rowid = ? ORDER BY version'),
  files: db.prepare(
    `SELECT message_id, file_id, file_name, sha256, bytes, status FROM attachments
        WHERE chat_id = ? AND message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, file_id`,
  ),
  // The reactions standing when last seen (an interval closed by gone_at is a reaction taken back).
  reactions: db.prepare(
    `SELECT message_id, emoji, user_id, user_name FROM reactions
        WHERE chat_id = ? AND message_id IN (SELECT value FROM json_each(?)) AND gone_at IS NULL ORDER BY message_id, id`,
  ),
  intervals: db.prepare(
    `SELECT id, member_key, user_id, name, email, joined_source, joined_at, joined_message_id, left_source, left_at, left_message_id, row_hash
         FROM membership_intervals WHERE chat_id = ? ORDER BY joined_noticed_at, id`,
  ),
  threads: db.prepare(
    `SELECT t.thread_chat_id, ${threadMessageIdSql('t')} AS thread_message_id FROM threads t
        WHERE t.parent_chat_id = ? AND t.thread_chat_id IN (SELECT chat_id FROM ${scoped ? 'temp.scope_chats' : 'chats'}) ORDER BY t.thread_chat_id`,
  ),
}));

/** The thread conversations written inside their channel's production (parent in scope): never a file of their own. */
export function foldedThreadsSql(scoped: boolean): string {
  return `EXISTS (SELECT 1 FROM threads t WHERE t.thread_chat_id = c.chat_id AND t.parent_chat_id IN (SELECT chat_id FROM ${scoped ? 'temp.scope_chats' : 'chats'}))`;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Reads one conversation's events for its RSMF manifest: joins and leaves from its membership
 * intervals (within the scope's dates; a member already there when the archive first listed the
 * conversation has no join, since when they joined is unknown), its messages in scope, and the
 * messages in scope of its threads as replies (`parent` = the message that started the thread,
 * when that message is in this production). A join or leave Cliq announced with an info message
 * is that message's event. Edits carry every earlier version the archive kept; reactions are the
 * ones standing when last seen; attachments are listed only when the file store holds their bytes
 * (the others are named in a custom field).
 */
export async function conversationEvents(ctx: EventContext, chatId: string): Promise<ConversationEvents> {
  const s = statements(ctx.db, ctx.scoped);
  const book = new ParticipantBook(ctx.resolver);
  const records: { time: number; json: string }[] = [];
  const entries = new Map<string, ZipEntry>();
  const counts = { messages: 0, joins: 0, leaves: 0, attachments: 0, threads: 0 };
  const within = (ms: number) => (ctx.from === null || ms >= ctx.from) && (ctx.to === null || ms <= ctx.to);
  const boundaries = new Set<string>();

  for (const r of s.intervals.all(chatId)) {
    const participant = book.user(r.user_id ?? r.member_key, { name: r.name, email: r.email });
    const edges = [
      { type: 'join' as const, at: r.joined_at, source: r.joined_source, message: r.joined_message_id },
      { type: 'leave' as const, at: r.left_at, source: r.left_source, message: r.left_message_id },
    ];
    for (const edge of edges) {
      if (edge.at === null || !within(edge.at)) continue;
      if (edge.message !== null) boundaries.add(edge.message);
      const custom: RsmfCustom[] = [
        { name: 'Membership source', value: edge.source === 'info_message' ? "Cliq's info message" : 'noticed by a sync: at or before this time' },
        ...(edge.message !== null ? [{ name: 'Cliq message id', value: edge.message }] : []),
        { name: 'Row hash', value: r.row_hash ?? '' },
      ];
      const event: RsmfEvent = { id: `${edge.type}-${r.id}`, type: edge.type, conversation: chatId, participant, timestamp: iso(edge.at), custom };
      records.push({ time: edge.at, json: JSON.stringify(event) });
      counts[edge.type === 'join' ? 'joins' : 'leaves'] += 1;
    }
  }

  const used = new Set<string>();
  const mainIds = new Map<string, string>();
  const read = async (chat: string, parent: string | undefined, note: RsmfCustom | undefined) => {
    for (const rows of messagePages(ctx.db, ctx.scoped, chat, ctx.signal)) {
      const ids = JSON.stringify(rows.map((m) => m.message_id));
      const files = byMessage(rows.some((m) => m.file_id !== null || m.file_name !== null) ? s.files.all(chat, ids) : []);
      const reactions = byMessage(s.reactions.all(chat, ids));
      for (const m of rows) {
        if (m.type === 'info' && chat === chatId && boundaries.has(m.message_id)) continue;
        let id = m.message_id;
        if (used.has(id)) id = `${chat}:${m.message_id}`;
        used.add(id);
        if (chat === chatId) mainIds.set(m.message_id, id);
        const event = await messageEvent(ctx, s, book, entries, { chatId, chat, id, parent, note }, m, files.get(m.message_id) ?? [], reactions.get(m.message_id) ?? []);
        counts.attachments += event.attachments?.length ?? 0;
        records.push({ time: m.time, json: JSON.stringify(event) });
        counts.messages += 1;
      }
    }
  };
  await read(chatId, undefined, undefined);
  for (const t of s.threads.all(chatId)) {
    counts.threads += 1;
    const root = t.thread_message_id === null ? undefined : mainIds.get(t.thread_message_id);
    // A reply whose first message is not in this production says which message started its thread.
    const note = root === undefined ? { name: 'Thread started by', value: `message ${t.thread_message_id ?? 'unknown'} (not in this production)` } : undefined;
    await read(t.thread_chat_id, root, note);
  }

  // Stable: at one instant, joins and leaves come first, then messages in key order, then replies.
  records.sort((a, b) => a.time - b.time);
  return {
    events: records.map((r) => r.json),
    participants: book,
    entries: [...entries.values()],
    counts,
    first: records[0]?.time ?? null,
    last: records.at(-1)?.time ?? null,
  };
}

async function messageEvent(
  ctx: EventContext,
  s: Statements,
  book: ParticipantBook,
  entries: Map<string, ZipEntry>,
  where: { chatId: string; chat: string; id: string; parent: string | undefined; note: RsmfCustom | undefined },
  m: MessageRow,
  files: readonly FileRow[],
  reactions: readonly ReactionRow[],
): Promise<RsmfEvent> {
  const participant = m.sender_id !== null ? book.user(m.sender_id, { name: m.sender_name }) : book.unnamed(m.sender_name);
  const custom: RsmfCustom[] = [{ name: 'Cliq message id', value: m.message_id }];
  if (where.chat !== where.chatId) custom.push({ name: 'Cliq thread conversation id', value: where.chat });
  if (where.note) custom.push(where.note);
  if (m.type !== 'text' || m.subtype !== null) custom.push({ name: 'Cliq message type', value: m.subtype === null ? m.type : `${m.type}/${m.subtype}` });
  custom.push({ name: 'Row hash', value: m.row_hash ?? '' });
  if (m.deleted_at !== null) custom.push({ name: 'Deletion noticed', value: iso(m.deleted_at) });

  const content = archivedContent(m);
  const body = messagePlainText(content, ctx.resolver);
  const event: RsmfEvent = { id: where.id, type: 'message', conversation: where.chatId, participant, timestamp: iso(m.time) };
  if (where.parent !== undefined) event.parent = where.parent;
  if (body !== '') event.body = body;
  if (m.deleted_at !== null) event.deleted = true;

  if (m.version > 1) {
    const versions = s.versions.all(m.key);
    if (versions.length > 0) {
      const texts = [...versions.map((v) => messagePlainText({ ...content, text: v.text, content: contentOf(v.raw_json) }, ctx.resolver)), body];
      event.edits = versions.map((_, i): RsmfEdit => ({ participant, previous: texts[i] ?? '', new: texts[i + 1] ?? '' }));
      // When Cliq made each edit is not known; when the archive saw each version replaced is.
      custom.push({ name: 'Edits noticed', value: versions.map((v) => `version ${v.version} replaced by ${iso(v.superseded_at)}`).join('; ') });
    }
  }

  if (reactions.length > 0) {
    const byValue = new Map<string, RsmfReaction>();
    for (const r of reactions) {
      const value = clip(r.emoji, reactionChars);
      const who = book.user(r.user_id, { name: r.user_name });
      const reaction = byValue.get(value) ?? { value, count: 0, participants: [] };
      if (!reaction.participants.includes(who)) {
        reaction.participants.push(who);
        reaction.count += 1;
      }
      byValue.set(value, reaction);
    }
    event.reactions = [...byValue.values()];
  }

  const attachments: RsmfAttachment[] = [];
  const missing: string[] = [];
  for (const f of files) {
    if (f.status === 'stored' && f.sha256 !== null && f.bytes !== null && (await isStored(ctx, f.sha256))) {
      const name = storedFileName(f.sha256, f.file_name);
      if (!entries.has(name)) entries.set(name, { name, sha256: f.sha256, bytes: f.bytes });
      attachments.push({ id: name, display: f.file_name ?? f.file_id, size: f.bytes });
    } else {
      missing.push(`${f.file_name ?? f.file_id} (${f.status === 'stored' ? 'missing from the file store' : f.status})`);
    }
  }
  if (files.length === 0 && (m.file_id !== null || m.file_name !== null)) missing.push(`${m.file_name ?? m.file_id ?? 'file'} (no download recorded)`);
  if (attachments.length > 0) event.attachments = attachments;
  if (missing.length > 0) custom.push({ name: 'Attachments not in this production', value: missing.join('; ') });

  const tags = ctx.tagsOf?.(where.chat, m.message_id) ?? [];
  if (tags.length > 0) custom.push({ name: 'Review tags', value: tags.join('; ') });
  event.custom = custom;
  return event;
}

async function isStored(ctx: EventContext, sha256: string): Promise<boolean> {
  let known = ctx.stored.get(sha256);
  if (known === undefined) {
    known = await ctx.store.has(sha256);
    ctx.stored.set(sha256, known);
  }
  return known;
}

/** At most `max` UTF-16 units, never splitting a character. */
function clip(value: string, max: number): string {
  if (value.length <= max) return value;
  let out = '';
  for (const ch of value) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}
