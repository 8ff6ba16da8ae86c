import { Command } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { openArchiveDb, conversationCoverage, readArchiveStats, type ArchiveStats, type ConversationCoverage } from '../../core/archive';
import type { AccountEvidenceStats } from '../../../shared/archive';
import { fileCoverageWords, fileGaps } from '../../../shared/attachments';
import { checkTimeZone, formatInZone } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, switchFlag, timeZoneSpec, keyFileSpec } from '../flags';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';

const statsFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  runs: { flag: '--runs <n>', description: 'how many recent runs to show', schema: z.coerce.number().int().min(1).max(100), default: '5' },
  conversations: {
    flag: '--conversations',
    description: "list every conversation: Cliq's total next to the archive's, when it was last archived completely (least fresh first), and its files stored / referenced",
    schema: switchFlag,
  },
  problems: { flag: '--problems', description: 'with --conversations: only those incomplete or whose counts differ', schema: switchFlag },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON'),
});

export function statsCommand(io: Io = processIo): Command {
  return statsFlags.register(new Command('stats').summary('what the archive holds, its coverage and the last sync runs')).action((raw: Record<string, unknown>) => {
    const flags = statsFlags.parse(raw, 'stats');
    checkTimeZone(flags.tz);
    const db = openArchiveDb(flags.archive, { readonly: true });
    try {
      const stats = readArchiveStats(db, flags.runs);
      const size = statSync(flags.archive).size;
      const conversations = flags.conversations ? conversationCoverage(db, { onlyProblems: flags.problems }) : undefined;
      if (flags.json) {
        io.out(`${JSON.stringify({ ...stats, archivePath: flags.archive, archiveBytes: size, ...(conversations ? { conversations } : {}) })}\n`);
      } else {
        io.out(renderStats(stats, flags.archive, size));
        if (conversations) io.out(renderConversations(conversations, flags.tz));
      }
    } finally {
      db.close();
    }
  });
}

