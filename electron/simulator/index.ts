import { isClock, ManualClock, systemClock, type Clock } from './clock';
import { archiverScopes, routeFamilies, type RouteFamily } from './families';
import { answerInProcess } from './http/apiRoutes';
import { AuthStore, type AuthSettings } from './http/auth';
import { CursorCodec } from './http/cursor';
import { DownloadSigner } from './http/downloads';
import { FaultInjector } from './http/faults';
import { Holds, type Hold } from './http/holds';
import { RateLimiter } from './http/rateLimit';
import type { Reply } from './http/reply';
import { startListeners } from './http/server';
import { applyPatch, parseOptions, type SimulatorOptions, type SimulatorOptionsInput } from './options';
import { declaredFile } from './org/content';
import { fileContentType, fileRedirects, FileIndex, fileSha256 } from './org/files';
import { generateOrg } from './org/generate';
import { generateMedia } from './org/media';
import type { Org } from './org/model';
import { mutateOrg, mutationSpecSchema, type MutationResult, type MutationSpec } from './org/mutate';
import { buildTruth, truthChunks, writeTruthFile, type GroundTruth, type TruthContext } from './org/truth';
import { hash32 } from './random';
import type { Controller } from './routes/control';
import { emptyStats, type SimState, type SimulatorStats } from './state';

/**
 * The Cliq simulator: a real HTTP server on 127.0.0.1 that behaves as docs/cliq-api.md
 * describes Cliq (§10 lists its own choices), serving a seeded, generated organisation. Tests drive it in
 * process through this API or over HTTP through /__sim/; the demo uses it as its data source.
 *
 * It shares no code with the client it tests: every Cliq fact here was written from the reference.
 */

export type { Clock } from './clock';
export { ManualClock } from './clock';
export { DiscreteEventClock } from './virtualTime';
export { apiFamilies, archiverScopes, defaultQuotas, oauthFamilies, routeFamilies, type ApiFamily, type RouteFamily } from './families';
export { faultKinds, simulatorOptionsSchema, type FaultKind, type ScriptedFault, type SimulatorOptions, type SimulatorOptionsInput } from './options';
export type { Org } from './org/model';
export type { MessageObject } from './org/content';
export { mutationSpecSchema, type MutationResult, type MutationSpec } from './org/mutate';
export type { GroundTruth, TruthChannel, TruthChat, TruthMember, TruthThread } from './org/truth';
export { FILE_CHUNK } from './org/files';
export { defaultFileSizes, type FileSizes } from './org/fileSizes';
export type { SimulatorStats } from './state';
export type { Hold } from './http/holds';
export { scaleSpecs, BURST_SIZE } from './org/generate';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** A file F1 serves, as the server knows it (no download needed). */
export interface TruthFile {
  /** content.file.id */
  file_id: string;
  chat_id: string;
  /** Underscore form. */
  message_id: string;
  /** content.file.name, exactly as the message gives it (hostile names included). */
  name: string;
  /** content.file.type (a MIME type or `file`). */
  type: string;
  /** The Content-Type F1 answers with. */
  content_type: string;
  /** Bytes F1 serves (its Content-Length); equals declaredSize unless fileSizes.roundedShare rounded it. */
  size: number;
  /** content.file.dimensions.size as the message declares it. */
  declaredSize: number;
  /** Whether F1 answers 302 to the download host for it (fileRedirectShare). */
  redirected: boolean;
}

