import { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { auditFormats, type AuditScopeInput } from '../../../shared/audit';
import { VaultError } from '../../../shared/errors';
import { tagSchema, type ReviewCode, type ReviewItem, type ReviewSetCreate, type ReviewSetSummary } from '../../../shared/reviewSets';
import { createAuditBundle } from '../../core/audit';
import { codeLookScope, codeReviewItem, createLookScope, createReviewSet, listReviewSets, reviewItems, setIdByNameOrId, tagFilterWords } from '../../core/reviewSets';
import { checkTimeZone, terminalSafe } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, dateOrderCheck, groupFlagHelp, jsonSpec, timeZoneSpec } from '../flags';
import { withInterrupt } from '../interrupt';
import { formatCount, formatDuration, processIo, type Io } from '../output';
import { reviewed } from '../review';
import { cliSigner, custodyFromFlags, newSigningKeySpec, signingKeySpec } from '../signingKeyFlags';
import { messageFilterFlagTable, scopeFromFilterFlags } from '../messageFilterFlags';
import { withReader, when } from '../archiveReads';

/*
 * `cliq-vault review`: review SETS (issue 15) — freeze, list, show, code and produce them. Not to
 * be confused with electron/cli/review.ts, which records every look in the review LOG (this
 * command's actions are recorded there too: review_set_create, review_code, bundle).
 */

const archive = { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true };
const setFlag = { flag: '--set <name|id>', description: 'the review set (its exact name, or its id)', schema: z.string({ error: 'is required' }).trim().min(1, 'is required'), required: true };
const tags = (description: string) => ({ flag: '--tag <tag>', description, schema: z.array(tagSchema), repeatable: true });
const withoutTags = (description: string) => ({ flag: '--without-tag <tag>', description, schema: z.array(tagSchema), repeatable: true });

