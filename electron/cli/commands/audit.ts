import { Command } from 'commander';
import { resolve } from 'node:path';
import { z } from 'zod';
import { auditFormats, type AuditAttachments, type AuditProgress, type AuditScopeInput } from '../../../shared/audit';
import { createAuditBundle } from '../../core/audit';
import { defineFlags } from '../flagTable';
import { archivePath, dateOrderCheck, groupFlagHelp, dateFlag, jsonSpec, switchFlag, timeZoneSpec, keyFileSpec } from '../flags';
import { messageFilterFlagTable, scopeFromFilterFlags } from '../messageFilterFlags';
import { withInterrupt } from '../interrupt';
import { formatBytes, formatCount, formatDuration, processIo, type Io } from '../output';
import { reviewed } from '../review';
import { cliSigner, custodyFromFlags, newSigningKeySpec, signingKeySpec } from '../signingKeyFlags';

const auditFlags = defineFlags(
  {
    archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
    keyFile: keyFileSpec,
    out: { flag: '--out <dir>', description: 'the bundle folder to create', schema: z.string({ error: 'is required' }).min(1, 'is required'), required: true },
    ...messageFilterFlagTable,
    tz: timeZoneSpec('time zone of --from/--to and of the times in the CSV files'),
    asOf: {
      flag: '--as-of <date>',
      description:
        'the archive as it stood then (a day means its end, in --tz): only messages sent by then and not noticed deleted by then, plus titles, members and texts as of then (conversations_as_of, members_as_of, messages_as_of)',
      schema: dateFlag.optional(),
    },
    format: {
      flag: '--format <format>',
      description: 'csv, jsonl or rsmf (RSMF 2.0: one .rsmf per conversation, for review platforms; alone, no data files) (repeatable; default csv and jsonl)',
      schema: z.array(z.enum(auditFormats, { error: `must be one of ${auditFormats.join(', ')}` })),
      repeatable: true,
    },
    ids: {
      flag: '--ids <how>',
      description: 'excel (all-digit ids as ="…" so spreadsheets keep every digit) or plain',
      schema: z.enum(['excel', 'plain'], { error: 'must be excel or plain' }),
      default: 'excel',
    },
    files: { flag: '--no-files', description: 'leave the attachment files out (the attachments dataset is kept)', schema: z.boolean().default(true) },
    transcripts: { flag: '--no-transcripts', description: 'leave out transcripts/ (the readable HTML copy of each conversation)', schema: z.boolean().default(true) },
    signingKey: signingKeySpec,
    newSigningKey: newSigningKeySpec,
    matter: { flag: '--matter <name>', description: 'the matter this bundle is produced for (chain of custody)', schema: z.string().optional() },
    reason: { flag: '--reason <text>', description: 'why it is produced (chain of custody)', schema: z.string().optional() },
    verifyArchive: { flag: '--verify-archive', description: 'recompute every seal of the archive first and record the result', schema: switchFlag },
    json: jsonSpec('print a JSON summary'),
  },
  { check: dateOrderCheck },
);

