import type { FileCoverage } from './archive';
import type { ErrorShape } from './errors';
import { directoryKinds } from './evidence';
import type { ConversationKind } from './search';
import type { OrgProfile } from './settings';
import type { RunSummary, SyncProgress, SyncReport } from './sync';
import type { AuditProgress, AuditResult } from './audit';

/** What the contract returns beyond the archive's own records (archive.ts, sync.ts, audit.ts). */

export interface AppInfo {
  version: string;
  /** Which shell the renderer runs in; the renderer's api module is the only one that cares. */
  shell: 'electron' | 'browser';
  platform: string;
  /** The settings file, for the Settings screen (and for the CLI's `--config`). */
  settingsPath: string;
  /** Where new archives go unless the user picks a place. */
  defaultArchiveDir: string;
  /**
   * How secrets are kept: `os` (Keychain, DPAPI, libsecret/kwallet), `weak` (Linux basic_text, on
   * the user's say-so), `memory` (serve and CLI: only for this process, from the environment or typed
   * in), `unavailable` (nothing safe, and the user has not agreed to weak storage).
   */
  secretStorage: 'os' | 'weak' | 'memory' | 'unavailable';
  /** The profile in use and whether its credentials are present. */
  activeProfile: OrgProfile | null;
  hasCredentials: boolean;
  /**
   * The archive the screens read: the active profile's, or the one `serve --archive` was given
   * (then browsing, search and audit work with no profile at all); null when neither.
   */
  archivePath: string | null;
  archiveExists: boolean;
  /**
   * The archive is read here, never synced: `serve --archive` opened it and no connected org syncs
   * into it (no profile, or the active one keeps another archive). Its run history is still shown.
   */
  archiveReadOnly: boolean;
  /** Every sync of the open archive was made against a Cliq simulator on this machine: the demo org's. */
  archiveFromSimulator: boolean;
  /** Whether the archive is encrypted, and whether a key here opens it. */
  archiveEncryption: ArchiveEncryption;
  /** Which key signs audit bundles here (never the key). */
  bundleSigning: BundleSigning;
}

/**
 * The key that signs this shell's audit bundles: `installation` (the desktop's key in the OS secret
 * store, made with the first bundle; serve's --signing-key file) with its fingerprint, or
 * `ephemeral` (a key made for each bundle: integrity since production, not who produced it).
 */
export interface BundleSigning {
  kind: 'installation' | 'ephemeral';
  /** Null for ephemeral keys, and for the desktop's key before its first bundle makes it. */
  fingerprint: string | null;
  /** Where the key is kept, or why there is none, in words. */
  origin: string;
}

/**
 * An archive's encryption as the screens show it (never a key).
 * - `state`: `none` (no archive yet, or not an archive), `plain`, `encrypted` (a key held here opens
 *   it), `locked` (encrypted, and no key held here opens it: the app asks for its passphrase).
 * - `store`: where this shell keeps keys: `os` (the desktop app: random keys in the OS secret store,
 *   optionally behind a passphrase), `memory` (`serve`: CLIQ_VAULT_KEY, a key file, or passphrases
 *   typed this session; a passphrase *is* the key there).
 */
export interface ArchiveEncryption {
  state: 'none' | 'plain' | 'encrypted' | 'locked';
  store: 'os' | 'memory';
  /** Keys held now (serve: 1 when started with a key; 0 while the desktop's kept keys are locked). */
  keysHeld: number;
  /** The desktop's kept keys are protected by a passphrase. */
  passphrase: boolean;
  /** The kept keys wait for that passphrase (asked once per start). */
  keyringLocked: boolean;
  /** The kept keys cannot be read (a locked OS keyring); nothing is written over them. */
  keyringUnreadable: boolean;
}

