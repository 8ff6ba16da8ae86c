import { describe, expect, it } from 'vitest';
import { infoEdges, latestEdges, matchLateEdges, type InfoEdge, type InfoMessage, type IntervalForMatch } from '../../../electron/core/archive/membershipEvidence';

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

  describe('info messages archived after the listing that noticed their change', () => {
    // One member of a conversation first listed at 100: in at 100 (first archived), gone noticed
    // at 300 (last shown at 200), back noticed at 500, still in.
    const interval = (id: number, firstSeenAt: number, lastSeenAt: number, goneAt: number | null, more: Partial<IntervalForMatch> = {}): IntervalForMatch => ({
      id,
      firstSeenAt,
      firstSeenRun: firstSeenAt,
      lastSeenAt,
      goneAt,
      goneRun: goneAt,
      joinBounded: false,
      leftBounded: false,
      ...more,
    });
    const history = [interval(1, 100, 200, 300), interval(2, 500, 600, null)];
    const edge = (kind: 'joined' | 'left', at: number, messageId = `m${at}`): InfoEdge => ({ edge: kind, userId: 'u', at, messageId, subtype: kind === 'joined' ? 'member_added' : 'member_left' });
    const match = (edges: InfoEdge[], intervals = history, runId = 999) => matchLateEdges(intervals, edges, 100, runId).map((b) => [b.intervalId, b.found.edge, b.found.at, b.noticedAt]);

    it('dates a leave between the last listing showing the member and the one missing them, and a return after that', () => {
      expect(match([edge('left', 250), edge('joined', 400)])).toEqual([
        [1, 'left', 250, 300],
        [2, 'joined', 400, 500],
      ]);
    });

    it('takes no message outside its window: a leave while still listed, a join before the leave was noticed or after the return was', () => {
      expect(match([edge('left', 150), edge('joined', 290), edge('joined', 510)])).toEqual([]);
    });

    it("never dates the first listing (members since an unknown time), nor a boundary already recorded, nor this run's changes", () => {
      expect(match([edge('joined', 50)])).toEqual([]);
      expect(match([edge('left', 250)], [interval(1, 100, 200, 300, { leftBounded: true }), history[1] as IntervalForMatch])).toEqual([]);
      expect(match([edge('left', 250)], history, 300)).toEqual([]);
    });

    it('keeps the latest fitting message, and none when the member left again before the return was noticed', () => {
      expect(match([edge('joined', 350), edge('joined', 420)])).toEqual([[2, 'joined', 420, 500]]);
      expect(match([edge('joined', 350), edge('left', 450)])).toEqual([]);
    });
  });
});
