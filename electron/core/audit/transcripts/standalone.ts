import type Database from 'better-sqlite3-multiple-ciphers';
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { VaultError } from '../../../../shared/errors';
import { archiveMentionResolver } from '../../archive/mentionResolver';
import { writeConversation, type ConversationInfo, type ConversationSummary, type TextOut } from './conversation';

/**
 * One conversation's transcript outside a bundle (`cliq-vault transcript --format html`): the same
 * document as a bundle's, of every message of the conversation; attachments named, not linked
 * (there is no files/ beside it), threads named by id. `write` receives it in chunks.
 */
export async function writeTranscriptHtml(db: Database.Database, chatId: string, timeZone: string, write: (chunk: string) => void | Promise<void>): Promise<ConversationSummary> {
  const chat = db.prepare<[string], ConversationInfo>('SELECT chat_id AS chatId, title, kind, gone_at AS goneAt FROM chats WHERE chat_id = ?').get(chatId);
  if (!chat) throw new VaultError('NOT_FOUND', `The archive has no conversation ${chatId}.`);
  let buffer: string[] = [];
  let size = 0;
  const out: TextOut = {
    write(text) {
      buffer.push(text);
      size += text.length;
      return size >= 1 << 16;
    },
    async flush() {
      const chunk = buffer.join('');
      buffer = [];
      size = 0;
      if (chunk !== '') await write(chunk);
    },
  };
  return writeConversation({ db, scoped: false, timeZone, resolver: archiveMentionResolver(db), filePaths: new Map(), chatFiles: new Map(), filesPrefix: '' }, chat, out);
}

/** The same, into a new file at `path` (never over an existing one). */
export async function writeTranscriptHtmlFile(db: Database.Database, chatId: string, timeZone: string, path: string): Promise<ConversationSummary> {
  const stream = createWriteStream(path, { flags: 'wx' });
  try {
    await once(stream, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError(code === 'EEXIST' ? 'USAGE' : 'IO_ERROR', code === 'EEXIST' ? `${path} already exists.` : `Cannot create ${path} (${code ?? 'error'}).`, {
      cause: error,
      hint: code === 'EEXIST' ? 'A transcript is never written over a file: choose a new name.' : 'Choose a file in a folder you can write to.',
    });
  }
  try {
    const summary = await writeTranscriptHtml(db, chatId, timeZone, async (chunk) => {
      if (!stream.write(chunk)) await once(stream, 'drain');
    });
    stream.end();
    await once(stream, 'finish');
    return summary;
  } catch (error) {
    // Nothing half-written is left behind.
    stream.destroy();
    rmSync(path, { force: true });
    throw error;
  }
}
