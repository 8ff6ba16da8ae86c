import { resolve } from 'node:path';
import { changeRange, changeReport, changesBetweenSnapshots } from '../../changes';
import { checkTimeZone } from '../../util/timeZone';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/**
 * The Changes screen: a change report on the screens' read-only connection (or read from two
 * snapshots, opened read-only), on record in the review log like every look at the archive.
 */
export function changesHandlers(ctx: AppContext): Pick<Handlers, 'archive:changes'> {
  return {
    'archive:changes': (query) =>
      ctx.look(
        'change_report',
        { ...query },
        () => {
          const [earlier, later] = query.betweenSnapshots ?? [];
          if (earlier !== undefined && later !== undefined) return changesBetweenSnapshots(resolve(earlier), resolve(later), query.limit);
          const db = ctx.readDb();
          const asked = query.sinceRun !== undefined ? { sinceRun: query.sinceRun } : { since: query.since ?? '', timeZone: checkTimeZone(query.timeZone) };
          return changeReport(db, changeRange(db, asked), query.limit);
        },
        (report) => ({ results: Object.values(report.counts).reduce((a, b) => a + b, 0) }),
      ),
  };
}
