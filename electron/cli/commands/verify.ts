import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { openArchiveDb, type VerifyReport } from '../../core/archive';
import { sealInclusion, verifyBundle } from '../../core/audit';
import type { BundleReport, InclusionReport } from '../../../shared/archive';
import { verifyArchiveWithFiles } from '../../core/files';
import { exitCodes } from '../../../shared/exitCodes';
import { defineFlags } from '../flagTable';
import { jsonSpec, switchFlag, keyFileSpec } from '../flags';
import { withInterrupt } from '../interrupt';
import { formatBytes, formatCount, processIo, type Io } from '../output';
import { reviewed } from '../review';

const verifyFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive to check', schema: z.string().optional() },
  keyFile: keyFileSpec,
  bundle: { flag: '--bundle <dir>', description: 'an audit bundle to check against its manifest', schema: z.string().optional() },
  signer: { flag: '--signer <fingerprint>', description: "with --bundle: require the bundle's signature to be by this key (fingerprint, as verify or audit print it)", schema: z.string().optional() },
  files: { flag: '--files', description: 'with --archive: re-hash every stored attachment file against its sealed SHA-256, and report files added to the store', schema: switchFlag },
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
            "bundle's manifest) shows that.\n\n" +
            "It also checks the archive's file store (<archive>.files): every stored attachment must be there " +
            'with the size recorded when it was stored. --files re-reads every stored file and re-hashes it ' +
            'against its sealed SHA-256 (bit rot, tampering), and reports files in the store that no ' +
            'attachment names (they are reported, never deleted).\n\n' +
            'With both --bundle and --archive it also checks that the bundle belongs to the archive: the seal ' +
            "its manifest recorded is a seal of this archive with the same hash, linked to today's head; every " +
            'bundled row still matches, or was purged by a retention run (named), or changed later (named); ' +
            'a bundle of another archive fails.\n\n' +
            'Exit codes: 0 everything checks, 1 anything does not, 5 interrupted (Ctrl-C).',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = verifyFlags.parse(raw, 'verify');
      if (flags.archive === undefined && flags.bundle === undefined) {
        throw new VaultError('USAGE', 'Say what to verify: --archive <path> or --bundle <dir>.');
      }
      if (flags.signer !== undefined && flags.bundle === undefined) throw new VaultError('USAGE', '--signer checks the signature of a bundle: add --bundle <dir>.');
      if (flags.files && flags.archive === undefined) {
        throw new VaultError('USAGE', '--files re-hashes the stored files of an archive: add --archive <path>.', { hint: '--bundle checks every file of a bundle already.' });
      }
      if (flags.archive !== undefined) {
        const archive = flags.archive;
        // Recorded after the check: the entry's own seal comes after the seals it checked.
        const report = await reviewed(
          io,
          archive,
          'verify',
          { files: flags.files },
          async (): Promise<VerifyReport> => {
            const db = openArchiveDb(archive, { readonly: true });
            try {
              return await withInterrupt((signal) => verifyArchiveWithFiles(db, archive, { rehash: flags.files, signal }));
            } finally {
              db.close();
            }
          },
          (done) => ({ results: done.rowsChecked, detail: done.ok ? null : `${done.problems.length} problem(s) found` }),
        );
        io.out(flags.json ? `${JSON.stringify(report)}\n` : renderArchiveReport(report));
        if (!report.ok) process.exitCode = exitCodes.failed;
      }
      if (flags.bundle !== undefined) {
        const report = await verifyBundle(flags.bundle, flags.signer !== undefined ? { signer: flags.signer } : {});
        io.out(flags.json ? `${JSON.stringify(report)}\n` : renderBundleReport(report));
        if (!report.ok) process.exitCode = exitCodes.failed;
      }
      if (flags.bundle !== undefined && flags.archive !== undefined) {
        const db = openArchiveDb(flags.archive, { readonly: true });
        let inclusion: InclusionReport;
        try {
          inclusion = await sealInclusion(db, flags.bundle);
        } finally {
          db.close();
        }
        io.out(flags.json ? `${JSON.stringify({ inclusion })}\n` : renderInclusion(inclusion));
        if (!inclusion.included) process.exitCode = exitCodes.failed;
      }
    });
}

