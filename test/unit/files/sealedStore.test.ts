import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStoreKey, plainSize, sealedSize } from '../../../electron/core/files/sealedFile';
import { openFileStore } from '../../../electron/core/files/store';
import { useTempDir } from '../../helpers/tempDir';

async function* pieces(bytes: Buffer, size = 10_000): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) {
    // A source that yields to the event loop between chunks, as a download does.
    await Promise.resolve();
    yield bytes.subarray(at, at + size);
  }
}

async function readAll(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return Buffer.concat(out);
}

describe('a sealed file store (AES-256-GCM per file)', () => {
  const tempDir = useTempDir();
  const key = fileStoreKey(Buffer.alloc(32, 4));

  it('stores files sealed under their SHA-256, and gives back their own bytes, sizes and hashes', async () => {
    const store = openFileStore(join(tempDir(), 'a.sqlite'), { key });
    const marker = Buffer.from('PRIVILEGED AND CONFIDENTIAL: merger terms');
    for (const size of [0, 1, 65_535, 65_536, 65_537, 200_000]) {
      const bytes = Buffer.concat([marker, randomBytes(size)]).subarray(0, size);
      const put = await store.put(pieces(bytes), { expectedSize: size });
      expect(put.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(statSync(put.path).size).toBe(sealedSize(size));
      expect(plainSize(sealedSize(size))).toBe(size);
      expect(await store.stat(put.sha256)).toBe(size);
      expect(await readAll(store.read(put.sha256))).toEqual(bytes);
      expect(await store.verify(put.sha256)).toEqual({ ok: true, size });
      if (size >= marker.length) expect(readFileSync(put.path).includes(marker)).toBe(false);
      expect((await store.put(pieces(bytes), { expectedSize: size })).deduplicated).toBe(true);
    }
  });

  it('refuses a changed, cut or foreign file as TAMPERED (read) or not ok (verify), and another key cannot open it', async () => {
    const dir = tempDir();
    const store = openFileStore(join(dir, 'a.sqlite'), { key });
    const bytes = randomBytes(150_000);
    const { sha256, path } = await store.put(pieces(bytes));
    const original = readFileSync(path);
    chmodSync(path, 0o644);

    const flipped = Buffer.from(original);
    flipped[70_000] = (flipped[70_000] ?? 0) ^ 1;
    writeFileSync(path, flipped);
    await expect(readAll(store.read(sha256))).rejects.toMatchObject({ code: 'TAMPERED', message: `The stored file ${sha256} fails its authentication: it was altered or damaged.` });
    expect((await store.verify(sha256)).ok).toBe(false);

    // Cut at a chunk boundary: the chunk now last was sealed as not last.
    writeFileSync(path, original.subarray(0, 12 + 65_536 + 16));
    await expect(readAll(store.read(sha256))).rejects.toMatchObject({ code: 'TAMPERED' });

    writeFileSync(path, bytes);
    await expect(readAll(store.read(sha256))).rejects.toMatchObject({ code: 'TAMPERED', message: `The stored file ${sha256} is not a sealed file: it was altered or damaged.` });

    writeFileSync(path, original);
    const other = openFileStore(join(dir, 'a.sqlite'), { key: fileStoreKey(Buffer.alloc(32, 5)) });
    await expect(readAll(other.read(sha256))).rejects.toMatchObject({ code: 'TAMPERED' });
    expect(await readAll(store.read(sha256))).toEqual(bytes);
  });

  it('without a key the store is as before: the bytes on disk are the file', async () => {
    const store = openFileStore(join(tempDir(), 'a.sqlite'));
    const bytes = randomBytes(70_000);
    const { sha256, path } = await store.put(pieces(bytes));
    expect(readFileSync(path)).toEqual(bytes);
    expect(await readAll(store.read(sha256))).toEqual(bytes);
    expect(await store.stat(sha256)).toBe(70_000);
  });
});
