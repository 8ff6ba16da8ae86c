import type Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditFile, AuditProgress } from '../../../../shared/audit';
import type { MentionResolver } from '../../../../shared/markup';
import type { FileStore } from '../../files/store';
import { throwIfAborted } from '../../util/clock';
import { toolName, toolVersion } from '../../version';
import { utcWallClock } from '../bundleZip';
import { HashedFile } from '../sinks';
import { transcriptFileNames } from '../transcripts/bundleTranscripts';
import { conversationEvents, foldedThreadsSql, type ConversationEvents, type EventContext } from './events';
import { manifestChunks, rsmfPlatform, rsmfVersion, type RsmfConversation } from './manifest';
import { address, base64Lines, base64Stream, headerField, headerText, rfc5322Date } from './mime';
import { rsmfZip } from './zip';

interface ChatRow {
  chatId: string;
  title: string | null;
  kind: string;
  creatorId: string | null;
}

export interface RsmfOptions {
  scoped: boolean;
  resolver: MentionResolver;
  store: Pick<FileStore, 'has' | 'read'>;
  bundleDir: string;
  /** When the export started: every .rsmf's Date header and every zip entry's mtime. */
  createdAt: number;
  /** The scope's dates as instants (ms), for the joins and leaves. */
  from: number | null;
  to: number | null;
  tagsOf?: (chatId: string, messageId: string) => readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: AuditProgress) => void;
}

/** What rsmf/ holds: its files, and for each attachment's SHA-256 whether the file store had it (carried) or not. */
export interface RsmfSet {
  files: AuditFile[];
  stored: ReadonlyMap<string, boolean>;
}

/**
 * Writes `rsmf/` of an audit bundle: one RSMF 2.0 file per conversation in scope (a thread whose
 * channel is in scope is inside the channel's file, its messages replies to the one that started
 * it), named as the transcripts are (transcriptFileNames: ids, never titles). Each file is streamed:
 * the conversation's events are read (held as JSON strings, one conversation at a time), then the
 * headers, a text/plain summary and rsmf.zip — zipped, base64-encoded and hashed as it is
 * written. Runs inside the bundle's read transaction.
 */
