import type { EventName, EventPayloads, OperationName, RequestOf, ResponseOf, Result, VaultApi } from '../../../shared/contract';
import { eventNames } from '../../../shared/contract';
import { ApiError, SessionMissingError, unwrap } from './ApiError';

export interface HttpApiOptions {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSource;
  /** Where the page is served: relative, so `serve` may put the UI under any root. */
  base?: string;
}

type Listener = (payload: unknown) => void;

/**
 * The browser shell (`cliq-vault serve`): POST api/<operation> with the request as JSON, events as
 * server-sent events from api/events. Auth is the HttpOnly cookie the server set when the printed
 * link was opened, so requests carry nothing extra.
 */
export function createHttpApi(options: HttpApiOptions): VaultApi {
  const base = options.base ?? '';
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;

  function openSource(): EventSource {
    // One EventSource for every event; it reconnects by itself after a dropped connection.
    const opened = new options.EventSource(`${base}api/events`);
    for (const name of eventNames) {
      opened.addEventListener(name, (message: MessageEvent<string>) => {
        let payload: unknown;
        try {
          payload = JSON.parse(message.data);
        } catch (error) {
          console.warn(`Ignored a ${name} event that is not JSON`, error);
          return;
        }
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
    return opened;
  }

  return {
    async invoke<N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> {
      let response: Response;
      try {
        response = await options.fetch(`${base}api/${name}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(request),
        });
      } catch (error) {
        throw new ApiError({ code: 'NETWORK', message: `Cliq Vault did not answer (${error instanceof Error ? error.message : String(error)}).`, hint: 'Is `cliq-vault serve` still running?' });
      }
      if (response.status === 401) throw new SessionMissingError();
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiError({ code: 'MALFORMED_RESPONSE', message: `Cliq Vault answered ${response.status} without a result.` });
      }
      if (!isResult(body)) throw new ApiError({ code: 'MALFORMED_RESPONSE', message: `Cliq Vault answered ${response.status} with something that is not a result.` });
      return unwrap(body as Result<ResponseOf<N>>);
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set<Listener>();
      listeners.set(event, set);
      const wrapped: Listener = (payload) => listener(payload as EventPayloads[E]);
      set.add(wrapped);
      source ??= openSource();
      return () => {
        set.delete(wrapped);
        if ([...listeners.values()].every((s) => s.size === 0)) {
          source?.close();
          source = null;
        }
      };
    },
  };
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  return value.ok === true ? 'value' in value : value.ok === false && 'error' in value;
}
