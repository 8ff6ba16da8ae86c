import { describe, expect, it, vi } from 'vitest';
import type { PreloadBridge } from '../../shared/contract';
import { ApiError, SessionMissingError, toErrorShape, unwrap } from '../../renderer/src/api/ApiError';
import { createApi } from '../../renderer/src/api/createApi';
import { createHttpApi } from '../../renderer/src/api/httpApi';

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Records what the transport asks of EventSource and lets the test deliver messages. */
class FakeEventSource {
  static last: FakeEventSource | null = null;
  readonly handlers = new Map<string, (event: MessageEvent<string>) => void>();
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(name: string, handler: (event: MessageEvent<string>) => void) {
    this.handlers.set(name, handler);
  }
  close() {
    this.closed = true;
  }
  deliver(name: string, data: string) {
    this.handlers.get(name)?.(new MessageEvent(name, { data }));
  }
}

describe('unwrap', () => {
  it('returns the value of an ok result', () => {
    expect(unwrap({ ok: true, value: 42 })).toBe(42);
  });

  it('throws an ApiError carrying code, message and hint', () => {
    const error = (() => {
      try {
        unwrap({ ok: false, error: { code: 'NOT_ORG_ADMIN', message: 'Not an org admin.', hint: 'Ask an org admin.' } });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'NOT_ORG_ADMIN', message: 'Not an org admin.', hint: 'Ask an org admin.' });
  });
});

describe('toErrorShape', () => {
  it('keeps the code, message and hint of an ApiError and of an error shape (a job’s done event)', () => {
    const shape = { code: 'IO_ERROR', message: 'The disk holding the bundle is full.', hint: 'Free some space.' } as const;
    expect(toErrorShape(new ApiError(shape))).toEqual(shape);
    expect(toErrorShape(shape)).toEqual(shape);
    expect(toErrorShape({ code: 'CANCELLED', message: 'Cancelled.' })).toEqual({ code: 'CANCELLED', message: 'Cancelled.' });
  });

  it('shows anything else as INTERNAL with its message, never a stack', () => {
    expect(toErrorShape(new TypeError('x is undefined'))).toEqual({ code: 'INTERNAL', message: 'x is undefined' });
    expect(toErrorShape('plain text')).toEqual({ code: 'INTERNAL', message: 'plain text' });
  });
});

describe('HTTP transport', () => {
  it('POSTs the request as JSON to the relative api/<operation> path and unwraps the result', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(200, { ok: true, value: { hits: [], nextCursor: null } }));
    const api = createHttpApi({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    const page = await api.invoke('archive:search', { text: 'invoice' });
    expect(page).toEqual({ hits: [], nextCursor: null });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('api/archive:search');
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(init?.body as string)).toEqual({ text: 'invoice' });
  });

  it('turns an error result into an ApiError with its hint', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(200, { ok: false, error: { code: 'BAD_QUERY', message: 'Unbalanced quote.', hint: 'Close the quote.' } }));
    const api = createHttpApi({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    await expect(api.invoke('archive:search', { text: '"x' })).rejects.toMatchObject({ code: 'BAD_QUERY', hint: 'Close the quote.' });
  });

  it('reports a missing session (401) as SessionMissingError naming the printed link', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockResolvedValue(jsonResponse(401, { ok: false, error: { code: 'FORBIDDEN', message: 'no token' } }));
    const api = createHttpApi({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    const error: unknown = await api.invoke('app:info', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SessionMissingError);
    expect((error as SessionMissingError).hint).toContain('cliq-vault serve');
  });

  it('reports a dead server as a NETWORK error rather than a TypeError', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>().mockRejectedValue(new TypeError('Failed to fetch'));
    const api = createHttpApi({ fetch, EventSource: FakeEventSource as unknown as typeof EventSource });
    await expect(api.invoke('app:info', {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('delivers server-sent events parsed, to the listeners of that event only, and closes when none is left', () => {
    const api = createHttpApi({ fetch: vi.fn<typeof globalThis.fetch>(), EventSource: FakeEventSource as unknown as typeof EventSource });
    const progress = vi.fn();
    const done = vi.fn();
    const offProgress = api.on('sync:progress', progress);
    const offDone = api.on('sync:done', done);
    const source = FakeEventSource.last;
    expect(source?.url).toBe('api/events');
    source?.deliver('sync:progress', JSON.stringify({ jobId: 'j1', progress: { phase: 'inventory', chatsTotal: 0, chatsDone: 0, messagesStored: 0, calls: 1, etaMs: 0 } }));
    expect(progress).toHaveBeenCalledWith(expect.objectContaining({ jobId: 'j1' }));
    expect(done).not.toHaveBeenCalled();
    offProgress();
    expect(source?.closed).toBe(false);
    offDone();
    expect(source?.closed).toBe(true);
  });
});

describe('preload transport', () => {
  it('is chosen when window.vault exists, calls its function for the operation and unwraps', async () => {
    const stats = vi.fn().mockResolvedValue({ ok: true, value: null });
    const search = vi.fn().mockResolvedValue({ ok: false, error: { code: 'ARCHIVE_LOCKED', message: 'Locked.', hint: 'Wait for the sync.' } });
    const on = vi.fn().mockReturnValue(() => undefined);
    const bridge = { 'archive:stats': stats, 'archive:search': search, on } as unknown as PreloadBridge;
    const fetch = vi.fn();
    const api = createApi({ vault: bridge, fetch } as unknown as Window);

    await expect(api.invoke('archive:stats', {})).resolves.toBeNull();
    expect(stats).toHaveBeenCalledWith({});
    await expect(api.invoke('archive:search', { text: 'x' })).rejects.toMatchObject({ code: 'ARCHIVE_LOCKED', hint: 'Wait for the sync.' });
    const listener = vi.fn();
    api.on('settings:changed', listener);
    expect(on).toHaveBeenCalledWith('settings:changed', listener);
    expect(fetch).not.toHaveBeenCalled();
  });
});
