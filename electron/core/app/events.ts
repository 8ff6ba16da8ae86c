import type { EventName, EventPayloads } from '../../../shared/contract';
import type { Logger } from '../util/log';

export type EventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

/**
 * The app's event fan-out, for the service (createAppService) and for the pool that hosts it in
 * workers: every listener gets every event, and one that throws is logged without keeping the
 * event from the others.
 */
export function createEventHub(log: Logger): { emit: EventListener; on: (listener: EventListener) => () => void } {
  const listeners = new Set<EventListener>();
  const emit: EventListener = (event, payload) => {
    for (const listener of listeners) {
      try {
        listener(event, payload);
      } catch (error) {
        log.warn('An event listener failed', { event, error: String(error) });
      }
    }
  };
  return {
    emit,
    on: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
