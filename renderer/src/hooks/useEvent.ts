import { useEffect, useRef } from 'react';
import type { EventName, EventPayloads } from '../../../shared/contract';
import { useApi } from '../api/ApiContext';

/** Subscribes to an app event for the component's lifetime; the latest listener always runs. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): void {
  const api = useApi();
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (payload) => ref.current(payload)), [api, event]);
}
