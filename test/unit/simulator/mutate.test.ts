import { describe, expect, it } from 'vitest';
import { generateOrg } from '../../../electron/simulator/org/generate';
import { mutateOrg, type MutationSpec } from '../../../electron/simulator/org/mutate';
import { buildTruth, type GroundTruth } from '../../../electron/simulator/org/truth';
import { defaultNow } from '../../../electron/simulator/options';

const ctx = { threadRepliesInParent: false, timezoneOffsetMinutes: 330, maintenanceChannelIdPrefix: false };
const later = defaultNow + 3_600_000;

function run(spec: MutationSpec, seed = 1) {
  const org = generateOrg({ seed, scale: 'small', now: defaultNow });
  const before = buildTruth(org, ctx);
  const result = mutateOrg(org, spec, { now: later, defaultSeed: 99 });
  return { org, before, after: buildTruth(org, ctx), result };
}

function rows(truth: GroundTruth) {
  return [...truth.chats, ...truth.channels];
}

/** Every chat's derived numbers agree with its messages; lmt may be bumped by edits, never below. */
function expectConsistent(truth: GroundTruth) {
  for (const row of rows(truth)) {
    const list = truth.messages[row.chat_id] ?? [];
    expect(row.total_message_count).toBe(list.length);
    const last = list[list.length - 1]?.time ?? row.creation_time;
    expect(row.last_modified_time).toBeGreaterThanOrEqual(last);
    expect(row.participant_count).toBe(truth.members[row.chat_id]?.length);
    for (let i = 1; i < list.length; i++) expect((list[i]?.time ?? 0) >= (list[i - 1]?.time ?? 0)).toBe(true);
  }
}

const find = (truth: GroundTruth, chatId: string, messageId: string) => truth.messages[chatId]?.find((m) => m.id === messageId);

