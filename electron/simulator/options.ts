import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { isClock, type Clock } from './clock';
import { apiFamilies, routeFamilies } from './families';
import { defaultFileSizes } from './org/fileSizes';

/**
 * Every knob of the simulator, with its default. Defaults follow docs/cliq-api.md §10: documented
 * behaviour where the seeds document it, and for each [GAP] the simulator choice named there. Tests
 * are expected to flip the [GAP] knobs too, so the client is not tuned to one guess.
 *
 * Everything except the start-only keys below can be changed while running, through configure() or
 * POST /__sim/configure.
 */

export const faultKinds = ['500', '502-html', '503', '504', '429', 'reset', 'truncate', 'malformed', 'hang', 'wrong-content-type', 'big-number-id', '403', '404'] as const;
export type FaultKind = (typeof faultKinds)[number];

const familySchema = z.enum(routeFamilies);
const apiFamilySchema = z.enum(apiFamilies);

export const scriptedFaultSchema = z.strictObject({
  family: familySchema,
  kind: z.enum(faultKinds),
  /** How many requests of the family this fault answers before the next scripted fault applies. */
  times: z.number().int().positive().default(1),
  /** Let this many requests of the family pass untouched first. */
  after: z.number().int().nonnegative().default(0),
});
export type ScriptedFault = z.infer<typeof scriptedFaultSchema>;

const faultRateSchema = z.strictObject({
  rate: z.number().min(0).max(1),
  kinds: z.array(z.enum(faultKinds)).min(1),
});

const quotaOverrideSchema = z.strictObject({
  perMinute: z.number().positive().optional(),
  lockMs: z.number().nonnegative().optional(),
});

const fileSizesSchema = z
  .strictObject({
    emptyShare: z.number().min(0).max(1).default(defaultFileSizes.emptyShare),
    largeShare: z.number().min(0).max(1).default(defaultFileSizes.largeShare),
    smallMaxBytes: z.number().int().min(1).default(defaultFileSizes.smallMaxBytes),
    largeMinBytes: z.number().int().min(0).default(defaultFileSizes.largeMinBytes),
    largeMaxBytes: z.number().int().min(0).default(defaultFileSizes.largeMaxBytes),
    roundedShare: z.number().min(0).max(1).default(defaultFileSizes.roundedShare),
  })
  .refine((sizes) => sizes.emptyShare + sizes.largeShare <= 1, 'emptyShare + largeShare must be at most 1')
  .refine((sizes) => sizes.largeMinBytes <= sizes.largeMaxBytes, 'largeMinBytes must not exceed largeMaxBytes');

const clockSchema = z.union([z.enum(['system', 'manual']), z.custom<Clock>(isClock, 'expected "system", "manual" or an object with now()')]);

/** 2026-06-01T00:00:00Z: generated history ends here, whatever the wall clock says. */
export const defaultNow = Date.UTC(2026, 5, 1);

