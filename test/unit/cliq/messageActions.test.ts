import { describe, expect, it } from 'vitest';
import { otherMessageIdSpelling, parseReactionEntry, parseReactions } from '../../../electron/core/cliq/messageActions';
import { permissionFacts } from '../../../electron/core/sync/channelPermissions';
import { stickyFact } from '../../../electron/core/sync/extrasLane';

describe('MS3 reactions, H3 pins and C1 permissions as the archive reads them', () => {
  it('splits an entry on its first two colons only, keeping the rest of the name and the entry verbatim', () => {
    expect(parseReactionEntry('👍', '1719001000000:7100002:Kofi: Legal: EU')).toEqual({
      emoji: '👍',
      userId: '7100002',
      userName: 'Kofi: Legal: EU',
      reactedAt: 1719001000000,
      entry: '1719001000000:7100002:Kofi: Legal: EU',
    });
    // A name missing or empty, a time that is not a number: kept as null, never guessed.
    expect(parseReactionEntry(':party:', 'soon:7100001')).toMatchObject({ userId: '7100001', userName: null, reactedAt: null });
    expect(parseReactionEntry(':party:', '1:7100001:')).toMatchObject({ userName: null, reactedAt: 1 });
    expect(parseReactionEntry('👍', 'no colons')).toBeUndefined();
    expect(parseReactionEntry('👍', '1719001000000::Nobody')).toBeUndefined();
  });

  it('reads both key kinds, {data:{}} as none, counts unreadable entries, and refuses a body without data', () => {
    const answer = parseReactions(JSON.stringify({ data: { '👍': ['1:7100002:Kofi Mensah', '2:7100003:Lee Park'], ':party:': ['3:7100001:Dana Ruiz', 42, 'bad'], ':x:': 'not a list' } }));
    expect(answer.reactions.map((r) => [r.emoji, r.userId, r.userName])).toEqual([
      ['👍', '7100002', 'Kofi Mensah'],
      ['👍', '7100003', 'Lee Park'],
      [':party:', '7100001', 'Dana Ruiz'],
    ]);
    expect(answer.unreadable).toBe(3);
    expect(parseReactions('{"data":{}}')).toEqual({ reactions: [], unreadable: 0 });
    expect(() => parseReactions('{"message":"x"}')).toThrow(/no `data` object/);
    expect(() => parseReactions('<html>')).toThrow(/not valid JSON/);
  });

  it('knows the other spelling of a message id, and none for an id it does not recognise', () => {
    expect(otherMessageIdSpelling('1528182303637_7763880281')).toBe('1528182303637 7763880281');
    expect(otherMessageIdSpelling('1528182303637 7763880281')).toBe('1528182303637_7763880281');
    expect(otherMessageIdSpelling('1528182303637%207763880281')).toBe('1528182303637_7763880281');
    expect(otherMessageIdSpelling('abc')).toBeUndefined();
  });

  it('reads a pin with mixed ms numbers and strings, its identity the hash of the whole answer', () => {
    const data = {
      chat_id: 'CT_1_2',
      expiry_time: -1,
      creator: { name: 'Lee Park', id: '7100003' },
      created_time: 1719800000000,
      last_modified_time: 1719800000000,
      message: { msg: 'Retention policy v3', sender: '7100003', dname: 'Lee Park', msguid: '1719799990000%20660000000001', time: '1719799990000', lmsgtime: '1719799000000' },
    };
    const fact = stickyFact(data);
    expect(fact).toMatchObject({
      message_id: '1719799990000%20660000000001',
      text: 'Retention policy v3',
      creator_id: '7100003',
      message_time: 1719799990000,
      pinned_at: 1719800000000,
      expiry_time: -1,
    });
    expect(JSON.parse(fact.raw_json)).toEqual(data);
    expect(stickyFact({ ...data, last_modified_time: 1719800000001 }).content_hash).not.toBe(fact.content_hash);
    expect(stickyFact({ message: 'odd' })).toMatchObject({ message_id: null, pinned_at: null, creator_id: null });
  });

  it('turns the three permission objects into one fact per value; an item without them tells nothing', () => {
    const facts = permissionFacts({ admin_permission: { send_message: true }, member_permission: { sticky_message: 'false', odd: 3 } });
    expect(facts).toEqual([
      { role: 'admin', permission: 'send_message', allowed: 1, value: 'true' },
      { role: 'member', permission: 'sticky_message', allowed: 0, value: '"false"' },
      { role: 'member', permission: 'odd', allowed: null, value: '3' },
    ]);
    expect(permissionFacts({ name: '#x' })).toBeUndefined();
  });
});
