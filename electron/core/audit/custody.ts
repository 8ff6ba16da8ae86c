import type Database from 'better-sqlite3-multiple-ciphers';
import { arch, release } from 'node:os';
import type { AuditScope, AuditCustody } from '../../../shared/audit';
import type { HoldMention } from '../../../shared/holds';
import { tagFilterWords } from '../reviewSets/setScope';
import { formatInZone } from '../util/timeZone';
import { toolName, toolVersion } from '../version';
import { custodyLogFile } from './custodyLog';
import { publicKeyFile, signatureFile, type BundleSigner } from './signing';

/** The conversations named in custody.txt; beyond this, data/chats.* lists them all. */
const titlesShown = 200;

/** What custody.txt and README's CHAIN OF CUSTODY say: the facts of the production. */
export interface CustodyFacts {
  createdAtMs: number;
  timeZone: string;
  user: { user: string; host: string };
  scope: AuditScope;
  scopeRule: string;
  counts: { conversations: number; messages: number; users: number };
  conversations: { chatId: string; title: string | null; kind: string }[];
  custody: AuditCustody;
  holds: readonly HoldMention[];
  head: { sealId: number; hash: string; closedAt: string } | null;
  signer: BundleSigner;
}

/** The conversations in scope, by title (read inside the export's read transaction). */
export function conversationsInScope(db: Database.Database, scoped: boolean): { chatId: string; title: string | null; kind: string }[] {
  return db
    .prepare<[], { chatId: string; title: string | null; kind: string }>(
      `SELECT c.chat_id AS chatId, c.title, c.kind FROM chats c ${scoped ? 'JOIN temp.scope_chats s ON s.chat_id = c.chat_id' : ''}
        ORDER BY c.title COLLATE NOCASE, c.chat_id LIMIT ${titlesShown + 1}`,
    )
    .all();
}

/** The filters of a scope, in words, one per line (an auditor reads these, not the JSON). */
export function describeFilters(scope: AuditScope): string[] {
  const lines: string[] = [];
  // A production from a review set selects by the set alone (the rule names it): its tag filter is the filter.
  if (scope.reviewSet !== undefined) return [`Review set ${scope.reviewSet.id}: its items ${tagFilterWords(scope.reviewSet)}`];
  const list = (values: readonly string[] | undefined) => (values ?? []).join(', ');
  if (scope.conversations?.length) lines.push(`Conversations named (ids): ${list(scope.conversations)}`);
  if (scope.kinds?.length) lines.push(`Conversation kinds: ${list(scope.kinds)}`);
  if (scope.participants?.length) lines.push(`Conversations these people were ever members of: ${list(scope.participants)}`);
  if (scope.senders?.length) lines.push(`Messages sent by: ${list(scope.senders)}`);
  for (const group of ['departments', 'designations', 'teams', 'roles'] as const) {
    const refs = scope[group];
    if (refs !== undefined && refs.length > 0) lines.push(`Sent while the sender was in these ${group}: ${refs.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join(', ')}`);
  }
  if (scope.from !== undefined || scope.to !== undefined) {
    lines.push(`Dates: from ${scope.from ?? 'the first message'} to ${scope.to ?? 'the last message'} (both days included), in the time zone ${scope.timeZone}`);
  } else lines.push('Dates: all');
  if (scope.query !== undefined)
    lines.push(`Search: ${JSON.stringify(scope.query)} (${scope.queryMode === 'advanced' ? 'FTS5 syntax' : 'every word'}${scope.includeVersions ? ', earlier versions too' : ''})`);
  if (scope.types?.length) lines.push(`Message types: ${list(scope.types)}`);
  if (scope.hasFile !== undefined) lines.push(scope.hasFile ? 'Only messages with a file' : 'Only messages without a file');
  if (scope.edited !== undefined) lines.push(scope.edited ? 'Only edited messages' : 'Only messages never edited');
  lines.push(`Messages deleted on Cliq: ${scope.deleted === 'include' ? 'included' : scope.deleted === 'exclude' ? 'left out' : 'only these'}`);
  if (scope.asOf !== undefined)
    lines.push(
      `As of: ${scope.asOf} (a day means its end, in the time zone ${scope.timeZone}): messages, titles and members as the archive saw them then; a change counts from the sync that noticed it (see messages_as_of)`,
    );
  return lines;
}

/** The key, in words: an ephemeral key proves integrity since production, never who produced it. */
export function signerWords(signer: Pick<BundleSigner, 'ephemeral' | 'fingerprint'>): string {
  return signer.ephemeral
    ? `an EPHEMERAL key made for this bundle only (fingerprint ${signer.fingerprint}): the signature shows the files are unchanged since the bundle was made, but proves NO producer identity`
    : `the key with fingerprint ${signer.fingerprint} (compare it with the fingerprint the producer published)`;
}

