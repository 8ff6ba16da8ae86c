import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKeyFile, fileKey, keyFromEnv, keyFromMessage, keyToMessage, readKeyFile, type ArchiveKey } from '../../../electron/core/cipher/archiveKey';
import { keyNewFile, openKeyed } from '../../../electron/core/cipher/keyedOpen';
import { archiveKey, fileKind, useArchiveKey, useArchiveKeys } from '../../../electron/core/cipher/keyState';
import { useTempDir } from '../../helpers/tempDir';

const passphrase: ArchiveKey = { kind: 'passphrase', passphrase: 'correct horse battery staple', origin: 'CLIQ_VAULT_KEY' };

describe('archive keys', () => {
  const tempDir = useTempDir();

  it('stretches a passphrase with scrypt over the salt: the same salt gives the same key, another salt another key', () => {
    const salt = Buffer.alloc(16, 7);
    const a = fileKey(passphrase, salt);
    expect(a).toHaveLength(32);
    expect(fileKey({ ...passphrase }, Buffer.from(salt))).toEqual(a);
    expect(fileKey(passphrase, Buffer.alloc(16, 8))).not.toEqual(a);
    expect(fileKey({ ...passphrase, passphrase: 'correct horse battery stapler' }, salt)).not.toEqual(a);
    const raw: ArchiveKey = { kind: 'raw', key: Buffer.alloc(32, 1), origin: 'test' };
    expect(fileKey(raw, salt)).toEqual(Buffer.alloc(32, 1));
  });

  it('takes CLIQ_VAULT_KEY as a passphrase of 8 characters or more, and none when unset', () => {
    expect(keyFromEnv({})).toBeUndefined();
    expect(keyFromEnv({ CLIQ_VAULT_KEY: '' })).toBeUndefined();
    expect(keyFromEnv({ CLIQ_VAULT_KEY: 'long enough words' })).toEqual({ kind: 'passphrase', passphrase: 'long enough words', origin: 'CLIQ_VAULT_KEY' });
    expect(() => keyFromEnv({ CLIQ_VAULT_KEY: 'qz7#kp1' })).toThrow(/^CLIQ_VAULT_KEY is too short to protect an archive: use a passphrase of at least 8 characters/);
    // The refusal never repeats the passphrase it refused.
    expect(() => keyFromEnv({ CLIQ_VAULT_KEY: 'qz7#kp1' })).not.toThrow(/qz7#kp1/);
  });

  it('creates key files of 32 random bytes at mode 600, never over a file, and refuses ones that others can read', () => {
    const dir = tempDir();
    const path = join(dir, 'a.key');
    const made = createKeyFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(readKeyFile(path)).toEqual(made);
    expect(() => createKeyFile(path)).toThrow(expect.objectContaining({ code: 'USAGE', message: `${path} already exists; a new key file is never written over a file.` }));

    const binary = join(dir, 'b.key');
    writeFileSync(binary, Buffer.alloc(32, 9), { mode: 0o600 });
    expect(readKeyFile(binary)).toMatchObject({ kind: 'raw', key: Buffer.alloc(32, 9) });
    chmodSync(binary, 0o640);
    expect(() => readKeyFile(binary)).toThrow(expect.objectContaining({ code: 'USAGE', message: `The key file ${binary} can be read by other users (mode 640); it was not used.` }));

    const junk = join(dir, 'c.key');
    writeFileSync(junk, 'not a key\n', { mode: 0o600 });
    expect(() => readKeyFile(junk)).toThrow(/does not hold a key/);
    expect(() => readKeyFile(join(dir, 'missing.key'))).toThrow(/Cannot read the key file .*ENOENT/);
    mkdirSync(join(dir, 'folder.key'), { mode: 0o700 });
    expect(() => readKeyFile(join(dir, 'folder.key'))).toThrow(/is not a file/);
  });

  it('crosses to a worker as structured-clone data and comes back the same key', () => {
    const raw: ArchiveKey = { kind: 'raw', key: Buffer.alloc(32, 3), origin: 'the key file k' };
    expect(keyFromMessage(structuredClone(keyToMessage(raw)))).toEqual(raw);
    expect(keyFromMessage(structuredClone(keyToMessage(passphrase)))).toEqual(passphrase);
  });

  it('tells plain, encrypted and other files apart by their first bytes; an encrypted file opens with its key only', () => {
    const dir = tempDir();
    const plain = join(dir, 'plain.sqlite');
    new Database(plain).exec('CREATE TABLE t (x)').close();
    const encrypted = join(dir, 'encrypted.sqlite');
    const db = new Database(encrypted);
    keyNewFile(db, passphrase, Buffer.alloc(16, 5));
    db.exec("CREATE TABLE t (x); INSERT INTO t VALUES ('kept secret')");
    db.close();
    expect(readFileSync(encrypted).subarray(0, 16)).toEqual(Buffer.alloc(16, 5));
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'x'.repeat(4096));
    const short = join(dir, 'short.bin');
    writeFileSync(short, Buffer.alloc(100, 1));
    expect([plain, encrypted, text, short, dir, join(dir, 'none')].map(fileKind)).toEqual(['plain', 'encrypted', 'other', 'other', 'folder', 'missing']);

    expect(() => openKeyed(encrypted, { readonly: true })).toThrow(expect.objectContaining({ code: 'ARCHIVE_KEY_REQUIRED' }));
    expect(() => openKeyed(encrypted, { readonly: true, key: { ...passphrase, passphrase: 'another passphrase' } })).toThrow(
      expect.objectContaining({ code: 'ARCHIVE_KEY_WRONG', message: `The key from CLIQ_VAULT_KEY does not open ${encrypted} (a wrong key, or not an archive). Nothing was changed.` }),
    );
    const opened = openKeyed(encrypted, { readonly: true, key: passphrase });
    expect(opened.prepare('SELECT x FROM t').pluck().get()).toBe('kept secret');
    opened.close();
    expect(readFileSync(encrypted).includes(Buffer.from('kept secret'))).toBe(false);
  });

  it('tries each key of the process in turn, and tries first the one that opened last', () => {
    const dir = tempDir();
    const file = join(dir, 'encrypted.sqlite');
    const raw: ArchiveKey = { kind: 'raw', key: Buffer.alloc(32, 7), origin: 'the key file k' };
    const db = new Database(file);
    keyNewFile(db, raw, Buffer.alloc(16, 0xa9));
    db.exec('CREATE TABLE t (x)');
    db.close();
    const other: ArchiveKey = { kind: 'raw', key: Buffer.alloc(32, 8), origin: 'another key' };
    try {
      useArchiveKeys([other, raw]);
      openKeyed(file, { readonly: true }).close();
      expect(archiveKey()).toBe(raw);
      // The list handed over again (as every worker call does) keeps the key that opened it first.
      useArchiveKeys([other, raw]);
      expect(archiveKey()).toBe(raw);
      useArchiveKeys([other, { ...other, key: Buffer.alloc(32, 6) }]);
      expect(() => openKeyed(file, { readonly: true })).toThrow(expect.objectContaining({ code: 'ARCHIVE_KEY_WRONG', message: expect.stringContaining('None of the 2 keys') as unknown }));
    } finally {
      useArchiveKey(undefined);
    }
  });
});
