import { Command } from 'commander';
import { z } from 'zod';
import { openArchiveDb } from '../../core/archive/connection';
import { decodeCursor, searchMessages } from '../../core/search/search';
import { messageContext } from '../../core/search/transcript';
import { formatInZone } from '../../core/util/timeZone';
import { conversationKinds, type SearchHit, type SnippetSegment } from '../../../shared/search';
import { archivePath, dateFlag, namingFlag, parseFlags, timeZoneFlag } from '../flags';
import { processIo, type Io } from '../output';
import { collect } from './shared';

const searchFlags = z.object({
  archive: archivePath,
  words: z.array(z.string()).default([]),
  advanced: z.boolean().default(false),
  chat: z.array(z.string()).default([]),
  kind: z.array(z.enum(conversationKinds, { error: `must be one of ${conversationKinds.join(', ')}` })).default([]),
  sender: z.array(z.string()).default([]),
  participant: z.array(z.string()).default([]),
  from: dateFlag.optional(),
  to: dateFlag.optional(),
  tz: timeZoneFlag,
  type: z.array(z.string()).default([]),
  file: z.boolean().optional(),
  deleted: z.enum(['include', 'exclude', 'only'], { error: 'must be include, exclude or only' }).default('include'),
  versions: z.boolean().default(false),
  oldest: z.boolean().default(false),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  cursor: z.string().optional(),
  context: z.coerce.number().int().min(0).max(50).default(0),
  json: z.boolean().default(false),
});

function highlight(segments: SnippetSegment[], ansi: boolean): string {
  return segments
    .map((s) => (s.hit ? (ansi ? `\x1b[1m${s.text}\x1b[22m` : `«${s.text}»`) : s.text))
    .join('')
    .replace(/\s+/g, ' ');
}

export function searchCommand(io: Io = processIo): Command {
  return new Command('search')
    .summary('full-text search of the archive, with filters')
    .description(
      'Searches message text, file names, card text and call notices. Every word must appear (any ' +
        'text is safe); with --advanced the text is FTS5 syntax: AND, OR, NOT, "exact phrases", prefix*. ' +
        'Newest first; --cursor continues a search where the last page ended.',
    )
    .argument('[words...]', 'what to search for (none: list what the filters select)')
    .requiredOption('--archive <path>', 'the archive file')
    .option('--advanced', 'treat the text as FTS5 query syntax')
    .option('--chat <id>', 'only this conversation (repeatable)', collect, [])
    .option('--kind <kind>', `only these kinds of conversation: ${conversationKinds.join(', ')} (repeatable)`, collect, [])
    .option('--sender <id|email>', 'only messages sent by (repeatable)', collect, [])
    .option('--participant <id|email>', 'only conversations this person was ever a member of (repeatable)', collect, [])
    .option('--from <date>', 'from this day (2026-01-31) or instant (2026-01-31T09:00:00+01:00)')
    .option('--to <date>', 'to this day, included')
    .option('--tz <zone>', 'time zone of --from/--to and of the times shown', 'UTC')
    .option('--type <type>', 'message type: text, file, info, … (repeatable)', collect, [])
    .option('--file', 'only messages with an attachment')
    .option('--no-file', 'only messages without an attachment')
    .option('--deleted <how>', 'include, exclude or only messages deleted on Cliq', 'include')
    .option('--versions', 'also search earlier versions of edited messages')
    .option('--oldest', 'oldest first')
    .option('--limit <n>', 'hits per page', '20')
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--context <n>', 'show n messages before and after each hit', '0')
    .option('--json', 'print JSON: { hits, nextCursor }')
    .action((words: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(searchFlags, { ...raw, words }, 'search');
      if (flags.cursor !== undefined) namingFlag('--cursor', () => decodeCursor(flags.cursor, flags.oldest ? 'oldest' : 'newest'));
      const db = openArchiveDb(flags.archive, { readonly: true });
      try {
        const page = searchMessages(db, {
          ...(flags.words.length > 0 ? { text: flags.words.join(' ') } : {}),
          mode: flags.advanced ? 'advanced' : 'simple',
          ...(flags.chat.length > 0 ? { chats: flags.chat } : {}),
          ...(flags.kind.length > 0 ? { kinds: flags.kind } : {}),
          ...(flags.sender.length > 0 ? { senders: flags.sender } : {}),
          ...(flags.participant.length > 0 ? { participants: flags.participant } : {}),
          ...(flags.from !== undefined ? { from: flags.from } : {}),
          ...(flags.to !== undefined ? { to: flags.to } : {}),
          timeZone: flags.tz,
          ...(flags.type.length > 0 ? { types: flags.type } : {}),
          ...(flags.file !== undefined ? { hasFile: flags.file } : {}),
          deleted: flags.deleted,
          includeVersions: flags.versions,
          order: flags.oldest ? 'oldest' : 'newest',
          limit: flags.limit,
          ...(flags.cursor !== undefined ? { cursor: flags.cursor } : {}),
        });
        const withContext = flags.context > 0 ? page.hits.map((hit) => ({ ...hit, context: messageContext(db, hit.key, flags.context).messages })) : page.hits;
        if (flags.json) {
          io.out(`${JSON.stringify({ hits: withContext, nextCursor: page.nextCursor })}\n`);
          return;
        }
        if (page.hits.length === 0) {
          io.out('No messages match.\n');
          return;
        }
        const ansi = io.interactive;
        for (const hit of page.hits) {
          io.out(`${renderHit(hit, flags.tz, ansi)}\n`);
          if (flags.context > 0) {
            for (const m of messageContext(db, hit.key, flags.context).messages) {
              const mark = m.key === hit.key ? '>' : ' ';
              io.out(
                `    ${mark} ${formatInZone(m.time, flags.tz).slice(0, 19).replace('T', ' ')}  ${m.senderName ?? m.senderId ?? '?'}: ${(m.text ?? m.fileName ?? m.extraText ?? `[${m.type}]`).replace(/\s+/g, ' ').slice(0, 120)}\n`,
              );
            }
          }
        }
        if (page.nextCursor) io.out(`\nMore: add --cursor ${page.nextCursor}\n`);
      } finally {
        db.close();
      }
    });
}

function renderHit(hit: SearchHit, zone: string, ansi: boolean): string {
  const flags = [hit.deleted ? 'deleted' : '', hit.version !== undefined ? `earlier version ${hit.version}` : hit.edited ? 'edited' : ''].filter(Boolean);
  const when = formatInZone(hit.time, zone).slice(0, 19).replace('T', ' ');
  const where = `${hit.chatTitle ?? hit.chatId} (${hit.chatKind})`;
  return `${when}  ${where}  ${hit.senderName ?? hit.senderId ?? '?'}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}\n  ${highlight(hit.snippet, ansi)}\n  key ${hit.key} · ${hit.messageId}`;
}
