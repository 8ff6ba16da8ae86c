import { describe, expect, it } from 'vitest';
import { parseMessages } from '../../../electron/core/cliq/messagesBody';

const ids = (body: string) => parseMessages(body, 'CT_1', (m) => m.payload.id);
const message = (id: string) => `{"id":"${id}","time":1700000000000,"type":"text","sender":{"id":"7","name":"Ann"},"content":{"text":"hi"}}`;

describe('parseMessages', () => {
  it('validates and maps every message of the export, in order', () => {
    expect(ids(`{"data":[${message('a')},${message('b')}],"next_token":null}`)).toEqual(['a', 'b']);
  });

  it('keeps a 19-digit id sent as a bare number as its exact digits', () => {
    const body = '{"data":[{"id":1901318000001615007,"time":1700000000000,"type":"text","sender":{"id":"7"},"content":{"text":"x"}}]}';
    expect(ids(body)).toEqual(['1901318000001615007']);
  });

  it('reports a message that does not validate, with its index', () => {
    expect(() => ids(`{"data":[${message('a')},{"id":"b"}]}`)).toThrow(
      expect.objectContaining({ code: 'MALFORMED_RESPONSE', message: expect.stringContaining('Message 1 of the CT_1 export') as unknown }),
    );
  });

  it('reports a cut or garbled body as MALFORMED_RESPONSE', () => {
    for (const body of [`{"data":[${message('a')},${message('b').slice(0, 20)}`, `{"data":[${message('a')},{"id":}]}`, 'not json', '']) {
      expect(() => ids(body), body).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
    }
  });

  it('lets what the consumer throws (a full disk while storing) through as itself, never as a malformed body to fetch again', () => {
    const full = new Error('SQLITE_FULL: database or disk is full');
    const storing = () =>
      parseMessages(`{"data":[${message('a')},${message('b')}]}`, 'CT_1', (m) => {
        if (m.payload.id === 'b') throw full;
        return m.payload.id;
      });
    expect(storing).toThrow(full);
  });

  it('reports an answer without a "data" array', () => {
    expect(() => ids('{"messages":[]}')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE', message: expect.stringContaining('no "data" array') as unknown }));
  });
});