const createFlags = defineFlags(
  {
    archive,
    name: { flag: '--name <name>', description: 'the name of the set (unique in the archive)', schema: z.string({ error: 'is required' }).trim().min(1, 'is required'), required: true },
    description: { flag: '--description <text>', description: 'what the set is for', schema: z.string().optional() },
    hold: { flag: '--hold <name>', description: 'the messages this legal hold holds now (instead of filters)', schema: z.string().optional() },
    ...messageFilterFlagTable,
    tz: timeZoneSpec('time zone of --from/--to'),
    file: { flag: '--file', description: 'only messages with an attachment', schema: z.boolean().optional(), negatable: 'only messages without an attachment' },
    json: jsonSpec('print the set as JSON: { set }'),
  },
  { check: dateOrderCheck },
);
const listFlags = defineFlags({ archive, tz: timeZoneSpec('time zone of the times shown'), json: jsonSpec('print JSON: { sets }') });
const showFlags = defineFlags({
  archive,
  set: setFlag,
  tag: tags('only items carrying this tag, on the message or its conversation (repeatable: every one)'),
  withoutTag: withoutTags('only items carrying none of these tags (repeatable)'),
  reviewed: { flag: '--reviewed <yes|no>', description: 'only items reviewed (marked, or tagged) or not', schema: z.enum(['yes', 'no', 'any'], { error: 'must be yes or no' }), default: 'any' },
  chat: { flag: '--chat <id>', description: 'only this conversation', schema: z.string().optional() },
  limit: { flag: '--limit <n>', description: 'items to show', schema: z.coerce.number().int().min(1).max(1_000), default: '100' },
  offset: { flag: '--offset <n>', description: 'skip this many items first', schema: z.coerce.number().int().min(0), default: '0' },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON: { set, items, total, offset }'),
});
const tagFlags = defineFlags(
  {
    archive,
    set: setFlag,
    chat: { flag: '--chat <id>', description: 'the conversation (alone: code the whole conversation)', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
    message: { flag: '--message <id>', description: 'the message of that conversation', schema: z.string().optional() },
    add: { flag: '--add <tag>', description: 'apply this tag (responsive, not-responsive, privileged, needs-redaction, or your own)', schema: tagSchema.optional() },
    remove: { flag: '--remove <tag>', description: 'remove this tag', schema: tagSchema.optional() },
    note: { flag: '--note <text>', description: 'write this note (an empty text clears it)', schema: z.string().optional() },
    reviewed: { flag: '--reviewed <yes|no>', description: 'mark the message reviewed or not (needs --message)', schema: z.enum(['yes', 'no'], { error: 'must be yes or no' }).optional() },
    json: jsonSpec('print JSON: { record, set }'),
  },
  {
    check: (flags, ctx) => {
      const given = [flags.add, flags.remove, flags.note, flags.reviewed].filter((v) => v !== undefined).length;
      if (given !== 1) ctx.addIssue({ code: 'custom', message: 'give exactly one of --add, --remove, --note or --reviewed', path: ['add'] });
      if (flags.reviewed !== undefined && flags.message === undefined) ctx.addIssue({ code: 'custom', message: '--reviewed marks a message: give --message too', path: ['reviewed'] });
    },
  },
);
const exportFlags = defineFlags({
  archive,
  set: setFlag,
  out: { flag: '--out <dir>', description: 'the bundle folder to create', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
  tag: tags('only items carrying this tag (repeatable: every one), e.g. --tag responsive'),
  withoutTag: withoutTags('leave out items carrying this tag (repeatable), e.g. --without-tag privileged'),
  tz: timeZoneSpec('time zone of the times in the CSV files'),
  format: {
    flag: '--format <format>',
    description: `${auditFormats.join(' or ')} (repeatable; default csv and jsonl)`,
    schema: z.array(z.enum(auditFormats, { error: `must be ${auditFormats.join(' or ')}` })),
    repeatable: true,
  },
  files: { flag: '--no-files', description: 'leave the attachment files out (the attachments dataset is kept)', schema: z.boolean().default(true) },
  transcripts: { flag: '--no-transcripts', description: 'leave out transcripts/ (the readable HTML copy of each conversation)', schema: z.boolean().default(true) },
  signingKey: signingKeySpec,
  newSigningKey: newSigningKeySpec,
  matter: { flag: '--matter <name>', description: 'the matter this production is for (chain of custody)', schema: z.string().optional() },
  reason: { flag: '--reason <text>', description: 'why it is produced (chain of custody)', schema: z.string().optional() },
  json: jsonSpec('print a JSON summary'),
});

export function reviewSetsCommand(io: Io = processIo): Command {
  const review = new Command('review')
    .summary('review sets: freeze messages, code them with tags and notes, produce the coded ones')
    .description(
      'A review set is a frozen list of messages, made once from the same filters as `search` or from what a legal hold holds, ' +
        'with a name and an owner; later syncs never add to it. Reviewers tag messages or whole conversations (responsive, ' +
        'not-responsive, privileged, needs-redaction, or their own tags) and write notes; a message carries its conversation’s tags. ' +
        'Every set and every coding action is a sealed, append-only record (who, when) and an entry in the review log. ' +
        '`review export` writes an audit bundle of the set’s messages, limited by tags, with their coding.',
    );

  createFlags
    .register(
      review
        .command('create')
        .summary('freeze a review set from search filters or a hold')
        .addHelpText('after', `\nExample: cliq-vault review create --archive org.sqlite --name "Acme first pass" --query invoice --from 2026-03-01 --to 2026-03-31\n${groupFlagHelp}`),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = createFlags.parse(raw, 'review create');
      const input: ReviewSetCreate = {
        name: flags.name,
        ...(flags.description !== undefined ? { description: flags.description } : {}),
        source: flags.hold !== undefined ? { hold: checkHoldAlone(flags) } : { scope: filterScope(flags) },
      };
      const set = await reviewed(
        io,
        flags.archive,
        'review_set_create',
        createLookScope(input),
        () => createReviewSet(flags.archive, input),
        (s) => ({ results: s.items }),
      );
      io.out(
        flags.json
          ? `${JSON.stringify({ set })}\n`
          : `Made the review set "${terminalSafe(set.name)}" (id ${set.id}, sealed): ${formatCount(set.items)} message(s).\n  source: ${terminalSafe(set.sourceText)}\n`,
      );
    });

  listFlags.register(review.command('list').summary('every review set, newest first, with its progress')).action((raw: Record<string, unknown>) => {
    const flags = listFlags.parse(raw, 'review list');
    checkTimeZone(flags.tz);
    const sets = withReader(flags.archive, listReviewSets);
    if (flags.json) {
      io.out(`${JSON.stringify({ sets })}\n`);
      return;
    }
    io.out(
      sets.length === 0
        ? 'No review sets have been made in this archive.\n'
        : `${sets.map((s) => `${s.id}  ${terminalSafe(s.name)}  ${progress(s)}  made ${when(s.createdAt, flags.tz)} by ${who(s)}`).join('\n')}\n`,
    );
  });

  showFlags.register(review.command('show').summary("a set's items with their coding, filtered by tag, review state or conversation")).action((raw: Record<string, unknown>) => {
    const flags = showFlags.parse(raw, 'review show');
    checkTimeZone(flags.tz);
    const page = withReader(flags.archive, (db) =>
      reviewItems(db, {
        setId: setIdByNameOrId(db, flags.set),
        filter: { withTags: flags.tag, withoutTags: flags.withoutTag, reviewed: flags.reviewed, ...(flags.chat !== undefined ? { chatId: flags.chat } : {}) },
        offset: flags.offset,
        limit: flags.limit,
      }),
    );
    if (flags.json) {
      io.out(`${JSON.stringify(page)}\n`);
      return;
    }
    const s = page.set;
    const lines = [
      `Review set "${terminalSafe(s.name)}" (id ${s.id}): ${progress(s)}; made ${when(s.createdAt, flags.tz)} by ${who(s)}`,
      `  source: ${terminalSafe(s.sourceText)}`,
      ...(s.description !== null ? [`  ${terminalSafe(s.description)}`] : []),
      `  ${formatCount(page.total)} item(s) match${page.total > page.items.length ? `; showing ${page.offset + 1} to ${page.offset + page.items.length}` : ''}:`,
      ...page.items.map((i) => itemLine(i, flags.tz)),
    ];
    io.out(`${lines.join('\n')}\n`);
  });

  tagFlags
    .register(
      review
        .command('tag')
        .summary('code a message or a whole conversation: add or remove a tag, write a note, mark reviewed')
        .addHelpText('after', '\nExample: cliq-vault review tag --archive org.sqlite --set "Acme first pass" --chat CT_1 --message 1712345678901 --add responsive\n'),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = tagFlags.parse(raw, 'review tag');
      const setId = withReader(flags.archive, (db) => setIdByNameOrId(db, flags.set));
      const target = { setId, chatId: flags.chat, ...(flags.message !== undefined ? { messageId: flags.message } : {}) };
      const input: ReviewCode =
        flags.add !== undefined
          ? { ...target, action: 'tag', tag: flags.add }
          : flags.remove !== undefined
            ? { ...target, action: 'untag', tag: flags.remove }
            : flags.note !== undefined
              ? { ...target, action: 'note', note: flags.note }
              : { ...target, messageId: flags.message ?? '', action: 'reviewed', reviewed: flags.reviewed === 'yes' };
      const done = await reviewed(
        io,
        flags.archive,
        'review_code',
        codeLookScope(input),
        () => codeReviewItem(flags.archive, input),
        () => ({ chatId: flags.chat }),
      );
      io.out(
        flags.json
          ? `${JSON.stringify(done)}\n`
          : `Recorded (sealed): ${String(codeLookScope(input).change)} on ${flags.message !== undefined ? `message ${flags.message}` : 'the conversation'} ${flags.chat}. ${progress(done.set)}\n`,
      );
    });

  exportFlags
    .register(
      review
        .command('export')
        .summary("an audit bundle of a set's messages, limited by tags, with their coding")
        .addHelpText('after', '\nExample: cliq-vault review export --archive org.sqlite --set "Acme first pass" --tag responsive --without-tag privileged --out acme-production\n'),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = exportFlags.parse(raw, 'review export');
      const setId = withReader(flags.archive, (db) => setIdByNameOrId(db, flags.set));
      const scope = {
        reviewSet: { id: setId, withTags: flags.tag, withoutTags: flags.withoutTag },
        timeZone: flags.tz,
        ...(flags.format.length > 0 ? { formats: [...new Set(flags.format)] } : {}),
        files: flags.files,
        transcripts: flags.transcripts,
      } satisfies AuditScopeInput;
      const signer = cliSigner(flags.signingKey, flags.newSigningKey, io.env);
      const custody = custodyFromFlags(flags);
      const result = await reviewed(
        io,
        flags.archive,
        'bundle',
        { ...scope, out: resolve(flags.out) },
        () => withInterrupt((signal) => createAuditBundle({ archivePath: flags.archive, outDir: flags.out, signal, scope, signer, custody })),
        (done) => ({ results: done.files.reduce((n, f) => n + f.rows, 0) }),
      );
      if (flags.json) {
        io.out(`${JSON.stringify(result)}\n`);
        return;
      }
      const messages = result.files.filter((f) => f.dataset === 'messages' && f.format === (scope.formats?.[0] ?? 'csv')).reduce((n, f) => n + f.rows, 0);
      io.out(
        [
          `Production written in ${formatDuration(result.durationMs)}: ${result.bundlePath}`,
          `  ${formatCount(messages)} message(s) of the set ${tagFilterWords({ withTags: flags.tag, withoutTags: flags.withoutTag })}, with their coding in data/review-coding.*`,
          `  Bundle SHA-256 (of SHA256SUMS): ${result.bundleHash}`,
          `  Check it any time: cliq-vault verify --bundle "${result.bundlePath}"`,
          '',
        ].join('\n'),
      );
    });
  return review;
}

