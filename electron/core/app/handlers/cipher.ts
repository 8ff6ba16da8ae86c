import { existsSync } from 'node:fs';
import { VaultError } from '../../../../shared/errors';
import type { ArchiveEncryption, CipherChange } from '../../../../shared/views';
import { encryptArchive, rekeyArchive, type ConvertReport } from '../../backup/convert';
import { fileKind, keyFromMessage, keyToMessage, openKeyed, type ArchiveKey } from '../../cipher';
import { archiveKey, archiveKeys, useArchiveKeys } from '../../cipher/keyState';
import { waitForWriteLock } from '../../archive/writeLockWait';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import type { JobRunner } from '../jobRunner';

/**
 * Whether the active archive is encrypted and whether a key held here opens it (app:info), with
 * how this shell keeps keys. Never a key.
 */
export async function archiveEncryption(ctx: AppContext, path: string | null): Promise<ArchiveEncryption> {
  const status = await ctx.keys.status();
  const common = { store: status.store, keysHeld: status.keys, passphrase: status.passphrase, keyringLocked: status.locked, keyringUnreadable: status.unreadable };
  if (path === null) return { state: 'none', ...common };
  const kind = fileKind(path);
  if (kind === 'plain') return { state: 'plain', ...common };
  if (kind !== 'encrypted') return { state: 'none', ...common };
  try {
    ctx.readerOrNull();
    return { state: 'encrypted', ...common };
  } catch (error) {
    if (error instanceof VaultError && (error.code === 'ARCHIVE_KEY_REQUIRED' || error.code === 'ARCHIVE_KEY_WRONG')) return { state: 'locked', ...common };
    // Another problem (damage, a newer version): the screens show it when they read.
    return { state: 'encrypted', ...common };
  }
}

/**
 * The Settings screen's encryption, and the unlock prompt. The conversions are the CLI's
 * (core/backup/convert: a verified copy, then the swap), run on this worker after the pool has
 * stopped the readers, and on record in the review log as key changes. The keys stay with the
 * shell (ports: ArchiveKeyStore); this worker holds the ones the host hands it with each call.
 */
