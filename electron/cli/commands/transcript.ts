import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { messagePlainText } from '../../../shared/markup';
import { archiveMentionResolver, openArchiveDb, pageWithReactions } from '../../core/archive';
import { writeTranscriptHtml, writeTranscriptHtmlFile } from '../../core/audit';
import { chatByIdOrTitle, conversationPage, messageContext } from '../../core/search';
import { checkTimeZone, formatInZone } from '../../core/util';
import type { ReactionView } from '../../../shared/evidence';
import type { TranscriptMessage } from '../../../shared/archive';
import { VaultError } from '../../../shared/errors';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, timeZoneSpec, keyFileSpec } from '../flags';
import { processIo, type Io } from '../output';
import { reviewed } from '../review';
import { terminalSafe } from '../../core/util';

const transcriptFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  chat: { flag: '--chat <id|title>', description: 'the conversation: its id, or its exact title (case does not matter)', schema: z.string().optional() },
  around: { flag: '--around <key>', description: 'center on this message key (from search), marked with > in the margin', schema: z.coerce.number().int().optional() },
  before: { flag: '--before <key>', description: 'the page before this message key', schema: z.coerce.number().int().optional() },
  limit: { flag: '--limit <n>', description: 'messages per page', schema: z.coerce.number().int().min(1).max(1_000), default: '50' },
  format: {
    flag: '--format <format>',
    description: 'text (a page, for the terminal) or html (the whole conversation as a self-contained, offline HTML file, as in audit bundles)',
    schema: z.enum(['text', 'html'], { error: 'must be text or html' }),
    default: 'text',
  },
  out: { flag: '--out <file>', description: 'write to this new file instead of printing', schema: z.string().min(1).optional() },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON'),
});

/** Continuation lines of a message start under its text, past the time column. */
const indent = ' '.repeat(23);

export function transcriptCommand(io: Io = processIo): Command {
  return transcriptFlags
    .register(
      new Command('transcript')
        .summary('read a conversation from the archive, page by page, or write it as HTML')
        .description(
          'Shows a conversation in time order: the newest page, the page before a message key (--before), or the messages around one (--around, from a search hit, marked with >). ' +
            '--chat takes an id or an exact title. Mentions show as names, markup as text; control characters in Cliq text are removed. ' +
            "Under a message with reactions standing, one line: each emoji (as Cliq keys it), how many, and who. --json gives each message's reactions, removed ones too (removedNoticedAt set). " +
            "--format html writes the whole conversation as one self-contained HTML file (no script, nothing loaded), the same as an audit bundle's transcripts/.",
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = transcriptFlags.parse(raw, 'transcript');
      checkTimeZone(flags.tz);
      const scope = {
        ...(flags.chat !== undefined ? { chat: flags.chat } : {}),
        ...(flags.around !== undefined ? { around: flags.around } : {}),
        ...(flags.before !== undefined ? { before: flags.before } : {}),
        limit: flags.limit,
        format: flags.format,
        ...(flags.out !== undefined ? { out: flags.out } : {}),
      };
      // The look is on record: which conversation, how it was asked for, how many messages were shown.
      await reviewed(
        io,
        flags.archive,
        'transcript_view',
        scope,
        () => show(io, flags),
        (shown) => shown,
      );
    });
}