/** The body shared by custody.txt and README's CHAIN OF CUSTODY section. */
export function custodyFacts(f: CustodyFacts): string {
  const shown = f.conversations.slice(0, titlesShown);
  const more = f.counts.conversations - shown.length;
  const holds =
    f.holds.length === 0
      ? ['  None: no legal hold, active or released, touches this scope.']
      : f.holds.map(
          (h) =>
            `  - "${h.name}": ${h.status === 'active' ? 'ACTIVE' : `released ${h.releasedAt ?? ''}`}; placed ${h.placedAt} by ${h.placedBy.osUser}@${h.placedBy.host}; ${h.messagesInScope} message(s) of this scope`,
        );
  return [
    `Produced by:    ${f.user.user} on the machine ${f.user.host}`,
    `Software:       ${toolName} ${toolVersion} (${process.platform} ${release()} ${arch()}, Node.js ${process.versions.node})`,
    `When:           ${new Date(f.createdAtMs).toISOString()} (UTC); ${formatInZone(f.createdAtMs, f.timeZone)} (${f.timeZone}, the bundle's time zone)`,
    `Matter:         ${f.custody.matter ?? '(none given)'}`,
    `Reason:         ${f.custody.reason ?? '(none given)'}`,
    `Signed with:    ${signerWords(f.signer)}`,
    '',
    'SCOPE',
    `  ${f.scopeRule}.`,
    ...describeFilters(f.scope).map((l) => `  ${l}`),
    `  ${f.counts.conversations} conversation(s), ${f.counts.messages} message(s), ${f.counts.users} user(s):`,
    ...shown.map((c) => `  - ${quoted(c.title ?? 'untitled')} (${c.kind}, id ${quoted(c.chatId).slice(1, -1)})`),
    ...(more > 0 ? [`  … and ${more} more: data/chats.* lists every one.`] : []),
    '',
    'LEGAL HOLDS IN SCOPE',
    ...holds,
    '',
    'ARCHIVE SEAL',
    f.head ? `  Head seal ${f.head.sealId}, closed ${f.head.closedAt}: ${f.head.hash}` : '  The archive had no seal yet.',
  ].join('\n');
}

/** README.txt's CHAIN OF CUSTODY and CHECKING THE SIGNATURE sections. */
export function readmeCustodySections(f: CustodyFacts): string {
  return `CHAIN OF CUSTODY
${indent(custodyFacts(f))}

  custody.txt says the same, with the SHA-256 of manifest.json and of every data file.
  Hand-overs after production are appended to ${custodyLogFile} (\`cliq-vault custody --bundle <this folder> --to NAME\`):
  it grows, so it is not in SHA256SUMS; each entry is signed over the entry before it, and the first over
  the SHA-256 of SHA256SUMS, so \`cliq-vault verify --bundle\` detects an edited or removed entry.

CHECKING THE SIGNATURE
  SHA256SUMS is signed with Ed25519: ${signatureFile} is the raw signature, ${publicKeyFile} the public key.
  Its fingerprint (SHA-256 of the raw 32-byte key) is in manifest.json (signature.fingerprint).
  With OpenSSL 3.0 or later, in this folder:
    openssl pkeyutl -verify -pubin -inkey ${publicKeyFile} -rawin -in SHA256SUMS -sigfile ${signatureFile}
  It prints "Signature Verified Successfully". Then check every file against SHA256SUMS:
    sha256sum -c SHA256SUMS
  The fingerprint of the key (compare it with the one the producer published):
    openssl pkey -pubin -in ${publicKeyFile} -outform DER | tail -c 32 | sha256sum
  Cliq Vault does all of it: cliq-vault verify --bundle <this folder> [--signer FINGERPRINT]
  This bundle is signed with ${signerWords(f.signer)}.`;
}

/**
 * A title from Cliq, quoted so it stays on its line: JSON escapes line breaks and control
 * characters; bidi controls (which would reorder the line on screen) are shown as <U+202E>.
 */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : `  ${l}`))
    .join('\n');
}

/** custody.txt: the facts, then the hashes an auditor compares. Written after manifest.json. */
export function custodyFile(f: CustodyFacts, hashes: { path: string; sha256: string }[]): string {
  return `CLIQ VAULT AUDIT BUNDLE: CHAIN OF CUSTODY

${custodyFacts(f)}

FILE HASHES (SHA-256)
${hashes.map((h) => `  ${h.sha256}  ${h.path}`).join('\n')}
  SHA256SUMS lists these and every other file of the bundle (attachments, transcripts, this file).
  The SHA-256 of SHA256SUMS itself cannot be written in a file it lists: it is printed when the bundle
  is made, recorded in the archive's audit log, shown by \`cliq-vault verify --bundle\`, and is what the
  first hand-over in ${custodyLogFile} links to.

HAND-OVERS
  Recorded after production in ${custodyLogFile}, each signed and chained to the one before.
`;
}
