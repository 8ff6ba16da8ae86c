import { z } from 'zod';
import { VaultError } from '../../shared/errors';
import { resolveEndpoints, type Endpoints } from '../core/cliq/dataCentres';
import type { Connection } from '../core/createCore';

/** Turns a zod failure on CLI flags into one USAGE error that names the flag and what to do. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown, command: string): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const flag = issue?.path[0] === undefined ? '' : `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: `;
  throw new VaultError('USAGE', `${flag}${issue?.message ?? 'invalid arguments'}.`, { hint: `See \`cliq-vault ${command} --help\`.` });
}

export { duration, parseQuotaOverrides } from '../core/cliq/quotaOverrides';

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
