import { Command } from 'commander';
import { basename } from 'node:path';
import { z } from 'zod';
import { listSnapshots, type CopyProgress, createSnapshot, type SnapshotResult, verifySnapshot, type SnapshotVerification } from '../../core/backup';
import { exitCodes } from '../../../shared/exitCodes';
import { defineFlags } from '../flagTable';
import { jsonSpec, switchFlag, keyFileSpec } from '../flags';
import { withInterrupt } from '../interrupt';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';

const backupFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file to snapshot', schema: z.string().min(1, 'is required').optional() },
    keyFile: keyFileSpec,
    to: { flag: '--to <dir>', description: 'the folder for snapshots (must exist)', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
    keep: {
      flag: '--keep <n>',
      description: 'keep the newest n snapshots of this archive in --to',
      schema: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1 (the new snapshot counts)').optional(),
    },
    prunePurged: {
      flag: '--prune-purged',
      description: "also delete this archive's snapshots taken before its last retention purge (they still hold the purged messages)",
      schema: switchFlag,
    },
    list: { flag: '--list', description: 'list the snapshots in --to with their verification status', schema: switchFlag },
    json: jsonSpec('print JSON (the last line of stdout)'),
  },
  {
    check: (flags, ctx) => {
      if (!flags.list && flags.archive === undefined) ctx.addIssue({ code: 'custom', path: ['archive'], message: 'is required (or use --list)' });
      if (flags.list && flags.keep !== undefined) ctx.addIssue({ code: 'custom', path: ['keep'], message: 'only applies when making a snapshot, not with --list' });
      if (flags.list && flags.prunePurged) ctx.addIssue({ code: 'custom', path: ['prunePurged'], message: 'only applies when making a snapshot, not with --list' });
    },
  },
);

export function backupCommand(io: Io = processIo): Command {
  return backupFlags
    .register(
      new Command('backup')
        .summary('take a verified online snapshot of the archive (or list snapshots with --list)')
        .description(
          'Copies the archive into --to as <archive>-<UTC time>.sqlite with a <same name>.json manifest ' +
            "(archive id, schema, size, SHA-256, integrity, last sync run), using SQLite's online backup: it " +
            'needs no lock and is consistent while a sync or the desktop app writes. The copy must pass ' +
            'PRAGMA integrity_check and is written under a temporary name first: a failure, a full disk ' +
            'or Ctrl-C leaves nothing behind.\n\n' +
            '--keep N keeps the newest N snapshots of this archive in --to and deletes older ones, only after ' +
            "the new one is in place; it never touches other files, other archives' snapshots or restore " +
            'safety copies. Without --keep nothing is deleted.\n\n' +
            'Retention: a snapshot taken before a purge (cliq-vault retention --apply) still holds the purged ' +
            'messages. --prune-purged deletes those snapshots of this archive once the new one is in place, ' +
            'whatever --keep says; without it they are kept.\n\n' +
            '--list --to DIR lists the snapshots in DIR, newest first, each verified (SHA-256 against its ' +
            'manifest, integrity_check, schema); it exits 1 if any is not good.\n\n' +
            "The archive's stored attachment files (<archive>.files) go into <snapshot>.sqlite.files beside " +
            'it, in the same layout: each file is hard-linked from an earlier snapshot of the same archive in ' +
            '--to when one has it (no bytes written), otherwise copied and checked against its SHA-256. Each ' +
            'snapshot holds every file it needs, so deleting one never takes files from another.\n\n' +
            'Exit codes: 0 done, 1 failed (nothing written), 2 usage, 5 cancelled (nothing written) or made ' +
            "without some stored files the archive's store no longer has intact (listed).",
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = backupFlags.parse(raw, 'backup');
      if (flags.list) {
        await listCommand(io, flags.to, flags.json);
        return;
      }
      const progress = copyProgress(flags.json ? { ...io, interactive: false } : io);
      try {
        const result = await withInterrupt((signal) =>
          createSnapshot({
            archivePath: flags.archive ?? '',
            toDir: flags.to,
            signal,
            onProgress: progress.update,
            ...(flags.keep !== undefined ? { keep: flags.keep } : {}),
            ...(flags.prunePurged ? { prunePurged: true } : {}),
          }),
        );
        progress.done();
        if (flags.json) io.out(`${JSON.stringify(result)}\n`);
        else io.out(renderSnapshot(result));
        // Made, but not whole: a scheduler must notice.
        if ((result.files?.unavailable.length ?? 0) > 0) process.exitCode = exitCodes.partial;
      } finally {
        progress.done();
      }
    });
}

/** A redrawn "Copying … %" line on an interactive stderr, at most every 100 ms; nothing otherwise. */
function copyProgress(io: Io): { update: (p: CopyProgress) => void; done: () => void } {
  if (!io.interactive) return { update: () => undefined, done: () => undefined };
  let last = 0;
  let drawn = false;
  return {
    update: ({ totalPages, remainingPages }) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const percent = totalPages === 0 ? 100 : Math.floor(((totalPages - remainingPages) / totalPages) * 100);
      io.err(`\r\x1b[2KCopying the archive… ${percent}% (then integrity_check and SHA-256)`);
    },
    done: () => {
      if (drawn) io.err('\r\x1b[2K');
      drawn = false;
    },
  };
}

