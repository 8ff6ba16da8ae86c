import { randomBytes } from 'node:crypto';
import { VaultError } from '../../../shared/errors';
import { keyFromEnv, keyFromMessage, keyToMessage, type ArchiveKey, type KeyMessage } from '../cipher';
import { keyBytes, sameKey } from '../cipher/archiveKey';
import { keyringFromText, keyringToText, passphraseSeal, type PassphraseSeal, type ReadKeyring } from '../cipher/keyring';
import type { ArchiveKeyStore, KeyringStatus } from './ports';

/**
 * Where the desktop keeps its keyring's text: a file whose content the OS secret store encrypts
 * (electron/main/archiveKeys.ts). `serve` has none: its keys live in memory only.
 */
export interface KeyringVault {
  /** The kept text; undefined when nothing is kept. Rejects when the OS store cannot decrypt it. */
  read(): Promise<string | undefined>;
  /** Keeps the text (atomically: the earlier text stays until the new one is whole on disk). */
  write(text: string): Promise<void>;
  /** Whether keys can be kept safely now (an OS key store, or weak storage the user allowed). */
  canKeep(): boolean;
}

/** The host's keyring: the port the workers ask, plus the keys every call carries to them. */
export interface HostKeyring extends ArchiveKeyStore {
  /** Every key held, the newest first (none while a passphrase-protected keyring is locked). */
  keys(): KeyMessage[];
}

const label = (index: number) => (index === 0 ? "the app's archive key" : `the app's archive key from before (${index})`);

/** The desktop's keyring: what its vault keeps, read once as the app starts. */
export async function openHostKeyring(vault: KeyringVault): Promise<HostKeyring> {
  try {
    const text = await vault.read();
    return hostKeyring({ vault, kept: text === undefined ? undefined : keyringFromText(text) });
  } catch (error) {
    // A locked OS keyring, a file from another machine: what is kept is never written over, and
    // archives still open with their own passphrase meanwhile.
    const unreadable =
      error instanceof VaultError
        ? error
        : new VaultError('KEYRING_DAMAGED', "The archive keys kept in this computer's secret store cannot be read.", {
            cause: error,
            hint: 'Unlock the OS keyring and restart Cliq Vault. Nothing was changed; an encrypted archive can still be opened with its own passphrase.',
          });
    return hostKeyring({ vault, unreadable });
  }
}

/** `serve`'s keyring (and tests'): the process's keys, and passphrases typed this session, in memory only. */
export function sessionKeyring(initial: readonly ArchiveKey[] = []): HostKeyring {
  return hostKeyring({ initial });
}

/**
 * The keyring of a shell. With a vault (the desktop), keys are random, kept in the vault and, if
 * the user asked, sealed under a passphrase; without one (`serve`), keys are the process's own
 * (CLIQ_VAULT_KEY, --key-file) and the passphrases typed this session.
 */