/** What encrypting or re-keying the archive from the app did. */
export interface CipherChange {
  action: 'encrypt' | 'rekey';
  archivePath: string;
  /** Rows copied and checked, in every table; seals verified in the copy before it took the archive's place. */
  rows: number;
  tables: number;
  seals: number;
  encryption: ArchiveEncryption;
}

/** The answer of the org-admin check: the maintenance export APIs answer only an org admin. */
export interface AdminCheck {
  ok: boolean;
  /** Conversations the first listing page returned (a sign of life, not a total). */
  sampleConversations?: number;
  error?: ErrorShape;
}

export interface ConnectResult {
  profile: OrgProfile;
  admin: AdminCheck;
}

/**
 * How a conversation's kind was learnt (chats.kind_source): read from Cliq's chats listing
 * (`chat_type`), from a bot chat's id, guessed from the participant count (M1 alone: two = direct),
 * or fixed by the listing that found it (channels, threads).
 */
export type KindSource = 'chat_type' | 'chat_id' | 'guessed' | 'listing';

/** One conversation in the Browse list: coverage plus membership. */
export interface ConversationRow {
  chatId: string;
  kind: ConversationKind;
  kindSource: KindSource;
  title: string | null;
  /** For a thread: the channel (chat id) it belongs to. */
  parentChatId: string | null;
  memberCount: number;
  serverMessageCount: number | null;
  archivedCount: number;
  deletedCount: number;
  syncStatus: string | null;
  lastCompleteAt: number | null;
  lastMessageAt: number | null;
  errorCode: string | null;
  goneAt: number | null;
  /** Its attachments (files referenced / stored / unavailable); absent when none are referenced. */
  files?: FileCoverage;
}

/** A membership period: joined (first seen) → left (noticed gone), per sync run. */
/**
 * Where a membership boundary comes from: Cliq's own info message (its time), the listing that
 * noticed the change (its time), or — for a join — the conversation's first listing, when the
 * member already belonged and when they joined is unknown.
 */
export type MembershipSource = 'info_message' | 'noticed' | 'first_archived';

export interface MembershipRow {
  memberKey: string;
  userId: string | null;
  name: string | null;
  email: string | null;
  /** When they joined: the info message's time, or the listing's for 'noticed'; null for 'first_archived'. */
  joinedAt: number | null;
  joinedSource: MembershipSource;
  /** When a listing first showed them in this interval. */
  firstSeenAt: number;
  lastSeenAt: number;
  /** When they left (null while a member): the info message's time, or the listing's. */
  leftAt: number | null;
  leftSource: Exclude<MembershipSource, 'first_archived'> | null;
  /** When a listing noticed them gone. */
  goneAt: number | null;
  /** A channel member's role in this interval (super_admin, admin, moderator, member, as Cliq gave it): the open one, else the last; null when none was listed. */
  role: string | null;
  /** Every role a listing showed them in within this interval, oldest first: each change is one more. */
  roles: MemberRole[];
}

/** One role of a channel member, from when a listing showed it until one showed another (or them gone). */
export interface MemberRole {
  role: string;
  firstSeenAt: number;
  goneAt: number | null;
}

/**
 * Whose metadata history: a conversation (its chat, channel and thread rows), a person, or a group
 * of the org directory (entity_history's kinds department, designation, role and team).
 */
export const historySubjects = ['conversation', 'user', ...directoryKinds] as const;
export type HistorySubject = (typeof historySubjects)[number];

/** One field that differs between two states of an entity, as Cliq gave them (text or JSON). */
export interface FieldChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** One change the archive saw: what differed from the state before, and when it was seen replaced. */
export interface MetadataChange {
  /** Which record changed: chat, channel, thread, user, department, designation, role or team. */
  kind: string;
  /** When the archive first saw the earlier state. */
  seenAt: number;
  /** When a sync saw it replaced by the later one. */
  changedAt: number;
  runId: number | null;
  changes: FieldChange[];
}

