import { z } from 'zod';
import { dataCentreIds, type DataCentre } from '../../shared/dataCentres';
import { toVaultError, VaultError } from '../../shared/errors';
import { reactionsPerRunSchema } from '../../shared/scheduleSettings';
import { describeIssue } from '../../shared/validation';
import { resolveEndpoints, type Endpoints } from '../core/cliq';
import { boundToInstant, isTimeZone } from '../core/util';
export { duration, parseQuotaOverrides } from '../core/cliq';
import type { Connection } from '../core/createCore';
import type { FlagSpec, FlagTable } from './flagTable';

/** Turns a zod failure on CLI flags into one USAGE error that names the flag and what to do. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown, command: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new VaultError('USAGE', `${describeIssue(result.error, { pathStyle: 'flag' })}.`, { hint: `See \`cliq-vault ${command} --help\`.` });
}

export const positiveNumber = z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0');

/**
 * --reactions-per-run: digits only (zod would coerce '' and ' ' to 0, '1e3' to 1000), then the
 * settings' own range (shared/scheduleSettings.ts).
 */
export const reactionsPerRunFlag = z.string().trim().regex(/^\d+$/, 'must be a whole number, 0 or more (0: check no reactions)').transform(Number).pipe(reactionsPerRunSchema);

/** --reactions-per-run <n> for `sync` and `schedule`. */
export const reactionsPerRunDescription = 'reaction checks (one MS3 call per message) a sync may make, new and changed messages first; 0: none (the rest wait for later runs)';

/**
 * The key file of an encrypted archive. The key itself is never a flag (a command line is visible
 * to every user of the machine and kept in shell history): a file, or CLIQ_VAULT_KEY.
 */
export const keyFileSpec: FlagSpec<z.ZodOptional<z.ZodString>> = {
  flag: '--key-file <path>',
  description: 'the key file of an encrypted archive (mode 600); or set CLIQ_VAULT_KEY to its passphrase',
  schema: z.string().min(1, 'is required').optional(),
};

export const archivePath = z.string({ error: 'is required' }).min(1, 'is required');

/** --tz: checked with the flags, so the message names the flag. */
export const timeZoneFlag = z.string().refine(isTimeZone, { error: (issue) => `Unknown time zone ${JSON.stringify(issue.input)} (use an IANA name such as Europe/Berlin, America/New_York or UTC)` });

/** --tz <zone>, UTC unless given. */
export function timeZoneSpec(description: string): FlagSpec<typeof timeZoneFlag> {
  return { flag: '--tz <zone>', description, schema: timeZoneFlag, default: 'UTC' };
}

/** A flag without a value: true when given. */
export const switchFlag = z.boolean().default(false);

/** --json: the same switch on every command; what it prints is the command's. */
export function jsonSpec(description: string): FlagSpec<typeof switchFlag> {
  return { flag: '--json', description, schema: switchFlag };
}

export const logLevel = z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' });

export { dateOrInstant as dateFlag } from '../../shared/search';

/**
 * --from after --to (search, audit): refused in the flags' words, before the archive is opened. The
 * core refuses the same range in the screens' words (util/timeZone.ts checkDateOrder).
 */
export function dateOrderCheck<F extends { from?: string | undefined; to?: string | undefined; tz: string }>(flags: F, ctx: z.RefinementCtx<F>): void {
  const { from, to, tz } = flags;
  if (from === undefined || to === undefined) return;
  let after: boolean;
  try {
    after = boundToInstant(from, tz, 'from') > boundToInstant(to, tz, 'to');
  } catch {
    // A bad --tz or date is its own flag's issue.
    return;
  }
  if (after) ctx.addIssue({ code: 'custom', message: `--from (${from}) is after --to (${to})`, path: [] });
}

/**
 * Runs a check of one flag's value that lives outside the flag schema; its error gets the flag's
 * name in front and becomes a usage error.
 */
export function namingFlag<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    const failure = toVaultError(error);
    throw new VaultError('USAGE', `${flag}: ${failure.message}`, { cause: error, ...(failure.hint !== undefined ? { hint: failure.hint } : {}) });
  }
}

