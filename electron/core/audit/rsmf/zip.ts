import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import { VaultError } from '../../../../shared/errors';
import type { FileStore } from '../../files/store';
import type { ZipEntry } from './events';

/** The manifest's name inside rsmf.zip, as the RSMF specification requires. */
export const manifestName = 'rsmf_manifest.json';

/**
 * rsmf.zip of one conversation, as a stream of bytes: `rsmf_manifest.json` first, then each
 * attachment file at the root (named `<sha256>[.ext]`: ids, never the names Cliq gave). Each file
 * is streamed from the archive's file store and hashed as it goes: bytes that no longer hash to
 * the SHA-256 the archive sealed fail the production (TAMPERED) rather than ship altered. The zip
 * is deterministic: fixed entry order, one mtime (the bundle's), fixed modes, no extended times.
 */
export function rsmfZip(manifest: Iterable<Buffer>, entries: readonly ZipEntry[], store: Pick<FileStore, 'read'>, mtime: Date): AsyncIterable<Buffer> {
  const zip = new ZipFile();
  // yazl emits Buffers only.
  const output = zip.outputStream as NodeJS.ReadableStream & AsyncIterable<Buffer> & { destroy(error: Error): void };
  // yazl does not pass a source stream's error on: end its output with it, so the reader fails.
  const fail = (error: Error) => {
    output.destroy(error);
  };
  zip.on('error', fail);
  const options = { mtime, mode: 0o100644, forceDosTimestamp: true };
  zip.addReadStream(Readable.from(manifest), manifestName, { ...options, compress: true });
  for (const entry of entries) {
    // Attachments are mostly compressed already (images, office files, archives): stored as they are.
    zip.addReadStreamLazy(entry.name, { ...options, compress: false }, (done) => {
      try {
        const source = Readable.from(store.read(entry.sha256));
        const check = checked(entry);
        source.on('error', fail);
        check.on('error', fail);
        done(null, source.pipe(check));
      } catch (error) {
        fail(error as Error);
      }
    });
  }
  zip.end();
  return output;
}

/** Passes the bytes on while hashing them; at the end, bytes other than the sealed ones fail the zip. */
function checked(entry: ZipEntry): Transform {
  const hash = createHash('sha256');
  return new Transform({
    transform(chunk: Buffer, _encoding, next) {
      hash.update(chunk);
      next(null, chunk);
    },
    flush(next) {
      const actual = hash.digest('hex');
      if (actual === entry.sha256) {
        next();
        return;
      }
      const error = new VaultError('TAMPERED', `The stored file ${entry.sha256} no longer hashes to its SHA-256 (it hashes to ${actual}): an RSMF production cannot carry it.`, {
        hint: 'Verify the archive and its files, restore the file from a backup, then export again.',
      });
      next(error);
    },
  });
}
