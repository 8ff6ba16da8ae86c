import { describe, expect, it } from 'vitest';
import { parseCount, parseExportCsv, parseExportTime } from '../../../electron/core/cliq/csv';
import { chatExportFields, memberExportFields } from '../../../electron/core/cliq/maintenance';

const fields = memberExportFields;

describe('parseExportCsv', () => {
  it('reads RFC 4180 quoting: commas, doubled quotes, embedded LF and CRLF, spaces kept', () => {
    const body = '"Ruiz, Dana",dana@example.org,7100001\n"Say ""hi""",q@example.org,7100002\n"two\nlines\r\nhere",,7100003\n  padded  ,p@example.org,7100004\n';
    expect(parseExportCsv(body, fields, 'members')).toEqual([
      { name: 'Ruiz, Dana', email_id: 'dana@example.org', user_id: '7100001' },
      { name: 'Say "hi"', email_id: 'q@example.org', user_id: '7100002' },
      { name: 'two\nlines\r\nhere', email_id: null, user_id: '7100003' },
      { name: '  padded  ', email_id: 'p@example.org', user_id: '7100004' },
    ]);
  });

  it('accepts CRLF rows, a BOM, a header row and no trailing newline alike', () => {
    const variants = [
      'A,a@x.org,1\nB,b@x.org,2',
      'A,a@x.org,1\r\nB,b@x.org,2\r\n',
      '\uFEFFA,a@x.org,1\nB,b@x.org,2\n',
      'name,email_id,user_id\r\nA,a@x.org,1\r\nB,b@x.org,2\r\n',
      '\uFEFFNAME, Email_Id ,user_id\nA,a@x.org,1\nB,b@x.org,2',
    ];
    for (const body of variants) {
      expect(parseExportCsv(body, fields, 'members').map((r) => r.user_id)).toEqual(['1', '2']);
    }
  });

  it('keeps 19-digit ids as exact strings', () => {
    const [row] = parseExportCsv('Big,b@x.org,1901318000001615007\n', fields, 'members');
    expect(row?.user_id).toBe('1901318000001615007');
  });

  it('returns no rows for an empty or whitespace body', () => {
    expect(parseExportCsv('', fields, 'members')).toEqual([]);
    expect(parseExportCsv('\uFEFF\n', fields, 'members')).toEqual([]);
  });

  it('refuses a row with the wrong column count (a cut body) as MALFORMED_RESPONSE', () => {
    expect(() => parseExportCsv('A,a@x.org,1\nB,b@x', fields, 'members')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });

  it('refuses an unterminated quote (a body cut inside a quoted title)', () => {
    expect(() => parseExportCsv('A,a@x.org,1\n"Cut in the mid', fields, 'members')).toThrow(expect.objectContaining({ code: 'MALFORMED_RESPONSE' }));
  });

  it('maps every chat export column by position', () => {
    const [row] = parseExportCsv('"Plan, Q3",1277744317795524707,1700000000000,1700000360000,3,42,631830846\n', chatExportFields, 'chats');
    expect(row).toEqual({
      title: 'Plan, Q3',
      chat_id: '1277744317795524707',
      creation_time: '1700000000000',
      last_modified_time: '1700000360000',
      participant_count: '3',
      total_message_count: '42',
      creator_id: '631830846',
    });
  });
});

describe('parseExportTime and parseCount', () => {
  it('reads epoch ms, epoch seconds and ISO 8601 with offsets', () => {
    expect(parseExportTime('1700000000250')).toBe(1700000000250);
    expect(parseExportTime('1700000000')).toBe(1700000000000);
    expect(parseExportTime('2021-03-04T09:15:00+05:30')).toBe(Date.UTC(2021, 2, 4, 3, 45));
    expect(parseExportTime(null)).toBeUndefined();
    expect(parseExportTime('yesterday')).toBeUndefined();
  });

  it('reads counts from strings or numbers and rejects junk', () => {
    expect(parseCount('1349')).toBe(1349);
    expect(parseCount(12)).toBe(12);
    expect(parseCount(' 7 ')).toBe(7);
    expect(parseCount('-1')).toBeUndefined();
    expect(parseCount('many')).toBeUndefined();
    expect(parseCount(null)).toBeUndefined();
  });
});
