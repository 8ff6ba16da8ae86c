import { build } from 'esbuild';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ReadableStream } from 'node:stream/web';
import { describe, expect, it } from 'vitest';
import { openFileStore, type FileStore } from '../../../electron/core/files';
import { writeBatch } from '../../../electron/core/files/store';
import { finished } from '../../helpers/cli';
import { useTempDir } from '../../helpers/tempDir';

const KiB = 1024;
const tick = () => Promise.resolve();
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    await tick(); // as a network body does, between chunks
    yield typeof part === 'string' ? Buffer.from(part) : part;
  }
}

/** Every file under `dir` (relative paths), or none when it does not exist. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error,
  );
}

describe('the file store', () => {
  const tempDir = useTempDir();
  const storeIn = (now = 0): { store: FileStore; archive: string; root: string } => {
    const archive = join(tempDir(), 'acme.sqlite');
    const store = openFileStore(archive, { clock: { now: () => now } });
    return { store, archive, root: `${archive}.files` };
  };
  const expectNothingStored = (root: string) => {
    expect(filesUnder(join(root, 'tmp'))).toEqual([]);
    expect(filesUnder(join(root, 'sha256'))).toEqual([]);
  };

  it('stores the exact bytes under sha256/ab/cd/<hash>, read-only, with nothing left in tmp/', async () => {
    const { store, archive, root } = storeIn();
    expect(store.root).toBe(resolve(`${archive}.files`));
    expect(existsSync(root)).toBe(false); // opening touches nothing
    const bytes = Buffer.from('minutes of the board meeting\n');
    const hash = sha256(bytes);
    const result = await store.put(chunks('minutes of ', 'the board meeting\n'));
    expect(result).toEqual({ sha256: hash, size: bytes.length, path: join(root, 'sha256', hash.slice(0, 2), hash.slice(2, 4), hash), deduplicated: false });
    expect(readFileSync(result.path)).toEqual(bytes);
    expect(statSync(result.path).mode & 0o777).toBe(0o444);
    expect(filesUnder(join(root, 'tmp'))).toEqual([]);
    expect(await store.has(hash)).toBe(true);
    expect(await store.stat(hash)).toBe(bytes.length);
    expect(await store.verify(hash)).toEqual({ ok: true, size: bytes.length });
  });

  it('stores an empty file (zero bytes, zero chunks)', async () => {
    const { store } = storeIn();
    const result = await store.put(chunks());
    expect(result).toMatchObject({ sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 0, deduplicated: false });
    expect(readFileSync(result.path)).toHaveLength(0);
    expect(await store.stat(result.sha256)).toBe(0);
  });

  it('streams a 20 MB source to disk in batches: a chunk is asked for only once all but the last batch is written', async () => {
    const { store, root } = storeIn();
    const chunkSize = 64 * KiB;
    const count = 320; // 20 MiB
    const expected = createHash('sha256');
    const writtenBeforeEachRead: number[] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < count; i += 1) {
        // What the store has written so far, when it asks for the next chunk.
        const temp = readdirSync(join(root, 'tmp'));
        expect(temp).toHaveLength(1);
        writtenBeforeEachRead.push(statSync(join(root, 'tmp', temp[0] ?? '')).size);
        await tick();
        const chunk = Buffer.alloc(chunkSize, i % 251);
        chunk.writeUInt32BE(i, 0);
        expected.update(chunk);
        yield chunk;
      }
    }
    const result = await store.put(source());
    expect(result).toMatchObject({ sha256: expected.digest('hex'), size: count * chunkSize, deduplicated: false });
    // Never far ahead of the disk (backpressure) and never holding the file: when chunk i is asked
    // for, every byte before it is on disk but for less than one write batch (1 MiB) held to be
    // written at once. (process.memoryUsage().arrayBuffers is no proof: it counts chunks the
    // garbage collector has not freed yet, so it is not asserted.)
    const perBatch = writeBatch / chunkSize;
    expect(writtenBeforeEachRead).toEqual(Array.from({ length: count }, (_, i) => Math.floor(i / perBatch) * writeBatch));
    expect(statSync(result.path).size).toBe(count * chunkSize);
    expect((await store.verify(result.sha256)).ok).toBe(true);
  });

  it('accepts a web ReadableStream (a fetch body), and one without async iteration through its reader', async () => {
    const { store } = storeIn();
    const parts = ['attach', 'ment'].map((s) => new TextEncoder().encode(s));
    const stream = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const part of parts) controller.enqueue(part);
          controller.close();
        },
      });
    const result = await store.put(stream());
    expect(result).toMatchObject({ sha256: sha256(Buffer.from('attachment')), size: 10 });
    const readerOnly = stream();
    const bare = { getReader: () => readerOnly.getReader() } as unknown as ReadableStream<Uint8Array>;
    expect(await store.put(bare)).toMatchObject({ sha256: result.sha256, deduplicated: true });
  });

  it('dedupes: the same bytes again make no second object, leave no temp file and keep the first object untouched', async () => {
    const { store, root } = storeIn();
    const first = await store.put(chunks('same bytes'));
    const inode = statSync(first.path).ino;
    const second = await store.put(chunks('same ', 'bytes'));
    expect(second).toEqual({ ...first, deduplicated: true });
    expect(statSync(first.path).ino).toBe(inode);
    expect(filesUnder(join(root, 'tmp'))).toEqual([]);
    expect(filesUnder(join(root, 'sha256'))).toHaveLength(1);
    const other = await store.put(chunks('other bytes'));
    const listed: string[] = [];
    for await (const hash of store.list()) listed.push(hash);
    expect(listed).toEqual([first.sha256, other.sha256].sort());
  });

  it('refuses a body shorter than announced (a cut download) and one longer, stopping at the first extra byte; nothing left', async () => {
    const { store, root } = storeIn();
    expect(await refusal(store.put(chunks('12345', '678'), { expectedSize: 10 }))).toMatchObject({
      code: 'DOWNLOAD_INCOMPLETE',
      message: expect.stringContaining('only 8 bytes of the 10 announced') as unknown,
    });
    expectNothingStored(root);
    let pulled = 0;
    async function* longer(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1;
        await tick();
        yield Buffer.from('abcd');
      }
    }
    expect(await refusal(store.put(longer(), { expectedSize: 10 }))).toMatchObject({ code: 'DOWNLOAD_INCOMPLETE' });
    expect(pulled).toBe(3);
    expectNothingStored(root);
  });

  it('refuses more than maxBytes as soon as the limit is passed, stops the source, and leaves nothing', async () => {
    const { store, root } = storeIn();
    let pulled = 0;
    let stopSource: () => void = () => undefined;
    const stopped = new Promise<void>((done) => (stopSource = done));
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          pulled += 1;
          await tick();
          yield new Uint8Array(64 * KiB);
        }
      } finally {
        stopSource();
      }
    }
    expect(await refusal(store.put(endless(), { maxBytes: 200 * KiB }))).toMatchObject({ code: 'FILE_TOO_LARGE', message: expect.stringContaining('passed 204800 bytes') as unknown });
    await stopped;
    expect(pulled).toBe(4);
    expectNothingStored(root);
    // An announced size above the limit is refused before anything is read.
    pulled = 0;
    expect(await refusal(store.put(endless(), { maxBytes: 10, expectedSize: 11 }))).toMatchObject({ code: 'FILE_TOO_LARGE' });
    expect(pulled).toBe(0);
  });

  it('an abort mid-stream is CANCELLED with nothing left, even while the source stalls', async () => {
    const { store, root } = storeIn();
    const controller = new AbortController();
    let pulled = 0;
    async function* source(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1;
        if (pulled === 3) controller.abort();
        await tick();
        yield Buffer.from('chunk');
      }
    }
    expect(await refusal(store.put(source(), { signal: controller.signal }))).toMatchObject({ code: 'CANCELLED' });
    expectNothingStored(root);

    const stalled = new AbortController();
    let reading: () => void = () => undefined;
    const waiting = new Promise<void>((done) => (reading = done));
    async function* stalls(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('first');
      reading();
      await new Promise<never>(() => undefined); // a connection that never sends another byte
    }
    const put = refusal(store.put(stalls(), { signal: stalled.signal }));
    await waiting;
    stalled.abort();
    expect(await put).toMatchObject({ code: 'CANCELLED' });
    expectNothingStored(root);
  });

  it('a source that fails mid-way (a connection reset) fails the put with its own error; nothing stored', async () => {
    const { store, root } = storeIn();
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    async function* source(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(64 * KiB);
      await tick();
      yield new Uint8Array(64 * KiB);
      throw reset;
    }
    expect(await refusal(store.put(source()))).toBe(reset);
    expectNothingStored(root);
  });

  it('verify catches a tampered object; NOT_FOUND for a missing one', async () => {
    const { store } = storeIn();
    const result = await store.put(chunks('evidence'));
    chmodSync(result.path, 0o644);
    const bytes = readFileSync(result.path);
    bytes[3] = (bytes[3] ?? 0) ^ 0x01;
    writeFileSync(result.path, bytes);
    expect(await store.verify(result.sha256)).toEqual({ ok: false, actualSha256: sha256(bytes), size: 8 });
    // A second put of the true bytes does not repair or replace the evidence of tampering.
    await store.put(chunks('evidence'));
    expect(readFileSync(result.path)).toEqual(bytes);
    const missing = 'a'.repeat(64);
    expect(await refusal(store.verify(missing))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await store.has(missing)).toBe(false);
    expect(await store.stat(missing)).toBeNull();
  });

  it('a stored object of another size than its name says is TAMPERED on dedupe, and the new copy is not stored', async () => {
    const { store, root } = storeIn();
    const result = await store.put(chunks('evidence'));
    chmodSync(result.path, 0o644);
    writeFileSync(result.path, 'evidence, altered');
    expect(await refusal(store.put(chunks('evidence')))).toMatchObject({ code: 'TAMPERED' });
    expect(readFileSync(result.path, 'utf8')).toBe('evidence, altered');
    expect(filesUnder(join(root, 'tmp'))).toEqual([]);
  });

  it('pathOf (and every lookup) builds paths only from 64 lowercase hex', async () => {
    const { store, root } = storeIn();
    const good = 'ab'.repeat(32);
    expect(store.pathOf(good)).toBe(join(root, 'sha256', 'ab', 'ab', good));
    for (const bad of ['../x', `../${good.slice(3)}`, good.toUpperCase(), good.slice(1), `${good}0`, `${good.slice(0, 63)}g`, `${good.slice(0, 62)}/.`, '']) {
      expect(() => store.pathOf(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE' }) as Error);
      expect(await refusal(store.has(bad))).toMatchObject({ code: 'USAGE' });
      expect(await refusal(store.verify(bad))).toMatchObject({ code: 'USAGE' });
    }
  });

  it('list ignores anything that is not an object in its place', async () => {
    const { store, root } = storeIn();
    const result = await store.put(chunks('kept'));
    const misplaced = 'cd'.repeat(32);
    mkdirSync(join(root, 'sha256', 'ab', 'ab'), { recursive: true });
    writeFileSync(join(root, 'sha256', 'ab', 'ab', misplaced), 'x');
    writeFileSync(join(root, 'sha256', 'notes.txt'), 'x');
    const listed: string[] = [];
    for await (const hash of store.list()) listed.push(hash);
    expect(listed).toEqual([result.sha256]);
  });

  it('removeStaleTemp removes only our temp files older than the period, on the injected clock', async () => {
    const now = Date.UTC(2026, 0, 10, 12);
    const { store, root } = storeIn(now);
    expect(await store.removeStaleTemp(3_600_000)).toEqual([]); // no tmp/ yet
    const tmp = join(root, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const old = 'put-4242-0123456789abcdef.partial';
    const young = 'put-4243-fedcba9876543210.partial';
    const foreign = ['notes.partial', 'put-1-xyz.partial', 'put-4244-0123456789abcdef.partial.bak'];
    for (const name of [old, young, ...foreign]) writeFileSync(join(tmp, name), 'partial');
    mkdirSync(join(tmp, 'put-4245-0123456789abcdef.partial'));
    const hoursAgo = (h: number) => (now - h * 3_600_000) / 1000;
    for (const name of [old, ...foreign, 'put-4245-0123456789abcdef.partial']) utimesSync(join(tmp, name), hoursAgo(5), hoursAgo(5));
    utimesSync(join(tmp, young), hoursAgo(0.5), hoursAgo(0.5));
    const stored = await store.put(chunks('an object is never touched'));
    expect(await store.removeStaleTemp(3_600_000)).toEqual([old]);
    expect(readdirSync(tmp).sort()).toEqual([...foreign, 'put-4245-0123456789abcdef.partial', young].sort());
    expect(existsSync(stored.path)).toBe(true);
  });

  /** Whether this machine lets a process mount a tmpfs in its own namespace. */
  const canMountSmallDisk = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt']).status === 0;

  it.runIf(canMountSmallDisk)("a really full disk (a 256 KiB tmpfs): IO_ERROR says the disk holding the archive's files is full; no partial object", async () => {
    const dir = tempDir();
    const program = join(dir, 'putOnSmallDisk.mjs');
    await build({ entryPoints: [join(import.meta.dirname, 'putOnSmallDisk.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node22', outfile: program, logLevel: 'silent' });
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    // The same disk, in the child's own mount namespace (as test/reliability/faults/disk.test.ts
    // does for the CLI): a 1 MiB put cannot fit; then a 100 KiB one must, which it could not if
    // the first had left its partial file behind.
    const script = [
      'mount -t tmpfs -o size=256k tmpfs "$DISK" || exit 99',
      '"$NODE" "$PROGRAM" "$DISK/acme.sqlite" 1048576 102400 || exit 98',
      'echo "::left::"',
      'cd "$DISK" && find . -type f | sort',
    ].join('\n');
    const result = await finished(spawn('unshare', ['-rm', 'sh', '-c', script], { env: { ...process.env, DISK: disk, NODE: process.execPath, PROGRAM: program }, stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(result.code, result.stderr).toBe(0);
    const [outcomes = '', listing = ''] = result.stdout.split('::left::\n');
    const [full, fits] = outcomes
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { ok: boolean; error?: unknown; result?: { sha256: string } });
    expect(full).toMatchObject({
      ok: false,
      error: {
        code: 'IO_ERROR',
        message: expect.stringMatching(/^The disk holding the archive's files is full \(ENOSPC\)/) as unknown,
        hint: expect.stringMatching(/Free some space.*nothing partial was kept/) as unknown,
      },
    });
    expect(fits).toMatchObject({ ok: true });
    const hash = fits?.result?.sha256 ?? '';
    expect(listing.split('\n').filter((line) => line !== '')).toEqual([`./acme.sqlite.files/sha256/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`]);
  });
});
