import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ReadableStream } from 'node:stream/web';
import { VaultError } from '../../../shared/errors';
import { errorCodeOf, fileFailure, fsyncDir } from '../backup/files';
import { cancelled, systemClock, throwIfAborted, type Clock } from '../util/clock';
import { testPausePoint } from '../util/testPause';
// Not the cipher index: it brings the SQLite driver, which the store (bundled alone by a test) does without.
import { fileKey } from '../cipher/archiveKey';
import { archiveKey, fileKind, fileSalt } from '../cipher/keyState';
import { FileSealer, fileStoreKey, openSealed, plainSize } from './sealedFile';

/**
 * A file's bytes as they arrive: any async iterable of byte chunks (a fetch body, a Node stream,
 * a generator) or a web ReadableStream.
 */
export type FileSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

export interface PutOptions {
  /** The size announced for the file (Content-Length, the API's file size): any other is refused. */
  expectedSize?: number;
  /** Refuse a file larger than this; reading stops at the first byte past it. */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface PutResult {
  /** SHA-256 of the bytes, 64 lowercase hex: the object's name. */
  sha256: string;
  size: number;
  /** Where the object lives (read-only). */
  path: string;
  /** The store already held these bytes: nothing new was written. */
  deduplicated: boolean;
}

export interface ObjectVerification {
  /** The object's bytes still hash to its name. */
  ok: boolean;
  /** What they hash to now, when that differs. */
  actualSha256?: string;
  size: number;
}

export interface FileStoreOptions {
  /** Tells the age of temp files for {@link FileStore.removeStaleTemp}. */
  clock?: Pick<Clock, 'now'>;
  /**
   * The store's key (files/sealedFile.ts fileStoreKey): objects are then written sealed
   * (AES-256-GCM in chunks), and `read`, `stat` and `verify` give and check the files' own bytes.
   * Names stay the SHA-256 of those bytes. Absent: the store of an encrypted archive opened with
   * the process key is sealed ({@link storeKeyOf}), any other is plain; `undefined`: plain.
   */
  key?: Buffer | undefined;
}

/**
 * The files of one archive, content-addressed: each object is named by the SHA-256 of its bytes
 * (`sha256/ab/cd/<64 hex>`), written once, read-only, never overwritten or deleted here.
 */
export interface FileStore {
  /** `<archive>.files`, absolute. */
  readonly root: string;
  /** Its objects are sealed (the archive is encrypted): read them with `read`, never from `pathOf`. */
  readonly sealed: boolean;
  /**
   * Streams `source` into the store (never held whole in memory; the next chunk is read only once
   * the last one is written), returning its hash. Refusals and failures leave nothing behind:
   * DOWNLOAD_INCOMPLETE (size differs from `expectedSize`), FILE_TOO_LARGE (past `maxBytes`),
   * CANCELLED, IO_ERROR (a full disk among others), or the source's own error.
   */
  put(source: FileSource, options?: PutOptions): Promise<PutResult>;
  /** Whether the object is stored. USAGE for anything but 64 lowercase hex. */
  has(sha256: string): Promise<boolean>;
  /** The object's path (whether or not it exists). USAGE for anything but 64 lowercase hex. */
  pathOf(sha256: string): string;
  /** The object's size in bytes, or null when it is not stored. */
  stat(sha256: string): Promise<number | null>;
  /** Re-hashes the object (streamed). NOT_FOUND when it is not stored. */
  verify(sha256: string, signal?: AbortSignal): Promise<ObjectVerification>;
  /**
   * The object's own bytes, streamed (opened from its sealed form when the store has a key, each
   * chunk authenticated first: TAMPERED otherwise). NOT_FOUND when it is not stored.
   */
  read(sha256: string): AsyncIterable<Buffer>;
  /** Every stored object's hash, in order, read folder by folder. */
  list(): AsyncIterable<string>;
  /**
   * Removes temp files (our naming only, only in tmp/) last modified `olderThanMs` or more ago, as
   * the clock tells: what crashed writers left. A live put refreshes its file's time with every
   * write, so a period far above a stalled download's (an hour) is safe. 'all': every temp file,
   * for a caller that knows no put is live (the sync, holding the writer lease). Returns the names
   * removed.
   */
  removeStaleTemp(olderThanMs: number | 'all'): Promise<string[]>;
}

const hashPattern = /^[0-9a-f]{64}$/;
const tempPattern = /^put-\d+-[0-9a-f]{16}\.partial$/;
const shardPattern = /^[0-9a-f]{2}$/;

/** The store's folder for an archive: `/srv/acme.sqlite` → `/srv/acme.sqlite.files`. */
export function fileStoreRoot(archivePath: string): string {
  return `${resolve(archivePath)}.files`;
}

/** Whether `value` can name an object: 64 lowercase hex, nothing else. */
export function isSha256(value: string): boolean {
  return hashPattern.test(value);
}

/** Opens (without touching the disk: folders are made by the first put) the file store of an archive. */
export function openFileStore(archivePath: string, options: FileStoreOptions = {}): FileStore {
  const clock = options.clock ?? systemClock;
  const key = 'key' in options ? options.key : storeKeyOf(archivePath);
  const root = fileStoreRoot(archivePath);
  const tmpDir = join(root, 'tmp');
  const objectsDir = join(root, 'sha256');

  const pathOf = (sha256: string): string => {
    if (!isSha256(sha256)) {
      throw new VaultError('USAGE', `${JSON.stringify(sha256.slice(0, 80))} is not a SHA-256 (64 lowercase hex digits).`, {
        hint: 'Stored files are named by the SHA-256 of their bytes.',
      });
    }
    return join(objectsDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  const failure = (error: unknown): VaultError => storeFailure(root, error);

  const io = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      throw failure(error);
    }
  };

  const flush = (dir: string): void => {
    try {
      fsyncDir(dir);
    } catch (error) {
      throw failure(error);
    }
  };

  const statOf = async (sha256: string): Promise<number | null> => {
    const path = pathOf(sha256);
    try {
      const facts = await stat(path);
      if (!facts.isFile()) return null;
      // A sealed object's own size; a size no file seals to is reported as -1 (verify calls it altered).
      return key === undefined ? facts.size : (plainSize(facts.size) ?? -1);
    } catch (error) {
      if (errorCodeOf(error) === 'ENOENT') return null;
      throw failure(error);
    }
  };

  /** Durably names `temp` as `final` without replacing anything there; true when `final` existed. */
  const place = async (temp: string, sha256: string, size: number): Promise<boolean> => {
    const final = pathOf(sha256);
    const dir = dirname(final);
    const created = await io(() => mkdir(dir, { recursive: true }));
    let existed = false;
    try {
      // A hard link is the one way to add a name that fails, atomically, if the name is taken: two
      // writers of the same bytes never replace each other's object.
      await link(temp, final);
    } catch (error) {
      const code = errorCodeOf(error);
      if (code === 'EEXIST') existed = true;
      else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EMLINK') {
        // No hard links on this file system (FAT, some shares): check, then rename. A writer racing
        // us between the two puts the same bytes under the same name.
        existed = (await statOf(sha256)) !== null;
        if (!existed) await io(() => rename(temp, final));
      } else throw failure(error);
    }
    if (existed) {
      const stored = await statOf(sha256);
      if (stored !== size) {
        throw new VaultError('TAMPERED', `The stored file ${final} has ${String(stored)} bytes where its name says ${size}: it was altered.`, {
          hint: 'Keep the store as it is for investigation; the new copy was not stored.',
        });
      }
      return true;
    }
    // The new entry, and every folder made for it, survive a power cut.
    let folder = dir;
    flush(folder);
    while (created !== undefined && folder !== dirname(created) && folder !== root) {
      folder = dirname(folder);
      flush(folder);
    }
    return false;
  };

