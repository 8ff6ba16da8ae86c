import { existsSync } from 'node:fs';
import { VaultError } from '../../../../shared/errors';
import { waitForWriteLock } from '../../archive/writeLockWait';
import { codeLookScope, codeReviewItem, codingHistory, createLookScope, createReviewSet, listReviewSets, reviewItems } from '../../reviewSets';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/**
 * The Review screen: review sets read through the screens' connection, made and coded on
 * connections of their own (sealed writes, as the CLI makes them), recording the active profile.
 */
export function reviewSetsHandlers(ctx: AppContext): Pick<Handlers, 'reviewSets:list' | 'reviewSets:create' | 'reviewSets:items' | 'reviewSets:code' | 'reviewSets:history'> {
  const writable = (): string => {
    const path = ctx.archivePath();
    if (ctx.archiveReadOnly()) {
      throw new VaultError('USAGE', `${path} is open read-only: no org is connected to it here, so review sets cannot be made or coded in it.`, {
        hint: 'Connect the org that keeps this archive, or review where the archive is synced.',
      });
    }
    if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first: a review set is made from an archive.' });
    return path;
  };
  const profile = () => ctx.activeProfile()?.name ?? null;
  return {
    'reviewSets:list': () => {
      const db = ctx.readerOrNull();
      return db ? listReviewSets(db) : [];
    },
    'reviewSets:items': (query) => reviewItems(ctx.readDb(), query),
    'reviewSets:history': (query) => codingHistory(ctx.readDb(), query),
    // Making a set and every coding action are on record in the review log, one entry each (a
    // refused action too, with why), as holds are: who coded what is part of the review's custody.
    'reviewSets:create': (input) =>
      ctx.look(
        'review_set_create',
        createLookScope(input),
        async () => {
          const path = writable();
          await waitForWriteLock(path);
          return createReviewSet(path, input, { profile: profile(), clock: ctx.clock });
        },
        (set) => ({ results: set.items }),
      ),
    'reviewSets:code': (input) =>
      ctx.look(
        'review_code',
        codeLookScope(input),
        async () => {
          const path = writable();
          await waitForWriteLock(path);
          return codeReviewItem(path, input, { profile: profile(), clock: ctx.clock });
        },
        () => ({ chatId: input.chatId }),
      ),
  };
}
