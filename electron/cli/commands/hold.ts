import { Command } from 'commander';
import { z } from 'zod';
import type { HoldSummary, HoldView } from '../../../shared/holds';
import { listHolds, placeHold, releaseHold, showHold } from '../../core/holds';
import { checkTimeZone } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, dateFlag, dateOrderCheck, jsonSpec, switchFlag, timeZoneSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';
import { reviewed } from '../review';
import { withReader, when } from '../archiveReads';

const archive = { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true };
const name = { flag: '--name <name>', description: 'the name of the hold (the matter)', schema: z.string().trim().min(1, 'is required'), required: true };

const addFlags = defineFlags(
  {
    archive,
    name,
    custodian: { flag: '--custodian <id|email>', description: 'a person whose messages and conversations are held (user id or e-mail; repeatable)', schema: z.array(z.string()), repeatable: true },
    chat: { flag: '--chat <id|title>', description: 'a conversation held whole (id or exact title; a channel brings its threads; repeatable)', schema: z.array(z.string()), repeatable: true },
    from: { flag: '--from <date>', description: 'only messages from this day (2026-01-31) or instant (2026-01-31T09:00:00+01:00)', schema: dateFlag.optional() },
    to: { flag: '--to <date>', description: 'only messages up to this day, included', schema: dateFlag.optional() },
    tz: timeZoneSpec('time zone of --from/--to'),
    query: { flag: '--query <text>', description: "only messages the search finds for this text (the search's words; --advanced: FTS5 syntax)", schema: z.string().optional() },
    advanced: { flag: '--advanced', description: 'read --query as FTS5 syntax (AND, OR, NOT, "phrases", prefix*)', schema: switchFlag },
    reason: { flag: '--reason <text>', description: 'why the hold is placed (the matter, who asked)', schema: z.string().optional() },
    json: jsonSpec('print the hold as JSON'),
  },
  { check: dateOrderCheck },
);
const listFlags = defineFlags({ archive, tz: timeZoneSpec('time zone of the times shown'), json: jsonSpec('print JSON: { holds }') });
const showFlags = defineFlags({ archive, name, tz: timeZoneSpec('time zone of the times shown'), json: jsonSpec('print the hold as JSON') });
const releaseFlags = defineFlags({
  archive,
  name,
  reason: { flag: '--reason <text>', description: 'why the hold may end (required)', schema: z.string({ error: 'is required' }).trim().min(1, 'is required'), required: true },
  json: jsonSpec('print the released hold as JSON'),
});

/**
 * `cliq-vault hold`: legal holds. A hold keeps the messages in its scope — and their versions,
 * attachments and the memberships of their conversations — from ever being purged, including
 * messages archived after it was placed. Holds and releases are sealed records (who, when, why).
 */
