import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { rowHash } from '../../../electron/core/archive/sealing/rowHash';

describe('rowHash', () => {
  it('is SHA-256 of "<table>\\n" and the JSON object of the columns in the given order, as documented', () => {
    const row = { b: 'x"y\n', a: 12, c: null, d: 'ünï 😀', skipped: 'not a listed column' };
    const columns = ['a', 'b', 'c', 'd'];
    const expected = createHash('sha256')
      .update(`messages\n${JSON.stringify({ a: 12, b: 'x"y\n', c: null, d: 'ünï 😀' })}`)
      .digest('hex');
    expect(rowHash('messages', columns, row)).toBe(expected);
    expect(rowHash('users', columns, row)).not.toBe(expected);
    expect(rowHash('messages', [], {})).toBe(createHash('sha256').update('messages\n{}').digest('hex'));
  });
});
