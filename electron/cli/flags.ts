import { z } from 'zod';
import { VaultError } from '../../shared/errors';
import { resolveEndpoints, type Endpoints } from '../core/cliq/dataCentres';
import { familyNames, isFamily, type FamilyOverrides } from '../core/cliq/families';
import type { Connection } from '../core/createCore';

/** Turns a zod failure on CLI flags into one USAGE error that names the flag and what to do. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown, command: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path[0] === undefined ? '' : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  throw new VaultError('USAGE', `${flag}${issue?.message ?? 'invalid arguments'}.`, { hint: `See \`cliq-vault ${command} --help\`.` });
}

/** "15m", "30s", "2h", "500ms" or a bare number of milliseconds. */
export const duration = z.string().transform((value, ctx) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value.trim());
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a duration (examples: 90s, 15m, 2h)` });
    return z.NEVER;
  }
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 'ms'] ?? 1;
  return Number(match[1]) * unit;
});

export const positiveNumber = z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0');

export const archivePath = z.string({ error: 'is required' }).min(1, 'is required');

/** --dc / --api-base / --accounts-base / --network → endpoints (validated in core). */
export const endpointFlags = z.object({
  dc: z.string().optional(),
  apiBase: z.string().optional(),
  accountsBase: z.string().optional(),
  network: z.string().optional(),
});

export function endpointsFrom(flags: z.infer<typeof endpointFlags>): Endpoints {
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

/** --quota family=perMinute[/lockDuration], repeatable: per-family overrides of the pacing. */
export function parseQuotaOverrides(values: readonly string[]): FamilyOverrides {
  const overrides: FamilyOverrides = {};
  for (const value of values) {
    const match = /^([a-z.]+)=(\d+(?:\.\d+)?)(?:\/(.+))?$/.exec(value.trim());
    const family = match?.[1];
    if (!match || family === undefined || !isFamily(family)) {
      throw new VaultError('USAGE', `--quota "${value}" is not family=perMinute[/lock].`, {
        hint: `Families: ${familyNames.join(', ')}. Example: --quota maint.messages=6/10m`,
      });
    }
    const lock = match[3] === undefined ? undefined : duration.safeParse(match[3]);
    if (lock && !lock.success) throw new VaultError('USAGE', `--quota "${value}": "${match[3]}" is not a duration.`);
    overrides[family] = { perMinute: Number(match[2]), ...(lock?.success ? { lockMs: lock.data } : {}) };
  }
  return overrides;
}