/** Shows (or writes) the transcript; says which conversation it was and how many messages it showed. */
async function show(io: Io, flags: ReturnType<typeof transcriptFlags.parse>): Promise<{ chatId: string; results: number }> {
  const db = openArchiveDb(flags.archive, { readonly: true });
  try {
    const chatId = flags.chat !== undefined ? chatByIdOrTitle(db, flags.chat) : undefined;
    if (flags.format === 'html') {
      const target = chatId ?? (flags.around !== undefined ? messageContext(db, flags.around, 0).chat.chatId : undefined);
      if (target === undefined) throw new VaultError('USAGE', 'Say which conversation: --chat <id or title>, or --around <message key> from a search.');
      if (flags.out !== undefined) {
        const summary = await writeTranscriptHtmlFile(db, target, flags.tz, flags.out);
        io.err(`Wrote ${flags.out}: ${summary.messages} message(s) of ${terminalSafe(summary.title ?? summary.chatId)}.\n`);
        return { chatId: target, results: summary.messages };
      }
      const summary = await writeTranscriptHtml(db, target, flags.tz, (chunk) => io.out(chunk));
      return { chatId: target, results: summary.messages };
    }
    let page;
    let focus: number | undefined;
    if (flags.around !== undefined) {
      page = messageContext(db, flags.around, Math.floor(flags.limit / 2));
      focus = flags.around;
    } else if (chatId !== undefined) page = conversationPage(db, chatId, { ...(flags.before !== undefined ? { before: flags.before } : {}), limit: flags.limit });
    else throw new VaultError('USAGE', 'Say which conversation: --chat <id or title>, or --around <message key> from a search.');
    page = pageWithReactions(db, page);
    const text = flags.json ? `${JSON.stringify(page)}\n` : pageText(db, page, flags.tz, focus);
    if (flags.out !== undefined) writeNew(flags.out, text);
    else io.out(text);
    return { chatId: page.chat.chatId, results: page.messages.length };
  } finally {
    db.close();
  }
}

function pageText(
  db: Parameters<typeof archiveMentionResolver>[0],
  page: { chat: { chatId: string; title: string | null; kind: string; goneAt: number | null }; messages: (TranscriptMessage & { reactions?: ReactionView[] })[]; hasOlder: boolean },
  timeZone: string,
  focus: number | undefined,
): string {
  const resolver = archiveMentionResolver(db);
  const lines = [`${terminalSafe(page.chat.title ?? page.chat.chatId)} (${page.chat.kind})${page.chat.goneAt !== null ? ' — no longer on Cliq' : ''} · times in ${timeZone}`];
  if (page.hasOlder) lines.push(`  … older messages: --before ${page.messages[0]?.key ?? ''}`);
  for (const m of page.messages) {
    const marks = [m.deletedAt !== null ? 'deleted' : '', m.version > 1 ? `edited ×${m.version - 1}` : ''].filter(Boolean);
    const body = messagePlainText({ type: m.type, subtype: m.subtype, text: m.text, fileName: m.fileName, fileSize: m.fileSize, extraText: m.extraText }, resolver);
    const sender = (m.senderId !== null ? resolver.user(m.senderId)?.name : undefined) ?? m.senderName ?? m.senderId ?? '?';
    const [first = '', ...rest] = terminalSafe(body === '' ? `[${m.type}]` : body).split('\n');
    const margin = m.key === focus ? '> ' : '  ';
    lines.push(`${margin}${formatInZone(m.time, timeZone).slice(0, 19).replace('T', ' ')}  ${terminalSafe(sender)}: ${first}${marks.length > 0 ? `  [${marks.join(', ')}]` : ''}`);
    for (const line of rest) lines.push(`${indent}${line}`);
    const standing = reactionsLine(m.reactions ?? []);
    if (standing !== null) lines.push(`      reactions: ${terminalSafe(standing)}`);
  }
  return `${lines.join('\n')}\n`;
}

function writeNew(path: string, text: string): void {
  try {
    writeFileSync(path, text, { flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new VaultError(code === 'EEXIST' ? 'USAGE' : 'IO_ERROR', code === 'EEXIST' ? `${path} already exists.` : `Cannot write ${path} (${code ?? 'error'}).`, {
      cause: error,
      hint: code === 'EEXIST' ? 'A transcript is never written over a file: choose a new name.' : 'Choose a file in a folder you can write to.',
    });
  }
}

/**
 * The reactions standing on a message, grouped by emoji in the order first given: `👍 ×2 (Dana
 * Ruiz, Kofi Mensah) · :party: ×1 (Kofi Mensah)`. A person without a name shows as their user id.
 * Removed reactions are history (--json, the app): null when none stands.
 */
function reactionsLine(reactions: readonly ReactionView[]): string | null {
  const byEmoji = new Map<string, string[]>();
  for (const r of reactions) {
    if (r.removedNoticedAt !== null) continue;
    const names = byEmoji.get(r.emoji) ?? [];
    names.push(r.userName ?? r.userId);
    byEmoji.set(r.emoji, names);
  }
  if (byEmoji.size === 0) return null;
  return [...byEmoji].map(([emoji, names]) => `${emoji} ×${names.length} (${names.join(', ')})`).join(' · ');
}