function hostKeyring(options: { vault?: KeyringVault; kept?: ReadKeyring | undefined; unreadable?: VaultError; initial?: readonly ArchiveKey[] }): HostKeyring {
  const { vault, unreadable } = options;
  /** Keys from the vault (raw, newest first). */
  let kept: Buffer[] = options.kept?.sealed === false ? options.kept.keys : [];
  /** Keys of this session only: the process's, and passphrases that opened an archive. */
  let session: ArchiveKey[] = [...(options.initial ?? [])];
  /** A sealed keyring not yet unlocked, and the passphrase's seal once it is. */
  let locked: Extract<ReadKeyring, { sealed: true }> | null = options.kept?.sealed === true ? options.kept : null;
  let seal: PassphraseSeal | null = null;

  /** Every key held, each once: this session's first, then the kept ones, newest first. */
  const heldKeys = (): ArchiveKey[] => {
    const all: ArchiveKey[] = [];
    for (const key of [...session, ...keptKeys()]) if (!all.some((held) => sameKey(held, key))) all.push(key);
    return all;
  };
  const keptKeys = (): ArchiveKey[] => kept.map((key, index) => ({ kind: 'raw', key, origin: label(index) }));
  const keep = async (next: Buffer[], nextSeal: PassphraseSeal | null) => {
    if (vault === undefined) throw new VaultError('USAGE', 'Keys are not kept here: this shell holds them for this session only.');
    if (unreadable !== undefined) throw unreadable;
    await vault.write(keyringToText(next, nextSeal));
    kept = next;
    seal = nextSeal;
  };
  const requireVault = (): KeyringVault => {
    if (vault === undefined) {
      throw new VaultError('USAGE', 'This server keeps no archive keys of its own: a passphrase typed here is the key itself.', {
        ui: { message: 'Keys are not kept by this server: the passphrase you type is the archive key itself.' },
      });
    }
    if (!vault.canKeep()) {
      throw new VaultError('AUTH_FAILED', "This computer has no keyring to keep the archive's key safe, so the archive was not encrypted.", {
        ui: {
          message: "This computer has no keyring to keep the archive's key safe, so the archive was not encrypted.",
          hint: 'Install or unlock a keyring (gnome-keyring, KWallet), or allow weak storage in Settings.',
        },
      });
    }
    return vault;
  };
  const requireUnlocked = () => {
    if (locked !== null) {
      throw new VaultError('ARCHIVE_KEY_REQUIRED', 'The archive keys kept here are locked by a passphrase.', {
        ui: { message: 'The archive keys kept here are locked by a passphrase.', hint: 'Unlock them first.' },
      });
    }
  };

  return {
    keys: () => heldKeys().map(keyToMessage),
    status(): Promise<KeyringStatus> {
      return Promise.resolve({
        store: vault === undefined ? 'memory' : 'os',
        keys: heldKeys().length,
        passphrase: locked !== null || seal !== null,
        locked: locked !== null,
        unreadable: unreadable !== undefined,
      });
    },
    async unlock(passphrase) {
      if (locked !== null) {
        const attempt = await passphraseSeal(passphrase, locked.salt);
        const keys = locked.open(attempt);
        if (keys !== null) {
          kept = keys;
          seal = attempt;
          locked = null;
          return keptKeys().map(keyToMessage);
        }
      }
      // Not the keyring's passphrase (or none is set): perhaps the archive's own (CLIQ_VAULT_KEY).
      return [keyToMessage({ kind: 'passphrase', passphrase: checkedPassphrase(passphrase), origin: 'the passphrase typed in' })];
    },
    use(message) {
      const key = keyFromMessage(message);
      session = [key, ...session.filter((held) => !sameKey(held, key))];
      return Promise.resolve();
    },
    async create({ passphrase }) {
      if (vault === undefined) {
        // serve: the passphrase is the key (as CLIQ_VAULT_KEY would be).
        if (passphrase === undefined) {
          throw new VaultError('USAGE', 'Type a passphrase for the archive: this server keeps no keys of its own.', {
            ui: { message: 'Type a passphrase for the archive: this server keeps no keys of its own.' },
          });
        }
        const typed: ArchiveKey = { kind: 'passphrase', passphrase: checkedPassphrase(passphrase), origin: 'the passphrase typed in' };
        session = [typed, ...session];
        return keyToMessage(typed);
      }
      requireVault();
      requireUnlocked();
      const nextSeal = passphrase === undefined ? seal : await passphraseSeal(checkedPassphrase(passphrase));
      // Kept (with every earlier key) before anyone encrypts with it: a crash now loses no key.
      await keep([randomBytes(keyBytes), ...kept], nextSeal);
      return keptKeys().map(keyToMessage)[0] as KeyMessage;
    },
    async protect(passphrase) {
      requireVault();
      requireUnlocked();
      await keep(kept, passphrase === null ? null : await passphraseSeal(checkedPassphrase(passphrase)));
    },
  };
}

/** A typed passphrase, held to the same rule as CLIQ_VAULT_KEY's (at least 8 characters). */
function checkedPassphrase(passphrase: string): string {
  const key = keyFromEnv({ passphrase }, 'passphrase');
  if (key?.kind !== 'passphrase') throw new VaultError('USAGE', 'Type the passphrase.', { ui: { message: 'Type the passphrase.' } });
  return key.passphrase;
}
