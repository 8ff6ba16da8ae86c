import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { messagePlainText } from '../../../shared/markup';
import { archiveMentionResolver, openArchiveDb, pageWithReactions } from '../../core/archive';
import { writeTranscriptHtml, writeTranscriptHtmlFile } from '../../core/audit';
import { chatByIdOrTitle, conversationAsOf, conversationPage, messageContext } from '../../core/search';
import { boundToInstant, checkTimeZone, formatInZone } from '../../core/util';
import type { ReactionView } from '../../../shared/evidence';
import type { TranscriptMessage } from '../../../shared/archive';
import { VaultError } from '../../../shared/errors';
import { defineFlags } from '../flagTable';
import { archivePath, dateFlag, jsonSpec, timeZoneSpec, keyFileSpec } from '../flags';
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
  asOf: {
    flag: '--as-of <date>',
    description: 'the conversation as it stood then (a day means its end, in --tz): title, members, each message as it read — as far as the archive saw it',
    schema: dateFlag.optional(),
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
        ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
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
    if (flags.asOf !== undefined) return showAsOf(io, db, chatId, flags, flags.asOf);
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

/** The conversation as it stood at --as-of: its title and members then, and each message as it read. */
function showAsOf(io: Io, db: Parameters<typeof archiveMentionResolver>[0], chatId: string | undefined, flags: ReturnType<typeof transcriptFlags.parse>, asOfText: string): { chatId: string; results: number } {
  if (chatId === undefined || flags.format === 'html' || flags.around !== undefined || flags.before !== undefined) {
    throw new VaultError('USAGE', '--as-of shows one conversation as text or --json: give --chat <id or title>, without --around, --before or --format html.');
  }
  const asOf = boundToInstant(asOfText, flags.tz, 'to');
  const then = conversationAsOf(db, chatId, asOf, flags.limit);
  const now = conversationPage(db, chatId, { limit: 1 });
  let text: string;
  if (flags.json) text = `${JSON.stringify(then)}\n`;
  else {
    const members = then.members.map((m) => m.name ?? m.email ?? m.userId ?? '?').join(', ');
    const seen = then.firstSeenAt === null ? '' : ` The archive first saw it ${formatInZone(then.firstSeenAt, flags.tz).slice(0, 19).replace('T', ' ')}: before that, it shows what was seen later.`;
    const head = [
      `As of ${formatInZone(asOf, flags.tz).slice(0, 19).replace('T', ' ')} (${flags.tz}), as far as the archive saw it: an edit, deletion, join or leave counts from the sync that noticed it.${seen}`,
      `Members then (${then.members.length}): ${terminalSafe(members)}`,
    ];
    text = `${head.join('\n')}\n${pageText(db, { chat: { ...now.chat, title: then.title }, messages: then.messages, hasOlder: then.hasOlder }, flags.tz, undefined)}`;
  }
  if (flags.out !== undefined) writeNew(flags.out, text);
  else io.out(text);
  return { chatId, results: then.messages.length };
}

function pageText(
  db: Parameters<typeof archiveMentionResolver>[0],
  page: { chat: { chatId: string; title: string | null; kind: string; goneAt: number | null }; messages: (TranscriptMessage & { reactions?: ReactionView[]; asOfNote?: string | null })[]; hasOlder: boolean },
  timeZone: string,
  focus: number | undefined,
): string {
  const resolver = archiveMentionResolver(db);
  const lines = [`${terminalSafe(page.chat.title ?? page.chat.chatId)} (${page.chat.kind})${page.chat.goneAt !== null ? ' — no longer on Cliq' : ''} · times in ${timeZone}`];
  if (page.hasOlder) lines.push(`  … older messages: --before ${page.messages[0]?.key ?? ''}`);
  for (const m of page.messages) {
    const seenLater = 'asOfNote' in m && m.asOfNote === 'seen_later';
    const marks = [m.deletedAt !== null ? 'deleted' : '', m.version > 1 ? `edited ×${m.version - 1}` : '', seenLater ? 'as first archived, later' : ''].filter(Boolean);
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
