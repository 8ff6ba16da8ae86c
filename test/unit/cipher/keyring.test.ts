import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyringFromText, keyringToText, passphraseSeal } from '../../../electron/core/cipher/keyring';

/** The kept keyring's text: plain or sealed under a passphrase, and refused whole when damaged. */
describe('keyring text', () => {
  const keys = [randomBytes(32), randomBytes(32)];

  it('round-trips its keys, newest first', () => {
    const read = keyringFromText(keyringToText(keys, null));
    expect(read).toEqual({ sealed: false, keys });
  });

  it('sealed under a passphrase, names no key, and opens only with that passphrase', async () => {
    const seal = await passphraseSeal('correct horse battery staple');
    const text = keyringToText(keys, seal);
    for (const key of keys) expect(text).not.toContain(key.toString('hex'));
    const read = keyringFromText(text);
    if (!read.sealed) throw new Error('expected a sealed keyring');
    expect(read.salt.equals(seal.salt)).toBe(true);
    expect(read.open(await passphraseSeal('correct horse battery staple', read.salt))).toEqual(keys);
    expect(read.open(await passphraseSeal('correct horse battery stable', read.salt))).toBeNull();
  });

  it('a changed byte of the sealed text opens nothing (GCM authenticates it)', async () => {
    const seal = await passphraseSeal('correct horse battery staple');
    const parsed = JSON.parse(keyringToText(keys, seal)) as { sealed: { data: string } };
    const flipped = (parseInt(parsed.sealed.data.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0');
    parsed.sealed.data = flipped + parsed.sealed.data.slice(2);
    const read = keyringFromText(JSON.stringify(parsed));
    if (!read.sealed) throw new Error('expected a sealed keyring');
    expect(read.open(seal)).toBeNull();
  });

  it.each([
    ['not JSON', '{'],
    ['another version', JSON.stringify({ version: 2, keys: [] })],
    ['a short key', JSON.stringify({ version: 1, keys: ['abcd'] })],
    ['a key that is not hex', JSON.stringify({ version: 1, keys: ['z'.repeat(64)] })],
    ['neither keys nor sealed', JSON.stringify({ version: 1 })],
    ['a sealed field that is not hex', JSON.stringify({ version: 1, sealed: { salt: 'xx', nonce: '', tag: '', data: '' } })],
  ])('%s is KEYRING_DAMAGED', (_, text) => {
    expect(() => keyringFromText(text)).toThrow(expect.objectContaining({ code: 'KEYRING_DAMAGED' }) as Error);
  });
});
