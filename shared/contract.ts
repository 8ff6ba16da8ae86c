import { z } from 'zod';
import type { ArchiveStats, AsOfTranscript, AttachmentRow, BundleReport, BundleZip, InclusionReport, SealEntry, ReactionCoverage, TranscriptPage, VerifyReport } from './archive';
import { auditCustodySchema, auditScopeSchema, type AuditProgress } from './audit';
import { changeQuerySchema, type ChangeReport } from './changes';
import { holdInputSchema, holdReleaseSchema, type HoldSummary, type HoldView } from './holds';
import { retentionPolicySchema, type RetentionPreview, type RetentionResult, type RetentionRunRow } from './retention';
import type { ErrorShape } from './errors';
import type { MentionNames } from './markup';
import type { CallsPage, ChannelPermission, OptionalSourceView, ScheduledPage, StickyHistory } from './evidence';
import { conversationKinds, dateOrInstant, searchQuerySchema, type SearchPage } from './search';
import { orgProfileSchema, profileIdSchema, settingsPatchSchema, type OrgProfile, type Settings } from './settings';
import type { AdminRoleInterval, DirectoryGroup, DirectoryPage } from './evidence';
import { reviewQuerySchema, type ReviewPage } from './review';
import { reviewCodeSchema, reviewItemsQuerySchema, reviewSetCreateSchema, type ReviewCodingRecord, type ReviewItemsPage, type ReviewSetSummary } from './reviewSets';
import type { RunSummary, SyncProgress } from './sync';
import type {
  AdminCheck,
  AppInfo,
  ArchiveEncryption,
  AuditDone,
  AuditLogEntry,
  AuditPreview,
  BackupDone,
  CipherChange,
  ConnectResult,
  ConversationRow,
  Insights,
  JobStarted,
  JobState,
  MembershipRow,
  MessageVersion,
  MetadataHistory,
  Person,
  RestoreDone,
  ScheduleStatus,
  SnapshotRow,
  SyncDone,
  SyncPlan,
} from './views';
import { historySubjects } from './views';

/**
 * The one contract between the renderer and the app, declared once. Both transports derive from
 * this table — IPC (electron/main registers one handler per operation, electron/preload exposes one
 * function per operation) and HTTP (electron/server serves POST /api/<operation>) — and so does the
 * renderer's `api` module. Every request is parsed with its zod schema at the receiving edge.
 *
 * IMPORTANT: adding an operation means a handler in one of electron/core/app/handlers/ (its domain's
 * file) and a name in electron/preload's name table (the compiler insists on both: the preload keeps
 * its own zod-free copy of the names so it stays ~2 kB), and nothing else in either transport.
 */

/**
 * Where an operation runs in the app service's workers (electron/core/app/host): `reader` operations
 * only read the archive and the settings file and hold no state, so any of several reader workers
 * may answer them side by side (WAL lets readers run at once): a verify of a million messages never
 * holds up a search. Everything else (jobs, settings and profile changes, the demo org, restore)
 * runs in the one primary worker, which owns that state.
 */
export type Lane = 'primary' | 'reader';

/** An operation: the schema its request is parsed with, its lane, and (as a type only) its response. */
export interface Operation<Req extends z.ZodType, Res> {
  request: Req;
  lane: Lane;
  /** Never set: carries the response type. */
  response?: Res;
}

const op =
  <Res>(lane: Lane = 'primary') =>
  <Req extends z.ZodType>(request: Req): Operation<Req, Res> => ({ request, lane });
const none = z.strictObject({});
const chatId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be a conversation id');
const messageKey = z.number().int();
const jobId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a job id');
const absolutePathish = z.string().min(1).max(4_096);
const auditLogId = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
/** A passphrase as typed (its strength is checked where it is used: at least 8 characters). */
const passphraseSchema = z.string().min(1).max(1_024);
/** One attachment: (conversation, message, file), as the attachments table keys it. Ids are data, never paths. */
const fileRef = z.strictObject({ chatId, messageId: z.string().min(1).max(300), fileId: z.string().min(1).max(300) });