export const simulatorOptionsSchema = z.strictObject({
  // --- Data (start-only) -------------------------------------------------------------------------
  seed: z.number().int().default(1),
  scale: z.enum(['tiny', 'small', 'medium', 'large', 'huge']).default('small'),
  /** The instant the generated history ends at (epoch ms). */
  now: z.number().int().nonnegative().default(defaultNow),
  /** `manual` starts at `now` and moves only through advance() or POST /__sim/clock. */
  clock: clockSchema.default('system'),
  /** Offset of the ISO 8601 timestamps REST answers carry. +05:30 catches parsers that assume whole hours. */
  timezoneOffsetMinutes: z.number().int().min(-840).max(840).default(330),

  // --- Listeners (start-only) --------------------------------------------------------------------
  /** Cliq API listener; 0 lets the OS pick. */
  port: z.number().int().min(0).max(65535).default(0),
  /** Accounts (OAuth) listener, a separate port like the separate accounts host. */
  accountsPort: z.number().int().min(0).max(65535).default(0),
  /** The download host F1 redirects to (presigned URLs), a third listener. */
  downloadPort: z.number().int().min(0).max(65535).default(0),

  // --- Files (F1), §7.6/§10.12 -------------------------------------------------------------------
  /** How file sizes are drawn (start-only: messages declare them). Tests and benches ask for big files here. */
  fileSizes: fileSizesSchema.default(defaultFileSizes),
  /** Share of files F1 answers with a 302 to the download host, chosen per file by a hash of its id. */
  fileRedirectShare: z.number().min(0).max(1).default(0.2),
  /** Lifetime of the signed download URL a 302 carries (simulator clock). */
  downloadUrlTtlMs: z.number().int().positive().default(60_000),

  // --- Maintenance messages export (M4), §6.8 [GAP] ----------------------------------------------
  /** false: fromtime/totime/limit are ignored and the whole history comes back in one answer. */
  maintenanceHonorsTimeWindow: z.boolean().default(false),
  /** Silently return only the first N messages of an export (truncation the client must detect). */
  maintenanceTruncateAt: z.number().int().positive().nullable().default(null),
  /** Whether a channel's export also carries the replies of its threads, merged by time. */
  threadRepliesInParent: z.boolean().default(false),
  /** fromtime/totime bounds (M4 when honoured, and MS1) exclude the boundary instants. */
  windowBoundsExclusive: z.boolean().default(false),
  /** MS1 with no fromtime returns the newest `limit` messages (the other reading: the oldest). */
  restBareLimit: z.enum(['newest', 'oldest']).default('newest'),

  // --- CSV exports (M1–M3), §6.6 [GAP] ------------------------------------------------------------
  csvHeader: z.boolean().default(false),
  crlf: z.boolean().default(false),
  bom: z.boolean().default(false),
  /** Columns in the documented allowed-values order instead of the order of the `fields` param. */
  canonicalOrder: z.boolean().default(false),
  timestampFormat: z.enum(['ms', 'iso']).default('ms'),
  /** M2 channel ids with the O/T letter REST carries (the documented example has none). */
  maintenanceChannelIdPrefix: z.boolean().default(false),

  // --- OAuth, §3 -----------------------------------------------------------------------------------
  accessTokenTtlMs: z.number().int().positive().default(3_600_000),
  expiresInUnit: z.enum(['ms', 's']).default('ms'),
  /** Only `Zoho-oauthtoken` is accepted (the normative text); otherwise `Bearer` too (the samples). */
  strictAuthScheme: z.boolean().default(false),
  /** Beyond `max` refreshes per client in `windowMs`, answer HTTP 200 with Zoho's "Access Denied" body. */
  refreshThrottle: z.strictObject({ max: z.number().int().positive(), windowMs: z.number().int().positive() }).nullable().default(null),
  /** Status of a token-endpoint error such as a bad or revoked refresh token ({"error":"invalid_code"}). */
  invalidRefreshStatus: z.number().int().min(200).max(599).default(400),
  /** Live refresh tokens per client and user ("limit - 20"); the oldest is invalidated on overflow. */
  refreshTokenCap: z.number().int().positive().default(20),
  /** Grant-code lifetime: not documented [GAP]. */
  grantCodeTtlMs: z.number().int().positive().default(600_000),
  /** Revoking a refresh token also kills the access tokens minted from it. */
  revokeKillsAccessTokens: z.boolean().default(true),
  /** The redirect URI registered for the simulator's client. */
  redirectUri: z.string().default('http://127.0.0.1/oauth/callback'),
  /** Status for a token that lacks the route's scope [GAP]. */
  missingScopeStatus: z.number().int().min(400).max(499).default(403),
  /** Add code:"not_an_organization_admin" to the 403 a non-admin gets on Maintenance routes. */
  nonAdminErrorCode: z.boolean().default(false),

  // --- Rate limits, §5.1/§10.4 ---------------------------------------------------------------------
  rateLimitsEnabled: z.boolean().default(true),
  /** Multiplies every threshold and divides every lock period (fast simulations). */
  quotaScale: z.number().positive().default(1),
  rateWindow: z.enum(['fixed', 'sliding']).default('fixed'),
  retryAfterHeader: z.boolean().default(false),
  quotas: z.partialRecord(apiFamilySchema, quotaOverrideSchema).default({}),

  // --- Faults, §10.9 ----------------------------------------------------------------------------------
  faults: z.array(scriptedFaultSchema).default([]),
  faultRates: z.partialRecord(familySchema, faultRateSchema).default({}),
  /** Real (wall-clock) delay before every Cliq and accounts answer. */
  latencyMs: z.number().int().nonnegative().default(0),

  // --- Networks, §2.3 ---------------------------------------------------------------------------------
  /** Network names or ids accepted in /network/{name}/api/v2/… (the network shows the same org). */
  networks: z.array(z.string()).default(['partners']),

  // --- Visibility and shapes -------------------------------------------------------------------------
  /**
   * C1/C2 show an org admin every channel, non-joined private ones included (joined:false), so M2's
   * ids can be mapped to chat ids; C3/MS1 on those still answer 403 (§10.7). false: an admin sees
   * only joined and organisation-level channels, like everyone else [GAP, §7.2].
   */
  adminListsAllChannels: z.boolean().default(true),
  /** The org is on Zoho People: D1 answers 400 unless given a non-empty `search` (§7.7). */
  peopleIntegrated: z.boolean().default(false),
  /** TH1 on a channel the caller has not joined answers 403 instead of listing its threads. */
  threadsListForbiddenForNonMember: z.boolean().default(false),
  /** Chat ids whose M3/M4 (and C3, for a channel) answer 403 (e.g. a chat that turns forbidden mid-run). */
  forbidChats: z.array(z.string()).default([]),
  /** Chat ids whose M3/M4 (and C3) answer 404. */
  missingChats: z.array(z.string()).default([]),
  /** MS2 answers the [002] shape: sender {senderName, senderID} and a string content. */
  legacyRetrieveShape: z.boolean().default(false),
  /** H3 when nothing is pinned: 204 (the simulator's default) or 404; the seeds do not say [GAP] (§7.12). */
  stickyNonePinnedStatus: z.union([z.literal(204), z.literal(404)]).default(204),
  /** `limit` above 100 on U1/C1/H1: 400 (default) or clamp to 100. */
  limitOverMax: z.enum(['error', 'clamp']).default('error'),
  /** Status when a C1 sync_token has more than 50 pending changes ("exception" [GAP]). */
  syncTokenOverflowStatus: z.number().int().min(400).max(599).default(400),
  /** Page size of U1 and C1 when `limit` is omitted [GAP]. */
  defaultPageSize: z.number().int().min(1).max(100).default(50),
  /** Page size of TH1, which has no documented limit param [GAP]. */
  threadsPageSize: z.number().int().min(1).max(100).default(20),
  /** U1 modified_after older than 7 days: only the last 7 days are answered, or 400. */
  usersModifiedAfterBeyondWindow: z.enum(['clamp', 'error']).default('clamp'),
  /** 406 when the Accept header excludes the response's media type. */
  strictAccept: z.boolean().default(false),
  /** Page size of X1, which has no documented limit param [GAP]: small, so paging is exercised. */
  mediaSessionsPageSize: z.number().int().min(1).max(100).default(10),
  /** false: v3 scheduled messages answer 404 (an older Cliq), so the client must fall back to v2. */
  scheduledV3Available: z.boolean().default(true),
});

