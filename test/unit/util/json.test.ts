import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, parseJsonBody, parseJsonLossless } from '../../../electron/core/util/json';

describe('parseJsonLossless', () => {
  it('keeps an id above 2^53 sent as a bare number as its exact digits', () => {
    const parsed = parseJsonLossless('{"id": 1901318000001615007, "sender": {"id":12345678901234567890}}') as { id: unknown; sender: { id: unknown } };
    expect(parsed.id).toBe('1901318000001615007');
    expect(parsed.sender.id).toBe('12345678901234567890');
  });

  it('leaves safe numbers, decimals and string ids alone', () => {
    expect(parseJsonLossless('{"time":1700000000250,"ratio":0.5,"id":"1901318000001615007"}')).toEqual({
      time: 1700000000250,
      ratio: 0.5,
      id: '1901318000001615007',
    });
  });

  it('keeps long digit runs inside strings, and big numbers in arrays and nested objects', () => {
    expect(parseJsonLossless('{"text":"[Ann](zohoid:1438235136658435590)","ids":[1,9007199254740993],"a":{"b":[{"c":-9007199254740993}]}}')).toEqual({
      text: '[Ann](zohoid:1438235136658435590)',
      ids: [1, '9007199254740993'],
      a: { b: [{ c: '-9007199254740993' }] },
    });
  });

  it('leaves large numbers that are not integers in the source as numbers', () => {
    expect(parseJsonLossless('{"a":1e300,"b":12345678901234567.5}')).toEqual({ a: 1e300, b: Number('12345678901234567.5') });
  });

  it('reports an invalid body as MALFORMED_RESPONSE', () => {
    expect(() => parseJsonBody('{"data": [', 'messages')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });

  it('is exactly JSON.stringify of a key-sorted copy, for any JSON value (stored content hashes depend on it)', () => {
    const sortedCopy = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(sortedCopy);
      if (v !== null && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(v).sort()) out[k] = sortedCopy((v as Record<string, unknown>)[k]);
        return out;
      }
      return v;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(JSON.stringify(sortedCopy(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the member order of a sorted copy, where index-like keys come first', () => {
    expect(canonicalJson({ b: 1, '10': 2, '': 3, '9': 4, '01': 5 })).toBe('{"9":4,"10":2,"":3,"01":5,"b":1}');
  });

  it('leaves out members without a JSON form, as JSON.stringify does', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"a":1}');
  });
});
