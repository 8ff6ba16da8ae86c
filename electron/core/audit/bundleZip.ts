import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, createReadStream, createWriteStream, lstatSync, openSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { ZipFile } from 'yazl';
import { checkCustodyLog, custodyLogFile } from './custodyLog';
import { checkBundleSignature, publicKeyFile, signatureFile, type ManifestSignature } from './signing';
import { VaultError } from '../../../shared/errors';
import type { BundleZip } from '../../../shared/archive';
import { sha256Hex } from '../util/sha256';

/** Read-only, and a symlink put in place of a file is refused by the kernel rather than followed. */
const noFollow = constants.O_RDONLY | constants.O_NOFOLLOW;

/** What the archive's audit_log says about one bundle: where it is, when it was made, the hash of its SHA256SUMS. */
export interface RecordedBundle {
  bundlePath: string;
  bundleHash: string;
  /** When the export started (ms): every zip entry's mtime, so the same bundle always zips to the same bytes. */
  at: number;
}

/** Where a bundle's zip is kept: beside the bundle folder, so the folder itself stays exactly what SHA256SUMS lists. */
export const zipPathOf = (bundlePath: string): string => `${bundlePath}.zip`;

/**
 * Writes `<bundle>.zip` of one recorded bundle and returns its SHA-256, size and download name.
 *
 * The zip is deterministic (entries sorted by path, every mtime the bundle's creation time in UTC
 * wall-clock, fixed modes, no extended timestamps), so zipping the same bundle again gives the
 * same SHA-256: what the user is shown before downloading can be checked after. Nothing is taken
 * on trust from the folder: SHA256SUMS must hash to what the audit log recorded, the folder must
 * hold exactly the files it lists (no symlinks, nothing outside the folder), and each file is
 * hashed as it is zipped — a file changed since the export fails the zip and leaves nothing.
 * Written to a temporary name and renamed, so a download never streams a half-written zip.
 */
export async function writeBundleZip(recorded: RecordedBundle): Promise<BundleZip> {
  const root = recorded.bundlePath;
  const listed = readListing(root, recorded.bundleHash);
  const present = walk(root);
  // The signature and the custody log are the bundle's files SHA256SUMS cannot list: each is checked on its own.
  const unlisted = present.filter((path) => selfChecked.has(path));
  for (const path of present) {
    if (path !== 'SHA256SUMS' && !listed.has(path) && !selfChecked.has(path)) throw changed(`${path} is in the bundle folder but not in its SHA256SUMS: it was added since the export.`);
  }
  for (const path of listed.keys()) if (!present.includes(path)) throw changed(`${path} is listed in SHA256SUMS but missing from the bundle folder.`);
  const selfHashes = checkUnlisted(root, unlisted);

  const top = basename(root);
  const mtime = utcWallClock(recorded.at);
  const zip = new ZipFile();
  const entryOptions = { mtime, mode: 0o100644, forceDosTimestamp: true, compress: true };
  // Byte order, not locale order: the same on every machine.
  const entries = ['SHA256SUMS', ...listed.keys(), ...unlisted].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let failure: Error | undefined;
  // yazl does not pass a source stream's error on: end the zip's output with it, so the write below fails.
  const fail = (error: Error) => {
    failure ??= error;
    (zip.outputStream as NodeJS.ReadableStream & { destroy(error: Error): void }).destroy(failure);
  };
  zip.on('error', fail);
  for (const path of entries) {
    // Every entry is SHA256SUMS, listed in it, or one of the self-checked files hashed above.
    const expected = path === 'SHA256SUMS' ? recorded.bundleHash : (listed.get(path) ?? selfHashes.get(path) ?? '');
    zip.addReadStreamLazy(`${top}/${path}`, entryOptions, (done) => {
      try {
        done(null, checkedStream(root, path, expected, fail));
      } catch (error) {
        fail(error as Error);
      }
    });
  }
  zip.end();

  const zipPath = zipPathOf(root);
  const temp = join(dirname(zipPath), `.${basename(zipPath)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  const hash = createHash('sha256');
  let sizeBytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      sizeBytes += chunk.length;
      next(null, chunk);
    },
  });
  try {
    await pipeline(zip.outputStream, tap, createWriteStream(temp, { flags: 'wx' }));
    if (failure) throw failure;
    renameSync(temp, zipPath);
  } catch (error) {
    rmSync(temp, { force: true });
    throw (
      failure ??
      (error instanceof VaultError
        ? error
        : new VaultError('IO_ERROR', `Could not write ${basename(zipPath)} beside the bundle (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: error }))
    );
  }
  return { sha256: hash.digest('hex'), sizeBytes, name: `${top}.zip`, zipPath };
}