export function cipherHandlers(
  ctx: AppContext,
  jobs: { sync: Pick<JobRunner<'sync'>, 'status'>; audit: Pick<JobRunner<'audit'>, 'status'> },
): Pick<Handlers, 'cipher:unlock' | 'cipher:encrypt' | 'cipher:rekey' | 'cipher:protect'> {
  const encryption = () => archiveEncryption(ctx, ctx.archivePath());

  /** Makes `key` this worker's first key now (the host hands over the same list with the next call). */
  const holdFirst = (key: ArchiveKey) => useArchiveKeys([key, ...archiveKeys()]);

  /** The archive, ready to be replaced: no job running, a connected org, our own connection closed. */
  async function replaceable(action: string): Promise<string> {
    const path = ctx.archivePath();
    if (ctx.archiveReadOnly()) {
      throw new VaultError('USAGE', `${path} is open read-only: no org is connected to it here, so it cannot be ${action} here.`, {
        hint: 'Connect the org that keeps this archive first.',
      });
    }
    if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first: the archive is created by it.' });
    if (jobs.sync.status() || jobs.audit.status()) throw new VaultError('ARCHIVE_LOCKED', 'A sync or an export is running.', { hint: `Wait for it to finish; the archive was not ${action}.` });
    // The copy-and-swap needs every connection closed; the looks this service still queues go in first.
    ctx.review.flush(2000);
    ctx.closeReader();
    await waitForWriteLock(path);
    return path;
  }

  async function change(action: 'encrypt' | 'rekey', convert: (path: string) => Promise<{ report: ConvertReport; key: ArchiveKey }>): Promise<CipherChange> {
    // Refused before anything is flushed or closed: a request that cannot be done changes nothing.
    const kind = fileKind(ctx.archivePath());
    if (action === 'encrypt' && kind === 'encrypted') throw new VaultError('USAGE', 'This archive is already encrypted.', { ui: { message: 'This archive is already encrypted.', hint: 'Change its key instead.' } });
    if (action === 'rekey' && kind === 'plain') throw new VaultError('USAGE', 'This archive is not encrypted: there is no key to change.', { ui: { message: 'This archive is not encrypted: there is no key to change.', hint: 'Encrypt it first.' } });
    const path = await replaceable(action === 'encrypt' ? 'encrypted' : 're-keyed');
    const before = archiveKeys();
    const { report, key } = await ctx.look('key_change', { change: action }, () => convert(path));
    // The conversion leaves this process with the new key alone: the others still open older snapshots.
    useArchiveKeys([key, ...before]);
    return { action, archivePath: report.archivePath, rows: report.rows, tables: report.tables, seals: report.seals, encryption: await encryption() };
  }

  /** Unlocks the kept keys alone (no encrypted archive to try them on); any other passphrase is refused. */
  async function unlockKept(passphrase: string): Promise<ArchiveEncryption> {
    const unlocked = (await ctx.keys.unlock(passphrase)).map(keyFromMessage);
    if (unlocked.some((key) => key.kind === 'raw')) return encryption();
    throw new VaultError('ARCHIVE_KEY_WRONG', 'This passphrase does not unlock the keys kept here.', {
      ui: { message: 'This passphrase does not unlock the keys kept here.', hint: 'Check the passphrase (it is case-sensitive). Nothing was changed.' },
    });
  }

  return {
    'cipher:unlock': async ({ passphrase }) => {
      const path = ctx.archivePath();
      if (fileKind(path) !== 'encrypted') {
        // The desktop's kept keys stay locked while a plain archive is open (nothing asked for them),
        // yet encrypting it or protecting them needs them: their passphrase unlocks them here too.
        if ((await ctx.keys.status()).locked) return unlockKept(passphrase);
        throw new VaultError('USAGE', 'This archive is not encrypted: there is nothing to unlock.', { ui: { message: 'This archive is not encrypted: there is nothing to unlock.' } });
      }
      const candidates = (await ctx.keys.unlock(passphrase)).map(keyFromMessage);
      for (const key of candidates) {
        try {
          openKeyed(path, { readonly: true, fileMustExist: true, key }).close();
        } catch (error) {
          if (error instanceof VaultError && error.code === 'ARCHIVE_KEY_WRONG') continue;
          throw error;
        }
        await ctx.keys.use(keyToMessage(key));
        holdFirst(key);
        ctx.closeReader();
        return encryption();
      }
      const unlockedKept = candidates.some((key) => key.kind === 'raw');
      throw new VaultError('ARCHIVE_KEY_WRONG', unlockedKept ? 'The passphrase unlocked the keys kept here, but none of them opens this archive.' : 'This passphrase does not open the archive.', {
        ui: {
          message: unlockedKept ? 'The passphrase unlocked the keys kept here, but none of them opens this archive.' : 'This passphrase does not open the archive.',
          hint: 'Check the passphrase (it is case-sensitive). Nothing was changed.',
        },
      });
    },

    'cipher:encrypt': ({ passphrase }) =>
      change('encrypt', async (path) => {
        const status = await ctx.keys.status();
        // serve encrypts under the key it was started with unless a passphrase is typed.
        const held = status.store === 'memory' && passphrase === undefined ? archiveKey() : undefined;
        const key = held ?? keyFromMessage(await ctx.keys.create({ passphrase }));
        return { report: await encryptArchive(path, key, ctx.clock), key };
      }),

    'cipher:rekey': ({ passphrase }) =>
      change('rekey', async (path) => {
        // Opening it puts the key that opens it first.
        openKeyed(path, { readonly: true, fileMustExist: true }).close();
        const current = archiveKey();
        if (current === undefined) throw new VaultError('ARCHIVE_KEY_REQUIRED', 'The archive is locked.', { ui: { message: 'The archive is locked.', hint: 'Unlock it first.' } });
        const next = keyFromMessage(await ctx.keys.create({ passphrase }));
        return { report: await rekeyArchive(path, current, next, ctx.clock), key: next };
      }),

    'cipher:protect': ({ passphrase }) =>
      ctx.look('key_change', { change: passphrase === null ? 'passphrase_removed' : 'passphrase_set' }, async () => {
        await ctx.keys.protect(passphrase);
        return encryption();
      }),
  };
}
