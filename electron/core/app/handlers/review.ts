import { readReviewLog } from '../../review';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** The review log screen: a page of the log, itself a look on record (review_log_view). */
export function reviewHandlers(ctx: AppContext): Pick<Handlers, 'review:log'> {
  return {
    'review:log': (query) =>
      ctx.look(
        'review_log_view',
        { ...query },
        () => {
          const db = ctx.readerOrNull();
          return db ? readReviewLog(db, query) : { entries: [], nextBefore: null };
        },
        (page) => ({ results: page.entries.length }),
      ),
  };
}