  const put = async (source: FileSource, options: PutOptions = {}): Promise<PutResult> => {
    const { expectedSize, maxBytes, signal } = options;
    checkCount('expectedSize', expectedSize);
    checkCount('maxBytes', maxBytes);
    throwIfAborted(signal);
    if (expectedSize !== undefined && maxBytes !== undefined && expectedSize > maxBytes) throw tooLarge(expectedSize, maxBytes, 'announced');
    const made = await io(() => mkdir(tmpDir, { recursive: true }));
    // The store's own folder, new beside the archive, survives a power cut like the objects in it.
    if (made === root) flush(dirname(root));
    const temp = join(tmpDir, `put-${process.pid}-${randomBytes(8).toString('hex')}.partial`);
    let handle: FileHandle | undefined;
    try {
      const file = await io(() => open(temp, 'wx', 0o600));
      handle = file;
      const hash = createHash('sha256');
      let size = 0;
      // Chunks wait here until they add up to writeBatch: a write per network chunk (16-64 KiB)
      // held the store to a third of the disk's pace. Memory stays bounded by the batch.
      const pending = new WriteBatch();
      const sealer = key === undefined ? undefined : new FileSealer(key);
      const hold = (pieces: Uint8Array[]): number => pieces.reduce((_, piece) => pending.add(piece), 0);
      let wroteAny = false;
      const flushPending = async () => {
        await io(() => pending.writeTo(file));
        // A crash test's instant: the first bytes of a file written, nothing of it stored yet.
        if (!wroteAny && size > 0) testPausePoint('files:writing');
        wroteAny = true;
      };
      for await (const chunk of chunksOf(source, signal)) {
        if (!(chunk instanceof Uint8Array)) throw new VaultError('INTERNAL', 'A file source gave something other than bytes.');
        size += chunk.byteLength;
        if (maxBytes !== undefined && size > maxBytes) throw tooLarge(size, maxBytes, 'read');
        if (expectedSize !== undefined && size > expectedSize) throw incomplete(size, expectedSize, 'more than');
        hash.update(chunk);
        if ((sealer === undefined ? pending.add(chunk) : hold(sealer.push(chunk))) >= writeBatch) await flushPending();
      }
      if (sealer !== undefined) hold(sealer.end());
      await flushPending();
      if (expectedSize !== undefined && size !== expectedSize) throw incomplete(size, expectedSize, 'only');
      await io(async () => {
        await file.chmod(0o444);
        await file.sync();
        handle = undefined;
        await file.close();
      });
      const sha256 = hash.digest('hex');
      const path = pathOf(sha256);
      const deduplicated = await place(temp, sha256, size);
      // After a link (or a dedupe) the temp name is a second name to drop; after a rename, nothing.
      await io(() => rm(temp, { force: true }));
      return { sha256, size, path, deduplicated };
    } catch (error) {
      try {
        await handle?.close();
        await rm(temp, { force: true });
      } catch (cleanupError) {
        throw new VaultError('IO_ERROR', `Could not remove the unfinished file ${temp}.`, {
          cause: new AggregateError([error, cleanupError]),
          hint: 'Remove it by hand; it is not part of the archive.',
        });
      }
      throw error;
    }
  };