export interface RunningSimulator {
  /** Cliq host, e.g. http://127.0.0.1:41234 (/api/v2/…, /maintenanceapi/v2/…, /__sim/…). */
  apiBase: string;
  /** Accounts host, a separate listener: /oauth/v2/…. */
  accountsBase: string;
  /** The download host F1's 302s point at (presigned URLs; refuses an Authorization header). */
  downloadBase: string;
  /** The org admin: every archiver scope, offline refresh token. */
  admin: Credentials;
  /** Same client, a non-admin user (Maintenance routes answer 403). */
  member: Credentials;
  /** The redirect URI registered for the client (for /oauth/v2/auth). */
  redirectUri: string;
  /** The live model; read it, change it only through mutate(). */
  org: Org;
  /** The simulator's clock (a ManualClock when options.clock is "manual"). */
  clock: Clock;
  /** Current server-side state in API shapes. */
  truth(): GroundTruth;
  /** Every file of a live message, in creation order of their conversations (F1's ground truth). */
  files(): TruthFile[];
  /** One file by id, or undefined when F1 answers 404 for it. */
  file(fileId: string): TruthFile | undefined;
  /** SHA-256 (hex) of a file's bytes, computed server-side chunk by chunk; throws for an unknown id. */
  fileSha256(fileId: string): string;
  /** Streams truth() as JSON to a file (large orgs). */
  writeTruth(path: string): Promise<void>;
  /**
   * What the Cliq host answers the admin for a GET of `path` (with its query), computed in process:
   * the route's handler only (no HTTP, token, quota, hold, fault or latency). The bench builds its
   * ten-million-message archive through it, a conversation's export at a time.
   */
  answer(path: string): Response;
  /** Changes the org between syncs. */
  mutate(spec: MutationSpec): MutationResult;
  /** Changes knobs at runtime (start-only keys excepted). */
  configure(patch: SimulatorOptionsInput): void;
  /** The options in force. */
  options(): SimulatorOptions;
  /** A single-use "self client" grant code (offline) for the admin, or for `user`. */
  issueGrantCode(scopes?: string[], user?: 'admin' | 'member'): string;
  /**
   * Holds requests of `family` (in process only): lets `after` more through (default 0), then keeps
   * every later one waiting, counted but unanswered, until `release()`; a held request is answered
   * as if it arrived at the release. For tests that must stop a client at an exact request.
   */
  hold(family: RouteFamily, options?: { after?: number }): Hold;
  /** Moves a manual clock forward; throws for any other clock. Returns the new now. */
  advance(ms: number): number;
  stats(): SimulatorStats;
  resetStats(): void;
  close(): Promise<void>;
}

function authSettings(options: SimulatorOptions): AuthSettings {
  return {
    accessTokenTtlMs: options.accessTokenTtlMs,
    refreshTokenCap: options.refreshTokenCap,
    grantCodeTtlMs: options.grantCodeTtlMs,
    revokeKillsAccessTokens: options.revokeKillsAccessTokens,
    strictAuthScheme: options.strictAuthScheme,
  };
}

function makeClock(options: SimulatorOptions): Clock {
  if (isClock(options.clock)) return options.clock;
  return options.clock === 'manual' ? new ManualClock(options.now) : systemClock;
}

/** A reply as fetch() would have received it over HTTP (the body whole: it is in memory anyway). */
function asResponse(reply: Reply): Response {
  const chunks = typeof reply.body === 'string' ? [reply.body] : [...reply.body()];
  const body = chunks.every((c) => typeof c === 'string') ? chunks.join('') : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
  const empty = reply.status === 204 || reply.status === 304;
  return new Response(empty ? null : body, { status: reply.status, headers: reply.headers });
}

