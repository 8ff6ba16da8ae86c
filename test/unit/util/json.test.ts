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

  it('reports an invalid body as MALFORMED_RESPONSE', () => {
    expect(() => parseJsonBody('{"data": [', 'messages')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
  });
});