export function auditCommand(io: Io = processIo): Command {
  return auditFlags
    .register(
      new Command('audit')
        .summary('write an audit bundle an auditor can open, trust and verify')
        .description(
          'Writes a folder with the chats, channels, threads, membership history, users, messages, earlier ' +
            'versions, tombstones and attachments in scope, as Excel-safe CSV and byte-faithful JSONL, the ' +
            'attachment files (under files/, named by SHA-256 and checked against it), a readable HTML transcript ' +
            'of each conversation (transcripts/index.html; offline, no script), with manifest.json, ' +
            'SHA256SUMS, README.txt, a data dictionary, warnings.txt and custody.txt (the chain of custody). ' +
            'SHA256SUMS is signed with Ed25519 (SHA256SUMS.sig, signing-key.pub.pem): with --signing-key or ' +
            'CLIQ_VAULT_SIGNING_KEY_FILE the key is yours; without, a key is made for this bundle only and the ' +
            'bundle says it proves no producer identity. Without filters: the whole archive. ' +
            'The folder must not exist; it appears only when complete. The export is recorded in the archive.',
        )
        .addHelpText('after', groupFlagHelp),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = auditFlags.parse(raw, 'audit');
      const scope = {
        ...scopeFromFilterFlags(flags),
        ...(flags.format.length > 0 ? { formats: [...new Set(flags.format)] } : {}),
        ids: flags.ids,
        verifyArchive: flags.verifyArchive,
        files: flags.files,
        transcripts: flags.transcripts,
        ...(flags.asOf !== undefined ? { asOf: flags.asOf } : {}),
      } satisfies AuditScopeInput;
      // Read before the export starts: a key file refused stops it before anything is written.
      const signer = cliSigner(flags.signingKey, flags.newSigningKey, io.env);
      const custody = custodyFromFlags(flags);
      // audit_log keeps the bundle's files and hash (core/audit); the review log keeps the look.
      const result = await reviewed(
        io,
        flags.archive,
        'bundle',
        { ...scope, out: resolve(flags.out) },
        () =>
          withInterrupt((signal) =>
            createAuditBundle({
              archivePath: flags.archive,
              outDir: flags.out,
              signal,
              scope,
              signer,
              custody,
              ...(io.interactive && !flags.json ? { onProgress: (p: AuditProgress) => io.err(`\r\x1b[2K  ${describeProgress(p)}`) } : {}),
            }),
          ),
        (done) => ({ results: done.files.reduce((n, f) => n + f.rows, 0) }),
      );
      if (io.interactive && !flags.json) io.err('\r\x1b[2K');
      if (flags.json) {
        io.out(`${JSON.stringify(result)}\n`);
        return;
      }
      const rows = (dataset: string) =>
        result.files.filter((f) => f.dataset === dataset && (f.format === 'csv' || !result.files.some((g) => g.dataset === dataset && g.format === 'csv'))).reduce((n, f) => n + f.rows, 0);
      const bytes = result.files.reduce((n, f) => n + f.bytes, 0);
      const productions = result.files.filter((f) => f.format === 'rsmf');
      const dataFiles = productions.length < result.files.length;
      io.out(
        [
          `Audit bundle written in ${formatDuration(result.durationMs)}: ${result.bundlePath}`,
          dataFiles
            ? `  ${formatCount(rows('messages'))} messages, ${formatCount(rows('chats'))} conversations, ${formatCount(rows('memberships'))} membership intervals, ${formatCount(rows('users'))} users (${result.files.length} files, ${formatBytes(bytes)})`
            : '  An RSMF production: no data files (--format csv or jsonl adds them).',
          ...(productions.length > 0
            ? [
                `  ${formatCount(productions.length)} RSMF 2.0 files in rsmf/ (${formatCount(productions.reduce((n, f) => n + f.rows, 0))} events, ${formatBytes(productions.reduce((n, f) => n + f.bytes, 0))}), attachments inside them`,
              ]
            : []),
          ...(dataFiles ? [attachmentLine(result.attachments)] : []),
          result.transcripts
            ? `  ${formatCount(result.transcripts.conversations)} readable transcripts (${formatBytes(result.transcripts.bytes)}): open transcripts/index.html in a browser`
            : '  Transcripts were left out (--no-transcripts).',
          `  Bundle SHA-256 (of SHA256SUMS): ${result.bundleHash}`,
          result.signature.ephemeral
            ? `  Signed with an ephemeral key (${result.signature.fingerprint}): proves the files are unchanged since now, not who made them (--signing-key for yours).`
            : `  Signed by ${result.signature.fingerprint}`,
          result.warnings.length > 0 ? `  ${result.warnings.length} warning(s): read warnings.txt in the bundle.` : '  No known gaps.',
          `  Check it any time: cliq-vault verify --bundle "${result.bundlePath}"`,
          '',
        ].join('\n'),
      );
    });
}

function describeProgress(p: AuditProgress): string {
  if (p.dataset === 'transcripts') return `transcripts: ${formatCount(p.rows)} of ${formatCount(p.total ?? p.rows)} conversations`;
  if (p.dataset === 'rsmf') return `rsmf: ${formatCount(p.rows)} of ${formatCount(p.total ?? p.rows)} conversations`;
  if (p.dataset === 'files') return `files: ${formatCount(p.rows)} of ${formatCount(p.total ?? p.rows)} copied (${formatBytes(p.bytes ?? 0)})`;
  return `${p.dataset}: ${formatCount(p.rows)} rows`;
}

function attachmentLine(a: AuditAttachments | undefined): string {
  if (a === undefined) return '  No attachments in scope.';
  const missing = a.notInBundle > 0 ? `; ${formatCount(a.notInBundle)} not in the bundle (see warnings.txt)` : '';
  if (!a.included) return `  ${formatCount(a.inScope)} attachments listed; their files were left out (--no-files)${missing}`;
  return `  ${formatCount(a.inScope)} attachments: ${formatCount(a.files)} ${a.files === 1 ? 'file' : 'files'} (${formatBytes(a.bytes)}) in files/${missing}`;
}
