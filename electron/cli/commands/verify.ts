import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { openArchiveDb, verifyArchive, type VerifyReport } from '../../core/archive';
import { verifyBundle } from '../../core/audit';
import { defineFlags } from '../flagTable';
import { jsonSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';

const verifyFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive to check', schema: z.string().optional() },
  bundle: { flag: '--bundle <dir>', description: 'an audit bundle to check against its manifest', schema: z.string().optional() },
  json: jsonSpec('print the report as JSON'),
});

export function verifyCommand(io: Io = processIo): Command {
  return verifyFlags
    .register(
      new Command('verify')
        .summary('check an archive for changes made outside Cliq Vault, or an audit bundle against its manifest')
        .description(
          'Each sync run seals what it stored: a hash per row and a chain linking each run to the one before. ' +
            '--archive recomputes every hash, seal and link and reports any row changed, added or removed ' +
            'outside Cliq Vault, with the first run it affects. It is tamper-evident, not tamper-proof: anyone ' +
            'who can rewrite the file can also rewrite every hash — only a seal hash kept elsewhere (an audit ' +
            "bundle's manifest) shows that. Exit code 0 when everything checks, 1 when anything does not.",
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = verifyFlags.parse(raw, 'verify');
      if (flags.archive === undefined && flags.bundle === undefined) {
        throw new VaultError('USAGE', 'Say what to verify: --archive <path> or --bundle <dir>.');
      }
      if (flags.archive !== undefined) {
        const db = openArchiveDb(flags.archive, { readonly: true });
        let report: VerifyReport;
        try {
          report = verifyArchive(db);
        } finally {
          db.close();
        }
        io.out(flags.json ? `${JSON.stringify(report)}\n` : renderArchiveReport(report));
        if (!report.ok) process.exitCode = 1;
      }
      if (flags.bundle !== undefined) {
        const report = await verifyBundle(flags.bundle);
        if (flags.json) io.out(`${JSON.stringify(report)}\n`);
        else {
          io.out(
            report.ok
              ? `OK: all ${report.filesChecked} files of the bundle match SHA256SUMS and the manifest.\n  Archive seal recorded at export: ${report.integrityHead ?? 'none'}\n`
              : `ALTERED: ${report.problems.length} problem(s):\n${report.problems.map((p) => `  - ${p}`).join('\n')}\n`,
          );
        }
        if (!report.ok) process.exitCode = 1;
      }
    });
}

function renderArchiveReport(r: VerifyReport): string {
  const lines = [
    r.ok ? 'OK: every sealed row, seal and link checks out.' : `TAMPERED: ${formatCount(r.problems.length)} problem(s) found.`,
    `  ${formatCount(r.rowsChecked)} rows checked, ${formatCount(r.seals)} seals${r.openSeals.length > 0 ? ` (${r.openSeals.length} open: a sync is running or was interrupted)` : ''}.`,
    `  Head seal: ${r.head ?? 'none yet'}`,
  ];
  if (r.firstBad)
    lines.push(
      `  First affected seal: ${r.firstBad.sealId} (${r.firstBad.kind}${r.firstBad.runId !== null ? `, sync run ${r.firstBad.runId}` : ''}, opened ${new Date(r.firstBad.openedAt).toISOString()})`,
    );
  for (const p of r.problems.slice(0, 20)) lines.push(`  - [${p.kind}] ${p.detail}${p.key ? ` ${JSON.stringify(p.key)}` : ''}`);
  if (r.problems.length > 20) lines.push(`  … and ${formatCount(r.problems.length - 20)} more (--json for all)`);
  return `${lines.join('\n')}\n`;
}
