import { Command } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { openArchiveDb } from '../../core/archive/connection';
import { readArchiveStats, type ArchiveStats } from '../../core/archive/statsRepo';
import { archivePath, parseFlags } from '../flags';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';

const statsFlags = z.object({ archive: archivePath, json: z.boolean().default(false), runs: z.coerce.number().int().min(1).max(100).default(5) });

export function statsCommand(io: Io = processIo): Command {
  return new Command('stats')
    .summary('what the archive holds, its coverage and the last sync runs')
    .requiredOption('--archive <path>', 'the archive file')
    .option('--runs <n>', 'how many recent runs to show', '5')
    .option('--json', 'print JSON')
    .action((raw: Record<string, unknown>) => {
      const flags = parseFlags(statsFlags, raw, 'stats');
      const db = openArchiveDb(flags.archive, { readonly: true });
      try {
        const stats = readArchiveStats(db, flags.runs);
        const size = statSync(flags.archive).size;
        if (flags.json) io.out(`${JSON.stringify({ ...stats, archivePath: flags.archive, archiveBytes: size })}\n`);
        else io.out(renderStats(stats, flags.archive, size));
      } finally {
        db.close();
      }
    });
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
    `  Memberships:    ${formatCount(s.memberships.open)} current, ${formatCount(s.memberships.closed)} ended`,
    `  Messages:       ${formatCount(s.messages.live)} live, ${formatCount(s.messages.deleted)} deleted on Cliq (kept), ${formatCount(s.messages.edited)} edited (${formatCount(s.messages.versions)} earlier versions kept)`,
    `  Coverage:       ${formatCount(s.coverage.complete)}/${formatCount(s.coverage.conversations)} conversations complete, ${formatCount(s.coverage.failed)} refused, ${formatCount(s.coverage.pending)} pending, ${formatCount(s.coverage.countMismatches)} with a count different from Cliq's`,
  ];
  if (s.messagesMode) lines.push(`  Export mode:    ${s.messagesMode}`);
  if (s.lastRuns.length > 0) {
    lines.push('  Recent runs:');
    for (const run of s.lastRuns) {
      const took = run.endedAt === null ? 'running or interrupted' : formatDuration(run.endedAt - run.startedAt);
      const calls = Object.values(run.calls).reduce((a, b) => a + b, 0);
      lines.push(`    #${run.id} ${new Date(run.startedAt).toISOString()} ${run.status}, ${took}, ${formatCount(calls)} calls, ${formatCount(run.counts.messagesNew ?? 0)} new messages${run.errors.length > 0 ? `, ${run.errors.length} notes` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
