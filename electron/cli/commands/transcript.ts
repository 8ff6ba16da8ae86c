import { Command } from 'commander';
import { z } from 'zod';
import { openArchiveDb, pageWithReactions } from '../../core/archive';
import { conversationPage, messageContext } from '../../core/search';
import { checkTimeZone, formatInZone } from '../../core/util';
import type { ReactionView } from '../../../shared/evidence';
import { VaultError } from '../../../shared/errors';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, timeZoneSpec } from '../flags';
import { processIo, type Io } from '../output';

const transcriptFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  chat: { flag: '--chat <id>', description: 'the conversation', schema: z.string().optional() },
  around: { flag: '--around <key>', description: 'center on this message key (from search)', schema: z.coerce.number().int().optional() },
  before: { flag: '--before <key>', description: 'the page before this message key', schema: z.coerce.number().int().optional() },
  limit: { flag: '--limit <n>', description: 'messages per page', schema: z.coerce.number().int().min(1).max(1_000), default: '50' },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON'),
});

export function transcriptCommand(io: Io = processIo): Command {
  return transcriptFlags
    .register(
      new Command('transcript')
        .summary('read a conversation from the archive, page by page')
        .description(
          'Shows a conversation in time order: the newest page, the page before a message key (--before), or the messages around one (--around, from a search hit). ' +
            "Under a message with reactions standing, one line: each emoji (as Cliq keys it), how many, and who. --json gives each message's reactions, removed ones too (removedNoticedAt set).",
        ),
    )
    .action((raw: Record<string, unknown>) => {
      const flags = transcriptFlags.parse(raw, 'transcript');
      checkTimeZone(flags.tz);
      const db = openArchiveDb(flags.archive, { readonly: true });
      try {
        let page;
        if (flags.around !== undefined) page = messageContext(db, flags.around, Math.floor(flags.limit / 2));
        else if (flags.chat !== undefined) page = conversationPage(db, flags.chat, { ...(flags.before !== undefined ? { before: flags.before } : {}), limit: flags.limit });
        else throw new VaultError('USAGE', 'Say which conversation: --chat <id>, or --around <message key> from a search.');
        page = pageWithReactions(db, page);
        if (flags.json) {
          io.out(`${JSON.stringify(page)}\n`);
          return;
        }
        io.out(`${page.chat.title ?? page.chat.chatId} (${page.chat.kind})${page.chat.goneAt !== null ? ' — no longer on Cliq' : ''}\n`);
        if (page.hasOlder) io.out(`  … older messages: --before ${page.messages[0]?.key ?? ''}\n`);
        for (const m of page.messages) {
          const marks = [m.deletedAt !== null ? 'deleted' : '', m.version > 1 ? `edited ×${m.version - 1}` : ''].filter(Boolean);
          const body = m.text ?? (m.fileName !== null ? `[file] ${m.fileName}` : (m.extraText ?? `[${m.type}]`));
          io.out(`  ${formatInZone(m.time, flags.tz).slice(0, 19).replace('T', ' ')}  ${m.senderName ?? m.senderId ?? '?'}: ${body}${marks.length > 0 ? `  [${marks.join(', ')}]` : ''}\n`);
          const standing = reactionsLine(m.reactions ?? []);
          if (standing !== null) io.out(`      reactions: ${standing}\n`);
        }
      } finally {
        db.close();
      }
    });
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
