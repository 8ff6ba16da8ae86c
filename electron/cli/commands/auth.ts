import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { archiverScopeList, archiverScopeUses, optionalScopeMark } from '../../../shared/cliqScopes';
import { exchangeGrantCode, revokeRefreshToken } from '../../core/cliq';
import { defineFlags } from '../flagTable';
import { endpointFlagTable, endpointsFrom, jsonSpec } from '../flags';
import { processIo, type Io } from '../output';

// No --network: OAuth talks to the accounts host, which knows nothing of networks.
const { dc, apiBase, accountsBase } = endpointFlagTable;
const exchangeFlags = defineFlags({
  code: { flag: '--code <code>', description: 'the grant code', schema: z.string().min(1, 'is required'), required: true },
  dc,
  apiBase,
  accountsBase,
  json: jsonSpec('print JSON'),
});
const revokeFlags = defineFlags({ dc, apiBase, accountsBase, json: jsonSpec('print JSON') });
const scopesFlags = defineFlags({ json: jsonSpec('print JSON') });

/** The scopes, one a line, each with what it adds and optional ones marked (the same words as the README and the Connect screen). */
function scopeTable(): string {
  const names = archiverScopeUses.map((use) => (use.optional ? `${use.scope} ${optionalScopeMark}` : use.scope));
  const width = Math.max(...names.map((name) => name.length));
  return archiverScopeUses.map((use, i) => `  ${(names[i] ?? '').padEnd(width)}  ${use.adds}`).join('\n');
}

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

export function authCommand(io: Io = processIo): Command {
  const auth = new Command('auth').summary('authorise Cliq Vault with Zoho (self-client grant code), or revoke it');

  exchangeFlags
    .register(
      auth
        .command('exchange')
        .summary('exchange a self-client grant code for a refresh token')
        .description(
          'In the Zoho API console, open your Self Client and generate a code with these scopes:\n\n' +
            `${archiverScopeList}\n\n` +
            `What each adds (also \`cliq-vault auth scopes\`):\n${archiverScopeUses.map((use) => `- ${use.scope}: ${use.adds}`).join('\n')}\n\n` +
            'Pass it here within its lifetime. The refresh token is printed once, to stdout only: store ' +
            'it as CLIQ_REFRESH_TOKEN in your secret store. Cliq Vault never writes it to a file.',
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = exchangeFlags.parse(raw, 'auth exchange');
      const endpoints = endpointsFrom(flags);
      const result = await exchangeGrantCode({ accountsBase: endpoints.accountsBase, credentials: clientFromEnv(io.env), code: flags.code });
      if (flags.json) io.out(`${JSON.stringify({ refreshToken: result.refreshToken })}\n`);
      else io.out(`Authorised. Store this refresh token as CLIQ_REFRESH_TOKEN in your secret store (it is shown only now):\n${result.refreshToken}\n`);
    });

  scopesFlags.register(auth.command('scopes').summary('list the read-only scopes to grant, with what each adds')).action((raw: Record<string, unknown>) => {
    const flags = scopesFlags.parse(raw, 'auth scopes');
    if (flags.json) io.out(`${JSON.stringify({ scopes: archiverScopeUses })}\n`);
    else io.out(`Grant these scopes (all read-only) to the Self Client, comma-separated:\n${archiverScopeList}\n\nWhat each adds:\n${scopeTable()}\n`);
  });

  revokeFlags.register(auth.command('revoke').summary('revoke the refresh token in CLIQ_REFRESH_TOKEN')).action(async (raw: Record<string, unknown>) => {
    const flags = revokeFlags.parse(raw, 'auth revoke');
    const endpoints = endpointsFrom(flags);
    const refreshToken = io.env.CLIQ_REFRESH_TOKEN?.trim();
    if (!refreshToken) throw new VaultError('AUTH_MISSING_CREDENTIALS', 'Set CLIQ_REFRESH_TOKEN to the token to revoke.');
    await revokeRefreshToken({ accountsBase: endpoints.accountsBase, refreshToken });
    io.out(flags.json ? `${JSON.stringify({ revoked: true })}\n` : 'Revoked. Cliq Vault can no longer read this org with that token.\n');
  });
  return auth;
}
