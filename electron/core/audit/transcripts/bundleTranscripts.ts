import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditProgress } from '../../../../shared/audit';
import type { MentionResolver } from '../../../../shared/markup';
import type { BundledFile } from '../attachmentFiles';
import { HashedFile } from '../sinks';
import { writeConversation, type ConversationInfo, type ConversationSummary } from './conversation';
import { esc } from './html';
import { dayOf, documentEnd, documentStart } from './page';

/** What a bundle's transcripts/ holds: every file (for SHA256SUMS and the manifest) and what each is. */
export interface TranscriptSet {
  files: BundledFile[];
  conversations: (ConversationSummary & { path: string })[];
}

const safeName = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * The file name of a conversation's transcript (or, with `extension`, of another per-conversation
 * file such as its RSMF production): its chat id when that is plain letters, digits, `_` and `-`
 * (Cliq's ids are), else `chat-<sha256 of the id>`; never its title (hostile, and not unique).
 * Two ids equal but for case get distinct names (case-insensitive file systems).
 */
export function transcriptFileNames(chatIds: readonly string[], extension: 'html' | 'rsmf' = 'html'): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of chatIds) {
    const hashed = `chat-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`;
    let name = safeName.test(id) && !id.startsWith('index') ? id : hashed;
    if (taken.has(name.toLowerCase())) name = hashed;
    taken.add(name.toLowerCase());
    names.set(id, `${name}.${extension}`);
  }
  return names;
}

/**
 * Writes `transcripts/` of an audit bundle: one HTML file per conversation in scope (the messages
 * in scope, see conversation.ts) and `index.html` listing them. Runs inside the bundle's read
 * transaction, after the attachment files were copied (their bundle paths are linked).
 */
export async function writeBundleTranscripts(
  db: Database.Database,
  options: {
    scoped: boolean;
    timeZone: string;
    resolver: MentionResolver;
    filePaths: ReadonlyMap<string, string>;
    bundleDir: string;
    signal?: AbortSignal;
    onProgress?: (progress: AuditProgress) => void;
  },
): Promise<TranscriptSet> {
  const chats = db
    .prepare<[], ConversationInfo>(
      `SELECT c.chat_id AS chatId, c.title, c.kind, c.gone_at AS goneAt FROM chats c ${options.scoped ? 'JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''} ORDER BY c.chat_id`,
    )
    .all();
  const names = transcriptFileNames(chats.map((c) => c.chatId));
  const dir = join(options.bundleDir, 'transcripts');
  await mkdir(dir);
  const set: TranscriptSet = { files: [], conversations: [] };
  const ctx = {
    db,
    scoped: options.scoped,
    timeZone: options.timeZone,
    resolver: options.resolver,
    filePaths: options.filePaths,
    chatFiles: names,
    filesPrefix: '../',
    ...(options.signal ? { signal: options.signal } : {}),
  };
  for (const chat of chats) {
    const name = names.get(chat.chatId) as string;
    const file = new HashedFile(join(dir, name));
    try {
      await file.opened();
      const summary = await writeConversation(ctx, chat, file);
      const sha256 = await file.close();
      set.files.push({ path: `transcripts/${name}`, sha256, bytes: file.bytes });
      set.conversations.push({ ...summary, path: `transcripts/${name}` });
    } catch (error) {
      file.destroy();
      throw error;
    }
    options.onProgress?.({ dataset: 'transcripts', rows: set.conversations.length, total: chats.length });
  }
  const index = new HashedFile(join(dir, 'index.html'));
  try {
    await index.opened();
    index.write(indexHtml(set.conversations, options.timeZone));
    const sha256 = await index.close();
    set.files.push({ path: 'transcripts/index.html', sha256, bytes: index.bytes });
  } catch (error) {
    index.destroy();
    throw error;
  }
  return set;
}

/** The index: one row per conversation (title, kind, messages, first and last day), linked to its file. */
function indexHtml(conversations: readonly (ConversationSummary & { path: string })[], timeZone: string): string {
  const rows = conversations.map((c) => {
    const name = c.path.slice('transcripts/'.length);
    const span = c.firstAt === null || c.lastAt === null ? '—' : `${dayOf(c.firstAt, timeZone)} – ${dayOf(c.lastAt, timeZone)}`;
    return `<tr><td><a href="${esc(name)}" dir="auto">${esc(c.title ?? c.chatId)}</a></td><td>${esc(c.kind)}</td><td>${c.messages}</td><td>${esc(span)}</td><td><code>${esc(c.chatId)}</code></td></tr>`;
  });
  return (
    documentStart('Transcripts') +
    `<header><h1>Transcripts</h1><p class="sub">${conversations.length} conversation(s); dates in ${esc(timeZone)}. Each file is readable offline, without scripts; every message carries its message id and row hash, which tie it to data/messages.* and the sealed archive.</p></header>\n` +
    `<table><thead><tr><th>Conversation</th><th>Kind</th><th>Messages</th><th>Dates</th><th>Conversation id</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>\n` +
    documentEnd
  );
}
