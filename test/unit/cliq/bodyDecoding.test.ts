import { describe, expect, it } from 'vitest';
import { exportChats, exportMessagesInto } from '../../../electron/core/cliq/maintenance';
import { consumeMessages } from '../../../electron/core/cliq/messagesBody';
import { scriptedHttp } from '../../helpers/scriptedHttp';

const bom = Buffer.from([0xef, 0xbb, 0xbf]);
const answer =
  (body: Buffer | string, type = 'application/json') =>
  () =>
    Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': type } }));
const ids = (body: Buffer): Promise<string[]> => {
  const out: string[] = [];
  consumeMessages(body, 'CT_1', { take: (m) => out.push(`${m.payload.id}:${String((m.payload.content as { text?: string } | undefined)?.text)}`), finish: () => undefined });
  return Promise.resolve(out);
};
const message = (id: string, text: string) => ({ id, time: 1_700_000_000_000, type: 'text', sender: { id: '7', name: 'Ann' }, content: { text } });

describe('response bodies, decoded as fetch would', () => {
  it('reads a messages export as UTF-8 bytes: multi-byte characters and a byte-order mark', async () => {
    const body = Buffer.concat([bom, Buffer.from(JSON.stringify({ data: [message('1', 'café 日本 😀'), message('2', '"[{')] }), 'utf8')]);
    const http = scriptedHttp('https://cliq.test', answer(body));
    expect(await exportMessagesInto(http, 'CT_1', undefined, ids)).toEqual(['1:café 日本 😀', '2:"[{']);
  });

  it('refuses an HTML page sent as JSON, after white space and a byte-order mark', async () => {
    const page = Buffer.concat([bom, Buffer.from('\n  <html><body>Sign in</body></html>')]);
    const http = scriptedHttp('https://cliq.test', answer(page));
    await expect(exportMessagesInto(http, 'CT_1', undefined, ids)).rejects.toMatchObject({ code: 'MALFORMED_RESPONSE', message: expect.stringContaining('HTML page') as unknown });
  });

  it('decodes a text body (a CSV export) without its byte-order mark', async () => {
    const header = '"title","chat_id","creation_time","last_modified_time","participant_count","total_message_count","creator_id"';
    const csv = Buffer.concat([bom, Buffer.from(`${header}\n"Ünïcode","CT_9","1","2","3","4","5"\n`, 'utf8')]);
    const http = scriptedHttp('https://cliq.test', answer(csv, 'text/csv'));
    const rows = await exportChats(http);
    expect(rows.map((r) => [r.title, r.chat_id])).toEqual([['Ünïcode', 'CT_9']]);
  });
});
