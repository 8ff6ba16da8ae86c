import { VaultError } from '../../../shared/errors';
import { newSigningKeyPem, readSigningKeyPem, signerFromPem } from '../audit/signing';
import type { Logger } from '../util/log';
import type { KeyringVault } from './archiveKeyring';
import type { SigningKeyMessage, SigningKeyStatus, SigningKeyStore } from './ports';

const ephemeralWords = 'no installation key is kept here';

/** No installation key (tests, a shell that cannot keep one): every bundle gets an ephemeral key. */
export function noSigningKey(reason: string = ephemeralWords): SigningKeyStore {
  return {
    status: () => Promise.resolve({ kind: 'ephemeral', fingerprint: null, origin: reason }),
    current: () => Promise.resolve(undefined),
  };
}

function statusOf(key: SigningKeyMessage): SigningKeyStatus {
  return { kind: 'installation', fingerprint: signerFromPem(key.pem, key.origin).fingerprint, origin: key.origin };
}

/**
 * `serve`'s key: the file --signing-key or CLIQ_VAULT_SIGNING_KEY_FILE names, read once at start
 * (a private file holding an Ed25519 key, or serve refuses to start) and held in memory.
 */
export function fileSigningKey(path: string): SigningKeyStore {
  const key: SigningKeyMessage = { pem: readSigningKeyPem(path), origin: `the signing key ${path}` };
  const status = statusOf(key);
  return { status: () => Promise.resolve(status), current: () => Promise.resolve(key) };
}

/**
 * The desktop's key, kept in a vault the OS secret store encrypts (electron/main/archiveKeys.ts
 * makes one per file). Made on first use, and kept before it signs anything, so every bundle of
 * this installation carries the same fingerprint. A kept key that cannot be read (a locked OS
 * keyring) is never written over: bundles are signed ephemerally until it can be read again.
 * Where nothing can be kept safely, bundles are signed ephemerally and say so.
 */
export function keptSigningKey(vault: KeyringVault, log: Logger): SigningKeyStore {
  const origin = "this installation's key, kept in the OS secret store";
  let held: SigningKeyMessage | undefined;
  let pending: Promise<SigningKeyMessage | undefined> | null = null;
  let problem: string | null = null;

  async function load(create: boolean): Promise<SigningKeyMessage | undefined> {
    if (held) return held;
    let text: string | undefined;
    try {
      text = await vault.read();
    } catch (error) {
      problem = "the key kept in this computer's secret store cannot be read now: is the OS keyring locked?";
      log.error('The bundle-signing key cannot be read; it is left as it is', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    if (text !== undefined) {
      try {
        signerFromPem(text, origin);
      } catch (error) {
        problem = "the key kept in this computer's secret store is not a signing key; it is left as it is";
        log.error('The kept bundle-signing key is damaged; it is left as it is', { error: error instanceof VaultError ? error.code : String(error) });
        return undefined;
      }
      problem = null;
      held = { pem: text, origin };
      return held;
    }
    if (!vault.canKeep()) {
      problem = 'this computer has no secret store Cliq Vault may use';
      return undefined;
    }
    if (!create) return undefined;
    const pem = newSigningKeyPem();
    // Kept first: a bundle is never signed by a key that could be lost.
    await vault.write(pem);
    problem = null;
    held = { pem, origin };
    return held;
  }

  /** One load at a time: two bundles started together must not make two keys. */
  function once(create: boolean): Promise<SigningKeyMessage | undefined> {
    if (held) return Promise.resolve(held);
    const next = (pending ?? Promise.resolve(undefined)).then(() => load(create));
    pending = next.catch(() => undefined);
    return next;
  }

  return {
    async status() {
      const key = await once(false);
      if (key) return statusOf(key);
      if (problem !== null) return { kind: 'ephemeral', fingerprint: null, origin: problem };
      // Not made yet: the first bundle makes it (so an app never used for audits keeps no key).
      return { kind: 'installation', fingerprint: null, origin: `${origin} (made with the first bundle)` };
    },
    current: () => once(true),
  };
}
