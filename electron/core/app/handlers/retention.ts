import { existsSync } from 'node:fs';
import { VaultError } from '../../../../shared/errors';
import type { RetentionPolicyInput, RetentionResult } from '../../../../shared/retention';
import { waitForWriteLock } from '../../archive/writeLockWait';
import { applyRetention, previewOn, retentionRuns } from '../../retention';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/**
 * The Retention screen: the dry run on the screens' read-only connection (it writes only temp
 * tables), the purge on a connection of its own under the writer lease (as the CLI does), recording
 * the active profile. Both are on record in the review log (retention_dry_run, retention_apply).
 */
export function retentionHandlers(ctx: AppContext): Pick<Handlers, 'retention:preview' | 'retention:apply' | 'retention:runs'> {
  async function apply(policy: RetentionPolicyInput): Promise<RetentionResult> {
    const path = ctx.archivePath();
    if (ctx.archiveReadOnly()) {
      throw new VaultError('USAGE', `${path} is open read-only: no org is connected to it here, so nothing can be purged from it.`, {
        hint: 'Connect the org that keeps this archive, or run the purge where the archive is synced.',
      });
    }
    if (!existsSync(path)) throw new VaultError('ARCHIVE_NOT_FOUND', 'Nothing is archived yet.', { hint: 'Run a sync first.' });
    await waitForWriteLock(path);
    return applyRetention(path, policy, { profile: ctx.activeProfile()?.name ?? null, clock: ctx.clock });
  }

  return {
    'retention:preview': (policy) =>
      ctx.look(
        'retention_dry_run',
        { ...policy },
        () => previewOn(ctx.readDb(), policy, ctx.clock.now()),
        (p) => ({ results: p.purge }),
      ),
    'retention:runs': () => {
      const db = ctx.readerOrNull();
      return db ? retentionRuns(db) : [];
    },
    'retention:apply': (policy) =>
      ctx.look(
        'retention_apply',
        { ...policy },
        () => apply(policy),
        (r) => ({ results: r.purge }),
      ),
  };
}