const groupRefFlag = (noun: string) => ({
  flag: `--${noun} <id|name>`,
  description: `only messages sent while the sender was in this ${noun} (id or exact name; repeatable; several: any of them)`,
  schema: z.array(z.string()),
  repeatable: true as const,
});

/**
 * --department / --designation / --team / --role (search and audit): the org directory as a
 * message filter. Spread into a command's table; {@link groupScopeFrom} turns the values into the
 * query's fields. A held-since-first-archived assignment counts as covering everything before.
 */
export const groupFlagTable = {
  department: groupRefFlag('department'),
  designation: groupRefFlag('designation'),
  team: groupRefFlag('team'),
  role: groupRefFlag('role'),
} satisfies FlagTable;

/** What --help says after the flags of a command with {@link groupFlagTable}. */
export const groupFlagHelp =
  '\n--department/--designation/--team/--role keep the messages sent by someone while assigned to any of the groups named' +
  '\n(ids or exact names; OR within and across kinds, AND with every other filter): from the sync that noticed the assignment' +
  '\nuntil the sync that noticed its end. An assignment held when its group was first archived has no known start: it counts' +
  '\nas covering every earlier message. Everyone in Legal in Q1: --department Legal --from 2026-01-01 --to 2026-03-31\n';

/** The directory fields of a search or audit scope from the flags of {@link groupFlagTable}, absent when not given. */
export function groupScopeFrom(flags: { department: string[]; designation: string[]; team: string[]; role: string[] }): {
  departments?: string[];
  designations?: string[];
  teams?: string[];
  roles?: string[];
} {
  return {
    ...(flags.department.length > 0 ? { departments: flags.department } : {}),
    ...(flags.designation.length > 0 ? { designations: flags.designation } : {}),
    ...(flags.team.length > 0 ? { teams: flags.team } : {}),
    ...(flags.role.length > 0 ? { roles: flags.role } : {}),
  };
}

/** --dc / --api-base / --accounts-base / --network → endpoints (validated in core). Spread into a command's table. */
export const endpointFlagTable = {
  dc: {
    flag: '--dc <dc>',
    description: 'data centre: com, eu, in, com.au, com.cn, jp',
    schema: z.enum(dataCentreIds, { error: (issue) => `Unknown data centre ${JSON.stringify(issue.input)} (use one of ${dataCentreIds.join(', ')})` }).optional(),
  },
  apiBase: { flag: '--api-base <url>', description: 'Cliq API base URL instead of --dc', schema: z.string().optional() },
  accountsBase: { flag: '--accounts-base <url>', description: 'Zoho accounts base URL, with --api-base', schema: z.string().optional() },
  network: { flag: '--network <name>', description: 'a Cliq network (/network/<name>) for REST calls', schema: z.string().optional() },
} satisfies FlagTable;

export function endpointsFrom(flags: { dc?: DataCentre | undefined; apiBase?: string | undefined; accountsBase?: string | undefined; network?: string | undefined }): Endpoints {
  return resolveEndpoints({ dataCentre: flags.dc, apiBase: flags.apiBase, accountsBase: flags.accountsBase, network: flags.network });
}

/**
 * Credentials come from the environment only: Cliq Vault never writes a client secret or refresh
 * token to a plain file. Put them in your scheduler's secret store or a shell profile you protect.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): Connection['credentials'] {
  const missing = ['CLIQ_CLIENT_ID', 'CLIQ_CLIENT_SECRET', 'CLIQ_REFRESH_TOKEN'].filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    throw new VaultError('AUTH_MISSING_CREDENTIALS', `Missing ${missing.join(', ')} in the environment.`, {
      hint: 'Set the client id and secret of your Zoho API client and the refresh token from `cliq-vault auth exchange`.',
    });
  }
  return {
    clientId: (env.CLIQ_CLIENT_ID ?? '').trim(),
    clientSecret: (env.CLIQ_CLIENT_SECRET ?? '').trim(),
    refreshToken: (env.CLIQ_REFRESH_TOKEN ?? '').trim(),
  };
}
