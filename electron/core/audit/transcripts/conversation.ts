import { contentOf as payloadContent } from '../textDisplay';
import type Database from 'better-sqlite3-multiple-ciphers';
import { bodySegments, messageSegments, parseMarkup, type ArchivedMessageContent, type MentionResolver } from '../../../../shared/markup';
import { archivedContent, byMessage, messagePages, preparedPerScope, type PagedMessage } from '../messagePages';
import { esc, segmentsHtml } from './html';
import { membersHtml } from './members';
import { formatInZone } from '../../util/timeZone';
import { documentEnd, documentStart, instantOf, timeElement } from './page';
import { threadMessageIdSql } from '../../archive/threadMessageId';

/** Where a transcript's text goes: buffered, with backpressure (audit/sinks.ts's HashedFile fits). */
export interface TextOut {
  /** Buffers text; true when the caller should await flush(). */
  write(text: string): boolean;
  flush(): Promise<void>;
}

export interface TranscriptContext {
  db: Database.Database;
  /** true: only the messages in temp.scope_messages (an audit scope); false: every message of the conversation. */
  scoped: boolean;
  timeZone: string;
  resolver: MentionResolver;
  /** SHA-256 → bundle path (`files/<sha256>.<ext>`) of the attachment bytes the bundle carries. */
  filePaths: ReadonlyMap<string, string>;
  /** chat id → the transcript file name (in the same folder) of each conversation written alongside. */
  chatFiles: ReadonlyMap<string, string>;
  /** How a transcript file refers to the bundle's files/ folder (`../` in a bundle). */
  filesPrefix: string;
  signal?: AbortSignal;
}

export interface ConversationInfo {
  chatId: string;
  title: string | null;
  kind: string;
  goneAt: number | null;
}

/** What the index lists for a conversation once it is written. */
export interface ConversationSummary extends ConversationInfo {
  messages: number;
  firstAt: number | null;
  lastAt: number | null;
}

type MessageRow = PagedMessage;

interface FileRow {
  message_id: string;
  file_id: string;
  file_name: string | null;
  sha256: string | null;
  status: string;
  reason: string | null;
}

interface Statements {
  versions: Database.Statement<[number], { version: number; text: string | null; raw_json: string; seen_at: number; superseded_at: number; row_hash: string | null }>;
  files: Database.Statement<[string, string], FileRow>;
  threadsOf: Database.Statement<[string], { thread_chat_id: string; thread_message_id: string | null; title: string | null }>;
  threadParent: Database.Statement<[string], { parent_chat_id: string | null; parent_title: string | null; thread_message_id: string | null; parent_key: number | null }>;
}

const statements = preparedPerScope((db): Statements => ({
  versions: db.prepare('SELECT version, text, raw_json, seen_at, superseded_at, row_hash FROM message_versions WHERE message_rowid = ? ORDER BY version'),
  // The files of a page's messages in one read (the primary key's (chat_id, message_id) prefix per id).
  files: db.prepare(
    `SELECT message_id, file_id, file_name, sha256, status, reason FROM attachments
        WHERE chat_id = ? AND message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, file_id`,
  ),
  // In the messages' spelling (archive/threadMessageId.ts), so a parent message finds its thread.
  threadsOf: db.prepare(`SELECT t.thread_chat_id, ${threadMessageIdSql('t')} AS thread_message_id, t.title FROM threads t WHERE t.parent_chat_id = ?`),
  threadParent: db.prepare(
    `SELECT t.parent_chat_id, c.title AS parent_title, ${threadMessageIdSql('t')} AS thread_message_id, m.id AS parent_key
         FROM threads t LEFT JOIN chats c ON c.chat_id = t.parent_chat_id
              LEFT JOIN messages m ON m.chat_id = t.parent_chat_id AND m.message_id = ${threadMessageIdSql('t')}
        WHERE t.thread_chat_id = ?`,
  ),
}));

/**
 * Writes one conversation as a self-contained HTML document to `out`, streamed: messages are read
 * a page at a time with a prepared statement and written as they are rendered, so a conversation
 * of any size never exists as one string. Every text goes through shared/markup's segments and
 * html.ts's escaping; each message carries its message_id and row_hash.
 */
