import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { OperationName, RequestOf, ResponseOf } from '../../../shared/contract';
import type { AppService } from '../../../electron/core/app/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import { openArchive } from '../../../electron/core/archive/archive';
import { syncArchive } from '../../../electron/core/createCore';
import { permissionFacts } from '../../../electron/core/sync/channelPermissions';
import { reactionsTruth } from '../../../electron/simulator/org/extras';
import { adminReads, extrasChanges } from '../../helpers/extras';
import { readRows } from '../../helpers/readRows';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Enough MS3 calls for every message of a small org. */
const everything = { reactionsPerRun: 100_000 };

/** The one row a query of the archive answers (it must answer one). */
function one(path: string, sql: string, ...params: unknown[]): Record<string, string | number | null> {
  const [row] = readRows<Record<string, string | number | null>>(path, sql, ...params);
  if (row === undefined) throw new Error(`no row for ${sql}`);
  return row;
}

const reactionKey = (r: { emoji: string; userId: string; at: number }) => `${r.emoji} ${r.userId} ${r.at}`;

describe('the transcript’s reactions, pins and member roles, read through the app service after real syncs', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();
  const services: AppService[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  function appOn(dir: string, archivePath: string) {
    const service = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'config') }),
      secrets: memorySecretStore(),
      host: { shell: 'browser', defaultArchiveDir: join(dir, 'archives'), runsScheduleInApp: false },
      archiveOverride: archivePath,
    });
    services.push(service);
    return async <N extends OperationName>(name: N, request: RequestOf<N>): Promise<ResponseOf<N>> => {
      const result = await service.dispatch(name, request);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as ResponseOf<N>;
    };
  }

  it('gives each message its reactions (equal to the simulator’s, removed ones kept), the coverage, the pin history and role changes', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), everything)).status).toBe('complete');
    const call = appOn(dir, path);

    /** Every message of a conversation through archive:transcript (pages of 1,000), with their reactions. */
    const transcript = async (chatId: string) => {
      const page = await call('archive:transcript', { chatId, limit: 1_000 });
      expect(page.hasOlder).toBe(false);
      return page.messages;
    };
    /** The transcript's current reactions of every message equal the simulator's. */
    const expectTruth = async (chatId: string) => {
      const truth = reactionsTruth(sim.org, [chatId])[chatId] ?? {};
      let compared = 0;
      for (const m of await transcript(chatId)) {
        if (m.deletedAt !== null) continue;
        const standing = (m.reactions ?? [])
          .filter((r) => r.removedNoticedAt === null)
          .map(reactionKey)
          .sort();
        const expected = (truth[m.messageId] ?? []).map((r) => reactionKey({ emoji: r.emoji, userId: r.user_id, at: r.time })).sort();
        expect(standing, m.messageId).toEqual(expected);
        compared += expected.length;
      }
      return compared;
    };

    const readable = sim.org.conversations.filter((c) => !c.removed && sim.org.live(c.chatId) && adminReads(sim, c) && c.kind !== 'thread');
    const reacted = readable.filter((c) => Object.keys(reactionsTruth(sim.org, [c.chatId])[c.chatId] ?? {}).length > 0);
    expect(reacted.length).toBeGreaterThan(1);
    let total = 0;
    for (const c of reacted) total += await expectTruth(c.chatId);
    expect(total).toBeGreaterThan(10);

    // Coverage: every message of a readable conversation read; one the admin cannot read was never asked.
    const [first] = reacted;
    if (!first) throw new Error('no conversation with reactions');
    const live = Number(one(path, 'SELECT count(*) AS n FROM messages WHERE chat_id = ? AND deleted_at IS NULL', first.chatId).n);
    expect(await call('archive:reactionCoverage', { chatId: first.chatId })).toEqual({ checked: live, due: 0, unreadable: 0, askedAt: expect.any(Number) as number });
    const closed = sim.org.conversations.find((c) => !c.removed && !adminReads(sim, c) && Number(one(path, 'SELECT count(*) AS n FROM messages WHERE chat_id = ?', c.chatId).n) > 0);
    if (!closed) throw new Error('the admin can read every conversation of this org');
    expect(await call('archive:reactionCoverage', { chatId: closed.chatId })).toEqual({ checked: 0, due: 0, unreadable: 0, askedAt: null });

    // Pins as first seen.
    const pinnedBefore = new Map([...sim.org.stickies].map(([chatId, pin]) => [chatId, pin.messageId]));

    sim.advance(60_000);
    const mutation = sim.mutate({
      seed: 5,
      ...extrasChanges,
      chatIds: readable.map((c) => c.chatId),
    });
    // A pin replaced where one stood.
    const pinned = readable.find((c) => pinnedBefore.has(c.chatId));
    if (!pinned) throw new Error('no readable conversation is pinned');
    expect(sim.mutate({ seed: 8, replaceSticky: 1, chatIds: [pinned.chatId] }).stickyReplaced).toEqual([pinned.chatId]);
    expect(mutation.reactionsRemoved.length).toBeGreaterThan(0);
    expect(mutation.rolesChanged.length).toBe(3);
    expect((await syncArchive(path, connectionTo(sim), everything)).status).toBe('complete');

    // Reactions still equal the simulator's; a removed one is shown removed, with when it was noticed.
    for (const chatId of new Set([...mutation.reactionsAdded, ...mutation.reactionsRemoved].map((r) => r.chatId))) await expectTruth(chatId);
    for (const removed of mutation.reactionsRemoved) {
      const message = (await transcript(removed.chatId)).find((m) => m.messageId === removed.messageId);
      const shown = (message?.reactions ?? []).filter((r) => r.emoji === removed.emoji && r.userId === removed.userId);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((r) => r.removedNoticedAt !== null)).toBe(true);
    }
    // archive:context decorates its page the same way.
    const [removed] = mutation.reactionsRemoved;
    const key = Number(one(path, 'SELECT id FROM messages WHERE chat_id = ? AND message_id = ?', removed?.chatId, removed?.messageId).id);
    const context = await call('archive:context', { key, around: 3 });
    expect(context.messages.find((m) => m.key === key)?.reactions?.some((r) => r.removedNoticedAt !== null)).toBe(true);

    // A replaced pin: the new one first and current, the old one ended as replaced.
    const replaced = pinned.chatId;
    const history = await call('archive:sticky', { chatId: replaced });
    const now = sim.org.stickies.get(replaced);
    expect(history.checkedAt).not.toBeNull();
    expect(history.pins.map((p) => [p.messageId, p.endedBy, p.endedNoticedAt === null])).toEqual([
      [now?.messageId.replace('_', '%20'), null, true],
      [pinnedBefore.get(replaced)?.replace('_', '%20'), 'replaced', false],
    ]);
    expect(history.pins[0]).toMatchObject({ pinnedById: sim.org.users[now?.creator ?? -1]?.id, pinnedAt: now?.created, text: now?.text });
    const never = readable.find((c) => !sim.org.stickies.has(c.chatId) && !pinnedBefore.has(c.chatId));
    if (!never) throw new Error('every readable conversation was pinned');
    expect((await call('archive:sticky', { chatId: never.chatId })).pins).toEqual([]);

    // A role change: the member's role is the new one, and the change is listed after the old one.
    for (const change of mutation.rolesChanged) {
      const rows = (await call('archive:members', { chatId: change.chatId })).filter((m) => m.userId === change.userId && m.goneAt === null);
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row?.role).toBe(change.to);
      expect(row?.roles.slice(-2).map((r) => [r.role, r.goneAt === null])).toEqual([
        [change.from, false],
        [change.to, true],
      ]);
    }
    // Members of a channel without role changes still show their one role.
    const channel = readable.find((c) => c.channel && !mutation.rolesChanged.some((r) => r.chatId === c.chatId));
    if (!channel) throw new Error('no readable channel kept its roles');
    const members = (await call('archive:members', { chatId: channel.chatId })).filter((m) => m.goneAt === null);
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m) => m.role !== null && m.roles.length === 1)).toBe(true);
  });

  it('says which messages’ reactions are unreadable where Cliq refused the conversation', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual', faults: [{ family: 'messages.reactions', kind: '403', times: 1 }] });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), everything)).status).toBe('complete');
    const refused = one(path, "SELECT chat_id, checked_at FROM conversation_checks WHERE source = 'reactions' AND status = 'forbidden'");
    const chatId = String(refused.chat_id);
    const live = Number(one(path, 'SELECT count(*) AS n FROM messages WHERE chat_id = ? AND deleted_at IS NULL', chatId).n);
    const call = appOn(dir, path);
    const coverage = await call('archive:reactionCoverage', { chatId });
    expect(coverage).toEqual({ checked: coverage.checked, due: 0, unreadable: live - coverage.checked, askedAt: refused.checked_at });
    expect(coverage.unreadable).toBeGreaterThan(0);
  });

  it('gives a channel’s permissions per role as Cliq listed them, and a changed value as history', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', clock: 'manual' });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim), { files: 'none' })).status).toBe('complete');
    const call = appOn(dir, path);
    const target = one(
      path,
      'SELECT c.chat_id AS chatId, c.channel_id AS channelId FROM channels c JOIN channel_permissions p ON p.channel_id = c.channel_id WHERE c.chat_id IS NOT NULL ORDER BY c.chat_id LIMIT 1',
    );
    const chatId = String(target.chatId);
    const channelId = String(target.channelId);

    const first = await call('archive:channelPermissions', { chatId });
    expect(first).toHaveLength(Number(one(path, 'SELECT count(*) AS n FROM channel_permissions WHERE channel_id = ?', channelId).n));
    expect(first.every((p) => p.goneAt === null && p.allowed !== null)).toBe(true);
    // Roles in Cliq's order; what the simulator's listing says of each (docs/cliq-api.md §7.2's shape).
    expect([...new Set(first.map((p) => p.role))]).toEqual(['admin', 'moderator', 'member']);
    const allowed = (role: string, permission: string) => first.find((p) => p.role === role && p.permission === permission)?.allowed;
    expect(first.filter((p) => p.role === 'admin').every((p) => p.allowed === true)).toBe(true);
    expect([allowed('moderator', 'sticky_message'), allowed('moderator', 'delete_channel')]).toEqual([true, false]);
    expect([allowed('member', 'send_message'), allowed('member', 'sticky_message')]).toEqual([true, false]);
    // Not a channel: nothing.
    const direct = one(path, "SELECT chat_id AS chatId FROM chats WHERE kind <> 'channel' ORDER BY chat_id LIMIT 1");
    expect(await call('archive:channelPermissions', { chatId: String(direct.chatId) })).toEqual([]);

    // An admin stops members posting: a listing with that value, applied as a sync applies it.
    const objects: Record<string, Record<string, unknown>> = {};
    for (const p of first) (objects[`${p.role}_permission`] ??= {})[p.permission] = p.permission === 'send_message' && p.role === 'member' ? false : (JSON.parse(p.value) as unknown);
    const facts = permissionFacts(objects);
    if (!facts) throw new Error('no permission facts');
    const archive = openArchive(path);
    try {
      const runId = archive.runs.start(1, 'test', {}, process.pid, 'test');
      const at = Number(one(path, 'SELECT max(first_seen_at) AS at FROM channel_permissions').at) + 60_000;
      archive.transaction(() => {
        archive.sealer.open('sync', runId, at);
        expect(archive.channelRoles.applyPermissions(channelId, facts, { runId, now: at })).toMatchObject({ closed: 1 });
      });
    } finally {
      archive.close();
    }
    const after = await call('archive:channelPermissions', { chatId });
    expect(after).toHaveLength(first.length + 1);
    const posting = after.filter((p) => p.role === 'member' && p.permission === 'send_message');
    expect(posting.map((p) => [p.allowed, p.value, p.goneAt !== null])).toEqual([
      [true, 'true', true],
      [false, 'false', false],
    ]);
    expect(posting[1]?.firstSeenAt).toBe(posting[0]?.goneAt);
  });
});