function renderBundleReport(r: BundleReport): string {
  const lines = [
    r.ok ? `OK: all ${r.filesChecked} files of the bundle match SHA256SUMS and the manifest.` : `ALTERED: ${r.problems.length} problem(s):`,
    ...r.problems.map((p) => `  - ${p}`),
    `  Signature: ${signatureWords(r.signature)}`,
    `  Bundle SHA-256 (of SHA256SUMS): ${r.bundleHash ?? 'none'}`,
    `  Archive seal recorded at export: ${r.integrityHead ?? 'none'}`,
  ];
  if (r.handOvers.length === 0) lines.push('  Hand-overs: none recorded.');
  for (const h of r.handOvers) lines.push(`  Hand-over ${h.index} ${h.ok ? '' : '(BROKEN) '}${h.at}: ${h.from} to ${h.to}${h.note !== null ? ` (${h.note})` : ''}; signed by ${h.fingerprint}${h.ephemeral ? ' (ephemeral key)' : ''}`);
  return `${lines.join('\n')}\n`;
}

function signatureWords(s: BundleReport['signature']): string {
  switch (s.status) {
    case 'valid':
      return s.ephemeral === true
        ? `valid, by an ephemeral key made for this bundle only (${s.fingerprint ?? '?'}): unchanged since it was made; proves no producer identity`
        : `valid, signed by ${s.fingerprint ?? '?'}`;
    case 'invalid':
      return `INVALID: ${s.problem ?? 'the signature does not match'}`;
    case 'absent':
      return 'absent (a bundle made before bundles were signed)';
  }
}

/** Both given: whether the bundle belongs to the archive (its seal in the chain, its rows still there or accounted for). */
function renderInclusion(r: InclusionReport): string {
  const lines = [
    r.included ? 'INCLUDED: the bundle belongs to this archive.' : 'NOT INCLUDED: the bundle cannot be tied to this archive.',
    `  Seal linked: ${r.seal.linked ? 'yes' : 'no'} (${r.seal.detail})`,
    `  Rows: ${formatCount(r.rows.matched)} matched, ${formatCount(r.rows.purged)} purged, ${formatCount(r.rows.changed)} changed, ${formatCount(r.rows.missing)} missing`,
  ];
  for (const p of r.problems) lines.push(`  - ${p}`);
  for (const [label, list] of [
    ['purged', r.purged],
    ['changed', r.changed],
    ['missing', r.missing],
  ] as const) {
    for (const f of list.slice(0, 10)) lines.push(`  ${label}: ${f.table} ${JSON.stringify(f.key)}: ${f.detail}`);
    if (list.length > 10) lines.push(`  … more ${label} rows (--json lists up to 100)`);
  }
  return `${lines.join('\n')}\n`;
}

function renderArchiveReport(r: VerifyReport): string {
  const lines = [
    r.problems.length === 0 ? 'OK: every sealed row, seal and link checks out.' : `TAMPERED: ${formatCount(r.problems.length)} problem(s) found.`,
    `  ${formatCount(r.rowsChecked)} rows checked, ${formatCount(r.seals)} seals${r.openSeals.length > 0 ? ` (${r.openSeals.length} open: a sync is running or was interrupted)` : ''}.`,
    `  Head seal: ${r.head ?? 'none yet'}`,
  ];
  if (r.firstBad)
    lines.push(
      `  First affected seal: ${r.firstBad.sealId} (${r.firstBad.kind}${r.firstBad.runId !== null ? `, sync run ${r.firstBad.runId}` : ''}, opened ${new Date(r.firstBad.openedAt).toISOString()})`,
    );
  for (const p of r.problems.slice(0, 20)) lines.push(`  - [${p.kind}] ${p.detail}${p.key ? ` ${JSON.stringify(p.key)}` : ''}`);
  if (r.problems.length > 20) lines.push(`  … and ${formatCount(r.problems.length - 20)} more (--json for all)`);
  if (r.files) lines.push(...renderFilesCheck(r.files));
  return `${lines.join('\n')}\n`;
}

function renderFilesCheck(f: NonNullable<VerifyReport['files']>): string[] {
  const how = f.rehashed ? `re-hashed (${formatBytes(f.bytesHashed)})` : 'present with their recorded size (--files re-hashes them)';
  const bad = f.missing + f.changed + f.added;
  const lines = [
    bad === 0
      ? `Files OK: ${formatCount(f.filesChecked)} stored file(s) of ${formatCount(f.attachments)} attachment(s) ${how}.`
      : `FILES ALTERED: ${formatCount(f.missing)} missing, ${formatCount(f.changed)} changed${f.rehashed ? `, ${formatCount(f.added)} added` : ''}, of ${formatCount(f.filesChecked)} stored file(s) ${how}.`,
  ];
  for (const finding of f.findings.slice(0, 20)) lines.push(`  - [${finding.code}] ${finding.detail}`);
  if (bad > 20) lines.push(`  … and ${formatCount(bad - 20)} more (--json for all)`);
  return lines;
}
