/** What the archive holds, as the CLI, the IPC and HTTP contract and the renderer show it. */
import type { ReactionView } from './evidence';
import type { MentionNames } from './markup';
import type { ConversationKind } from './search';
import type { RunSummary } from './sync';

/** A message as the transcript view shows it. */
export interface TranscriptMessage {
  key: number;
  chatId: string;
  messageId: string;
  time: number;
  senderId: string | null;
  senderName: string | null;
  type: string;
  subtype: string | null;
  text: string | null;
  fileName: string | null;
  fileMime: string | null;
  fileSize: number | null;
  extraText: string | null;
  /** When the archive noticed the message gone from Cliq; null while it is there. */
  deletedAt: number | null;
  /** 1 for a message never edited; n means n-1 earlier versions are kept. */
  version: number;
  /** A file message's attachment as the archive holds it; absent for other messages (and archives without the table). */
  attachment?: MessageAttachment;
  /** Its reactions, current and removed, oldest first; absent when it has none (and in archives without the table). */
  reactions?: ReactionView[];
  /** The thread this message heads (its replies are a conversation of their own); absent for most messages. */
  thread?: { chatId: string; title: string | null };
}

/** Where fetching an attachment stands (the attachments table, migration 0060). */
export type AttachmentStatus = 'pending' | 'stored' | 'forbidden' | 'not_found' | 'too_large' | 'skipped' | 'failed';

/** A file message's file: what Cliq declared and whether the archive holds its bytes. */
export interface MessageAttachment {
  fileId: string;
  /** The name Cliq gave: data (show it as text), never a path. */
  fileName: string | null;
  /** Bytes stored, or the size Cliq declared while they are not. */
  size: number | null;
  status: AttachmentStatus;
  /** Why it is not stored, as recorded (e.g. the HTTP status); null when stored. */
  reason: string | null;
  sha256: string | null;
  /** The stored bytes are a PNG, JPEG, GIF or WebP image (by their magic bytes) small enough to preview. */
  image: boolean;
  /** Why "Open" is refused for this file (it could run code), in words; null when it may be opened. */
  openRefusal: string | null;
}

/** One row of a conversation's Attachments list. */
export interface AttachmentRow extends MessageAttachment {
  chatId: string;
  messageId: string;
  messageKey: number;
  time: number;
  senderId: string | null;
  senderName: string | null;
}

/**
 * Files referenced by messages against those the archive holds: `unavailable` counts refusals and
 * failures (forbidden, not found, too large, failed); `skipped` those left out by policy.
 */
export interface FileCoverage {
  referenced: number;
  stored: number;
  unavailable: number;
  skipped: number;
  pending: number;
  /** Unavailable files by status (e.g. { forbidden: 2, not_found: 1 }). */
  unavailableBy: Partial<Record<AttachmentStatus, number>>;
}

export interface TranscriptPage {
  chat: {
    chatId: string;
    title: string | null;
    kind: ConversationKind;
    goneAt: number | null;
    /**
     * For a thread: the conversation it was started in and the message that started it (`messageKey`
     * null when that message is not archived, e.g. deleted before the first sync).
     */
    thread?: { parentChatId: string; parentTitle: string | null; messageKey: number | null };
  };
  messages: TranscriptMessage[];
  /** Whether older (before the first) or newer (after the last) messages exist. */
  hasOlder: boolean;
  hasNewer: boolean;
  /** Names of the people, channels and teams the page's texts mention (shared/markup), to render them; absent: none resolved. */
  names?: MentionNames;
}

export interface ArchiveStats {
  schemaVersion: number;
  archiveId: string | null;
  orgId: string | null;
  apiBase: string | null;
  messagesMode: string | null;
  conversations: Record<string, { live: number; gone: number }>;
  channels: { live: number; gone: number; unmapped: number };
  threads: { live: number; gone: number };
  users: { live: number; gone: number };
  /**
   * Membership intervals: current and ended; of them, those opened by a conversation's first
   * listing (members when first archived) and the boundaries dated by Cliq's info messages.
   */
  memberships: { open: number; closed: number; firstArchived: number; fromInfoMessages: number };
  messages: { live: number; deleted: number; versions: number; edited: number };
  coverage: { conversations: number; complete: number; failed: number; pending: number; countMismatches: number };
  /** Attachments of the whole archive (absent when read from an archive without the table). */
  files?: FileCoverage & { bytesStored: number };
  /** The org directory (absent when read from an archive without it, before migration 0063). */
  directory?: DirectoryTotals;
  /** Calls, scheduled messages and the org's call notices (absent before migration 0065). */
  account?: AccountEvidenceStats;
  /** Reactions, pins, channel roles and permissions (absent when read from an archive without them). */
  extras?: ExtrasCoverage;
  lastRuns: RunSummary[];
}

