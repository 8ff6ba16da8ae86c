import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { archiverScopes, exchangeGrantCode, revokeRefreshToken } from '../../core/cliq/oauth';
import { endpointFlags, endpointsFrom, parseFlags } from '../flags';
import { processIo, type Io } from '../output';

const exchangeFlags = endpointFlags.extend({ code: z.string().min(1, 'is required'), json: z.boolean().default(false) });
const revokeFlags = endpointFlags.extend({ json: z.boolean().default(false) });

function clientFromEnv(env: NodeJS.ProcessEnv): { clientId: string; clientSecret: string } {
  const clientId = env.CLIQ_CLIENT_ID?.trim();
  const clientSecret = env.CLIQ_CLIENT_SECRET?.trim();
  if (!clientId || !clientSecret) {
    throw new VaultError('AUTH_MISSING_CREDENTIALS', 'Set CLIQ_CLIENT_ID and CLIQ_CLIENT_SECRET (your Zoho API client) in the environment.', {
      hint: 'Create a "Self Client" in the Zoho API console of your data centre (https://api-console.zoho.com).',
    });
  }
  return { clientId, clientSecret };
}

const endpointOptions = (command: Command) =>
  command
    .option('--dc <dc>', 'data centre: com, eu, in, com.au, com.cn, jp')
    .option('--api-base <url>', 'Cliq API base URL instead of --dc')
    .option('--accounts-base <url>', 'Zoho accounts base URL, with --api-base');

export function authCommand(io: Io = processIo): Command {
  const auth = new Command('auth').summary('authorise Cliq Vault with Zoho (self-client grant code), or revoke it');

  endpointOptions(
    auth
      .command('exchange')
      .summary('exchange a self-client grant code for a refresh token')
      .description(
        'In the Zoho API console, open your Self Client and generate a code with these scopes:\n\n' +
          `${archiverScopes.join(',')}\n\n` +
          'Pass it here within its lifetime. The refresh token is printed once, to stdout only: store ' +
          'it as CLIQ_REFRESH_TOKEN in your secret store. Cliq Vault never writes it to a file.',
      )
      .requiredOption('--code <code>', 'the grant code'),
  )
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(exchangeFlags, raw, 'auth exchange');
      const endpoints = endpointsFrom(flags);
      const result = await exchangeGrantCode({ accountsBase: endpoints.accountsBase, credentials: clientFromEnv(io.env), code: flags.code });
      if (flags.json) io.out(`${JSON.stringify({ refreshToken: result.refreshToken })}\n`);
      else io.out(`Authorised. Store this refresh token as CLIQ_REFRESH_TOKEN in your secret store (it is shown only now):\n${result.refreshToken}\n`);
    });

  endpointOptions(auth.command('revoke').summary('revoke the refresh token in CLIQ_REFRESH_TOKEN'))
    .option('--json', 'print JSON')
    .action(async (raw: Record<string, unknown>) => {
      const flags = parseFlags(revokeFlags, raw, 'auth revoke');
      const endpoints = endpointsFrom(flags);
      const refreshToken = io.env.CLIQ_REFRESH_TOKEN?.trim();
      if (!refreshToken) throw new VaultError('AUTH_MISSING_CREDENTIALS', 'Set CLIQ_REFRESH_TOKEN to the token to revoke.');
      await revokeRefreshToken({ accountsBase: endpoints.accountsBase, refreshToken });
      io.out(flags.json ? `${JSON.stringify({ revoked: true })}\n` : 'Revoked. Cliq Vault can no longer read this org with that token.\n');
    });
  return auth;
}
