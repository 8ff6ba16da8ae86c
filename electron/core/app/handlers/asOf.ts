import { conversationAsOf } from '../../search';
import { boundToInstant, checkTimeZone } from '../../util/timeZone';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';

/** The transcript's "As of": a conversation as it stood then, read on the screens' connection; a transcript read on record. */
export function asOfHandlers(ctx: AppContext): Pick<Handlers, 'archive:asOf'> {
  return {
    'archive:asOf': ({ chatId, asOf, timeZone, limit }) =>
      ctx.look(
        'transcript_view',
        { chatId, asOf, timeZone },
        // A day means its end: the conversation as it stood when that day was over.
        () => conversationAsOf(ctx.readDb(), chatId, boundToInstant(asOf, checkTimeZone(timeZone), 'to'), limit),
        (then) => ({ chatId, results: then.messages.length }),
      ),
  };
}