export function holdCommand(io: Io = processIo): Command {
  const hold = new Command('hold')
    .summary('legal holds: place, list, show and release them')
    .description(
      'A legal hold keeps everything in its scope from being purged, including messages archived after it was placed. ' +
        'Its criteria intersect (custodians AND conversations AND dates AND query); several holds add up. ' +
        'A custodian holds the messages they sent and every message of the conversations they were a member of during the hold’s dates. ' +
        'Holds and releases are sealed records in the archive (who, when, why); nothing is changed in place.',
    );

  addFlags
    .register(
      hold
        .command('add')
        .summary('place a hold')
        .addHelpText('after', '\nExample: cliq-vault hold add --archive org.sqlite --name "Acme v. Us" --custodian ann@example.org --from 2025-01-01 --reason "counsel request 2026-02-03"\n'),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = addFlags.parse(raw, 'hold add');
      const input = {
        name: flags.name,
        ...(flags.reason !== undefined ? { reason: flags.reason } : {}),
        custodians: flags.custodian,
        conversations: flags.chat,
        ...(flags.from !== undefined ? { from: flags.from } : {}),
        ...(flags.to !== undefined ? { to: flags.to } : {}),
        timeZone: flags.tz,
        ...(flags.query !== undefined ? { query: flags.query } : {}),
        queryMode: flags.advanced ? ('advanced' as const) : ('simple' as const),
      };
      // A custody action, on record in the review log.
      const placed = await reviewed(io, flags.archive, 'hold_add', input, () => placeHold(flags.archive, input));
      io.out(flags.json ? `${JSON.stringify({ hold: placed })}\n` : `Placed the hold "${placed.name}" (sealed, ${when(placed.placedAt, flags.tz)}).\n${scopeLines(placed, flags.tz).join('\n')}\n`);
    });

  listFlags.register(hold.command('list').summary('every hold, active and released, with what each holds now')).action((raw: Record<string, unknown>) => {
    const flags = listFlags.parse(raw, 'hold list');
    checkTimeZone(flags.tz);
    const holds = withReader(flags.archive, listHolds);
    if (flags.json) {
      io.out(`${JSON.stringify({ holds })}\n`);
      return;
    }
    if (holds.length === 0) {
      io.out('No holds have been placed on this archive.\n');
      return;
    }
    const lines = holds.map(
      (h) =>
        `${h.status === 'active' ? 'ACTIVE  ' : 'released'}  ${h.name}  placed ${when(h.placedAt, flags.tz)} by ${who(h.placedBy)}` +
        `${h.release ? `, released ${when(h.release.at, flags.tz)}` : ''}: ${counts(h)}`,
    );
    io.out(`${lines.join('\n')}\n`);
  });

  showFlags.register(hold.command('show').summary('one hold: its scope, what it holds, who placed it and when, its release')).action((raw: Record<string, unknown>) => {
    const flags = showFlags.parse(raw, 'hold show');
    checkTimeZone(flags.tz);
    const found = withReader(flags.archive, (db) => showHold(db, flags.name));
    if (flags.json) {
      io.out(`${JSON.stringify({ hold: found })}\n`);
      return;
    }
    const lines = [
      `Hold "${found.name}": ${found.status === 'active' ? 'ACTIVE' : 'released'}`,
      `  placed ${when(found.placedAt, flags.tz)} by ${who(found.placedBy)}; reason: ${found.reason ?? '(none given)'}`,
      ...(found.release ? [`  released ${when(found.release.at, flags.tz)} by ${who(found.release.by)}; reason: ${found.release.reason}`] : []),
      ...scopeLines(found, flags.tz),
      `  holds now: ${counts(found)}`,
      `  sealed record: ${found.rowHash ?? 'not sealed'}`,
    ];
    io.out(`${lines.join('\n')}\n`);
  });

  releaseFlags.register(hold.command('release').summary('release an active hold (a sealed record of who, when and why)')).action(async (raw: Record<string, unknown>) => {
    const flags = releaseFlags.parse(raw, 'hold release');
    const input = { name: flags.name, reason: flags.reason };
    const released = await reviewed(io, flags.archive, 'hold_release', input, () => releaseHold(flags.archive, input));
    io.out(flags.json ? `${JSON.stringify({ hold: released })}\n` : `Released the hold "${released.name}" (sealed). Its messages are no longer held by it; other holds may still hold them.\n`);
  });
  return hold;
}

function who(actor: HoldView['placedBy']): string {
  return `${actor.osUser}@${actor.host}${actor.profile !== null ? ` (profile ${actor.profile})` : ''}`;
}

function counts(h: HoldSummary): string {
  const n = (count: number, one: string) => `${formatCount(count)} ${one}${count === 1 ? '' : 's'}`;
  return `${n(h.counts.messages, 'message')} in ${n(h.counts.conversations, 'conversation')}, ${n(h.counts.senders, 'sender')}`;
}

/** The criteria in words, one line each. */
function scopeLines(h: HoldView, zone: string): string[] {
  const lines: string[] = [];
  for (const c of h.custodians) lines.push(`  custodian ${c.given}${c.userIds.length > 0 && c.userIds.join() !== c.given ? ` (user ${c.userIds.join(', ')})` : ''}`);
  for (const c of h.conversations) lines.push(`  conversation ${c.chatId}${c.title !== null ? ` ${c.title}` : ''}`);
  if (h.fromTime !== null || h.toTime !== null) {
    lines.push(`  dates ${h.fromTime !== null ? when(h.fromTime, zone) : 'any time'} to ${h.toTime !== null ? when(h.toTime, zone) : 'now and later'} (${zone})`);
  }
  if (h.query !== null) lines.push(`  query ${h.queryMode === 'advanced' ? '(advanced) ' : ''}${h.query}`);
  return lines;
}
