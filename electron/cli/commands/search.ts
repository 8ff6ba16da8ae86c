import { Command } from 'commander';
import { z } from 'zod';
import { openArchiveDb } from '../../core/archive';
import { decodeCursor, searchMessages, messageContext } from '../../core/search';
import { formatInZone } from '../../core/util';
import { conversationKinds, type SearchHit, type SearchQueryInput, type SnippetSegment } from '../../../shared/search';
import { defineFlags } from '../flagTable';
import { archivePath, dateOrderCheck, groupFlagHelp, groupFlagTable, groupScopeFrom, dateFlag, jsonSpec, namingFlag, switchFlag, timeZoneSpec, keyFileSpec } from '../flags';
import { processIo, type Io } from '../output';
import { reviewed } from '../review';

const searchFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
    keyFile: keyFileSpec,
    advanced: { flag: '--advanced', description: 'treat the text as FTS5 query syntax', schema: switchFlag },
    chat: { flag: '--chat <id>', description: 'only this conversation (repeatable; a channel brings its threads)', schema: z.array(z.string()), repeatable: true },
    kind: {
      flag: '--kind <kind>',
      description: `only these kinds of conversation: ${conversationKinds.join(', ')} (repeatable)`,
      schema: z.array(z.enum(conversationKinds, { error: `must be one of ${conversationKinds.join(', ')}` })),
      repeatable: true,
    },
    sender: { flag: '--sender <id|email>', description: 'only messages sent by (repeatable)', schema: z.array(z.string()), repeatable: true },
    participant: { flag: '--participant <id|email>', description: 'only conversations this person was ever a member of (repeatable)', schema: z.array(z.string()), repeatable: true },
    ...groupFlagTable,
    from: { flag: '--from <date>', description: 'from this day (2026-01-31) or instant (2026-01-31T09:00:00+01:00)', schema: dateFlag.optional() },
    to: { flag: '--to <date>', description: 'to this day, included', schema: dateFlag.optional() },
    tz: timeZoneSpec('time zone of --from/--to and of the times shown'),
    type: { flag: '--type <type>', description: 'message type: text, file, info, … (repeatable)', schema: z.array(z.string()), repeatable: true },
    file: { flag: '--file', description: 'only messages with an attachment', schema: z.boolean().optional(), negatable: 'only messages without an attachment' },
    deleted: {
      flag: '--deleted <how>',
      description: 'include, exclude or only messages deleted on Cliq',
      schema: z.enum(['include', 'exclude', 'only'], { error: 'must be include, exclude or only' }),
      default: 'include',
    },
    edited: { flag: '--edited', description: 'only messages with earlier versions (edited)', schema: z.boolean().optional(), negatable: 'only messages never edited' },
    versions: { flag: '--versions', description: 'also search earlier versions of edited messages', schema: switchFlag },
    oldest: { flag: '--oldest', description: 'oldest first', schema: switchFlag },
    limit: { flag: '--limit <n>', description: 'hits per page', schema: z.coerce.number().int().min(1).max(500), default: '20' },
    cursor: { flag: '--cursor <cursor>', description: 'continue from a previous page', schema: z.string().optional() },
    context: { flag: '--context <n>', description: 'show n messages before and after each hit', schema: z.coerce.number().int().min(0).max(50), default: '0' },
    json: jsonSpec('print JSON: { hits, nextCursor }'),
  },
  { check: dateOrderCheck },
);

function highlight(segments: SnippetSegment[], ansi: boolean): string {
  return segments
    .map((s) => (s.hit ? (ansi ? `\x1b[1m${s.text}\x1b[22m` : `«${s.text}»`) : s.text))
    .join('')
    .replace(/\s+/g, ' ');
}

export function searchCommand(io: Io = processIo): Command {
  return searchFlags
    .register(
      new Command('search')
        .summary('full-text search of the archive, with filters')
        .description(
          'Searches message text, file names, card text and call notices. Every word must appear (any ' +
            'text is safe); with --advanced the text is FTS5 syntax: AND, OR, NOT, "exact phrases", prefix*. ' +
            'Newest first; --cursor continues a search where the last page ended.',
        )
        .argument('[words...]', 'what to search for (none: list what the filters select)')
        .addHelpText('after', groupFlagHelp),
    )
    .action(async (words: string[], raw: Record<string, unknown>) => {
      const flags = searchFlags.parse(raw, 'search');
      if (flags.cursor !== undefined) namingFlag('--cursor', () => decodeCursor(flags.cursor, flags.oldest ? 'oldest' : 'newest'));
      const query: SearchQueryInput = {
        ...(words.length > 0 ? { text: words.join(' ') } : {}),
        mode: flags.advanced ? 'advanced' : 'simple',
        ...(flags.chat.length > 0 ? { chats: flags.chat } : {}),
        ...(flags.kind.length > 0 ? { kinds: flags.kind } : {}),
        ...(flags.sender.length > 0 ? { senders: flags.sender } : {}),
        ...(flags.participant.length > 0 ? { participants: flags.participant } : {}),
        ...groupScopeFrom(flags),
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        timeZone: flags.tz,
        ...(flags.type.length > 0 ? { types: flags.type } : {}),
        ...(flags.file !== undefined ? { hasFile: flags.file } : {}),
        ...(flags.edited !== undefined ? { edited: flags.edited } : {}),
        deleted: flags.deleted,
        includeVersions: flags.versions,
        order: flags.oldest ? 'oldest' : 'newest',
        limit: flags.limit,
        ...(flags.cursor !== undefined ? { cursor: flags.cursor } : {}),
      };
      // The look is on record: the query and filters as given, and how many hits the page had.
      await reviewed(
        io,
        flags.archive,
        'search',
        { ...query },
        () => answer(io, flags, query),
        (hits) => ({ results: hits }),
      );
    });
}

/** Runs the search and prints its page; returns how many hits it had. */
function answer(io: Io, flags: ReturnType<typeof searchFlags.parse>, query: SearchQueryInput): number {
  const db = openArchiveDb(flags.archive, { readonly: true });
  try {
    const page = searchMessages(db, query);
    const withContext = flags.context > 0 ? page.hits.map((hit) => ({ ...hit, context: messageContext(db, hit.key, flags.context).messages })) : page.hits;
    if (flags.json) {
      io.out(`${JSON.stringify({ hits: withContext, nextCursor: page.nextCursor })}\n`);
      return page.hits.length;
    }
    if (page.hits.length === 0) {
      io.out('No messages match.\n');
      return 0;
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
    return page.hits.length;
  } finally {
    db.close();
  }
}

function renderHit(hit: SearchHit, zone: string, ansi: boolean): string {
  const flags = [hit.deleted ? 'deleted' : '', hit.version !== undefined ? `earlier version ${hit.version}` : hit.edited ? 'edited' : ''].filter(Boolean);
  const when = formatInZone(hit.time, zone).slice(0, 19).replace('T', ' ');
  const where = `${hit.chatTitle ?? hit.chatId} (${hit.chatKind})`;
  return `${when}  ${where}  ${hit.senderName ?? hit.senderId ?? '?'}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}\n  ${highlight(hit.snippet, ansi)}\n  key ${hit.key} · ${hit.messageId}`;
}
