import { boundToInstant, checkDateOrder } from '../../util/timeZone';
import { activityInsights } from '../archiveReads';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** Activity over time (per day, heatmap, top senders), with dates read in the settings' time zone. */
export function insightsHandlers(ctx: AppContext): Pick<Handlers, 'insights:activity'> {
  return {
    'insights:activity': ({ chatId, from, to, topSenders }) => {
      const timeZone = ctx.settings().timeZone;
      checkDateOrder(from, to, timeZone);
      return activityInsights(ctx.readDb(), {
        chatId,
        from: from === undefined ? undefined : boundToInstant(from, timeZone, 'from'),
        to: to === undefined ? undefined : boundToInstant(to, timeZone, 'to'),
        timeZone,
        topSenders,
        now: ctx.clock.now(),
      });
    },
  };
}