function renderSnapshot(result: SnapshotResult): string {
  const m = result.manifest;
  const run = m.lastSyncRun ? `last sync #${m.lastSyncRun.id} ${m.lastSyncRun.status}` : 'never synced';
  const lines = [
    `Snapshot ${result.path} (${formatBytes(m.sizeBytes)}, integrity ok) in ${formatDuration(result.durationMs)}`,
    `  SHA-256:   ${m.sha256}`,
    `  Archive:   ${m.sourcePath} (id ${m.archiveId ?? 'none yet'}, schema ${m.schemaVersion}, ${run})`,
  ];
  if (m.counts) lines.push(`  Holds:     ${formatCount(m.counts.messages)} messages in ${formatCount(m.counts.conversations)} conversations`);
  const files = result.files;
  if (files) {
    lines.push(
      `  Files:     ${formatCount(files.files)} stored file(s), ${formatBytes(files.bytes)}: ${formatCount(files.copied)} copied (${formatBytes(files.bytesCopied)}), ${formatCount(files.linked)} linked from an earlier snapshot (${formatBytes(files.bytesLinked)})`,
    );
    if (files.unavailable.length > 0) lines.push(...unavailableLines(files.unavailable));
  }
  const rotation = result.rotation;
  if (rotation) {
    const deleted = rotation.deleted.length === 0 ? 'deleted none' : `deleted ${rotation.deleted.length}: ${rotation.deleted.join(', ')}`;
    lines.push(`  Rotation:  kept ${rotation.kept.length} snapshot(s) of this archive, ${deleted}`);
    for (const failure of rotation.failed) lines.push(`  Warning:   could not delete ${failure.file} (${failure.error}); it was kept`);
  }
  if (result.removedPartials.length > 0) lines.push(`  Cleaned:   ${result.removedPartials.length} temporary file(s) left by an interrupted backup`);
  return `${lines.join('\n')}\n`;
}

/** The stored files the archive's store could not give: the snapshot was made without them. */
function unavailableLines(unavailable: NonNullable<SnapshotResult['files']>['unavailable']): string[] {
  const lines = [
    `  Warning:   ${formatCount(unavailable.length)} stored file(s) the archive names are missing from its store or no longer match their hash; the snapshot was made without them (its manifest lists them). Run \`cliq-vault verify --archive … --files\` to see the damage.`,
  ];
  for (const file of unavailable.slice(0, 10)) lines.push(`             ${file.reason === 'missing' ? 'missing' : 'changed'}: ${file.sha256} (${formatBytes(file.size)})`);
  if (unavailable.length > 10) lines.push(`             … and ${formatCount(unavailable.length - 10)} more`);
  return lines;
}

async function listCommand(io: Io, dir: string, json: boolean): Promise<void> {
  const rows: { name: string; verification: SnapshotVerification }[] = [];
  for (const entry of listSnapshots(dir)) {
    rows.push({ name: entry.name, verification: await verifySnapshot(entry.path) });
  }
  const bad = rows.filter((r) => !r.verification.ok).length;
  if (json) {
    io.out(`${JSON.stringify({ dir, snapshots: rows.map((r) => ({ name: r.name, ...r.verification })), bad })}\n`);
  } else if (rows.length === 0) {
    io.out(`No snapshots in ${dir}.\n`);
  } else {
    const lines = [`Snapshots in ${dir}, newest first:`];
    for (const { name, verification: v } of rows) {
      const m = v.manifest;
      const when = m ? m.createdAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'unknown time';
      const what = [
        m?.kind === 'safety-copy' ? 'safety copy' : undefined,
        v.sizeBytes === undefined ? undefined : formatBytes(v.sizeBytes),
        m ? `schema ${m.schemaVersion}` : undefined,
        m?.files ? `${formatCount(m.files.objects.length)} stored file(s)` : undefined,
        m?.archiveId ? `archive ${m.archiveId.slice(0, 8)}` : undefined,
      ]
        .filter((part) => part !== undefined)
        .join(', ');
      lines.push(`  ${v.ok ? 'ok ' : 'BAD'}  ${basename(name)}  ${when}  ${what}`);
      for (const problem of v.problems) lines.push(`         - ${problem}`);
      if (v.unchecked !== undefined) lines.push(`         (${v.unchecked}; give its key with CLIQ_VAULT_KEY or --key-file to check it whole)`);
    }
    lines.push(bad === 0 ? `All ${rows.length} verified.` : `${bad} of ${rows.length} cannot be trusted (see above); restore one marked ok.`);
    io.out(`${lines.join('\n')}\n`);
  }
  if (bad > 0) process.exitCode = exitCodes.failed;
}