/** Files a bundle holds beside what SHA256SUMS lists: its signature, its key, its custody log. */
const selfChecked: ReadonlySet<string> = new Set([signatureFile, publicKeyFile, custodyLogFile]);

/**
 * The signature must verify over SHA256SUMS with the key manifest.json names, and the custody log's
 * chain must hold; then each such file is zipped as it is now (its hash taken here, checked as it is read).
 */
function checkUnlisted(root: string, unlisted: readonly string[]): Map<string, string> {
  if (unlisted.includes(signatureFile) || unlisted.includes(publicKeyFile)) {
    const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { signature?: Partial<ManifestSignature> };
    const signature = checkBundleSignature(root, manifest.signature, (name) => unlisted.includes(name));
    if (signature.status !== 'valid') throw changed(signature.problem ?? 'Its signature does not check.');
  }
  if (unlisted.includes(custodyLogFile)) {
    const problems = checkCustodyLog(root).problems;
    if (problems.length > 0) throw changed(`Its custody log does not check: ${problems.join(' ')}`);
  }
  return new Map(unlisted.map((path) => [path, sha256Hex(readFileSync(join(root, path)))]));
}

/** SHA256SUMS as a map path → hash, after checking it is the very file the audit log sealed. */
function readListing(root: string, bundleHash: string): Map<string, string> {
  let sums: Buffer;
  try {
    if (!lstatSync(root).isDirectory()) throw new Error('not a folder');
    const fd = openSync(join(root, 'SHA256SUMS'), noFollow);
    try {
      sums = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new VaultError('NOT_FOUND', `The bundle folder ${root} is gone or no longer holds its SHA256SUMS.`, {
      cause: error,
      hint: 'It was moved or deleted after the export: export the scope again.',
    });
  }
  if (sha256Hex(sums) !== bundleHash) throw changed('Its SHA256SUMS is not the one the archive recorded at export.');
  const listed = new Map<string, string>();
  for (const line of sums.toString('utf8').split('\n')) {
    if (line === '') continue;
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    const path = match?.[2];
    // A listed path leaving the folder would be an exporter bug or a forged listing: never followed.
    if (!match?.[1] || !path || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '' || part === '.'))
      throw changed(`SHA256SUMS has a line that is not "<sha256>  <file inside the bundle>".`);
    listed.set(path, match[1]);
  }
  return listed;
}

/** Every file under the bundle folder, as paths with '/'; a symlink anywhere is refused, whatever it points to. */
function walk(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    const stat = lstatSync(full);
    const path = relative(root, full).split(sep).join('/');
    if (stat.isSymbolicLink()) throw changed(`${path} is a symbolic link: a bundle holds only files, so it is not sent.`);
    if (stat.isDirectory()) return walk(root, full);
    if (!stat.isFile()) throw changed(`${path} is not a regular file.`);
    return [path];
  });
}

/**
 * A file's bytes, opened without following a symlink and from inside the real bundle folder,
 * hashed as they pass: a hash other than SHA256SUMS's ends the stream with an error (the zip fails).
 */
function checkedStream(root: string, path: string, expected: string, onFailure: (error: Error) => void): NodeJS.ReadableStream {
  const full = join(root, ...path.split('/'));
  if (!realpathSync(dirname(full)).startsWith(realpathSync(root))) throw changed(`${path} lies outside the bundle folder.`);
  const hash = createHash('sha256');
  // Opened here, one file at a time as yazl reaches it: a bundle of many files never holds many descriptors.
  const source = createReadStream('', { fd: openSync(full, noFollow) });
  const check = new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      next(null, chunk);
    },
    flush(next) {
      if (hash.digest('hex') === expected) return next();
      onFailure(changed(`${path} no longer has the SHA-256 its SHA256SUMS lists: it was edited since the export.`));
      next();
    },
  });
  source.on('error', onFailure);
  return source.pipe(check);
}

/** A Date whose local-time fields are the UTC ones: DOS timestamps are local time, and the zip must not depend on the server's zone. */
export function utcWallClock(ms: number): Date {
  const d = new Date(ms);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

function changed(detail: string): VaultError {
  return new VaultError('BUNDLE_INVALID', `This bundle was changed since it was exported, so it is not sent as a zip. ${detail}`, {
    hint: 'Verify the bundle to see every difference, or export the scope again.',
  });
}