export async function startSimulator(input: SimulatorOptionsInput = {}): Promise<RunningSimulator> {
  const initial = parseOptions(input);
  const clock = makeClock(initial);
  const org = generateOrg({ seed: initial.seed, scale: initial.scale, now: initial.now, fileSizes: initial.fileSizes });
  // Relative to the clock, not to `now`: pending scheduled messages must lie ahead of the clock the
  // archiver reads (a system clock is far from the default `now`).
  generateMedia(org, initial.seed, clock.now());
  const auth = new AuthStore(authSettings(initial), initial.redirectUri);
  const faults = new FaultInjector(initial.seed);
  faults.load(initial.faults);

  const state: SimState = {
    options: initial,
    org,
    clock,
    auth,
    limiter: new RateLimiter(),
    faults,
    holds: new Holds(),
    cursors: new CursorCodec(`cliq-simulator-${initial.seed}`),
    files: new FileIndex(org, (conversation, i) => declaredFile(org, conversation, conversation.messages, i)),
    downloads: new DownloadSigner(),
    stats: emptyStats(routeFamilies),
    context(): TruthContext {
      return {
        threadRepliesInParent: this.options.threadRepliesInParent,
        timezoneOffsetMinutes: this.options.timezoneOffsetMinutes,
        maintenanceChannelIdPrefix: this.options.maintenanceChannelIdPrefix,
      };
    },
  };

  const credentials = (userIndex: number): Credentials => ({
    clientId: auth.client.clientId,
    clientSecret: auth.client.clientSecret,
    refreshToken: auth.mintRefresh(userIndex, [...archiverScopes], clock.now()),
  });

  let mutations = 0;
  const controller: Controller = {
    truthChunks: () => truthChunks(org, state.context()),
    mutate(spec) {
      const parsed = mutationSpecSchema.parse(spec);
      mutations++;
      return mutateOrg(org, parsed, { now: clock.now(), defaultSeed: hash32(state.options.seed, mutations) });
    },
    configure(patch) {
      const next = applyPatch(state.options, patch);
      const raw = patch as Record<string, unknown>;
      state.options = next;
      auth.updateSettings(authSettings(next), next.redirectUri);
      if ('faults' in raw) faults.load(next.faults);
    },
    stats: () => structuredClone(state.stats),
    resetStats() {
      state.stats = emptyStats(routeFamilies);
    },
    issueGrantCode(scopes, user = 'admin') {
      const userIndex = user === 'member' ? org.memberIndex : org.adminIndex;
      return auth.issueCode(userIndex, scopes ?? [...archiverScopes], true, null, clock.now());
    },
    advance(ms) {
      if (!(clock instanceof ManualClock)) throw new Error('the clock is not manual; start the simulator with clock: "manual"');
      return clock.advance(ms);
    },
  };

  const listeners = await startListeners(state, controller, { api: initial.port, accounts: initial.accountsPort, download: initial.downloadPort });

  const truthFile = (fileId: string): TruthFile | undefined => {
    const entry = state.files.get(fileId);
    if (!entry || !org.live(entry.chatId)) return undefined;
    return {
      file_id: entry.id,
      chat_id: entry.chatId,
      message_id: entry.messageId,
      name: entry.name,
      type: entry.type,
      content_type: fileContentType(entry.name, entry.type),
      size: entry.size,
      declaredSize: entry.declaredSize,
      redirected: fileRedirects(org.fileSeed, entry.id, state.options.fileRedirectShare),
    };
  };

  return {
    apiBase: listeners.apiBase,
    accountsBase: listeners.accountsBase,
    downloadBase: listeners.downloadBase,
    admin: credentials(org.adminIndex),
    member: credentials(org.memberIndex),
    redirectUri: initial.redirectUri,
    org,
    clock,
    truth: () => buildTruth(org, state.context()),
    files: () => state.files.all().flatMap((entry) => truthFile(entry.id) ?? []),
    file: truthFile,
    fileSha256(fileId) {
      const entry = state.files.get(fileId);
      if (!entry) throw new Error(`no file ${fileId}`);
      return fileSha256(org.fileSeed, entry);
    },
    writeTruth: (path) => writeTruthFile(org, state.context(), path),
    answer: (path) => asResponse(answerInProcess(state, path, org.adminIndex)),
    mutate: (spec) => controller.mutate(spec),
    configure: (patch) => controller.configure(patch),
    options: () => state.options,
    issueGrantCode: (scopes, user) => controller.issueGrantCode(scopes, user),
    hold: (family, options) => state.holds.hold(family, options?.after),
    advance: (ms) => controller.advance(ms),
    stats: () => controller.stats(),
    resetStats: () => controller.resetStats(),
    close: () => listeners.close(),
  };
}