function renderConversations(rows: ConversationCoverage[], zone: string): string {
  const lines = [`  Conversations (${formatCount(rows.length)}, least fresh first): Cliq's count / archived (deleted), status, last complete`];
  for (const r of rows) {
    const counts = `${r.serverMessageCount === null ? '?' : formatCount(r.serverMessageCount)} / ${formatCount(r.archivedCount)}${r.deletedCount > 0 ? ` (+${formatCount(r.deletedCount)})` : ''}`;
    const when = r.lastCompleteAt === null ? 'never' : formatInZone(r.lastCompleteAt, zone).slice(0, 16).replace('T', ' ');
    const flag = r.serverMessageCount !== null && r.serverMessageCount !== r.archivedCount ? ' ≠' : '';
    const files = r.files ? `  files ${formatCount(r.files.stored)}/${formatCount(r.files.referenced)}${fileGaps(r.files).length > 0 ? ` (${fileGaps(r.files).join('; ')})` : ''}` : '';
    lines.push(
      `    ${r.chatId}  ${r.kind.padEnd(7)} ${(r.title ?? '').replace(/\s+/g, ' ').slice(0, 40).padEnd(40)} ${counts}${flag}  ${r.goneAt !== null ? 'gone from Cliq' : (r.syncStatus ?? 'pending')}${r.errorCode ? ` (${r.errorCode})` : ''}  ${when}${files}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function directoryWords(d: NonNullable<ArchiveStats['directory']>): string {
  const groups = (n: { live: number; gone: number }, what: string) => `${formatCount(n.live)} ${what}${n.gone > 0 ? ` (+${formatCount(n.gone)} gone)` : ''}`;
  return (
    `${groups(d.departments, 'departments')}, ${groups(d.designations, 'designations')}, ${groups(d.roles, 'roles')}, ${groups(d.teams, 'teams')}; ` +
    `${formatCount(d.intervals.open)} current assignments, ${formatCount(d.intervals.closed)} ended; ${formatCount(d.admins.current)} people hold an admin role now`
  );
}

/** Calls and scheduled messages: the connected account's, and the org's call notices. */
function accountLines(a: AccountEvidenceStats): string[] {
  const missing = (dataset: string) => (a.notGranted[dataset] !== undefined ? ` (last sync: not granted, needs ${a.notGranted[dataset]})` : '');
  const s = a.scheduled;
  return [
    `  Calls:          ${formatCount(a.calls.live)} of the connected account${a.calls.gone > 0 ? ` (+${formatCount(a.calls.gone)} gone)` : ''}, ${formatCount(a.calls.participants)} participant stays; ${formatCount(a.callNotices)} call notices in the org's messages${missing('calls')}`,
    `  Scheduled:      ${formatCount(s.pending)} pending, ${formatCount(s.sent)} sent, ${formatCount(s.presumedSent)} presumed sent, ${formatCount(s.deleted)} deleted, ${formatCount(s.gone)} gone (sent or withdrawn)${missing('scheduled_messages')}`,
  ];
}

function renderStats(s: ArchiveStats, path: string, size: number): string {
  const kinds = Object.entries(s.conversations)
    .map(([kind, n]) => `${formatCount(n.live)} ${kind}${n.gone > 0 ? ` (+${formatCount(n.gone)} gone)` : ''}`)
    .join(', ');
  const lines = [
    `Archive ${path} (${formatBytes(size)}, schema ${s.schemaVersion})`,
    `  Org:            ${s.orgId ?? 'not yet synced'}${s.apiBase ? ` at ${s.apiBase}` : ''}`,
    `  Conversations:  ${kinds || 'none'}`,
    `  Channels:       ${formatCount(s.channels.live)} (${formatCount(s.channels.unmapped)} without a chat id, ${formatCount(s.channels.gone)} gone)`,
    `  Threads:        ${formatCount(s.threads.live)}${s.threads.gone > 0 ? ` (+${formatCount(s.threads.gone)} gone)` : ''}`,
    `  Users:          ${formatCount(s.users.live)}${s.users.gone > 0 ? ` (+${formatCount(s.users.gone)} gone)` : ''}`,
    `  Memberships:    ${formatCount(s.memberships.open)} current, ${formatCount(s.memberships.closed)} ended; ${formatCount(s.memberships.firstArchived)} members when first archived (joined earlier, date unknown), ${formatCount(s.memberships.fromInfoMessages)} joins or leaves dated by Cliq's info messages`,
    `  Messages:       ${formatCount(s.messages.live)} live, ${formatCount(s.messages.deleted)} deleted on Cliq (kept), ${formatCount(s.messages.edited)} edited (${formatCount(s.messages.versions)} earlier versions kept)`,
    `  Coverage:       ${formatCount(s.coverage.complete)}/${formatCount(s.coverage.conversations)} conversations complete, ${formatCount(s.coverage.failed)} refused, ${formatCount(s.coverage.pending)} pending, ${formatCount(s.coverage.countMismatches)} with a count different from Cliq's`,
  ];
  if (s.directory) lines.push(`  Directory:      ${directoryWords(s.directory)}`);
  if (s.files) lines.push(`  Files:          ${fileCoverageWords(s.files)}, ${formatBytes(s.files.bytesStored)} in the file store`);
  if (s.account) lines.push(...accountLines(s.account));
  const x = s.extras;
  if (x) {
    lines.push(
      `  Reactions:      ${formatCount(x.reactionsCurrent)} current, ${formatCount(x.reactionsRemoved)} removed (kept); ${formatCount(x.messagesChecked)} messages checked, ${formatCount(x.messagesDue)} due, ${formatCount(x.conversationsRefused)} conversations refused`,
      `  Sticky:         ${formatCount(x.pinsCurrent)} pinned, ${formatCount(x.pinsEnded)} earlier pins kept`,
      `  Channel roles:  ${formatCount(x.rolesCurrent)} current, ${formatCount(x.rolesEnded)} ended; permissions of ${formatCount(x.channelsWithPermissions)} channels`,
    );
  }
  if (s.messagesMode) lines.push(`  Export mode:    ${s.messagesMode}`);
  if (s.lastRuns.length > 0) {
    lines.push('  Recent runs:');
    for (const run of s.lastRuns) {
      const took = run.endedAt === null ? 'running or interrupted' : formatDuration(run.endedAt - run.startedAt);
      const calls = Object.values(run.calls).reduce((a, b) => a + b, 0);
      lines.push(
        `    #${run.id} ${new Date(run.startedAt).toISOString()} ${run.status}, ${took}, ${formatCount(calls)} calls, ${formatCount(run.counts.messagesNew ?? 0)} new messages${run.errors.length > 0 ? `, ${run.errors.length} notes` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