export async function writeConversation(ctx: TranscriptContext, chat: ConversationInfo, out: TextOut): Promise<ConversationSummary> {
  const s = statements(ctx.db, ctx.scoped);
  const title = chat.title ?? chat.chatId;
  const summary: ConversationSummary = { ...chat, messages: 0, firstAt: null, lastAt: null };
  // Awaited only when the buffer asks: 100k messages should not cost 100k promises.
  const push = (text: string): Promise<void> | undefined => (out.write(text) ? out.flush() : undefined);
  await push(documentStart(`${title} — transcript`));
  await push(headerHtml(ctx, chat, s));

  // Threads started in this conversation: the parent message links to the thread's transcript.
  const threads = new Map<string, { chatId: string; title: string | null }>();
  for (const t of s.threadsOf.all(chat.chatId)) if (t.thread_message_id !== null) threads.set(t.thread_message_id, { chatId: t.thread_chat_id, title: t.title });

  await push('<main>\n');
  let day = '';
  for (const rows of messagePages(ctx.db, ctx.scoped, chat.chatId, ctx.signal)) {
    const withFiles = rows.filter((m) => m.file_id !== null || m.file_name !== null).map((m) => m.message_id);
    const files = byMessage(withFiles.length > 0 ? s.files.all(chat.chatId, JSON.stringify(withFiles)) : []);
    for (const m of rows) {
      const when = formatInZone(m.time, ctx.timeZone);
      const today = when.slice(0, 10);
      if (today !== day) {
        day = today;
        const pending = push(`<h2 class="day">${today}</h2>\n`);
        if (pending) await pending;
      }
      const pending = push(messageHtml(ctx, s, m, when, files.get(m.message_id) ?? [], threads));
      if (pending) await pending;
      summary.messages += 1;
      summary.firstAt ??= m.time;
      summary.lastAt = m.time;
    }
  }
  if (summary.messages === 0) await push('<p class="note">No messages of this conversation are in scope.</p>\n');
  await push(
    `</main>\n<footer class="note"><p>${summary.messages} message(s). Each message shows its Cliq message id and the start of its row hash; the full hash is in its data-row-hash attribute and in data/messages.* (row_hash).</p></footer>\n`,
  );
  await push(documentEnd);
  await out.flush();
  return summary;
}

function headerHtml(ctx: TranscriptContext, chat: ConversationInfo, s: Statements): string {
  const title = chat.title ?? chat.chatId;
  const parts = [
    `<header><h1 dir="auto">${esc(title)}</h1>`,
    `<p class="sub">${esc(chat.kind)} · conversation id <code>${esc(chat.chatId)}</code> · times in ${esc(ctx.timeZone)}${chat.goneAt !== null ? ` · gone from Cliq (noticed ${esc(instantOf(chat.goneAt, ctx.timeZone))})` : ''}</p>`,
  ];
  const index = ctx.chatFiles.size > 0 ? '<p class="sub"><a href="index.html">All transcripts of this bundle</a></p>' : '';
  if (chat.kind === 'thread') {
    const parent = s.threadParent.get(chat.chatId);
    const file = parent?.parent_chat_id ? ctx.chatFiles.get(parent.parent_chat_id) : undefined;
    if (parent?.parent_chat_id) {
      const target = file !== undefined && parent.parent_key !== null ? `${file}#m${parent.parent_key}` : file;
      parts.push(
        target !== undefined
          ? `<p class="sub">A thread of <a href="${esc(target)}" dir="auto">${esc(parent.parent_title ?? parent.parent_chat_id)}</a>, started by message <code>${esc(parent.thread_message_id ?? '?')}</code>.</p>`
          : `<p class="sub">A thread of conversation <code>${esc(parent.parent_chat_id)}</code> (not in this bundle), started by message <code>${esc(parent.thread_message_id ?? '?')}</code>.</p>`,
      );
    }
  }
  parts.push(index, '</header>\n<section><h2>Members</h2>\n', membersHtml(ctx.db, chat.chatId, ctx.timeZone, ctx.resolver), '</section>\n');
  return parts.join('\n');
}