/** An entity's metadata history: renames, new descriptions, deactivations, gone and back again. */
export interface MetadataHistory {
  /** When the archive first saw it (the earliest of its records). */
  firstSeenAt: number | null;
  /** When a listing noticed it gone from Cliq (null while present). */
  goneAt: number | null;
  /** Newest first. */
  changes: MetadataChange[];
  /** Archive events about it (gone, seen again, organisation checks), newest first. */
  events: { at: number; kind: string; detail: string }[];
}

export interface Person {
  userId: string;
  name: string | null;
  email: string | null;
  messages: number;
}

export interface MessageVersion {
  version: number;
  text: string | null;
  seenAt: number;
  supersededAt: number;
}

export interface Insights {
  /** Messages per calendar day (in the settings' time zone), oldest first. */
  perDay: { day: string; messages: number }[];
  topSenders: { senderId: string | null; name: string | null; messages: number }[];
  /** [weekday 0=Monday..6][hour 0..23] message counts. */
  heatmap: number[][];
  /** Conversations by how recently they were archived completely. */
  freshness: { label: string; conversations: number }[];
  totalMessages: number;
}

export interface SyncPlan {
  /** Conversations the archive knows; a first sync learns them from the listing. */
  knownConversations: number;
  firstSync: boolean;
  /** Calls a sync is expected to make (listings, members, one or more per changed conversation). */
  estimatedCalls: number;
  /** What the rate budget allows for that many calls. */
  estimatedMs: number;
  /**
   * Files the sync will try to download (new, and refused earlier with their wait over); null when
   * files are not fetched (settings) or the archive has none registered yet (a first sync counts
   * them as conversations arrive).
   */
  filesDue: number | null;
  /** The tightest family's budget, in plain words ("messages: 30 requests a minute"). */
  budget: string[];
  lastRun: RunSummary | null;
}

/** A long job (sync, audit export): its id, and its state for a renderer that reattaches. */
export interface JobState<P> {
  jobId: string;
  kind: 'sync' | 'audit';
  startedAt: number;
  progress: P | null;
}

export interface JobStarted {
  jobId: string;
}

export interface SyncDone {
  jobId: string;
  report?: SyncReport;
  error?: ErrorShape;
}

export interface AuditDone {
  jobId: string;
  result?: AuditResult;
  error?: ErrorShape;
}

export interface AuditPreview {
  conversations: number;
  messages: number;
  senders: number;
  from: number | null;
  to: number | null;
  /** Attachment records in scope, and the bytes of the distinct stored files among them (what files/ would hold). */
  attachments: number;
  attachmentBytes: number;
}

export interface AuditLogEntry {
  id: number;
  at: number;
  osUser: string;
  host: string;
  bundlePath: string;
  bundleHash: string | null;
  status: 'complete' | 'failed' | 'cancelled';
  detail: string | null;
  files: number;
}

export interface SnapshotRow {
  path: string;
  name: string;
  createdAtMs: number | null;
  sizeBytes: number | null;
  sha256: string | null;
  kind: 'snapshot' | 'safety-copy' | null;
  messages: number | null;
  problem: string | null;
}

export interface BackupDone {
  path: string;
  sizeBytes: number;
  sha256: string;
  removed: string[];
  /** The stored files in the snapshot: copied, or linked from an earlier snapshot; `unavailable` were missing or damaged in the archive's store. Null without attachments. */
  files: { files: number; copied: number; linked: number; bytesCopied: number; bytesLinked: number; unavailable: number } | null;
}

export interface RestoreDone {
  restoredFrom: string;
  safetyCopy: string | null;
}

export interface ScheduleStatus {
  enabled: boolean;
  /** Epoch ms of the next run while enabled and the app is open. */
  nextRun: number | null;
  lastRun: { at: number; ok: boolean; message: string } | null;
  /** Whether this shell runs the schedule itself (the Electron app does; `serve` leaves it to the OS). */
  runsInApp: boolean;
}

export type { SyncProgress, AuditProgress };
