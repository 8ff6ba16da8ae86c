import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { VaultError } from '../../../shared/errors';
import { keyBytes } from './archiveKey';

/**
 * The desktop app's archive keys as they are kept (inside the OS secret store's own encryption):
 * 32-byte random keys, newest first, and, when the user asked for one, sealed under a passphrase
 * with scrypt and AES-256-GCM. Earlier keys stay after a key change, so snapshots taken under them
 * still open; the newest is the one new encryptions use.
 *
 * This module is pure (no file, no Electron): the host reads and writes the text.
 */

/** The text kept in the OS secret store. */
type KeyringText = { version: 1; keys: string[] } | { version: 1; sealed: { salt: string; nonce: string; tag: string; data: string } };

/** What a passphrase gives: the AES key that seals the keyring, and the salt it was stretched with. */
export interface PassphraseSeal {
  salt: Buffer;
  key: Buffer;
}

/** The same scrypt cost as an archive's passphrase (N=2^17, r=8, p=1): ~128 MiB, a few hundred ms. */
const scryptCost = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 } as const;

/** Stretches a passphrase off the calling thread (libuv's pool): the desktop host runs in Electron's main process. */
export function passphraseSeal(passphrase: string, salt: Buffer = randomBytes(16)): Promise<PassphraseSeal> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, keyBytes, scryptCost, (error, key) => (error ? reject(error) : resolve({ salt, key })));
  });
}

/** The keyring as text: its keys in hex, or sealed under `seal` when the user set a passphrase. */
export function keyringToText(keys: readonly Buffer[], seal: PassphraseSeal | null): string {
  const plain = JSON.stringify(keys.map((key) => key.toString('hex')));
  if (seal === null) return JSON.stringify({ version: 1, keys: JSON.parse(plain) as string[] } satisfies KeyringText);
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', seal.key, nonce);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const sealed = { salt: seal.salt.toString('hex'), nonce: nonce.toString('hex'), tag: cipher.getAuthTag().toString('hex'), data: data.toString('hex') };
  return JSON.stringify({ version: 1, sealed } satisfies KeyringText);
}

/** A keyring read back: its keys, or that it is sealed (with the salt its passphrase is stretched with). */
export type ReadKeyring = { sealed: false; keys: Buffer[] } | { sealed: true; salt: Buffer; open(seal: PassphraseSeal): Buffer[] | null };

/** Parses the kept text (untrusted: every level is checked). A damaged keyring is KEYRING_DAMAGED, never silently empty. */
export function keyringFromText(text: string): ReadKeyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw damaged(error);
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  if (record.version !== 1) throw damaged('not a version 1 keyring');
  if (Array.isArray(record.keys)) return { sealed: false, keys: hexKeys(record.keys) };
  const sealed: unknown = record.sealed;
  const fields = ['salt', 'nonce', 'tag', 'data'] as const;
  if (typeof sealed !== 'object' || sealed === null || !fields.every((field) => isHex((sealed as Record<string, unknown>)[field]))) {
    throw damaged('neither keys nor a sealed keyring');
  }
  const hex = (field: (typeof fields)[number]) => Buffer.from((sealed as Record<string, string>)[field] ?? '', 'hex');
  return {
    sealed: true,
    salt: hex('salt'),
    open(seal) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', seal.key, hex('nonce'));
        decipher.setAuthTag(hex('tag'));
        const plain = Buffer.concat([decipher.update(hex('data')), decipher.final()]).toString('utf8');
        return hexKeys(JSON.parse(plain) as unknown);
      } catch {
        // GCM refuses a wrong passphrase's key: the same answer as a wrong passphrase, by design.
        return null;
      }
    },
  };
}

function isHex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]*$/.test(value);
}

function hexKeys(value: unknown): Buffer[] {
  if (!Array.isArray(value) || !value.every((key) => typeof key === 'string' && /^[0-9a-f]{64}$/.test(key))) throw damaged('a key is not 64 hex digits');
  return value.map((key: string) => Buffer.from(key, 'hex'));
}

function damaged(cause: unknown): VaultError {
  return new VaultError('KEYRING_DAMAGED', "The archive keys kept in this computer's secret store cannot be read.", {
    cause,
    hint: 'Nothing was changed, and the keys are still kept as they were. An encrypted archive can still be opened with its own passphrase or key file.',
  });
}