  async function* read(sha256: string): AsyncGenerator<Buffer> {
    const path = pathOf(sha256);
    const raw = async function* (): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) yield chunk;
      } catch (error) {
        if (errorCodeOf(error) === 'ENOENT') throw new VaultError('NOT_FOUND', `No stored file ${sha256} in ${root}.`, { cause: error });
        throw failure(error);
      }
    };
    yield* key === undefined ? raw() : openSealed(key, raw(), sha256);
  }

  async function* list(): AsyncGenerator<string> {
    for (const first of await namesIn(objectsDir, failure)) {
      if (!shardPattern.test(first)) continue;
      for (const second of await namesIn(join(objectsDir, first), failure)) {
        if (!shardPattern.test(second)) continue;
        for (const name of await namesIn(join(objectsDir, first, second), failure)) {
          if (isSha256(name) && name.startsWith(first + second)) yield name;
        }
      }
    }
  }

  return {
    root,
    sealed: key !== undefined,
    put,
    pathOf,
    stat: statOf,
    has: async (sha256) => (await statOf(sha256)) !== null,
    list,
    read,
    verify: async (sha256, signal) => {
      const hash = createHash('sha256');
      let size = 0;
      try {
        for await (const chunk of read(sha256)) {
          throwIfAborted(signal);
          hash.update(chunk);
          size += chunk.length;
        }
      } catch (error) {
        // A sealed object that fails its authentication no longer holds what its name says.
        if (error instanceof VaultError && error.code === 'TAMPERED') return { ok: false, actualSha256: 'unreadable', size };
        throw error;
      }
      const actual = hash.digest('hex');
      return actual === sha256 ? { ok: true, size } : { ok: false, actualSha256: actual, size };
    },
    removeStaleTemp: async (olderThanMs) => {
      // 'all': the caller knows no put is live (a sync holding the archive's writer lease).
      if (olderThanMs !== 'all') checkCount('olderThanMs', olderThanMs);
      const cutoff = olderThanMs === 'all' ? Infinity : clock.now() - olderThanMs;
      const removed: string[] = [];
      for (const name of await namesIn(tmpDir, failure)) {
        if (!tempPattern.test(name)) continue;
        const path = join(tmpDir, name);
        try {
          const facts = await lstat(path);
          if (!facts.isFile() || facts.mtimeMs > cutoff) continue;
          await unlink(path);
          removed.push(name);
        } catch (error) {
          // Its writer finished (or another clean-up got there) since the folder was read.
          if (errorCodeOf(error) === 'ENOENT') continue;
          throw failure(error);
        }
      }
      return removed;
    },
  };
}

