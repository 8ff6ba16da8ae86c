import { existsSync } from 'node:fs';
import { z } from 'zod';
import { VaultError } from '../../shared/errors';
import { createSigningKey, ephemeralSigner, readSigningKey, type BundleSigner } from '../core/audit';
import type { FlagSpec } from './flagTable';

/** The environment variable naming the default signing key file (for schedules). */
export const signingKeyEnv = 'CLIQ_VAULT_SIGNING_KEY_FILE';

export const signingKeySpec: FlagSpec<z.ZodOptional<z.ZodString>> = {
  flag: '--signing-key <path>',
  description: `the Ed25519 key file (PKCS#8 PEM, mode 600) that signs the bundle; default ${signingKeyEnv}, else a key made for this bundle only (ephemeral)`,
  schema: z.string().min(1, 'is required').optional(),
};

export const newSigningKeySpec: FlagSpec<z.ZodOptional<z.ZodString>> = {
  flag: '--new-signing-key <path>',
  description: 'sign with this key file, creating it first (mode 600) when it does not exist',
  schema: z.string().min(1, 'is required').optional(),
};

/**
 * The signer of a bundle or a hand-over, as the CLI takes it: --signing-key F, --new-signing-key F
 * (read when F exists, else created, like encrypt's --new-key-file), CLIQ_VAULT_SIGNING_KEY_FILE,
 * or else an ephemeral key (the bundle says so: it proves integrity, not who made it).
 */
export function cliSigner(signingKey: string | undefined, newSigningKey: string | undefined, env: NodeJS.ProcessEnv): BundleSigner {
  if (signingKey !== undefined && newSigningKey !== undefined) {
    throw new VaultError('USAGE', 'Both --signing-key and --new-signing-key are given: give the signing key one way.');
  }
  if (newSigningKey !== undefined) return existsSync(newSigningKey) ? readSigningKey(newSigningKey) : createSigningKey(newSigningKey);
  const path = signingKey ?? (env[signingKeyEnv] === '' ? undefined : env[signingKeyEnv]);
  return path !== undefined ? readSigningKey(path) : ephemeralSigner();
}

/** The chain-of-custody fields of a bundle from --matter and --reason, absent when not given. */
export function custodyFromFlags(flags: { matter?: string | undefined; reason?: string | undefined }): { matter?: string; reason?: string } {
  return { ...(flags.matter !== undefined ? { matter: flags.matter } : {}), ...(flags.reason !== undefined ? { reason: flags.reason } : {}) };
}