describe('mutations between syncs', () => {
  it('edits text, sets/increments revision and bumps last_modified_time to now', () => {
    const { before, after, result } = run({ editMessages: 5 });
    expect(result.edited).toHaveLength(5);
    for (const { chatId, messageId } of result.edited) {
      const old = find(before, chatId, messageId);
      const now = find(after, chatId, messageId);
      expect(now?.content.text).not.toBe(old?.content.text);
      expect(now?.revision).toBe((old?.revision ?? 0) + 1);
      expect(rows(after).find((r) => r.chat_id === chatId)?.last_modified_time).toBe(later);
    }
    expectConsistent(after);
  });

  it('deletes messages from every export, keeping counts right', () => {
    const { before, after, result } = run({ deleteMessages: 7 });
    expect(result.deleted).toHaveLength(7);
    for (const { chatId, messageId } of result.deleted) {
      expect(find(before, chatId, messageId)).toBeDefined();
      expect(find(after, chatId, messageId)).toBeUndefined();
    }
    const total = (t: GroundTruth) => Object.values(t.messages).reduce((n, l) => n + l.length, 0);
    expect(total(after)).toBe(total(before) - 7);
    expectConsistent(after);
  });

  it('adds new messages after the latest existing one and not before the clock', () => {
    const { before, after, result } = run({ newMessages: 20, newThreadReplies: 3 });
    expect(result.added).toHaveLength(23);
    const latest = Math.max(
      ...Object.values(before.messages)
        .flat()
        .map((m) => m.time),
    );
    for (const { chatId, messageId } of result.added) {
      const message = find(after, chatId, messageId);
      expect(message?.time).toBeGreaterThan(latest);
      expect(message?.time).toBeGreaterThanOrEqual(later);
    }
    expect(result.added.filter((a) => a.chatId.includes('-T-'))).toHaveLength(3);
    expectConsistent(after);
  });

  it('joins and leaves update members, participant_count and leave an info message', () => {
    const { before, after, result } = run({ membersJoin: 3, membersLeave: 3 });
    expect(result.joined).toHaveLength(3);
    expect(result.left).toHaveLength(3);
    for (const { chatId, userId } of result.joined) {
      expect(before.members[chatId]?.some((m) => m.user_id === userId)).toBe(false);
      expect(after.members[chatId]?.some((m) => m.user_id === userId)).toBe(true);
    }
    for (const { chatId, userId } of result.left) expect(after.members[chatId]?.some((m) => m.user_id === userId)).toBe(false);
    expect(result.added).toHaveLength(6);
    const info = result.added.map((a) => find(after, a.chatId, a.messageId));
    expect(info.every((m) => m?.type === 'info')).toBe(true);
    expectConsistent(after);
  });

  it('swaps a member for another with the count unchanged: a removed and an added info message, or none when quiet', () => {
    const { before, after, result } = run({ swapMembers: 2 });
    expect(result.swapped).toHaveLength(2);
    for (const { chatId, removed, added } of result.swapped) {
      expect(before.members[chatId]?.some((m) => m.user_id === removed)).toBe(true);
      expect(before.members[chatId]?.some((m) => m.user_id === added)).toBe(false);
      expect(after.members[chatId]?.some((m) => m.user_id === removed)).toBe(false);
      expect(after.members[chatId]?.some((m) => m.user_id === added)).toBe(true);
      expect(after.members[chatId]).toHaveLength(before.members[chatId]?.length ?? -1);
    }
    const info = result.added.map((a) => find(after, a.chatId, a.messageId)?.content as { type: string; data: { user: { id: string } } });
    expect(info.map((c) => [c.type, c.data.user.id])).toEqual(
      result.swapped.flatMap((s) => [
        ['member_removed', s.removed],
        ['member_added', s.added],
      ]),
    );
    expectConsistent(after);

    const quiet = run({ swapMembers: 1, membersJoin: 1, membersLeave: 1, quietMembers: true });
    expect([quiet.result.swapped.length, quiet.result.joined.length, quiet.result.left.length]).toEqual([1, 1, 1]);
    expect(quiet.result.added).toEqual([]);
    const [swap] = quiet.result.swapped;
    const lmt = (t: GroundTruth, id: string | undefined) => rows(t).find((r) => r.chat_id === id)?.last_modified_time;
    expect(lmt(quiet.after, swap?.chatId)).toBe(lmt(quiet.before, swap?.chatId));
    expectConsistent(quiet.after);
  });

  it('clears chats, removes chats and creates new ones', () => {
    const { before, after, result } = run({ clearChats: 2, removeChats: 2, newChats: 3 });
    expect(result.cleared).toHaveLength(2);
    for (const chatId of result.cleared) {
      expect(after.messages[chatId]).toEqual([]);
      expect(rows(after).find((r) => r.chat_id === chatId)?.last_modified_time).toBe(later);
    }
    for (const chatId of result.removed) {
      expect(rows(before).some((r) => r.chat_id === chatId)).toBe(true);
      expect(rows(after).some((r) => r.chat_id === chatId)).toBe(false);
      expect(after.messages[chatId]).toBeUndefined();
    }
    expect(result.createdChats).toHaveLength(3);
    for (const chatId of result.createdChats) {
      expect(rows(after).some((r) => r.chat_id === chatId)).toBe(true);
      expect(after.messages[chatId]?.length).toBeGreaterThan(0);
    }
    expectConsistent(after);
  });

  it('restricts targets to chatIds and replays identically with the same seed', () => {
    const { before } = run({});
    const target = before.chats.find((c) => c.total_message_count > 5)?.chat_id ?? '';
    const { result } = run({ editMessages: 3, deleteMessages: 2, newMessages: 2, chatIds: [target], seed: 5 });
    expect([...result.edited, ...result.deleted, ...result.added].every((m) => m.chatId === target)).toBe(true);
    const again = run({ editMessages: 3, deleteMessages: 2, newMessages: 2, chatIds: [target], seed: 5 });
    expect(again.result).toEqual(result);
    expect(JSON.stringify(again.after)).toBe(JSON.stringify(run({ editMessages: 3, deleteMessages: 2, newMessages: 2, chatIds: [target], seed: 5 }).after));
  });
});