/**
 * The store key of an encrypted archive under this process's key (the key SQLCipher gets for the
 * archive file, through HKDF): the same for its snapshots, which keep its salt. Undefined for a
 * plain archive, or when no key was given (opening the archive refuses that first).
 */
export function storeKeyOf(archivePath: string): Buffer | undefined {
  const key = archiveKey();
  if (key === undefined || fileKind(resolve(archivePath)) !== 'encrypted') return undefined;
  return fileStoreKey(fileKey(key, fileSalt(resolve(archivePath))));
}

/** A file system failure of the store; a full disk says so in words. */
function storeFailure(root: string, error: unknown): VaultError {
  if (error instanceof VaultError) return error;
  const code = errorCodeOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new VaultError('IO_ERROR', `The disk holding the archive's files is full (${code}): ${root}.`, {
      cause: error,
      hint: 'Free some space on that disk (or raise the quota) and try again. The file was not stored, and nothing partial was kept.',
    });
  }
  return fileFailure('IO_ERROR', `Could not use the archive's files in ${root}`, error, 'Check that the folder beside the archive exists and that this user may write to it.');
}

/** A folder's names, sorted; none when it does not exist (yet). */
async function namesIn(dir: string, failure: (error: unknown) => VaultError): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') return [];
    throw failure(error);
  }
}

function checkCount(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isSafeInteger(value) && value >= 0)) {
    throw new VaultError('USAGE', `${name} must be a whole number of at least 0, not ${String(value)}.`);
  }
}

function tooLarge(size: number, maxBytes: number, how: 'announced' | 'read'): VaultError {
  const what = how === 'announced' ? `is announced as ${size} bytes` : `passed ${maxBytes} bytes`;
  return new VaultError('FILE_TOO_LARGE', `The file ${what}, more than the ${maxBytes} allowed: it was not stored.`, {
    hint: 'Raise the size limit for files to keep it.',
  });
}

function incomplete(size: number, expectedSize: number, how: 'only' | 'more than'): VaultError {
  return new VaultError('DOWNLOAD_INCOMPLETE', `The file's download gave ${how} ${size} bytes of the ${expectedSize} announced: it was not stored.`, {
    hint: 'The download was cut or altered on the way; try again.',
  });
}

/** Bytes a put holds before writing them (one write call for many network chunks). */
export const writeBatch = 1 << 20;

/** Chunks received and not yet written, written in one call (and partial writes finished). */
class WriteBatch {
  private chunks: Uint8Array[] = [];
  private bytes = 0;

  /** Holds the chunk; returns the bytes now held. */
  add(chunk: Uint8Array): number {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
    return this.bytes;
  }

  async writeTo(file: FileHandle): Promise<void> {
    if (this.bytes === 0) return;
    const whole = this.chunks.length === 1 ? (this.chunks[0] as Uint8Array) : Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    let offset = 0;
    while (offset < whole.byteLength) {
      const { bytesWritten } = await file.write(whole, offset, whole.byteLength - offset);
      offset += bytesWritten;
    }
  }
}

/**
 * The source's chunks, one read at a time (a chunk is asked for only when the previous one is
 * written: backpressure). An abort ends a read that is waiting on a stalled source. Leaving early
 * (a refusal, an abort, a failed write) stops the source: a fetch body is cancelled, freeing its
 * connection.
 */
async function* chunksOf(source: FileSource, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : readerIterator(source);
  let finished = false;
  try {
    for (;;) {
      const next = await nextOrAbort(iterator, signal);
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } catch (error) {
    // A source that threw is finished: there is nothing left to stop.
    if (!(error instanceof VaultError && error.code === 'CANCELLED')) finished = true;
    throw error;
  } finally {
    if (!finished) {
      // Not awaited: a stalled source answers return() only once its pending read settles. Its
      // failure while being stopped is not this put's outcome, which is already decided.
      Promise.resolve()
        .then(() => iterator.return?.())
        .then(
          () => undefined,
          () => undefined,
        );
    }
  }
}

async function nextOrAbort<T>(iterator: AsyncIterator<T>, signal: AbortSignal | undefined): Promise<IteratorResult<T>> {
  throwIfAborted(signal);
  if (signal === undefined) return iterator.next();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([iterator.next(), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** A web ReadableStream without async iteration (older runtimes, polyfills), read through its reader. */
function readerIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}
