import { type SyncProgress, type SyncReport } from '../core/sync';

/** Where the CLI writes: stdout for results, stderr for progress and diagnostics. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  interactive: boolean;
  env: NodeJS.ProcessEnv;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY,
  env: process.env,
};

const numberFormat = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => numberFormat.format(n);

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1_000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit] ?? 'B'}`;
}

const phaseLabel: Record<SyncProgress['phase'], string> = {
  starting: 'Starting',
  inventory: 'Listing the org',
  threads: 'Listing threads',
  conversations: 'Archiving',
  finishing: 'Finishing',
};

/** One line, redrawn in place: a bar, counts, calls, ETA, and a plain-words rate-limit pause. */
export function renderProgress(p: SyncProgress, now: number, width = 24): string {
  const ratio = p.chatsTotal === 0 ? 0 : Math.min(1, p.chatsDone / p.chatsTotal);
  const filled = Math.round(ratio * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const parts = [`${phaseLabel[p.phase]} ${bar} ${formatCount(p.chatsDone)}/${formatCount(p.chatsTotal)} conversations`, `${formatCount(p.messagesStored)} messages`];
  if (p.filesStored > 0 || p.filesRemaining > 0) parts.push(`${formatCount(p.filesStored)} files${p.filesRemaining > 0 ? ` (${formatCount(p.filesRemaining)} to go)` : ''}`);
  parts.push(`${formatCount(p.calls)} calls`);
  if (p.pausedUntil !== undefined && p.pausedUntil > now) {
    parts.push(`paused ${formatDuration(p.pausedUntil - now)}: Cliq asked us to slow down`);
  } else if (p.etaMs > 0) {
    parts.push(`ETA ${formatDuration(p.etaMs)}`);
  }
  return parts.join(' · ');
}

/** Draws progress on an interactive stderr, at most every 100 ms; a no-op otherwise. */
export function progressPrinter(io: Io): { update: (p: SyncProgress) => void; done: () => void } {
  if (!io.interactive) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update: (p) => {
      const now = Date.now();
      if (now - last < 100 && p.phase !== 'finishing') return;
      last = now;
      drawn = true;
      io.err(`\r\x1b[2K${renderProgress(p, now)}`);
    },
    done: () => {
      if (drawn) io.err('\r\x1b[2K');
    },
  };
}

/** The human summary of a sync. */
export function renderSyncReport(report: SyncReport): string {
  const c = report.counts;
  const lines = [
    `Sync ${report.status}${report.cancelled ? ' (cancelled)' : ''} in ${formatDuration(report.endedAt - report.startedAt)} (run ${report.runId})`,
    `  Org:            ${formatCount(c.chats)} chats, ${formatCount(c.channels)} channels, ${formatCount(c.threads)} threads, ${formatCount(c.users)} users`,
    `  Conversations:  ${formatCount(c.conversationsSynced)} synced, ${formatCount(c.conversationsUnchanged)} unchanged, ${formatCount(c.conversationsFailed)} failed`,
    `  Messages:       ${formatCount(c.messagesNew)} new, ${formatCount(c.messagesChanged)} edited, ${formatCount(c.messagesDeleted)} noticed deleted`,
    `  Members:        ${formatCount(c.membersFirstArchived ?? 0)} members when first archived, ${formatCount(c.membersJoined)} joined, ${formatCount(c.membersLeft)} left`,
    `  Files:          ${formatCount(c.filesStored ?? 0)} stored (${formatCount(c.filesDeduplicated ?? 0)} already held), ${formatCount(c.filesUnavailable ?? 0)} unavailable, ${formatCount(c.filesSkipped ?? 0)} left out by policy`,
    `  Reactions:      ${formatCount(c.reactionsChecked ?? 0)} messages checked, ${formatCount(c.reactionsNew ?? 0)} new, ${formatCount(c.reactionsRemoved ?? 0)} removed; sticky: ${formatCount(c.stickyChecked ?? 0)} conversations checked, ${formatCount(c.stickyChanged ?? 0)} pin changes; ${formatCount(c.memberRolesNew ?? 0)} channel roles recorded`,
    `  API calls:      ${formatCount(report.callsTotal)} (${formatCount(report.messageCalls)} for messages)${
      Object.keys(report.rateLimited).length > 0
        ? `, rate-limited: ${Object.entries(report.rateLimited)
            .map(([f, n]) => `${f} ×${n}`)
            .join(', ')}`
        : ''
    }`,
  ];
  // Present when a directory source ran (sync/directory.ts); each count is absent when its source was not.
  const directory = (['departments', 'designations', 'roles', 'teams'] as const).filter((k) => c[k] !== undefined);
  if (directory.length > 0) {
    lines.push(
      `  Directory:      ${directory.map((k) => `${formatCount(c[k] ?? 0)} ${k}`).join(', ')}; ${formatCount(c.assignmentsStarted ?? 0)} assignments started, ${formatCount(c.assignmentsEnded ?? 0)} ended`,
    );
  }
  // The connected account's sources: shown when they ran (a missing scope is among the notes).
  if (c.calls !== undefined) {
    lines.push(
      `  Calls:          ${formatCount(c.calls)} of the connected account listed (${formatCount(c.callsNew ?? 0)} new, ${formatCount(c.callsChanged ?? 0)} changed), ${formatCount(c.callParticipantsNew ?? 0)} new participant stays`,
    );
  }
  if (c.scheduledPending !== undefined) {
    lines.push(
      `  Scheduled:      ${formatCount(c.scheduledPending)} pending (${formatCount(c.scheduledNew ?? 0)} new, ${formatCount(c.scheduledRescheduled ?? 0)} rescheduled); left the list: ${formatCount(c.scheduledSent ?? 0)} sent, ${formatCount(c.scheduledPresumedSent ?? 0)} presumed sent, ${formatCount(c.scheduledDeleted ?? 0)} deleted, ${formatCount(c.scheduledGone ?? 0)} gone`,
    );
  }
  if (report.messagesMode !== undefined) lines.push(`  Export mode:    ${report.messagesMode}`);
  if (report.errors.length > 0) {
    lines.push(`  Notes (${report.errors.length}):`);
    for (const e of report.errors.slice(0, 10)) lines.push(`    - [${e.code}] ${e.message}`);
    if (report.errors.length > 10) lines.push(`    … and ${report.errors.length - 10} more (see \`cliq-vault stats\`)`);
  }
  if (report.fatal?.hint !== undefined) lines.push(`  What to do:     ${report.fatal.hint}`);
  return `${lines.join('\n')}\n`;
}
