/**
 * A child program for store.test.ts (bundled by esbuild, run inside `unshare -rm` with a small
 * tmpfs): for each size after `argv[2]`, puts that many bytes, in 64 KiB chunks, into the file
 * store of the archive `argv[2]` and prints the outcome as one JSON line.
 */
import { openFileStore } from '../../../electron/core/files';
import { isVaultError } from '../../../shared/errors';

async function* bytes(total: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += 1 << 16) {
    await Promise.resolve(); // as a network body does, between chunks
    yield new Uint8Array(Math.min(1 << 16, total - sent)).fill(sent >> 16);
  }
}

const [archive = '', ...sizes] = process.argv.slice(2);
const store = openFileStore(archive);
for (const size of sizes) {
  try {
    const result = await store.put(bytes(Number(size)));
    console.log(JSON.stringify({ ok: true, result }));
  } catch (error) {
    console.log(JSON.stringify(isVaultError(error) ? { ok: false, error: error.toShape() } : { ok: false, error: String(error) }));
  }
}
