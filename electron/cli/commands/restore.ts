import { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { type CopyFacts, restoreSnapshot, type RestoreReport, planRestore, type RestorePlan } from '../../core/backup';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, switchFlag, keyFileSpec } from '../flags';
import { withInterrupt } from '../interrupt';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';
import { reviewed } from '../review';

const restoreFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file to replace', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  from: { flag: '--from <snapshot>', description: 'the snapshot file (.sqlite with its .json manifest beside it)', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
  yes: { flag: '--yes', description: 'really restore (without it, only show what would happen)', schema: switchFlag },
  allowOtherArchive: { flag: '--allow-other-archive', description: 'restore even if the snapshot is of another archive (another archive id)', schema: switchFlag },
  json: jsonSpec('print JSON (the last line of stdout)'),
});

export function restoreCommand(io: Io = processIo): Command {
  return restoreFlags
    .register(
      new Command('restore')
        .summary('replace the archive with a verified snapshot, keeping a safety copy of it')
        .description(
          'Verifies the snapshot first (its manifest, SHA-256, integrity_check, a schema this version can ' +
            "open, the same archive) and refuses if anything is wrong. Then it takes the archive's writer " +
            'lease, keeps a safety copy of the current archive beside it (<archive>.before-restore-<UTC ' +
            "time>.sqlite, itself a snapshot you can restore), copies the snapshot's stored files that the " +
            "archive's store (<archive>.files) lacks into it (never overwriting or removing one), and swaps " +
            'the snapshot in atomically.\n\n' +
            'Stop the desktop app and any scheduled Cliq Vault job before restoring: the restore refuses ' +
            '(exit 3) while another process writes or has the archive open.\n\n' +
            'Without --yes it only says what it would do, and changes nothing (exit 2).\n\n' +
            'Exit codes: 0 restored, 1 refused or failed (the archive was not changed), 2 usage or no --yes, ' +
            '3 the archive is in use by another process.',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = restoreFlags.parse(raw, 'restore');
      const options = { snapshotPath: flags.from, archivePath: flags.archive, allowOtherArchive: flags.allowOtherArchive };
      if (!flags.yes) {
        const plan = await planRestore(options);
        if (flags.json) io.out(`${JSON.stringify({ dryRun: true, ...plan })}\n`);
        else io.out(renderPlan(plan));
        if (plan.refusal) {
          throw new VaultError(plan.refusal.code, `The restore would be refused: ${plan.refusal.reason}.`, { hint: 'Nothing was changed.' });
        }
        throw new VaultError('USAGE', 'Nothing was changed: add --yes to restore.', { hint: 'Stop the desktop app and any scheduled Cliq Vault job first.' });
      }
      // Ctrl-C before the swap stops the restore cleanly (nothing changed); the swap itself is one rename.
      // Recorded in the restored archive: it is the one whose history goes on.
      const report = await reviewed(
        io,
        flags.archive,
        'restore',
        { snapshot: resolve(flags.from) },
        () => withInterrupt((signal) => restoreSnapshot({ ...options, signal })),
        (done) => ({ detail: done.safetyCopy ? `the archive it replaced is kept in ${done.safetyCopy.path}` : null }),
      );
      if (flags.json) io.out(`${JSON.stringify(report)}\n`);
      else io.out(renderReport(report));
    });
}

function describeFacts(facts: CopyFacts): string {
  const parts = [`schema ${facts.schemaVersion}`];
  if (facts.counts) parts.unshift(`${formatCount(facts.counts.messages)} messages in ${formatCount(facts.counts.conversations)} conversations`);
  if (facts.lastSyncRun) parts.push(`last sync #${facts.lastSyncRun.id} ${facts.lastSyncRun.status} on ${new Date(facts.lastSyncRun.startedAt).toISOString()}`);
  return parts.join(', ');
}

function renderPlan(plan: RestorePlan): string {
  const v = plan.verification;
  const lines = [`Restore of ${plan.archivePath}`];
  switch (plan.current.state) {
    case 'present':
      lines.push(`  Now:        ${describeFacts(plan.current.facts)}`);
      if (plan.current.lease) lines.push(`  In use by:  ${plan.current.lease.holder}, pid ${plan.current.lease.pid} on ${plan.current.lease.host}`);
      break;
    case 'unreadable':
      lines.push(`  Now:        cannot be opened (${plan.current.reason}); it would be kept byte for byte`);
      break;
    case 'missing':
      lines.push('  Now:        no archive at that path');
      break;
  }
  lines.push(`  Snapshot:   ${plan.snapshotPath}`);
  if (v.manifest) lines.push(`              taken ${v.manifest.createdAt} from ${v.manifest.sourcePath}`);
  if (v.facts) lines.push(`              ${describeFacts(v.facts)}`);
  if (v.manifest?.files) lines.push(`              ${formatCount(v.manifest.files.objects.length)} stored file(s); those missing from the archive's store would be copied in (none overwritten)`);
  lines.push(v.ok ? '              verified: manifest, SHA-256, integrity_check and schema are good' : `              NOT restorable: ${v.problems.join('; ')}`);
  if (plan.current.state !== 'missing') {
    lines.push(`  Safety copy: the current archive would be kept in ${plan.safetyCopyDir} as <name>.before-restore-<UTC time>.sqlite`);
  }
  lines.push('  Stop the desktop app and any scheduled Cliq Vault job before restoring.');
  return `${lines.join('\n')}\n`;
}

function renderReport(report: RestoreReport): string {
  const lines = [
    `Restored ${report.archivePath} from ${report.snapshotPath} in ${formatDuration(report.durationMs)}`,
    `  Snapshot:    taken ${report.snapshot.createdAt}, SHA-256 ${report.snapshot.sha256}`,
    `  Now holds:   ${describeFacts(report.restored)} (integrity ${report.restored.integrity})`,
  ];
  if (report.previous) lines.push(`  Before:      ${describeFacts(report.previous)}`);
  if (report.files) {
    lines.push(
      `  Files:       ${formatCount(report.files.files)} stored file(s): ${formatCount(report.files.copied)} copied into the archive's store (${formatBytes(report.files.bytesCopied)}), ${formatCount(report.files.present)} already there`,
    );
  }
  lines.push(report.safetyCopy ? `  Safety copy: ${report.safetyCopy.path} (${report.safetyCopy.method}; restore it the same way to undo)` : '  Safety copy: none (there was no archive)');
  for (const note of report.notes) lines.push(`  Note:        ${note}`);
  return `${lines.join('\n')}\n`;
}