/** What the archive holds of the org directory: groups of each kind, and the membership intervals. */
export interface DirectoryTotals {
  departments: { live: number; gone: number };
  designations: { live: number; gone: number };
  roles: { live: number; gone: number };
  teams: { live: number; gone: number };
  /** Intervals (person in a group), current and ended; of them, those opened by a group's first listing. */
  intervals: { open: number; closed: number; firstArchived: number };
  /** People holding an admin role (Admin, Cliq Admin, custom admin) now, and intervals of one that ended. */
  admins: { current: number; ended: number };
}

/** The connected account's calls and scheduled messages (with their fates), and the org's call notices. */
export interface AccountEvidenceStats {
  calls: { live: number; gone: number; participants: number };
  /** Call notices among the archived messages (the org's calls, whoever placed them). */
  callNotices: number;
  scheduled: { pending: number; sent: number; presumedSent: number; deleted: number; gone: number };
  /** Optional sources whose last run lacked the scope: dataset → the scope that would add it. */
  notGranted: Record<string, string>;
}

/**
 * Reactions of one conversation: messages checked, messages due (never checked, or changed since,
 * in a conversation REST answered for) and messages unreadable (REST refused the conversation).
 */
export interface ReactionCoverage {
  checked: number;
  due: number;
  unreadable: number;
  /** When REST last answered or refused for the conversation; null: never asked (the admin cannot read it, or no sync with the reactions scope reached it). */
  askedAt: number | null;
}

/** Whole-archive totals of reactions, sticky messages, channel member roles and permissions. */
export interface ExtrasCoverage {
  reactionsCurrent: number;
  reactionsRemoved: number;
  messagesChecked: number;
  /** Messages due a reactions check in conversations REST answered for. */
  messagesDue: number;
  /** Conversations whose reactions REST refused (403): unreadable to the admin. */
  conversationsRefused: number;
  pinsCurrent: number;
  pinsEnded: number;
  rolesCurrent: number;
  rolesEnded: number;
  channelsWithPermissions: number;
}

export interface ConversationCoverage {
  chatId: string;
  kind: string;
  title: string | null;
  serverMessageCount: number | null;
  archivedCount: number;
  deletedCount: number;
  syncStatus: string | null;
  /** When its messages were last archived completely (epoch ms). */
  lastCompleteAt: number | null;
  errorCode: string | null;
  goneAt: number | null;
  /** Its attachments; absent when none are referenced. */
  files?: FileCoverage;
  /** Its reactions checks; absent when REST was never asked for them. */
  reactions?: ReactionCoverage;
}

export type ProblemKind =
  /** A row's columns no longer give its recorded hash: edited outside Cliq Vault. */
  | 'row_changed'
  /** A seal's rows sum to something else than it recorded: rows added, removed or re-attributed. */
  | 'rows_added_or_removed'
  /** A row names a seal that does not exist (or none). */
  | 'unsealed_row'
  /** A closed seal's hash, or its link to the previous seal, does not check out. */
  | 'chain_broken'
  /** The archive's rows as a whole differ from what the last seal recorded. */
  | 'state_mismatch';

export interface Problem {
  kind: ProblemKind;
  table?: string;
  key?: Record<string, unknown>;
  sealId?: number | null;
  runId?: number | null;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  /** The newest closed seal's hash: quote it elsewhere (a bundle manifest does) to anchor the chain. */
  head: string | null;
  seals: number;
  openSeals: number[];
  rowsChecked: number;
  problems: Problem[];
  /** The earliest seal (and its sync run) any problem is attributed to. */
  firstBad: { sealId: number; runId: number | null; kind: string; openedAt: number } | null;
  /** The check of the file store against the stored attachments; null for an archive without them (before migration 0060). */
  files: FilesCheck | null;
}

export type FileFindingCode =
  /** A stored attachment's object is not in the file store. */
  | 'file_missing'
  /** The object's size is not the size recorded when it was stored (found without re-hashing). */
  | 'file_size_changed'
  /** The object's bytes no longer hash to the sealed SHA-256 (bit rot, tampering). */
  | 'file_changed'
  /** An object in the store that no attachment references (planted, or left by something else): reported, never deleted. */
  | 'file_added';

export interface FileFinding {
  code: FileFindingCode;
  sha256: string;
  /** The size the attachment rows recorded; null for an added object. */
  expectedBytes: number | null;
  /** What is on disk now; null when the object is missing. */
  actualBytes: number | null;
  /** How many stored attachment rows name this object (0 for an added one). */
  attachments: number;
  detail: string;
}

