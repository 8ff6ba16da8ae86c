import { existsSync } from 'node:fs';
import { VaultError } from '../../../../shared/errors';
import { waitForWriteLock } from '../../archive/writeLockWait';
import { listHolds, placeHold, releaseHold, showHold } from '../../holds';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/**
 * The Holds screen: legal holds read through the screens' connection, placed and released on
 * connections of their own (sealed writes, as the CLI makes them), recording the active profile.
 */
export function holdsHandlers(ctx: AppContext): Pick<Handlers, 'holds:list' | 'holds:show' | 'holds:add' | 'holds:release'> {
  /** The archive to write to: it must exist, and `serve --archive` with no org of its own is read-only. */
  const writable = (): string => {
    const path = ctx.archivePath();
    if (ctx.archiveReadOnly()) {
      throw new VaultError('USAGE', `${path} is open read-only: no org is connected to it here, so holds cannot be placed or released in it.`, {
        hint: 'Connect the org that keeps this archive, or place the hold where the archive is synced.',
      });
    }
    if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first: a hold is placed on an archive.' });
    return path;
  };
  const profile = () => ctx.activeProfile()?.name ?? null;
  return {
    'holds:list': () => {
      const db = ctx.readerOrNull();
      return db ? listHolds(db) : [];
    },
    'holds:show': ({ name }) => showHold(ctx.readDb(), name),
    // A sync in this worker holds the write lock between group commits and commits from a timer on
    // this event loop: wait for the lock yielding first (as an audit export does), then write at once.
    // Both are custody actions on record in the review log (hold_add, hold_release).
    'holds:add': (input) =>
      ctx.look('hold_add', { ...input }, async () => {
        const path = writable();
        await waitForWriteLock(path);
        return placeHold(path, input, { profile: profile(), clock: ctx.clock });
      }),
    'holds:release': (input) =>
      ctx.look('hold_release', { ...input }, async () => {
        const path = writable();
        await waitForWriteLock(path);
        return releaseHold(path, input, { profile: profile(), clock: ctx.clock });
      }),
  };
}