export const contract = {
  'app:info': op<AppInfo>('reader')(none),

  'settings:get': op<Settings>('reader')(none),
  'settings:update': op<Settings>()(settingsPatchSchema),

  /** Saves an org profile and its secrets (exchanging a self-client grant code), makes it active, checks admin. */
  'connect:save': op<ConnectResult>()(
    z
      .strictObject({
        profile: orgProfileSchema.omit({ id: true, archivePath: true, demo: true }).extend({
          id: profileIdSchema.optional(),
          archivePath: absolutePathish.optional(),
        }),
        clientSecret: z.string().trim().min(1, 'is required').max(500),
        /** A self-client grant code (valid for minutes) or, instead, a refresh token already made. */
        grantCode: z.string().trim().min(1).max(500).optional(),
        refreshToken: z.string().trim().min(1).max(500).optional(),
      })
      .refine((v) => (v.grantCode === undefined) !== (v.refreshToken === undefined), { message: 'give a grant code or a refresh token (one of them)', path: ['grantCode'] }),
  ),
  /**
   * Connects the built-in simulator's demo org (started in-process), and makes it active.
   * `openArchive`: into the archive `serve --archive` opened (a demo archive read with no org), so
   * syncing the demo again continues that archive.
   */
  'connect:demo': op<ConnectResult>()(z.strictObject({ openArchive: z.boolean().optional() })),
  'connect:check': op<AdminCheck>()(none),
  'profiles:switch': op<Settings>()(z.strictObject({ id: profileIdSchema })),
  /** Forgets a profile and its secrets. The archive file stays where it is. */
  'profiles:remove': op<Settings>()(z.strictObject({ id: profileIdSchema })),

  /** Null while the active profile has no archive yet. */
  'archive:stats': op<ArchiveStats | null>('reader')(none),
  'archive:conversations': op<ConversationRow[]>('reader')(
    z.strictObject({
      kinds: z.array(z.enum(conversationKinds)).optional(),
      text: z.string().max(200).optional(),
      onlyProblems: z.boolean().default(false),
      limit: z.number().int().min(1).max(100_000).default(10_000),
    }),
  ),
  /** A page of a conversation; `names` resolves the mentions in its texts (shared/markup renders them). */
  'archive:transcript': op<TranscriptPage>('reader')(
    z.strictObject({
      chatId,
      before: messageKey.optional(),
      after: messageKey.optional(),
      limit: z.number().int().min(1).max(1_000).default(200),
    }),
  ),
  /** The page of a conversation around one message (opening a search hit in context). */
  'archive:context': op<TranscriptPage & { focus: number }>('reader')(z.strictObject({ key: messageKey, around: z.number().int().min(1).max(500).default(50) })),
  'archive:versions': op<MessageVersion[]>('reader')(z.strictObject({ key: messageKey })),
  'archive:members': op<MembershipRow[]>('reader')(z.strictObject({ chatId })),
  /** A conversation's reactions coverage: messages checked, due for the next sync, unreadable. */
  'archive:reactionCoverage': op<ReactionCoverage>('reader')(z.strictObject({ chatId })),
  /** A conversation's pinned (sticky) messages, newest first, and when they were last checked. */
  'archive:sticky': op<StickyHistory>('reader')(z.strictObject({ chatId })),
  /**
   * The names the mentions in some texts resolve to (shared/markup), for texts shown outside a
   * transcript page: a message's earlier versions, a pinned message.
   */
  'archive:names': op<MentionNames>('reader')(z.strictObject({ texts: z.array(z.string().max(20_000)).max(200) })),
  /** A channel's permissions per role (admin, moderator, member), current and earlier, by its conversation id; empty for other conversations. */
  'archive:channelPermissions': op<ChannelPermission[]>('reader')(z.strictObject({ chatId })),
  /** Earlier states of a conversation's, person's or directory group's metadata (names, descriptions, status), field by field. */
  'archive:history': op<MetadataHistory>('reader')(z.strictObject({ subject: z.enum(historySubjects), key: z.string().min(1).max(100) })),
  'archive:people': op<Person[]>('reader')(z.strictObject({ text: z.string().max(200).optional(), limit: z.number().int().min(1).max(1_000).default(50) })),
  /** The org directory's people, a page at a time (text: a name, e-mail, id or current group's name), with how its sources fared. */
  'archive:directory': op<DirectoryPage>('reader')(
    z.strictObject({ text: z.string().max(200).optional(), offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(100) }),
  ),
  /** Every department, designation, role and team, live and gone, with its members now. */
  'archive:groups': op<DirectoryGroup[]>('reader')(none),
  /** Who held an admin role (Admin, Cliq Admin, custom admin), from when to when; held ones first. */
  'archive:adminRoles': op<AdminRoleInterval[]>('reader')(none),
  'archive:search': op<SearchPage>('reader')(searchQuerySchema),
  /** A conversation's attachments, oldest first (one of them with messageId and fileId). */
  'archive:attachments': op<AttachmentRow[]>('reader')(
    z.strictObject({
      chatId,
      messageId: z.string().min(1).max(300).optional(),
      fileId: z.string().min(1).max(300).optional(),
      limit: z.number().int().min(1).max(10_000).default(1_000),
    }),
  ),
  /**
   * A stored image's preview as a data: URL, or null: only PNG, JPEG, GIF or WebP by the stored
   * bytes' magic numbers (never by Cliq's type or name; never SVG), and only up to 2 MB.
   */
  'archive:thumbnail': op<{ dataUrl: string | null }>('reader')(fileRef),
  /**
   * Save as…: the OS save dialog (Electron only; `serve` answers available: false and the UI offers
   * its download link), then the stored bytes copied there. path is null when the user cancelled.
   */
  'files:save': op<{ available: boolean; path: string | null }>()(fileRef),
  /**
   * Opens a copy (in a per-session temp folder) with the OS's app for its type (Electron only).
   * Types that could run code (exe, js, html, svg…) are refused with the reason: save them instead.
   */
  'files:open': op<{ available: boolean; opened: boolean; refusal: string | null }>()(fileRef),
  /** Recomputes every seal (tamper evidence) and checks the file store; `files` re-hashes every stored file. */
  /** A page of the connected account's calls and meetings, or of the org's call notices (archived call_notification messages). */
  'archive:calls': op<CallsPage>('reader')(
    z.strictObject({
      list: z.enum(['meetings', 'notices']),
      chatId: chatId.optional(),
      from: dateOrInstant.optional(),
      to: dateOrInstant.optional(),
      offset: z.number().int().min(0).max(10_000_000).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    }),
  ),
  /** A page of the connected account's scheduled messages with their fate. */
  'archive:scheduled': op<ScheduledPage>('reader')(z.strictObject({ offset: z.number().int().min(0).max(10_000_000).default(0), limit: z.number().int().min(1).max(500).default(50) })),
  /** Every optional source (directory, reactions, sticky messages, calls, scheduled messages) with its last outcome. */
  'archive:sources': op<OptionalSourceView[]>('reader')(none),
  'archive:verify': op<VerifyReport>('reader')(z.strictObject({ files: z.boolean().default(false) })),

  'insights:activity': op<Insights>('reader')(
    z.strictObject({ chatId: chatId.optional(), from: dateOrInstant.optional(), to: dateOrInstant.optional(), topSenders: z.number().int().min(1).max(100).default(10) }),
  ),

  'sync:plan': op<SyncPlan>()(none),
  'sync:start': op<JobStarted>()(z.strictObject({ full: z.boolean().default(false) })),
  'sync:cancel': op<{ cancelled: boolean }>()(z.strictObject({ jobId })),
  /** The running sync, if any, so a reloaded renderer reattaches to its progress. */
  'sync:status': op<JobState<SyncProgress> | null>()(none),
  'sync:runs': op<RunSummary[]>('reader')(z.strictObject({ limit: z.number().int().min(1).max(500).default(20) })),

  'audit:preview': op<AuditPreview>('reader')(auditScopeSchema),
  'audit:export': op<JobStarted>()(z.strictObject({ scope: auditScopeSchema, destination: absolutePathish.optional(), ...auditCustodySchema.shape })),
  'audit:cancel': op<{ cancelled: boolean }>()(z.strictObject({ jobId })),
  'audit:status': op<JobState<AuditProgress> | null>()(none),
  'audit:history': op<AuditLogEntry[]>('reader')(z.strictObject({ limit: z.number().int().min(1).max(500).default(50) })),
  'audit:verifyBundle': op<BundleReport>('reader')(z.strictObject({ bundlePath: absolutePathish })),
  /**
   * Zips a bundle the audit log records as complete (by its audit log id, never a path) beside its
   * folder, checking every file against the recorded SHA256SUMS; `serve` then sends it from
   * GET /api/bundle.zip?id=…. Refused when the folder changed since the export.
   */
  'audit:zip': op<BundleZip>('reader')(z.strictObject({ id: auditLogId })),
  /** Whether a bundle (by audit log id, or a folder) belongs to this archive: its seal linked to the head, its rows matched, purged or changed. */
  'audit:inclusion': op<InclusionReport>('reader')(z.union([z.strictObject({ id: auditLogId }), z.strictObject({ bundlePath: absolutePathish })])),
  /** The archive's closed seals, newest first. */
  'audit:seals': op<SealEntry[]>('reader')(z.strictObject({ limit: z.number().int().min(1).max(1_000).default(100) })),
  /** The review log (every look at the archive), newest first; reading it is itself recorded. */
  'review:log': op<ReviewPage>('reader')(reviewQuerySchema),
  /** Every review set, newest first, with its progress and tag counts. */
  'reviewSets:list': op<ReviewSetSummary[]>('reader')(none),
  /** Freezes a review set from a filter set or a hold (a sealed record). Refused on a read-only archive. */
  'reviewSets:create': op<ReviewSetSummary>()(reviewSetCreateSchema),
  /** A page of a set's items with their coding, filtered by tag, review state or conversation. */
  'reviewSets:items': op<ReviewItemsPage>('reader')(reviewItemsQuerySchema),
  /** One coding action (tag, untag, note, reviewed) on a message or a conversation: a sealed record. */
  'reviewSets:code': op<{ record: ReviewCodingRecord; set: ReviewSetSummary }>()(reviewCodeSchema),
  /** A set's coding records, newest first (one message's or conversation's when given). */
  'reviewSets:history': op<ReviewCodingRecord[]>('reader')(
    z.strictObject({
      setId: z.number().int().min(1),
      chatId: chatId.optional(),
      messageId: z.string().min(1).max(300).optional(),
      limit: z.number().int().min(1).max(1_000).default(200),
    }),
  ),

  /** Every legal hold, active and released, newest first, with what each holds now. */
  'holds:list': op<HoldSummary[]>('reader')(none),
  /** One hold by name: the active one of that name, else the newest released one. */
  'holds:show': op<HoldSummary>('reader')(z.strictObject({ name: z.string().trim().min(1).max(200) })),
  /** Places a hold (a sealed record: the active profile, OS user, when, why). Refused on a read-only archive. */
  'holds:add': op<HoldView>()(holdInputSchema),
  /** Releases the active hold of that name with a reason (a sealed record of its own). Refused on a read-only archive. */
  'holds:release': op<HoldView>()(holdReleaseSchema),
  /** The dry run of a retention policy: per conversation, what would be purged and what holds keep. Changes nothing. */
  'retention:preview': op<RetentionPreview>('reader')(retentionPolicySchema),
  /** Purges what the policy makes due and no hold keeps (sealed records stay). Refused on a read-only archive. */
  'retention:apply': op<RetentionResult>()(retentionPolicySchema),
  /** Past retention runs, newest first. */
  'retention:runs': op<RetentionRunRow[]>('reader')(none),
  /** What the sync runs brought since a run or a date, or between two snapshots: counts and the newest items of each kind. */
  'archive:changes': op<ChangeReport>('reader')(changeQuerySchema),
  /** A conversation as it stood at a day's end or an instant (in timeZone), as far as the archive saw it. */
  'archive:asOf': op<AsOfTranscript>('reader')(
    z.strictObject({ chatId, asOf: dateOrInstant, timeZone: z.string().min(1).max(100).default('UTC'), limit: z.number().int().min(1).max(1_000).default(500) }),
  ),

  /**
   * Unlocks with a typed passphrase: the desktop's kept keys when it protects them, else the
   * archive's own passphrase (as CLIQ_VAULT_KEY would give it). Refused when it opens nothing.
   */
  'cipher:unlock': op<ArchiveEncryption>()(z.strictObject({ passphrase: passphraseSchema })),
  /**
   * Encrypts the plain archive in place (a verified copy, then the swap). The desktop makes a random
   * key kept in the OS secret store (a passphrase, when given, protects it); `serve` uses its key,
   * or the passphrase given, as the key. Reads wait meanwhile.
   */
  'cipher:encrypt': op<CipherChange>()(z.strictObject({ passphrase: passphraseSchema.optional() })),
  /** Changes the encrypted archive's key (a new random key on the desktop; the new passphrase in `serve`). */
  'cipher:rekey': op<CipherChange>()(z.strictObject({ passphrase: passphraseSchema.optional() })),
  /** Sets, changes or (null) removes the passphrase protecting the desktop's kept keys. */
  'cipher:protect': op<ArchiveEncryption>()(z.strictObject({ passphrase: passphraseSchema.nullable() })),

  'backup:list': op<SnapshotRow[]>('reader')(none),
  'backup:create': op<BackupDone>()(none),
  'backup:restore': op<RestoreDone>()(z.strictObject({ snapshotPath: absolutePathish })),
  'schedule:status': op<ScheduleStatus>()(none),

  /** Shows a file or folder in the OS file manager (Electron only; `serve` answers shown: false). */
  'shell:reveal': op<{ shown: boolean }>()(z.strictObject({ path: absolutePathish })),
  /**
   * The OS folder chooser (Electron only; `serve` answers available: false and the path is typed).
   * path is null when the user cancelled. Nothing is written: the caller saves the choice.
   */
  'shell:pickFolder': op<{ available: boolean; path: string | null }>()(z.strictObject({ purpose: z.enum(['backups', 'exports', 'archive']), defaultPath: absolutePathish.optional() })),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;
export const operationNames = Object.keys(contract) as OperationName[];

/** What the caller sends (defaults not yet applied). */
export type RequestOf<N extends OperationName> = z.input<Contract[N]['request']>;
/** What the handler receives (parsed, defaults applied). */
export type ParsedRequestOf<N extends OperationName> = z.output<Contract[N]['request']>;
export type ResponseOf<N extends OperationName> = Exclude<Contract[N]['response'], undefined>;

/** Events pushed from the app to the renderer. */
export interface EventPayloads {
  'sync:progress': { jobId: string; progress: SyncProgress };
  'sync:done': SyncDone;
  'audit:progress': { jobId: string; progress: AuditProgress };
  'audit:done': AuditDone;
  'settings:changed': Settings;
  'schedule:ran': ScheduleStatus;
}
export type EventName = keyof EventPayloads;
export const eventNames: readonly EventName[] = ['sync:progress', 'sync:done', 'audit:progress', 'audit:done', 'settings:changed', 'schedule:ran'];

/** Every reply crosses the boundary wrapped: errors as their code, message and hint, never a stack. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** The renderer's view of the app, whichever shell carries it. */
export interface VaultApi {
  invoke<N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/**
 * What electron/preload exposes as `window.vault`: one function per operation (each bound to its
 * own channel; there is no generic send), and `on` for the listed events only.
 */
export type PreloadBridge = { [N in OperationName]: (request: RequestOf<N>) => Promise<Result<ResponseOf<N>>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** The HTTP bridge's paths: POST `${httpPrefix}<operation>`, events as server-sent events. */
export const httpPrefix = '/api/';
export const httpEventsPath = '/api/events';

export type { OrgProfile };