export type SimulatorOptions = z.infer<typeof simulatorOptionsSchema>;
export type SimulatorOptionsInput = z.input<typeof simulatorOptionsSchema>;
export type Scale = SimulatorOptions['scale'];

/** Keys fixed at start: they shape the generated org or the listeners. */
export const startOnlyKeys = ['seed', 'scale', 'now', 'clock', 'timezoneOffsetMinutes', 'port', 'accountsPort', 'downloadPort', 'fileSizes'] as const;

function sameValue(key: (typeof startOnlyKeys)[number], given: unknown, current: unknown): boolean {
  if (key !== 'fileSizes') return given === current;
  const parsed = fileSizesSchema.safeParse(given);
  return parsed.success && isDeepStrictEqual(parsed.data, current);
}

export function parseOptions(input: unknown): SimulatorOptions {
  return simulatorOptionsSchema.parse(input ?? {});
}

/**
 * Applies a runtime patch: top-level keys replace the current values (nested objects are replaced
 * whole, so `faults: []` clears the script). Start-only keys may only be repeated with their value.
 */
export function applyPatch(current: SimulatorOptions, patch: unknown): SimulatorOptions {
  // Merge first, validate the whole: zod's .partial() would fill every default back in and so
  // silently reset knobs the patch did not mention.
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('configure() takes an object');
  const raw = patch as Record<string, unknown>;
  for (const key of startOnlyKeys) {
    if (key in raw && raw[key] !== undefined && !sameValue(key, raw[key], current[key])) {
      throw new Error(`"${key}" is fixed when the simulator starts; start a new simulator to change it`);
    }
  }
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(raw)) if (value !== undefined) merged[key] = value;
  return simulatorOptionsSchema.parse(merged);
}
