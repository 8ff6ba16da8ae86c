import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import type { RetentionPreview, RetentionResult } from '../../../shared/retention';
import { conversationKinds } from '../../../shared/search';
import { applyRetention, previewRetention } from '../../core/retention';
import { formatInZone } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, switchFlag, timeZoneSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';
import { reviewed } from '../review';
import { terminalSafe } from '../../core/util';

const retentionFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  keepDays: {
    flag: '--keep-days <n>',
    description: 'keep messages of the last N days; older ones are due (at least 1)',
    schema: z.coerce.number({ error: 'must be a number of days' }).int('must be a whole number of days').min(1, 'must be at least 1'),
    required: true,
  },
  kind: {
    flag: '--kind <kind>',
    description: `only conversations of this kind: ${conversationKinds.join(', ')} (repeatable)`,
    schema: z.array(z.enum(conversationKinds, { error: `must be one of ${conversationKinds.join(', ')}` })),
    repeatable: true,
  },
  chat: { flag: '--chat <id|title>', description: 'only this conversation (id or exact title; a channel brings its threads; repeatable)', schema: z.array(z.string()), repeatable: true },
  department: { flag: '--department <id>', description: 'only messages sent by members of this department (repeatable)', schema: z.array(z.string()), repeatable: true },
  apply: { flag: '--apply', description: 'purge (with --yes); without it, only show what would be purged', schema: switchFlag },
  yes: { flag: '--yes', description: 'confirm --apply', schema: switchFlag },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON'),
});

/**
 * `cliq-vault retention`: a dry run by default (per conversation, what the policy would purge and
 * what a legal hold keeps; nothing changes); `--apply --yes` purges. Every purged message keeps a
 * sealed record; snapshots taken before still hold its data.
 */
export function retentionCommand(io: Io = processIo): Command {
  return retentionFlags
    .register(
      new Command('retention')
        .summary('purge messages older than a policy allows (a dry run unless --apply --yes); holds always win')
        .addHelpText(
          'after',
          '\nWithout --apply it changes nothing: it lists, per conversation, the messages the policy would purge and those a legal hold keeps.' +
            '\nA purge removes the message, its earlier versions, attachment records, reactions and index entries, and file bytes nothing else names;' +
            '\na sealed record of each purged message stays (ids, time, content hash, policy, run), so `cliq-vault verify` still passes.' +
            '\nSnapshots taken before a purge still hold the purged data: see `cliq-vault backup --prune-purged`.' +
            '\n\nExample: cliq-vault retention --archive org.sqlite --keep-days 365 --kind direct\n',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = retentionFlags.parse(raw, 'retention');
      const policy = { keepDays: flags.keepDays, kinds: flags.kind, conversations: flags.chat, departments: flags.department };
      if (flags.apply && !flags.yes) {
        throw new VaultError('USAGE', 'Nothing was purged: add --yes to --apply (run without --apply first to see what would go).');
      }
      // Both are on record in the review log; the dry run changes nothing else.
      if (!flags.apply) {
        const preview = await reviewed(
          io,
          flags.archive,
          'retention_dry_run',
          policy,
          () => previewRetention(flags.archive, policy),
          (p) => ({ results: p.purge }),
        );
        io.out(flags.json ? `${JSON.stringify({ dryRun: true, ...preview })}\n` : renderPreview(preview, flags.tz, false));
        return;
      }
      const result = await reviewed(
        io,
        flags.archive,
        'retention_apply',
        policy,
        () => applyRetention(flags.archive, policy),
        (r) => ({ results: r.purge }),
      );
      io.out(flags.json ? `${JSON.stringify({ dryRun: false, ...result })}\n` : renderPreview(result, flags.tz, true));
    });
}

function renderPreview(p: RetentionPreview | RetentionResult, zone: string, applied: boolean): string {
  const lines: string[] = [];
  const cutoff = formatInZone(p.cutoff, zone).slice(0, 16).replace('T', ' ');
  lines.push(
    applied
      ? `Purged ${formatCount(p.purge)} messages older than ${cutoff} (${zone}), with ${formatCount(p.versions)} earlier versions and ${formatCount(p.attachments)} attachment records.`
      : `Dry run — nothing was changed. ${formatCount(p.purge)} messages older than ${cutoff} (${zone}) would be purged, with ${formatCount(p.versions)} earlier versions and ${formatCount(p.attachments)} attachment records.`,
  );
  lines.push(
    p.holds === 0
      ? 'No legal hold is active: nothing due is kept by a hold.'
      : `${formatCount(p.keptHeld)} due messages are kept because ${p.holds === 1 ? 'a legal hold covers' : `legal holds (${formatCount(p.holds)} active) cover`} them.`,
  );
  if ('filesRemoved' in p) lines.push(`${formatCount(p.filesRemoved)} stored files no other message names were removed. Retention run ${p.runId ?? '—'}.`);
  if (p.conversations.length > 0) {
    lines.push('', applied ? 'Conversation                               purged   kept (hold)' : 'Conversation                          would purge   kept (hold)');
    for (const c of p.conversations) {
      const title = terminalSafe(`${c.title ?? c.chatId} (${c.kind})`);
      lines.push(`${title.length > 40 ? `${title.slice(0, 39)}…` : title.padEnd(40)} ${formatCount(c.purge).padStart(9)} ${formatCount(c.keptHeld).padStart(13)}`);
    }
  }
  if (applied && p.purge > 0) lines.push('', 'Snapshots taken before this purge still hold the purged messages (cliq-vault backup --prune-purged removes them).');
  if (!applied && p.purge > 0) lines.push('', 'To purge: run again with --apply --yes.');
  return `${lines.join('\n')}\n`;
}
