import type Database from 'better-sqlite3-multiple-ciphers';
import type { AuditAttachments, AuditFile } from '../../../shared/audit';
import type { HoldMention } from '../../../shared/holds';
import { isWarningCode, parseArchivedRunErrors, warnings as warningVocabulary } from '../../../shared/warnings';
import { csvText } from './sinks';
import { csvNames } from './rowFormat';
import { asOfDatasets } from './asOfDatasets';
import { datasets, type Dataset } from './datasets';

/**
 * The data dictionary: one line per column of every CSV file of the datasets a bundle writes
 * (generated from datasets.ts; some are written only by some bundles: the as-of ones, review coding),
 * and the RSMF manifest fields this archive fills when the bundle has rsmf/.
 */
export function dataDictionary(written: readonly Dataset[] = datasets, rsmf = true): string {
  const lines = ['\uFEFFfile,column,type,meaning'];
  for (const dataset of written) {
    for (const column of dataset.columns) {
      if (column.type === 'json') {
        lines.push([`${dataset.name}.jsonl`, column.name, 'json', column.meaning].map(csvText).join(','));
        continue;
      }
      const names = csvNames([column]);
      for (const name of names) {
        const type =
          column.type === 'time'
            ? name.endsWith('_utc_ms')
              ? 'integer (UTC epoch milliseconds)'
              : 'text (ISO 8601 with offset)'
            : column.type === 'display'
              ? 'text (derived, CSV only)'
              : column.type;
        // Every field quoted as needed: a type can hold a comma too ("text (derived, CSV only)").
        lines.push([`${dataset.name}.csv`, name, type, column.meaning].map(csvText).join(','));
      }
    }
  }
  if (rsmf) for (const [field, type, meaning] of rsmfFields) lines.push(['rsmf_manifest.json', field, type, meaning].map(csvText).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** The fields of rsmf/*.rsmf (inside each file's rsmf.zip) this archive fills, beyond RSMF 2.0's own meanings. */
const rsmfFields: readonly (readonly [string, string, string])[] = [
  ['participants[].id', 'text', 'the Cliq user id (email:<address> for a member known only by e-mail; name:<name> for a sender without an id)'],
  ['participants[].account_id', 'text', 'the Cliq user id'],
  ['conversations[].id', 'text', 'the Cliq conversation id (chat_id)'],
  ['events[].id', 'text', 'a message: its Cliq message id (<thread chat id>:<message id> if two ever collide); a join or leave: join-<n> or leave-<n> (the membership interval)'],
  ['events[].parent', 'text', 'a thread reply: the event id of the message that started the thread, when it is in the same file'],
  ['events[].edits', 'json', 'every earlier version the archive kept, oldest first: previous and new text (when Cliq made the edit is not known)'],
  ['events[].deleted', 'bool', 'true: deleted on Cliq after the archive stored it (the text is the one archived)'],
  ['events[].custom "Cliq message id"', 'text', 'the message id in Cliq (messages.csv message_id)'],
  ['events[].custom "Row hash"', 'text', 'the row_hash of the archived row (messages.csv or membership history), to check against the sealed archive'],
  ['events[].custom "Edits noticed"', 'text', 'when the archive saw each earlier version replaced'],
  ['events[].custom "Deletion noticed"', 'text', 'when the archive noticed the deletion'],
  ['events[].custom "Membership source"', 'text', "a join or leave: Cliq's info message (its time is the event's), or noticed by a sync (at or before the event's time)"],
  ['events[].custom "Attachments not in this production"', 'text', 'files shared with the message whose bytes the archive does not hold, with why'],
  ['events[].custom "Review tags"', 'text', 'the review-set tags of the message, when produced from a review set'],
];

/** Things an auditor must know are incomplete; each becomes a line of warnings.txt. */
export function knownGaps(db: Database.Database, scoped: boolean): string[] {
  const warnings: string[] = [];
  const inScope = scoped ? 'JOIN temp.scope_chats s ON s.chat_id = v.chat_id' : '';
  const incomplete = db
    .prepare<[], { chat_id: string; title: string | null; sync_status: string | null; error_code: string | null }>(
      `SELECT v.chat_id, v.title, v.sync_status, v.error_code FROM chat_coverage v ${inScope}
        WHERE v.gone_at IS NULL AND (v.sync_status IS NULL OR v.sync_status <> 'complete') ORDER BY v.chat_id`,
    )
    .all();
  for (const c of incomplete) {
    warnings.push(
      `Conversation ${c.chat_id} (${c.title ?? 'untitled'}) is not completely archived (${c.sync_status ?? 'never synced'}${c.error_code ? `: ${c.error_code}` : ''}); messages may be missing.`,
    );
  }
  const mismatched = db
    .prepare<[], { chat_id: string; title: string | null; server_message_count: number; archived_count: number }>(
      `SELECT v.chat_id, v.title, v.server_message_count, v.archived_count FROM chat_coverage v ${inScope}
        WHERE v.gone_at IS NULL AND v.server_message_count IS NOT NULL AND v.server_message_count <> v.archived_count ORDER BY v.chat_id`,
    )
    .all();
  for (const c of mismatched) {
    warnings.push(`Conversation ${c.chat_id} (${c.title ?? 'untitled'}): Cliq reported ${c.server_message_count} messages at the last sync; the archive holds ${c.archived_count}.`);
  }
  if (!scoped) {
    for (const ch of db.prepare<[], { channel_id: string; name: string | null }>('SELECT channel_id, name FROM channels WHERE chat_id IS NULL AND gone_at IS NULL ORDER BY channel_id').all()) {
      warnings.push(`Channel ${ch.channel_id} (${ch.name ?? 'unnamed'}) has no conversation id from Cliq: its messages could not be archived.`);
    }
  }
  // Gaps the last run of the archive reported for conversations in scope.
  const last = db.prepare<[], { id: number; errors_json: string }>("SELECT id, errors_json FROM sync_runs WHERE status <> 'running' ORDER BY id DESC LIMIT 1").get();
  if (last) {
    const scopeSet = scoped ? new Set(db.prepare('SELECT chat_id FROM temp.scope_chats').pluck().all() as string[]) : undefined;
    for (const e of parseArchivedRunErrors(last.errors_json)) {
      if (!isWarningCode(e.code) || !warningVocabulary[e.code].evidenceGap) continue;
      if (scopeSet && e.chatId !== undefined && !scopeSet.has(e.chatId)) continue;
      warnings.push(`Sync run ${last.id} reported: ${e.message}`);
    }
  } else {
    warnings.push('The archive has no completed sync run.');
  }
  return warnings;
}

export function readme(options: {
  files: AuditFile[];
  timeZone: string;
  ids: 'excel' | 'plain';
  createdAt: string;
  scopeRule: string;
  head: string | null;
  attachments: AuditAttachments;
  transcripts: boolean;
  /** Whether rsmf/ (the RSMF 2.0 production) was written; data/ and files/ may then be absent. */
  rsmf: boolean;
  /** The legal holds whose scope touches this bundle's. */
  holds: readonly HoldMention[];
  /** README's CHAIN OF CUSTODY and CHECKING THE SIGNATURE sections (custody.ts). */
  custody: string;
}): string {
  const a = options.attachments;
  const hasData = options.files.some((f) => f.format !== 'rsmf');
  const described = [...datasets, ...asOfDatasets]
    .filter((d) => options.files.some((f) => f.dataset === d.name))
    .map((d) => `  ${d.name}: ${d.meaning}`)
    .join('\n');
  return `CLIQ VAULT AUDIT BUNDLE
Created ${options.createdAt}. Times are shown in ${options.timeZone}.

WHAT IS HERE
  manifest.json        who made this bundle, when, from which archive, the exact scope and
                       filters, every file with its row count and SHA-256, the sync runs behind
                       it, and what Cliq reported next to what the archive holds.
  SHA256SUMS           the SHA-256 of every other file, to check nothing changed.
  SHA256SUMS.sig       the Ed25519 signature of SHA256SUMS (so of every file it lists); not in
                       SHA256SUMS (see CHECKING THE SIGNATURE below).
  signing-key.pub.pem  the public key that checks the signature (SPKI PEM); not in SHA256SUMS.
  custody.txt          the chain of custody: who produced this bundle, where, when, with which
                       software, for which matter and why, the scope in words, the legal holds,
                       the archive's seal and the files' SHA-256 (see CHAIN OF CUSTODY below).
  custody-log.txt      (once someone records a hand-over) signed, chained hand-over entries;
                       it grows after production, so it is not in SHA256SUMS.
  warnings.txt         anything incomplete about this bundle. Read it first.
  data-dictionary.csv  every column of every data file, with its meaning.
  data/                ${
    hasData
      ? `the data, in CSV (for spreadsheets) and/or JSONL (the evidentiary copy:
                       one JSON object per line, with each record exactly as Cliq sent it).`
      : 'not written: this bundle is an RSMF production only (see RSMF below).'
  }
  files/               ${hasData ? 'the bytes of the attachments in scope (see ATTACHMENTS below).' : 'not written: the attachment files are inside the .rsmf files.'}
  transcripts/         ${options.transcripts ? 'the conversations to read: open transcripts/index.html (see TRANSCRIPTS below).' : 'not written for this bundle (transcripts were left out).'}
${options.rsmf ? '  rsmf/                one RSMF 2.0 file per conversation, for review platforms (see RSMF below).\n' : ''}
Scope: ${options.scopeRule}.

${holdsSection(options.holds)}

${
  hasData
    ? `${described}

Large files are split into parts of fewer than 1,000,000 rows (name-0001.csv, name-0002.csv, ...),
so each part opens in Excel and LibreOffice.`
    : ''
}

${
  hasData
    ? ''
    : `ATTACHMENTS
  The bytes of the attachments in scope are inside the .rsmf files (see RSMF below), each checked
  against its sealed SHA-256 while it was zipped. ${a.notInBundle} attachment(s) in scope are not
  carried; warnings.txt lists each, and why. Treat every file as untrusted content.

`
}${hasData ? attachmentsSection(a) : ''}${
    options.transcripts
      ? `TRANSCRIPTS
  transcripts/index.html lists one HTML file per conversation in scope, to read in any browser,
  offline: no script, nothing loaded from the network. Each shows the title, kind, the members
  and when they were members, then the messages in scope day by day with times in ${options.timeZone},
  names instead of Cliq's mention codes, attachments linked to files/, edits (earlier versions
  under "Edited"), deletions (with when the archive noticed them), joins and leaves, and links
  between a thread and the message it started from. Each message shows its Cliq message id and
  the start of its row_hash (the whole hash is in the file): the same row_hash as data/messages.*,
  so a passage read here can be found in the data and checked against the sealed archive. The
  data files are the evidence; the transcripts are a readable rendering of them.

`
      : ''
  }${options.rsmf ? rsmfSection : ''}${hasData ? csvSection(options.ids) : ''}${options.custody}

CHECKING THE BUNDLE
  Linux:   sha256sum -c SHA256SUMS
  macOS:   shasum -a 256 -c SHA256SUMS
  Windows: Get-FileHash -Algorithm SHA256 <file>, and compare with SHA256SUMS.
  Cliq Vault: cliq-vault verify --bundle <this folder>  (also checks row counts and the manifest).
  Re-running the same export on the same archive gives byte-identical data files.

WHAT THIS PROVES, AND WHAT IT DOES NOT
  The SHA-256 sums show that the files are the ones Cliq Vault wrote. Each data row carries
  row_hash, the hash of the archived row it came from, and manifest.json names the archive's seal
  at export time (${options.head ?? 'no seal yet'}). Each sync run seals what it stored
  in a hash chain; \`cliq-vault verify --archive\` recomputes it and reports any archived row
  changed, added or removed outside Cliq Vault. This is tamper-evident, not write-once storage:
  someone who can rewrite the archive can also rewrite its hashes; keeping this manifest (which
  records the seal) is what exposes that.
  The archive holds what Cliq's export APIs returned at each sync. Messages deleted on Cliq before
  the first sync that could see them were never archived; see warnings.txt and the coverage file.
`;
}

/** README's OPENING THE CSV FILES SAFELY (bundles with data files). */
function csvSection(ids: 'excel' | 'plain'): string {
  return `OPENING THE CSV FILES SAFELY
  The files are UTF-8 (with a byte order mark), comma-separated, with CRLF line ends (RFC 4180).
  - Excel: double-click, or Data > From Text/CSV (File origin: UTF-8, Delimiter: Comma).
  - LibreOffice Calc: open the file; in the Text Import dialog choose Unicode (UTF-8), Comma,
    and tick "Evaluate formulas" so that ids show as digits (see below).
  Ids: Cliq ids have up to 19 digits; a spreadsheet keeps only 15 significant digits of a number.
${
  ids === 'excel'
    ? `  So every all-digit id is written as ="1901318000001615007": spreadsheets show the digits
  as text. (In LibreOffice without "Evaluate formulas" the cell shows the ="…" wrapper; the digits
  inside are the id.) The JSONL files carry the bare ids.`
    : `  Ids are written as plain digits: import those columns as Text, or use the JSONL files.`
}
  Formulas: a text cell that would start with = + - @ or a tab or line break is written with a
  leading apostrophe ('), so no cell can run as a formula. The JSONL files have the exact text.
  Times: each time is given twice: as ISO 8601 with the time-zone offset, and as UTC epoch
  milliseconds (the _utc_ms column), which is exact and sorts correctly.

`;
}

/** README's ATTACHMENTS when the bundle has data files: the attachments dataset and files/. */
function attachmentsSection(a: AuditAttachments): string {
  return `ATTACHMENTS
  data/attachments.* has one line per file shared in the messages in scope: its name, declared
  size and type, the SHA-256 of the bytes the archive stored (sealed, like every archived row),
  and its status: stored, or why not (forbidden, not_found, too_large, skipped, failed, pending).
  ${
    a.included
      ? `This bundle carries ${a.files} file(s), ${a.bytes} bytes, under files/, each named by its
  SHA-256 (files/<sha256>.<ext>; the extension, when the original name had a plain one, only
  helps your system open it; the original name is in the data). Identical files are here once:
  several lines may name the same bundle_path. Each was checked against its sealed SHA-256 while
  it was copied, and is listed in SHA256SUMS and manifest.json (attachmentFiles).`
      : `The files were left out of this bundle (--no-files): bundle_path is empty on every line.`
  }
  ${a.notInBundle} attachment(s) in scope are not in this bundle; warnings.txt lists each, and why.
  The files are what people shared: treat each as untrusted content, as you would an e-mail
  attachment. Their original names are data only, never used as paths here.

`;
}

/** README's RSMF section: what rsmf/ holds and how to load it. */
const rsmfSection = `RSMF (RELATIVITY SHORT MESSAGE FORMAT 2.0)
  rsmf/ holds one .rsmf file per conversation in scope, named by its Cliq conversation id (as the
  transcripts are); a thread whose channel is in scope is inside the channel's file. Each is an
  RFC 5322 message: X-RSMF-* headers (version 2.0.0, begin and end dates, event count,
  participants), a plain-text summary, and the attachment rsmf.zip holding rsmf_manifest.json and
  the attachment files, each named by its SHA-256 (the name Cliq gave is the attachment's display).
  Events: the messages in scope (thread replies with "parent" = the message that started the
  thread; "edits" with every earlier version the archive kept; "deleted" for messages deleted on
  Cliq after they were archived; reactions standing when last seen), and the joins and leaves of
  the conversation's members within the scope's dates. Custom fields carry each message's Cliq
  message id and its row_hash (the same as data/messages.* and the sealed archive), when the
  archive noticed edits and deletions, attachments whose bytes the archive does not hold, and
  review tags when produced from a review set.
  To load: stage the rsmf/ folder and run it through Relativity Processing (or another platform
  that reads RSMF 2.0); each .rsmf is one document. Any mail reader opens it too: the summary is
  the body and rsmf.zip the attachment. The files are listed in SHA256SUMS and manifest.json
  (files, format "rsmf", rows = events), so the signature covers them.

`;

/** README's LEGAL HOLDS: every hold that touched the scope, active or released, with who placed it, when and why. */
function holdsSection(holds: readonly HoldMention[]): string {
  if (holds.length === 0) return 'LEGAL HOLDS\n  No legal hold, active or released, touches this scope.';
  const lines = holds.map((h) => {
    const by = `${h.placedBy.osUser}@${h.placedBy.host}${h.placedBy.profile !== null ? ` (profile ${h.placedBy.profile})` : ''}`;
    const state = h.status === 'active' ? 'ACTIVE' : `released ${h.releasedAt ?? ''} (${h.releaseReason ?? ''})`;
    return `  - "${h.name}": ${state}; placed ${h.placedAt} by ${by}; reason: ${h.reason ?? '(none given)'}; holds ${h.messagesInScope} message(s) of this scope.`;
  });
  return `LEGAL HOLDS\n  These legal holds touch this scope (manifest.json legalHolds; data/holds.*). Data under an active\n  hold must be preserved.\n${lines.join('\n')}`;
}