function messageHtml(ctx: TranscriptContext, s: Statements, m: MessageRow, when: string, files: readonly FileRow[], threads: ReadonlyMap<string, { chatId: string; title: string | null }>): string {
  const content = archivedContent(m);
  const info = m.type === 'info';
  const classes = ['msg', info ? 'info' : '', m.deleted_at !== null ? 'deleted' : '', m.version > 1 ? 'edited' : ''].filter(Boolean).join(' ');
  const sender = (m.sender_id !== null ? ctx.resolver.user(m.sender_id)?.name : undefined) ?? m.sender_name ?? m.sender_id ?? 'unknown sender';
  const flags = [m.deleted_at !== null ? '<span class="flag deleted">deleted</span>' : '', m.version > 1 ? `<span class="flag edited">edited ×${m.version - 1}</span>` : ''].join('');
  const rowHash = m.row_hash ?? '';
  let html =
    `<article class="${classes}" id="m${m.key}" data-message-id="${esc(m.message_id)}" data-row-hash="${esc(rowHash)}">\n` +
    `<header>${timeElement(when)}<span class="who" dir="auto">${esc(sender)}</span>${flags}` +
    `<span class="ids">id <code>${esc(m.message_id)}</code> · row <code>${esc(rowHash.slice(0, 12))}</code></span></header>\n`;
  const body = info || m.file_id === null ? messageSegments(content, ctx.resolver) : bodySegments(content, ctx.resolver);
  if (body.length > 0) html += `<div class="body" dir="auto">${segmentsHtml(body)}</div>\n`;
  if (m.file_id !== null || m.file_name !== null) html += filesHtml(ctx, files, m);
  if (m.version > 1) html += versionsHtml(ctx, s, m);
  if (m.deleted_at !== null) html += `<p class="note">Deleted on Cliq after it was archived — the deletion was noticed ${esc(instantOf(m.deleted_at, ctx.timeZone))}.</p>\n`;
  const thread = threads.get(m.message_id);
  if (thread) {
    const file = ctx.chatFiles.get(thread.chatId);
    const name = esc(thread.title ?? thread.chatId);
    html +=
      file !== undefined
        ? `<p class="thread">Thread: <a href="${esc(file)}" dir="auto">${name}</a> (replies in their own transcript)</p>\n`
        : `<p class="thread">Thread: <span dir="auto">${name}</span> (conversation <code>${esc(thread.chatId)}</code>; not in this file)</p>\n`;
  }
  return `${html}</article>\n`;
}

function filesHtml(ctx: TranscriptContext, rows: readonly FileRow[], m: MessageRow): string {
  const items =
    rows.length > 0
      ? rows.map((f) => {
          const name = esc(f.file_name ?? f.file_id);
          const path = f.sha256 !== null && f.status === 'stored' ? ctx.filePaths.get(f.sha256) : undefined;
          if (path !== undefined) return `<li><a href="${esc(ctx.filesPrefix + path)}" dir="auto">${name}</a> <span class="note">(${esc(path)})</span></li>`;
          const why = f.status === 'stored' ? 'stored in the archive, not carried in this bundle' : `not stored: ${f.status}${f.reason ? ` — ${f.reason}` : ''}`;
          return `<li><span dir="auto">${name}</span> <span class="note">(${esc(why)})</span></li>`;
        })
      : [`<li><span dir="auto">${esc(m.file_name ?? m.file_id ?? 'file')}</span> <span class="note">(no download recorded; not in this bundle)</span></li>`];
  return `<ul class="files">${items.join('')}</ul>\n`;
}

function versionsHtml(ctx: TranscriptContext, s: Statements, m: MessageRow): string {
  const versions = s.versions.all(m.key);
  if (versions.length === 0) return '';
  const items = versions.map((v) => {
    const content: ArchivedMessageContent = { ...archivedContent(m), text: v.text, content: payloadContent(v.raw_json) };
    const segments = v.text !== null ? parseMarkup(v.text, { resolver: ctx.resolver }) : bodySegments(content, ctx.resolver);
    return (
      `<li data-row-hash="${esc(v.row_hash ?? '')}"><div class="meta">version ${v.version}: seen ${esc(instantOf(v.seen_at, ctx.timeZone))}, replaced by ${esc(instantOf(v.superseded_at, ctx.timeZone))}</div>` +
      `<div class="body" dir="auto">${segments.length > 0 ? segmentsHtml(segments) : '<span class="note">(no text)</span>'}</div></li>`
    );
  });
  return `<details class="versions"><summary>Edited: ${versions.length} earlier version(s)</summary><ol>${items.join('')}</ol></details>\n`;
}
