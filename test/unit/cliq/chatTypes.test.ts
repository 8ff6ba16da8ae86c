import { describe, expect, it } from 'vitest';
import { listChatTypes } from '../../../electron/core/cliq/rest';
import { scriptedHttp } from '../../helpers/scriptedHttp';

/**
 * H1 as docs/cliq-api.md §7.5 records it: no cursor, newest first, `modified_before` an exclusive
 * millisecond bound on the last-modified time, ISO times of second precision in the answer.
 */
interface Chat {
  id: string;
  type: string;
  lmt: number;
}

const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+00:00');

function h1(chats: Chat[]) {
  const bounds: (string | null)[] = [];
  const fetchImpl: typeof fetch = (input) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    expect(url.pathname).toBe('/api/v2/chats');
    const limit = Number(url.searchParams.get('limit'));
    const before = url.searchParams.get('modified_before');
    bounds.push(before);
    const page = chats
      .filter((c) => before === null || c.lmt < Number(before))
      .sort((a, b) => b.lmt - a.lmt || b.id.localeCompare(a.id))
      .slice(0, limit)
      .map((c) => ({ chat_id: c.id, chat_type: c.type, name: `Chat ${c.id}`, last_modified_time: isoSeconds(c.lmt) }));
    return Promise.resolve(new Response(JSON.stringify({ chats: page }), { status: 200, headers: { 'content-type': 'application/json' } }));
  };
  const http = scriptedHttp('https://cliq.test', fetchImpl);
  return { http, bounds };
}

const base = Date.UTC(2026, 5, 1, 9, 0, 0);

describe('H1 chat types, paged by time (listChatTypes)', () => {
  it('reads every chat across pages, ties within a second included once, then stops at a short page', async () => {
    // c and d share one second (different milliseconds) across a page boundary.
    const chats: Chat[] = [
      { id: 'a', type: 'dm', lmt: base + 9_000 },
      { id: 'b', type: 'chat', lmt: base + 8_000 },
      { id: 'c', type: 'chat', lmt: base + 7_900 },
      { id: 'd', type: 'bot', lmt: base + 7_500 },
      { id: 'e', type: 'dm', lmt: base + 6_000 },
      { id: 'f', type: 'chat', lmt: base + 3_000 },
      { id: 'g', type: 'dm', lmt: base + 1_000 },
    ];
    const { http, bounds } = h1(chats);
    const result = await listChatTypes(http, undefined, 3);
    expect(result.complete).toBe(true);
    expect(Object.fromEntries(result.types)).toEqual({ a: 'dm', b: 'chat', c: 'chat', d: 'bot', e: 'dm', f: 'chat', g: 'dm' });
    // Page 1 ends at c (second base+7 s): the next bound is that second + 1 s, so d (same second,
    // cut off) comes in; c comes again and is counted once. The fourth page is short: the end.
    expect(bounds).toEqual([null, String(base + 8_000), String(base + 7_000), String(base + 2_000)]);
  });

  it('one short page is one call', async () => {
    const { http, bounds } = h1([{ id: 'a', type: 'dm', lmt: base }]);
    expect(Object.fromEntries((await listChatTypes(http, undefined, 100)).types)).toEqual({ a: 'dm' });
    expect(bounds).toEqual([null]);
  });

  it('a full page within one second cannot move the bound: the walk ends, incomplete, with what it read', async () => {
    const chats: Chat[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, type: 'chat', lmt: base + 100 * i }));
    const { http, bounds } = h1(chats);
    const result = await listChatTypes(http, undefined, 3);
    expect(result.complete).toBe(false);
    expect(result.types.size).toBe(3);
    expect(bounds.length).toBe(2);
  });
});