export async function writeBundleRsmf(db: Database.Database, options: RsmfOptions): Promise<RsmfSet> {
  const chats = db
    .prepare<[], ChatRow>(
      `SELECT c.chat_id AS chatId, c.title, c.kind, c.creator_id AS creatorId FROM chats c ${options.scoped ? 'JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''}
        WHERE NOT ${foldedThreadsSql(options.scoped)} ORDER BY c.chat_id`,
    )
    .all();
  const names = transcriptFileNames(
    chats.map((c) => c.chatId),
    'rsmf',
  );
  await mkdir(join(options.bundleDir, 'rsmf'));
  const ctx: EventContext = {
    db,
    scoped: options.scoped,
    resolver: options.resolver,
    store: options.store,
    from: options.from,
    to: options.to,
    stored: new Map(),
    ...(options.tagsOf ? { tagsOf: options.tagsOf } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const mtime = utcWallClock(options.createdAt);
  const files: AuditFile[] = [];
  for (const chat of chats) {
    throwIfAborted(options.signal);
    const name = names.get(chat.chatId) as string;
    const read = await conversationEvents(ctx, chat.chatId);
    const file = new HashedFile(join(options.bundleDir, 'rsmf', name));
    try {
      await file.opened();
      await writeRsmf(file, chat, read, options, mtime);
      const sha256 = await file.close();
      files.push({ path: `rsmf/${name}`, dataset: 'rsmf', format: 'rsmf', rows: read.events.length, bytes: file.bytes, sha256 });
    } catch (error) {
      file.destroy();
      throw error;
    }
    options.onProgress?.({ dataset: 'rsmf', rows: files.length, total: chats.length });
  }
  throwIfAborted(options.signal);
  return { files, stored: ctx.stored };
}

async function writeRsmf(file: HashedFile, chat: ChatRow, read: ConversationEvents, options: RsmfOptions, mtime: Date): Promise<void> {
  const push = async (text: string) => {
    if (file.write(text)) await file.flush();
  };
  const participants = read.participants.list();
  const conversation: RsmfConversation = {
    id: chat.chatId,
    display: chat.title ?? chat.chatId,
    platform: rsmfPlatform,
    // Cliq's one-to-one and bot chats keep their participants; groups, channels and threads do not.
    type: chat.kind === 'direct' || chat.kind === 'bot' ? 'direct' : 'channel',
    participants: read.participants.ids(),
    custom: [
      { name: 'Cliq conversation kind', value: chat.kind },
      { name: 'Threads included', value: String(read.counts.threads) },
    ],
  };
  const boundary = `=_rsmf_${createHash('sha256').update(`${chat.chatId}\n${options.createdAt}`).digest('hex').slice(0, 32)}`;
  const creator = chat.creatorId === null ? undefined : participants.find((p) => p.id === chat.creatorId);
  const from = creator ? address(creator.display ?? creator.id, creator.email) : null;
  const to = participants.map((p) => address(p.display ?? p.id, p.email)).filter((a): a is string => a !== null);
  const title = chat.title ?? chat.chatId;

  let head = '';
  if (from !== null) head += headerField('From', [from]);
  if (to.length > 0) head += headerField('To', to, ',');
  head += headerField('Subject', headerText(title));
  head += headerField('Date', [rfc5322Date(options.createdAt)]);
  head += headerField('Message-ID', [`<${createHash('sha256').update(chat.chatId).digest('hex').slice(0, 32)}.${options.createdAt}@rsmf.cliq-vault.invalid>`]);
  head += headerField('MIME-Version', ['1.0']);
  head += headerField('X-RSMF-Version', [rsmfVersion]);
  head += headerField('X-RSMF-Generator', [`${toolName} ${toolVersion}`]);
  head += headerField('X-RSMF-Application', [rsmfPlatform]);
  if (read.first !== null && read.last !== null) {
    head += headerField('X-RSMF-BeginDate', [new Date(read.first).toISOString()]);
    head += headerField('X-RSMF-EndDate', [new Date(read.last).toISOString()]);
  }
  head += headerField('X-RSMF-EventCount', [String(read.events.length)]);
  head += headerField('X-RSMF-AttachmentCount', [String(read.counts.attachments)]);
  head += headerField('X-RSMF-EventCollectionID', headerText(chat.chatId));
  if (participants.length > 0) head += headerField('X-RSMF-Participants', headerText(participants.map((p) => p.display ?? p.id).join(', ')));
  head += headerField('Content-Type', ['multipart/mixed;', `boundary="${boundary}"`]);
  await push(`${head}\r\nThis is an RSMF 2.0 file (Relativity Short Message Format) in MIME format.\r\n`);
  await push(`--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
  await push(base64Lines(Buffer.from(summary(chat, read), 'utf8')));
  await push(`--${boundary}\r\nContent-Type: application/octet-stream; name="rsmf.zip"\r\nContent-Disposition: attachment; filename="rsmf.zip"\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
  const manifest = manifestChunks({ eventcollectionid: chat.chatId, participants, conversations: [conversation] }, read.events);
  for await (const lines of base64Stream(rsmfZip(manifest, read.entries, options.store, mtime))) await push(lines);
  await push(`--${boundary}--\r\n`);
}

/** The text/plain body: what the file holds, in words (review platforms index it as the document's text). */
function summary(chat: ChatRow, read: ConversationEvents): string {
  const c = read.counts;
  const people = read.participants.list().map((p) => (p.email !== undefined ? `${p.display ?? p.id} <${p.email}>` : (p.display ?? p.id)));
  const lines = [
    `Conversation: ${chat.title ?? chat.chatId}`,
    `Cliq conversation id: ${chat.chatId} (${chat.kind})`,
    read.first !== null && read.last !== null ? `Events from ${new Date(read.first).toISOString()} to ${new Date(read.last).toISOString()} (UTC)` : 'No events of this conversation are in scope.',
    `Events: ${read.events.length} (${c.messages} messages, ${c.joins} joins, ${c.leaves} leaves); attachment files: ${read.entries.length}; threads included: ${c.threads}`,
    `Participants (${people.length}): ${people.join('; ')}`,
    '',
    `Produced by ${toolName} ${toolVersion} from its archive of ${rsmfPlatform}. The attachment rsmf.zip holds rsmf_manifest.json`,
    '(participants, the conversation, its events) and the attachment files, each named by its SHA-256.',
    "Every message event carries its Cliq message id and the archive's row hash as custom fields.",
  ];
  return `${lines.join('\r\n')}\r\n`;
}
