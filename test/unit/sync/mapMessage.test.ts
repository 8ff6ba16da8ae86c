import { describe, expect, it } from 'vitest';
import { messageSchema } from '../../../electron/core/cliq/schemas';
import { contentHash, mapMessage } from '../../../electron/core/sync/mapMessage';

function map(raw: Record<string, unknown>) {
  return mapMessage('CT_1', messageSchema.parse(raw), raw);
}

describe('mapMessage', () => {
  it('maps a text message and keeps the raw payload verbatim', () => {
    const raw = { sender: { name: 'Dana', id: '7100001' }, ack_key: '', id: '1700000000250_1', time: 1700000000250, type: 'text', content: { text: 'Hi {@7100002}' } };
    const row = map(raw);
    expect(row).toMatchObject({
      messageId: '1700000000250_1',
      chatId: 'CT_1',
      time: 1700000000250,
      senderId: '7100001',
      senderName: 'Dana',
      type: 'text',
      text: 'Hi {@7100002}',
      subtype: null,
      extraText: null,
    });
    expect(row.rawJson).toBe(JSON.stringify(raw));
  });

  it('maps a file message: name, id, MIME, size (from a string too) and caption', () => {
    const row = map({
      sender: { name: 'Kofi', id: '7100002' },
      id: 'm2',
      time: 2,
      type: 'file',
      content: { file: { id: 'abc123', name: 'nda-signed.pdf', type: 'application/pdf', dimensions: { size: '88211' } }, comment: 'Countersigned', thumbnail: { blur_data: 'AAAA' } },
    });
    expect(row).toMatchObject({ fileName: 'nda-signed.pdf', fileId: 'abc123', fileMime: 'application/pdf', fileSize: 88211, extraText: 'Countersigned', text: null });
  });

  it('describes a call notification in searchable words', () => {
    const row = map({
      sender: { name: 'Dana', id: '7100001' },
      ack_key: '',
      id: 'm3',
      time: 3,
      type: 'info',
      content: { type: 'call_notification', data: { status: 'completed', call_type: 'audio', duration: '00:04:12', callee: { name: 'Kofi', id: '7100002' } } },
    });
    expect(row.subtype).toBe('call_notification');
    expect(row.extraText).toBe('audio call completed 00:04:12 with Kofi');
  });

  it('indexes the words of an undocumented card type but not its URLs or thumbnails', () => {
    const row = map({
      sender: { name: 'Bot', id: 'b-1' },
      id: 'm4',
      time: 4,
      type: 'card',
      content: { card: { title: 'Quarterly review', thumbnail: 'https://x/y.png' }, slides: [{ type: 'text', title: 'Agenda', data: 'Budget' }] },
    });
    expect(row.extraText?.split('\n')).toEqual(['Quarterly review', 'Agenda', 'Budget']);
  });

  it("accepts [002]'s retrieve shape: {senderName, senderID} and a string content", () => {
    const row = map({ sender: { senderName: 'Ana', senderID: '7100004' }, id: 'm5', time: 5, type: 'text', content: 'Hello world' });
    expect(row).toMatchObject({ senderId: '7100004', senderName: 'Ana', text: 'Hello world' });
  });

  it('hashes content independently of key order and of is_read', () => {
    const a = contentHash({ id: 'm', time: 1, content: { text: 'x' }, is_read: true });
    const b = contentHash({ content: { text: 'x' }, time: 1, id: 'm', is_read: false });
    const c = contentHash({ id: 'm', time: 1, content: { text: 'y' } });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('refuses a message without an id or time, and an unsafe numeric id', () => {
    expect(messageSchema.safeParse({ time: 1, type: 'text' }).success).toBe(false);
    expect(messageSchema.safeParse({ id: 'm', type: 'text' }).success).toBe(false);
    expect(messageSchema.safeParse({ id: 2 ** 60, time: 1, type: 'text' }).success).toBe(false);
    expect(messageSchema.parse({ id: 12345, time: '1700000000000', type: 'text' })).toMatchObject({ id: '12345', time: 1700000000000 });
  });
});
