import { describe, expect, it } from 'vitest';
import { infoEdges, latestEdges, type InfoMessage } from '../../../electron/core/archive/membershipEvidence';

const info = (messageId: string, time: number, subtype: string | null, data: unknown): InfoMessage => ({
  messageId,
  time,
  subtype,
  raw: JSON.stringify({ id: messageId, time, type: 'info', content: { type: subtype, data } }),
});

describe('membership evidence in info messages', () => {
  it('reads joins and leaves under every subtype it knows, one user or several, ids as strings', () => {
    expect(infoEdges(info('1', 10, 'member_added', { user: { id: '7100001', name: 'Ana' } }))).toEqual([{ edge: 'joined', userId: '7100001', at: 10, messageId: '1', subtype: 'member_added' }]);
    expect(infoEdges(info('2', 11, 'removed', { users: [{ id: '7100002' }, { id: '7100003' }] })).map((e) => [e.edge, e.userId])).toEqual([
      ['left', '7100002'],
      ['left', '7100003'],
    ]);
    // A bare 19-digit id keeps its digits (parsed losslessly from the stored payload).
    const raw = '{"id":"3","time":12,"type":"info","content":{"type":"member_left","data":{"user":{"id":1234567890123456789}}}}';
    expect(infoEdges({ messageId: '3', time: 12, subtype: 'member_left', raw })[0]?.userId).toBe('1234567890123456789');
  });

  it('finds no evidence in other subtypes, in messages naming nobody, or in a payload that is not JSON', () => {
    expect(infoEdges(info('4', 1, 'call_notification', { user: { id: '1' } }))).toEqual([]);
    expect(infoEdges(info('5', 1, null, { user: { id: '1' } }))).toEqual([]);
    expect(infoEdges(info('6', 1, 'member_joined', { user: { id: '' } }))).toEqual([]);
    expect(infoEdges(info('7', 1, 'member_joined', { user: { id: { $ne: 1 } } }))).toEqual([]);
    expect(infoEdges(info('8', 1, 'member_joined', 'Ana'))).toEqual([]);
    expect(infoEdges({ messageId: '9', time: 1, subtype: 'member_joined', raw: '{"content":' })).toEqual([]);
  });

  it('keeps the latest join and the latest leave of each user, whatever order they come in', () => {
    const latest = latestEdges([
      info('b', 30, 'member_joined', { user: { id: 'u1' } }),
      info('a', 10, 'member_joined', { user: { id: 'u1' } }),
      info('c', 20, 'member_left', { user: { id: 'u1' } }),
      info('d', 20, 'member_removed', { user: { id: 'u2' } }),
    ]);
    expect(latest.get('u1')).toMatchObject({ joined: { messageId: 'b', at: 30 }, left: { messageId: 'c', at: 20 } });
    expect(latest.get('u2')?.left?.messageId).toBe('d');
    expect(latest.get('u2')?.joined).toBeUndefined();
  });
});