type CreateFlags = ReturnType<typeof createFlags.parse>;

/** The search filters as an audit scope reads them (so a set holds exactly what `search` lists). */
function filterScope(flags: CreateFlags): NonNullable<Extract<ReviewSetCreate['source'], { scope: unknown }>['scope']> {
  return {
    ...scopeFromFilterFlags(flags),
    ...(flags.file !== undefined ? { hasFile: flags.file } : {}),
  };
}

/** --hold is the whole source: a filter beside it would be ignored, so it is refused. */
function checkHoldAlone(flags: CreateFlags): string {
  const filters = filterScope(flags);
  const given = Object.entries(filters).filter(([key, value]) => !['timeZone', 'queryMode', 'deleted', 'includeVersions'].includes(key) && value !== undefined);
  if (given.length > 0 || flags.deleted !== 'include' || flags.versions) {
    throw new VaultError('USAGE', 'review create: --hold takes no search filter: a set is made from filters or from a hold, not both.', {
      hint: 'Leave out the filters, or leave out --hold.',
    });
  }
  return flags.hold ?? '';
}

function who(s: ReviewSetSummary): string {
  return `${s.owner.osUser}@${s.owner.host}${s.owner.profile !== null ? ` (profile ${s.owner.profile})` : ''}`;
}

function progress(s: ReviewSetSummary): string {
  const counts = Object.entries(s.tagCounts).map(([tag, n]) => `${tag} ${formatCount(n)}`);
  return `reviewed ${formatCount(s.reviewed)} of ${formatCount(s.items)}${counts.length > 0 ? ` (${counts.join(', ')})` : ''}${s.purged > 0 ? `; ${formatCount(s.purged)} purged since` : ''}`;
}

/** One item on one line: Cliq's text made terminal-safe and kept to one line. */
function itemLine(i: ReviewItem, zone: string): string {
  const text = i.purged ? '[purged under a retention policy]' : i.deleted && i.text === null ? '[deleted]' : (i.text ?? '');
  const coding = [
    ...i.tags,
    ...i.conversationTags.map((t) => `${t} (conversation)`),
    ...(i.note !== null ? [`note: ${i.note}`] : []),
    ...(i.reviewed && i.tags.length === 0 && i.conversationTags.length === 0 ? ['reviewed'] : []),
  ];
  const line = `  ${i.position}. ${when(i.time, zone)}  ${i.conversationTitle ?? i.chatId} (${i.chatId} ${i.messageId})  ${i.senderName ?? i.senderId ?? '?'}: ${text}${coding.length > 0 ? `  [${coding.join('; ')}]` : ''}`;
  return terminalSafe(line).replace(/\s*\n\s*/g, ' ');
}
