import { describe, expect, it } from 'vitest';
import { CsvFraming } from '../../../electron/core/cliq/csvFraming';
import { confirmListing } from '../../../electron/core/sync/confirmListing';

describe('confirmListing', () => {
  const keyOf = (row: { id: string | null; v: number }) => row.id;

  it('does not fetch again when nothing live is missing and nothing looks short', async () => {
    let fetched = 0;
    const rows = await confirmListing({ first: [{ id: 'a', v: 1 }], keyOf, live: ['a'], fetchAgain: () => Promise.resolve((fetched++, [])) });
    expect(rows).toEqual([{ id: 'a', v: 1 }]);
    expect(fetched).toBe(0);
  });

  it('fetches again when something vanished and keeps what either answer listed (the second wins)', async () => {
    const rechecks: number[] = [];
    const rows = await confirmListing({
      first: [{ id: 'a', v: 1 }],
      keyOf,
      live: ['a', 'b', 'c'],
      fetchAgain: () =>
        Promise.resolve([
          { id: 'a', v: 2 },
          { id: 'b', v: 2 },
        ]),
      onRecheck: (n) => rechecks.push(n),
    });
    expect(rechecks).toEqual([2]);
    expect(rows).toEqual([
      { id: 'a', v: 2 },
      { id: 'b', v: 2 },
    ]);
  });

  it('fetches again when the caller says the answer looks short', async () => {
    const rows = await confirmListing({ first: [], keyOf, live: [], looksShort: true, fetchAgain: () => Promise.resolve([{ id: 'x', v: 1 }]) });
    expect(rows).toEqual([{ id: 'x', v: 1 }]);
  });
});

describe('CsvFraming', () => {
  it('accepts bodies that end with a line break, and empty bodies', () => {
    const framing = new CsvFraming();
    expect(() => framing.check('chats', 'a,b\n')).not.toThrow();
    expect(() => framing.check('chats', 'a,b\r\n')).not.toThrow();
    expect(() => framing.check('chats', '')).not.toThrow();
  });

  it('refuses an unterminated body once, and accepts it when the same body comes again', () => {
    const framing = new CsvFraming();
    expect(() => framing.check('members of 1', 'A,a@x.org,1901318000001615007')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    expect(() => framing.check('members of 1', 'A,a@x.org,1901318000001615007')).not.toThrow();
  });

  it('keeps refusing a body cut at different places', () => {
    const framing = new CsvFraming();
    expect(() => framing.check('chats', 'T,19013180000')).toThrow();
    expect(() => framing.check('chats', 'T,1901318000001615')).toThrow();
    expect(() => framing.check('chats', 'T,1901318000001615007\n')).not.toThrow();
  });
});
