import { describe, expect, it } from 'vitest';
import { formatSize, messagePlainText, messageSegments, toPlainText, type ArchivedMessageContent } from '../../../shared/markup';
import { personLabel } from '../../../shared/people';
import { fixtureResolver } from './fixtures';

const resolver = fixtureResolver();
const base: ArchivedMessageContent = { type: 'text', subtype: null, text: null, fileName: null, fileSize: null, extraText: null };
const shown = (message: Partial<ArchivedMessageContent>) => messagePlainText({ ...base, ...message }, resolver);

describe('a whole archived message, as read', () => {
  it('spells out a file message with its size and caption', () => {
    expect(shown({ type: 'file', fileName: 'scan-0042.pdf', fileSize: 204_800, content: { file: { name: 'scan-0042.pdf' }, comment: 'for {@7100002}' } })).toBe(
      'shared file scan-0042.pdf (200 KB)\nfor @Kofi Mensah',
    );
    // Without the raw content, the caption comes from the stored other text.
    expect(shown({ type: 'file', fileName: 'a.txt', fileSize: 12, extraText: 'the caption' })).toBe('shared file a.txt (12 B)\nthe caption');
    expect(shown({ type: 'file', fileName: 'b.bin', fileSize: null, content: { file: {}, comment: '' } })).toBe('shared file b.bin');
  });

  it('spells out a call notice, naming the callee as the archive knows them', () => {
    const content = { type: 'call_notification', data: { status: 'completed', callee: { name: 'Kofi', id: '7100002' }, duration: '00:04:12', call_type: 'audio' } };
    expect(shown({ type: 'info', subtype: 'call_notification', content })).toBe('audio call, completed, 00:04:12, with Kofi Mensah');
    const unknown = { ...content, data: { ...content.data, callee: { name: 'Someone', id: '1' } } };
    expect(shown({ type: 'info', subtype: 'call_notification', content: unknown })).toBe('audio call, completed, 00:04:12, with Someone');
    expect(shown({ type: 'info', subtype: 'call_notification', extraText: 'video call missed with Ana' })).toBe('video call missed with Ana');
  });

  it('shows a card as its title, then its text', () => {
    const segments = messageSegments({ ...base, type: 'card', text: '*Deploy* done', content: { text: '*Deploy* done', card: { title: 'Deployment report', theme: 'modern-inline' } } }, resolver);
    expect(segments[0]).toEqual({ kind: 'bold', children: [{ kind: 'text', text: 'Deployment report' }] });
    expect(toPlainText(segments)).toBe('Deployment report\nDeploy done');
  });

  it('shows other messages as their text', () => {
    expect(shown({ type: 'info', subtype: 'member_left', text: 'Dana Ruiz left the conversation' })).toBe('Dana Ruiz left the conversation');
    expect(shown({ type: 'text', text: '' })).toBe('');
  });

  it('formats sizes as people read them', () => {
    expect([0, 1023, 1024, 1536, 204_800, 10 * 1024 * 1024, 5 * 1024 ** 4].map(formatSize)).toEqual(['0 B', '1023 B', '1 KB', '1.5 KB', '200 KB', '10 MB', '5 TB']);
  });
});

describe('the display rule for people', () => {
  it('is the full name, with the e-mail when another person shares it, else the e-mail or id', () => {
    expect(personLabel({ id: '1', name: 'Dana Ruiz', email: 'dana@example.org' }, false)).toBe('Dana Ruiz');
    expect(personLabel({ id: '2', name: 'Priya', email: 'priya.s@example.org' }, true)).toBe('Priya (priya.s@example.org)');
    expect(personLabel({ id: '3', name: null, email: 'x@example.org' }, false)).toBe('x@example.org');
    expect(personLabel({ id: '4', name: ' ', email: null }, true)).toBe('4');
  });
});
