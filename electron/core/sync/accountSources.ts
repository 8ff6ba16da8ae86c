import { syncCalls, callsSource } from './calls';
import { runOptionalSource } from './optionalSource';
import { scheduledSource, syncScheduledMessages } from './scheduledMessages';
import type { SyncContext } from './types';

/**
 * The connected account's own evidence beside the org's: calls and meetings start at once (their
 * own budgets), scheduled messages once the messages lane is done, so a scheduled message
 * delivered since the last sync finds its archived message. Each is an optional source: a missing
 * scope is a note, never a failed run. A failed messages lane leaves scheduled messages for the
 * next run (the lane's own failure already says what happened).
 */
export function runAccountSources(ctx: SyncContext, messagesStored: Promise<unknown>): Promise<void> {
  const calls = runOptionalSource(ctx, callsSource, () => syncCalls(ctx));
  const scheduled = messagesStored.then(
    () => (ctx.signal.aborted ? undefined : runOptionalSource(ctx, scheduledSource, () => syncScheduledMessages(ctx))),
    () => undefined,
  );
  return Promise.all([calls, scheduled]).then(() => undefined);
}
