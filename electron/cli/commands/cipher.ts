import { resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { VaultError } from '../../../shared/errors';
import { decryptArchive, encryptArchive, rekeyArchive, type ConvertReport } from '../../core/backup';
import { archiveKey } from '../../core/cipher';
import { cliNewKey } from '../archiveKeyFlags';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, keyFileSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';
import { reviewed } from '../review';

const keyHelp =
  'Keys: CLIQ_VAULT_KEY holds a passphrase (stretched with scrypt; the salt is the first 16 bytes of the encrypted file), ' +
  '--key-file a key file (32 random bytes as 64 hex digits, mode 600: a file others can read is refused). ' +
  'A key is never given on the command line and never logged.';

const exitHelp = 'Exit codes: 0 done, 1 failed (nothing was changed), 2 usage, 3 the archive is in use, 6 the key is missing or does not open the archive.';

const newKeyFileSpec = {
  flag: '--new-key-file <path>',
  description: 'the new key file: read if it exists (mode 600), else created with a random key',
  schema: z.string().min(1, 'is required').optional(),
};

const encryptFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the plain archive to encrypt in place', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  newKeyFile: newKeyFileSpec,
  json: jsonSpec('print the report as JSON'),
});

const decryptFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the encrypted archive (not changed)', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  out: { flag: '--out <path>', description: 'where the plain copy goes (must not exist)', schema: archivePath, required: true },
  json: jsonSpec('print the report as JSON'),
});

const rekeyFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the encrypted archive whose key changes', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  newKeyFile: newKeyFileSpec,
  json: jsonSpec('print the report as JSON'),
});

export function encryptCommand(io: Io = processIo): Command {
  return encryptFlags
    .register(
      new Command('encrypt')
        .summary('encrypt an archive at rest (SQLCipher 4 format), in place')
        .description(
          'Copies the archive to an encrypted file beside it, checks the copy (integrity_check, every seal, the same rows in ' +
            'every table), then renames it over the original: the plain file is gone only once the encrypted one is in place, ' +
            'and a crash leaves one or the other, never a mix. The key is CLIQ_VAULT_KEY, --key-file, or --new-key-file ' +
            '(created if missing). The stored attachment files (<archive>.files) are sealed with it (AES-256-GCM per file). ' +
            'Snapshots taken before stay plain: delete them if they must not be kept.\n\n' +
            `${keyHelp}\n\n${exitHelp}`,
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = encryptFlags.parse(raw, 'encrypt');
      const key = cliNewKey(flags.newKeyFile, io.env, archiveKey());
      if (key === undefined) {
        throw new VaultError('USAGE', 'Say which key to encrypt with: set CLIQ_VAULT_KEY to a passphrase, or give --key-file FILE or --new-key-file FILE.', {
          hint: '--new-key-file creates a random key file (mode 600): keep a copy of it somewhere safe, without it the archive cannot be read.',
        });
      }
      // A key change is on record in the archive's review log (never the key), written after the
      // swap with the archive's new key (encryptArchive leaves the process holding it).
      print(io, await reviewed(io, flags.archive, 'key_change', { change: 'encrypt' }, () => encryptArchive(flags.archive, key)), flags.json);
    });
}

export function decryptCommand(io: Io = processIo): Command {
  return decryptFlags
    .register(
      new Command('decrypt')
        .summary('write a plain copy of an encrypted archive (never over an existing file)')
        .description(
          'Writes a plain copy of the archive to --out, checked like `encrypt` checks its copy, with the stored files ' +
            'linked into its own store (<out>.files). The encrypted archive is not changed.\n\n' +
            `${keyHelp}\n\n${exitHelp}`,
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = decryptFlags.parse(raw, 'decrypt');
      const key = archiveKey();
      if (key === undefined) throw new VaultError('ARCHIVE_KEY_REQUIRED', `No key was given to decrypt ${flags.archive}.`, { hint: 'Set CLIQ_VAULT_KEY to its passphrase, or add --key-file FILE.' });
      // Recorded in the encrypted archive it read (the plain copy records its origin as an event).
      print(io, await reviewed(io, flags.archive, 'key_change', { change: 'decrypt', out: resolve(flags.out) }, () => decryptArchive(flags.archive, key, flags.out)), flags.json);
    });
}

export function rekeyCommand(io: Io = processIo): Command {
  return rekeyFlags
    .register(
      new Command('rekey')
        .summary('change the key of an encrypted archive, in place')
        .description(
          'The current key is CLIQ_VAULT_KEY or --key-file; the new one CLIQ_VAULT_KEY_NEW (a passphrase) or --new-key-file ' +
            '(created if missing). The archive is copied under the new key, checked, and renamed over the old file, as `encrypt` ' +
            'does. Snapshots taken before keep the old key.\n\n' +
            `${keyHelp}\n\n${exitHelp}`,
        ),
    )
    .action(async (raw: Record<string, unknown>) => {
      const flags = rekeyFlags.parse(raw, 'rekey');
      const current = archiveKey();
      if (current === undefined)
        throw new VaultError('ARCHIVE_KEY_REQUIRED', `No current key was given for ${flags.archive}.`, { hint: 'Set CLIQ_VAULT_KEY to its passphrase, or add --key-file FILE.' });
      const next = cliNewKey(flags.newKeyFile, io.env);
      if (next === undefined) throw new VaultError('USAGE', 'Say what the new key is: set CLIQ_VAULT_KEY_NEW to a passphrase, or give --new-key-file FILE.');
      print(io, await reviewed(io, flags.archive, 'key_change', { change: 'rekey' }, () => rekeyArchive(flags.archive, current, next)), flags.json);
    });
}

function print(io: Io, report: ConvertReport, json: boolean): void {
  if (json) {
    io.out(`${JSON.stringify(report)}\n`);
    return;
  }
  const done = { encrypt: 'Encrypted', decrypt: 'Wrote a plain copy of', rekey: 'Changed the key of' }[report.action];
  io.out(`${done} ${report.archivePath}${report.action === 'decrypt' ? ` to ${report.outPath}` : ''}.\n`);
  io.out(`  Checked: ${formatCount(report.rows)} rows in ${formatCount(report.tables)} tables, ${formatCount(report.seals)} seals verified.\n`);
}
