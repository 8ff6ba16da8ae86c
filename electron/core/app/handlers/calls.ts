import { optionalSourceViews } from '../../sync/optionalSources';
import { boundToInstant, checkDateOrder } from '../../util/timeZone';
import { readCalls, readScheduled } from '../callReads';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** The Calls & scheduled screen's reads and the Sync screen's evidence sources, dates read in the settings' time zone. */
export function callsHandlers(ctx: AppContext): Pick<Handlers, 'archive:calls' | 'archive:scheduled' | 'archive:sources'> {
  return {
    'archive:calls': ({ from, to, ...filter }) => {
      const timeZone = ctx.settings().timeZone;
      checkDateOrder(from, to, timeZone);
      return readCalls(ctx.readDb(), {
        ...filter,
        from: from === undefined ? undefined : boundToInstant(from, timeZone, 'from'),
        to: to === undefined ? undefined : boundToInstant(to, timeZone, 'to'),
      });
    },
    'archive:scheduled': (page) => readScheduled(ctx.readDb(), page),
    // Before the first sync there is no archive: every source is listed, never tried.
    'archive:sources': () => optionalSourceViews(ctx.readerOrNull()),
  };
}
