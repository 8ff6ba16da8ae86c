import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eachArrayElement } from '../../../electron/core/util/jsonElements';

function elements(text: string, key = 'data'): unknown[] | false {
  const seen: unknown[] = [];
  const ok = eachArrayElement(Buffer.from(text, 'utf8'), key, (element, index) => {
    expect(index).toBe(seen.length);
    seen.push(JSON.parse(element));
  });
  return ok ? seen : false;
}

describe('eachArrayElement', () => {
  it('visits each element of the array under the key, whatever else the object holds', () => {
    expect(elements('{"data":[{"id":"1","text":"a, [b] {c} \\"d\\""},2,"x",[1,[2]],null]}')).toEqual([{ id: '1', text: 'a, [b] {c} "d"' }, 2, 'x', [1, [2]], null]);
    expect(elements(' { "next" : {"a":[1,{"b":"]"}]} ,\n "data" : [ ] , "z": true } ')).toEqual([]);
  });

  it('gives every element exactly as JSON.parse would, for any JSON and any spacing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue()),
        fc.dictionary(
          fc.string().filter((k) => k !== 'data'),
          fc.jsonValue(),
        ),
        fc.constantFrom(undefined, 1, '\t'),
        (data, rest, indent) => {
          const text = JSON.stringify({ ...rest, data }, null, indent);
          expect(elements(text)).toEqual((JSON.parse(text) as { data: unknown }).data);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds the elements in UTF-8 bytes whatever characters the strings hold, and decodes each whole', () => {
    const data = [{ text: 'naïve café, 日本語, emoji 😀, quote " and \\ backslash' }, '\u2028', 'ÿ{['];
    expect(elements(JSON.stringify({ data }))).toEqual(data);
  });

  it('declines anything but one object with one array under the key (the caller parses it whole)', () => {
    for (const text of ['[]', '{}', '{"data":{}}', '{"data":"[]"}', '{"data":[1],"data":[2]}', '{"other":[1]}', '{"data":[1]} x', '{"data":[1]', '{"data":[1,', '"data"', '']) {
      expect(elements(text), text).toBe(false);
    }
  });

  it('never visits elements of a body with a broken member elsewhere: JSON.parse rejects it first', () => {
    expect(() => elements('{"next":tru,"data":[1]}')).toThrow(SyntaxError);
    expect(() => elements('{"next":[1,}],"data":[1]}')).toThrow(SyntaxError);
  });

  it('hands a broken element to the caller, whose JSON.parse rejects it', () => {
    expect(() => elements('{"data":[{"a":1},{"a":}]}')).toThrow(SyntaxError);
    expect(() => elements('{"data":[{"a":[1}]]}')).toThrow(SyntaxError);
  });
});
