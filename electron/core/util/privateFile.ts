import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { VaultError } from '../../../shared/errors';

/**
 * Reads the first bytes of a secret file (an archive key, a signing key). A file the group or
 * others may read is refused, as ssh refuses such a private key: anyone who can read it holds the
 * secret. `label` names the file in messages ("key file"), `flag` the CLI flag that gave it.
 */
export function readPrivateFile(path: string, what: { label: string; flag: string; maxBytes: number }): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new VaultError('USAGE', `Cannot read the ${what.label} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, {
      cause: error,
      hint: `Check the ${what.flag} path.`,
      ui: { message: `Cannot read the ${what.label} ${path}.`, hint: `Check the ${what.label} path.` },
    });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new VaultError('USAGE', `The ${what.label} ${path} is not a file.`, {
        hint: `Check the ${what.flag} path.`,
        ui: { message: `The ${what.label} ${path} is not a file.`, hint: `Check the ${what.label} path.` },
      });
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new VaultError('USAGE', `The ${what.label} ${path} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}); it was not used.`, {
        hint: `Make it private first: chmod 600 ${path}`,
      });
    }
    const buffer = Buffer.alloc(what.maxBytes);
    const size = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, size);
  } finally {
    closeSync(fd);
  }
}
