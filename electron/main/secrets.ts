import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { VaultError } from '../../shared/errors';
import type { AppInfo } from '../../shared/views';
import { type ProfileSecrets, type SecretStore } from '../core/app';
import { type Logger } from '../core/util';

/**
 * Each profile's client secret and refresh token, encrypted with Electron's safeStorage (Keychain,
 * DPAPI, libsecret/KWallet) and kept base64 in `secrets.json` (mode 0600) in userData.
 *
 * safeStorage's synchronous calls are deprecated in Electron 45 and gone in 46; so the file is
 * decrypted once at start-up into memory, `has`/`get` answer from memory, and `set`/`delete`
 * change memory at once (their promises resolve then) and reach the disk through a queue of
 * encrypt-then-write steps (atomic: temp file, fsync, rename). `flush()` waits for the queue; the
 * app awaits it before quitting. The port is asynchronous so that a service in a worker can ask
 * the main process, which keeps this store, over a message channel.
 *
 * An entry that cannot be decrypted (a locked keyring, a file from another machine) is logged and
 * reads as missing, but its ciphertext is kept on disk until that profile's secrets are replaced
 * or deleted: a keyring that is merely locked today must not cost the user their tokens.
 * Secrets are never logged.
 */

export type SecretStorageKind = AppInfo['secretStorage'];

/** Linux backends that keep the key in a real keyring; anything else (basic_text, unknown) does not. */
const keyringBackends: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * How well secrets would be kept: `os` with an OS key store; on Linux without a keyring (the
 * `basic_text` backend, a key compiled into Chromium) `weak` if the user allowed it, else
 * `unavailable`; `unavailable` too when there is no encryption at all.
 */
export function secretStorageKind(options: { available: boolean; platform: NodeJS.Platform; backend: string | null; allowWeak: boolean }): Exclude<SecretStorageKind, 'memory'> {
  if (!options.available) return 'unavailable';
  if (options.platform !== 'linux' || (options.backend !== null && keyringBackends.has(options.backend))) return 'os';
  return options.allowWeak ? 'weak' : 'unavailable';
}

export interface ElectronSecretStore extends SecretStore {
  /** Resolves once every change made so far is on disk; rejects with the last write's failure. */
  flush(): Promise<void>;
}

interface SecretsFile {
  version: 1;
  /** profile id → base64 of safeStorage's ciphertext of JSON `{ clientSecret, refreshToken }`. */
  entries: Record<string, string>;
}

function isProfileSecrets(value: unknown): value is ProfileSecrets {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.clientSecret === 'string' && typeof record.refreshToken === 'string';
}

async function readSecretsFile(path: string, log: Logger): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new VaultError('IO_ERROR', `Cannot read ${path}.`, { cause: error });
  }
  try {
    // Untrusted JSON: every level is checked before use.
    const parsed: unknown = JSON.parse(text);
    const file = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    const entries = file.entries;
    if (file.version !== 1 || typeof entries !== 'object' || entries === null) throw new Error('not a version 1 secrets file');
    return Object.fromEntries(Object.entries(entries).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch (error) {
    // Unreadable as a whole: treated as empty (the profiles will ask for their secrets again).
    log.error('The secrets file is damaged; saved credentials cannot be used', { path, error: error instanceof Error ? error.message : String(error) });
    return {};
  }
}

/** Writes `text` to `path` (mode 0600) through a temp file, fsync and rename: the old content stays until the new is whole. */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'w', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Opens the secret store in `dir` (after app ready: safeStorage needs it). */
export async function openSecretStore(options: { dir: string; allowWeak: () => boolean; log: Logger; platform?: NodeJS.Platform }): Promise<ElectronSecretStore> {
  const { dir, log } = options;
  const platform = options.platform ?? process.platform;
  const path = join(dir, 'secrets.json');
  let available: boolean;
  try {
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch (error) {
    log.error('safeStorage is not available', { error: String(error) });
    available = false;
  }
  const backend = platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null;
  const kind = () => secretStorageKind({ available, platform, backend, allowWeak: options.allowWeak() });
  log.info('Secret storage', { kind: kind(), backend });

  const ciphertexts = new Map(Object.entries(await readSecretsFile(path, log)));
  const secrets = new Map<string, ProfileSecrets>();
  const toReEncrypt: string[] = [];
  for (const [id, base64] of ciphertexts) {
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(base64, 'base64'));
      const value: unknown = JSON.parse(result);
      if (!isProfileSecrets(value)) throw new Error('not a client secret and refresh token');
      secrets.set(id, value);
      if (shouldReEncrypt) toReEncrypt.push(id);
    } catch (error) {
      // Never the plaintext: only which profile, and safeStorage's own message.
      log.warn('Saved credentials of a profile cannot be decrypted; it will ask for them again', { profile: id, error: error instanceof Error ? error.message : String(error) });
    }
  }

  let queue: Promise<void> = Promise.resolve();
  let failure: Error | null = null;
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step).then(
      () => {
        failure = null;
      },
      (error: unknown) => {
        failure = error instanceof Error ? error : new Error(String(error));
        log.error('Could not save credentials to the secrets file', { path, error: error instanceof Error ? error.message : String(error) });
      },
    );
  };
  const persist = async (changed: readonly string[]) => {
    for (const id of changed) {
      const value = secrets.get(id);
      if (value === undefined) ciphertexts.delete(id);
      else ciphertexts.set(id, (await safeStorage.encryptStringAsync(JSON.stringify(value))).toString('base64'));
    }
    await mkdir(dir, { recursive: true });
    const file: SecretsFile = { version: 1, entries: Object.fromEntries(ciphertexts) };
    await writeAtomically(path, `${JSON.stringify(file, null, 2)}\n`);
  };
  if (toReEncrypt.length > 0) enqueue(() => persist(toReEncrypt));

  return {
    get kind() {
      return kind();
    },
    has(profileId) {
      return Promise.resolve(secrets.has(profileId));
    },
    get(profileId) {
      const value = secrets.get(profileId);
      return Promise.resolve(value === undefined ? undefined : { ...value });
    },
    set(profileId, value) {
      if (kind() === 'unavailable') {
        return Promise.reject(
          new VaultError('AUTH_FAILED', 'This system has no keyring to keep the client secret and refresh token safe, so they were not saved.', {
            hint: 'Install/unlock a keyring (gnome-keyring, KWallet) or allow weak storage in Settings',
          }),
        );
      }
      secrets.set(profileId, { clientSecret: value.clientSecret, refreshToken: value.refreshToken });
      enqueue(() => persist([profileId]));
      return Promise.resolve();
    },
    delete(profileId) {
      if (secrets.delete(profileId) || ciphertexts.has(profileId)) enqueue(() => persist([profileId]));
      return Promise.resolve();
    },
    async flush() {
      await queue;
      if (failure !== null) throw failure;
    },
  };
}