/** What `verify` found in the file store: every stored attachment's object (stat, or re-hashed with --files). */
export interface FilesCheck {
  /** Whether every object was re-hashed (`--files`), or only its size checked. */
  rehashed: boolean;
  /** Attachment rows with status 'stored'. */
  attachments: number;
  /** Distinct objects those rows name, each checked once. */
  filesChecked: number;
  /** Bytes read and hashed (0 without re-hashing). */
  bytesHashed: number;
  missing: number;
  /** Objects of the wrong size (without re-hashing) or whose bytes no longer hash to their name. */
  changed: number;
  /** Objects no row references (looked for only when re-hashing). */
  added: number;
  /** The first findings (at most 1,000; the counts above are exact). */
  findings: FileFinding[];
}

/** A recorded bundle zipped for download (`audit:zip`): deterministic, so its SHA-256 can be checked after the download. */
export interface BundleZip {
  sha256: string;
  sizeBytes: number;
  /** The download's file name: the bundle folder's name + .zip. */
  name: string;
  /** Where the zip was written on the machine that holds the archive: beside the bundle folder. */
  zipPath: string;
}

/** One closed seal of the archive's chain, for the seal history. */
export interface SealEntry {
  id: number;
  /** What closed it: a sync run, an audit export, a hold, a retention run… */
  kind: string;
  runId: number | null;
  closedAt: number;
  chainPos: number;
  hash: string;
}

/** One bundled row the archive no longer holds as it was: purged under a policy, changed later, or missing. */
export interface InclusionFinding {
  /** The archive table (messages, chats, users, channels, threads). */
  table: string;
  /** The row's key, e.g. { chat_id, message_id }: ids as strings. */
  key: Record<string, string>;
  /** In words: which retention run and policy purged it, or what changed it later. */
  detail: string;
}

/** `verify --bundle B --archive A`: whether a bundle's seal and rows belong to this archive's chain. */
export interface InclusionReport {
  /** The seal is linked and no bundled row is unaccounted for. */
  included: boolean;
  bundlePath: string;
  archiveId: string | null;
  bundleArchiveId: string | null;
  seal: { id: number | null; hash: string | null; linked: boolean; detail: string };
  rows: { matched: number; purged: number; changed: number; missing: number };
  /** Up to 100 of each kind, first met first. */
  purged: InclusionFinding[];
  changed: InclusionFinding[];
  missing: InclusionFinding[];
  /** Why it is not included, in words (empty when it is). */
  problems: string[];
}

export interface BundleReport {
  ok: boolean;
  bundlePath: string;
  filesChecked: number;
  /** The archive seal named in the manifest (compare with `verify --archive` of the archive). */
  integrityHead: string | null;
  /** SHA-256 of SHA256SUMS: the bundle's name in the archive's audit log and custody log. */
  bundleHash: string | null;
  /** The Ed25519 signature over SHA256SUMS (absent in bundles made before signing). */
  signature: BundleSignature;
  /** The signed hand-overs of custody-log.txt, oldest first (empty when none was recorded). */
  handOvers: HandOver[];
  problems: string[];
}

/** A conversation as it stood at an instant, as far as the archive saw it (`transcript --as-of`, the transcript's "As of"). */
export interface AsOfTranscript {
  asOf: number;
  /** The title it had then (the state the archive had seen by then, or the first it saw). */
  title: string | null;
  /** Members then: joined at or before the instant (or members when first archived), not yet left. */
  members: { name: string | null; email: string | null; userId: string | null }[];
  /**
   * Its messages sent by then and not yet noticed deleted, each with the text it had then; `seen_later`:
   * the archive first saw this text after the instant (what it said then is not known to it).
   */
  messages: (TranscriptMessage & { asOfNote: 'seen_later' | null })[];
  /** Whether older messages exist before these (the newest `limit` as of then). */
  hasOlder: boolean;
  /** When the archive first saw this conversation: before that, "as of" is what was seen later. */
  firstSeenAt: number | null;
}

/**
 * A bundle's signature: `valid` (SHA256SUMS, hence every file it lists, is what the key signed),
 * `invalid` (`problem` says which file changed) or `absent`. `fingerprint` is the SHA-256 of the
 * raw public key; an `ephemeral` key was made for this bundle only and proves no producer identity.
 */
export interface BundleSignature {
  status: 'valid' | 'invalid' | 'absent';
  fingerprint: string | null;
  ephemeral: boolean | null;
  problem: string | null;
}

/** One signed entry of a bundle's custody-log.txt. */
export interface HandOver {
  index: number;
  /** UTC ISO 8601. */
  at: string;
  from: string;
  to: string;
  note: string | null;
  fingerprint: string;
  ephemeral: boolean;
  /** Whether its signature and its link to the entry before it check out. */
  ok: boolean;
}
