import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyArchive } from '../../../electron/core/archive/sealing/verify';
import { conversationCoverage, readArchiveStats } from '../../../electron/core/archive/statsRepo';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { syncArchive } from '../../../electron/core/createCore';
import type { SyncReport } from '../../../electron/core/sync/types';
import type { RunningSimulator } from '../../../electron/simulator';
import { reactionsTruth } from '../../../electron/simulator/org/extras';
import { archiverScopes } from '../../../shared/cliqScopes';
import { adminReads, extrasChanges } from '../../helpers/extras';
import { connectionTo, grantedCredentials, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

/** Enough MS3 calls for every message of a small org: the tests compare everything. */
const everything = { reactionsPerRun: 100_000 };

function read<T>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare<unknown[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

function readableChats(sim: RunningSimulator): string[] {
  return sim.org.conversations.filter((c) => !c.removed && sim.org.live(c.chatId) && adminReads(sim, c)).map((c) => c.chatId);
}

interface Seen {
  chat_id: string;
  message_id: string;
  emoji: string;
  user_id: string;
  name: string | null;
  time: number | null;
}

const key = (r: Omit<Seen, 'name'>) => `${r.chat_id} ${r.message_id} ${r.emoji} ${r.user_id} ${String(r.time)}`;

/** The archive's current reactions equal the server's, for every stored message of every readable conversation. */
function expectReactionsEqualTruth(sim: RunningSimulator, path: string): number {
  const chats = readableChats(sim);
  const stored = new Set(read<{ k: string }>(path, "SELECT chat_id || ' ' || message_id AS k FROM messages WHERE deleted_at IS NULL").map((r) => r.k));
  const truth = reactionsTruth(sim.org, chats);
  const expected: Seen[] = [];
  for (const [chatId, perMessage] of Object.entries(truth)) {
    for (const [messageId, list] of Object.entries(perMessage)) {
      if (!stored.has(`${chatId} ${messageId}`)) continue;
      for (const r of list) expected.push({ chat_id: chatId, message_id: messageId, emoji: r.emoji, user_id: r.user_id, name: r.name, time: r.time });
    }
  }
  // Conversations gone from Cliq keep their last-seen reactions: compared are the live ones.
  const archived = read<Seen>(
    path,
    'SELECT chat_id, message_id, emoji, user_id, user_name AS name, reacted_at AS time FROM reactions WHERE gone_at IS NULL AND chat_id IN (SELECT value FROM json_each(?))',
    JSON.stringify(chats),
  );
  const sort = (list: Seen[]) => list.map((r) => ({ ...r })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  expect(sort(archived)).toEqual(sort(expected));
  // Every stored message of a readable conversation was checked, at its current version.
  const unchecked = read<{ n: number }>(
    path,
    `SELECT count(*) AS n FROM messages m LEFT JOIN reaction_checks c ON c.message_rowid = m.id
      WHERE m.deleted_at IS NULL AND m.chat_id IN (SELECT value FROM json_each(?)) AND (c.message_rowid IS NULL OR c.checked_version < m.version)`,
    JSON.stringify(chats),
  );
  expect(unchecked[0]?.n).toBe(0);
  return expected.length;
}

interface Pin {
  chat_id: string;
  message_id: string | null;
  creator_id: string | null;
  pinned_at: number | null;
  message_time: number | null;
}

function expectStickyEqualsTruth(sim: RunningSimulator, path: string): number {
  const expected: Pin[] = [];
  for (const chatId of readableChats(sim)) {
    const pin = sim.org.stickies.get(chatId);
    if (!pin) continue;
    expected.push({
      chat_id: chatId,
      message_id: pin.messageId.replace('_', '%20'),
      creator_id: sim.org.users[pin.creator]?.id ?? null,
      pinned_at: pin.created,
      message_time: pin.messageTime,
    });
  }
  const archived = read<Pin>(
    path,
    'SELECT chat_id, message_id, creator_id, pinned_at, message_time FROM sticky_messages WHERE gone_at IS NULL AND chat_id IN (SELECT value FROM json_each(?)) ORDER BY chat_id',
    JSON.stringify(readableChats(sim)),
  );
  expect(archived).toEqual(expected.sort((a, b) => (a.chat_id < b.chat_id ? -1 : 1)));
  return expected.length;
}

function expectRolesEqualTruth(sim: RunningSimulator, path: string): void {
  const expected: { chat_id: string; user_id: string; role: string }[] = [];
  for (const c of sim.org.conversations) {
    if (!c.channel || c.removed || !adminReads(sim, c)) continue;
    for (const m of c.members) expected.push({ chat_id: c.chatId, user_id: sim.org.users[m]?.id ?? '', role: c.channel.roles.get(m) ?? 'member' });
  }
  const archived = read<{ chat_id: string; user_id: string; role: string }>(path, 'SELECT chat_id, user_id, role FROM channel_member_roles WHERE gone_at IS NULL');
  const order = (list: typeof archived) => [...list].sort((a, b) => `${a.chat_id} ${a.user_id}`.localeCompare(`${b.chat_id} ${b.user_id}`));
  expect(order(archived)).toEqual(order(expected));
}

const calls = (report: SyncReport, family: string) => report.calls[family] ?? 0;

describe('reactions, sticky messages and channel member roles', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('archives what the simulator holds, makes no MS3 or H3 call when nothing changed, and keeps every change as history after mutations', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual' });
    const path = join(tempDir(), 'a.sqlite');
    const first = await syncArchive(path, connectionTo(sim), everything);
    expect(first.status).toBe('complete');
    const reactions = expectReactionsEqualTruth(sim, path);
    expect(reactions).toBeGreaterThan(20);
    // Both key kinds, and names holding colons, made it through verbatim.
    const keys = read<{ emoji: string; user_name: string | null; entry: string }>(path, 'SELECT emoji, user_name, entry FROM reactions');
    expect(keys.some((r) => r.emoji.startsWith(':') && r.emoji.endsWith(':'))).toBe(true);
    expect(keys.some((r) => !r.emoji.startsWith(':'))).toBe(true);
    expect(keys.some((r) => (r.user_name ?? '').includes(':') && r.entry.endsWith(r.user_name ?? '-'))).toBe(true);
    expect(expectStickyEqualsTruth(sim, path)).toBeGreaterThan(2);
    expectRolesEqualTruth(sim, path);
    expect(read<{ n: number }>(path, 'SELECT count(DISTINCT channel_id) AS n FROM channel_permissions WHERE gone_at IS NULL')[0]?.n).toBeGreaterThan(0);
    expect(first.counts.reactionsChecked).toBe(calls(first, 'messages.reactions'));
    // Coverage: every readable conversation's messages checked, none due; the totals agree with the tables.
    const statsDb = new Database(path, { readonly: true });
    const stats = readArchiveStats(statsDb);
    const coverage = conversationCoverage(statsDb).filter((c) => c.reactions !== undefined);
    statsDb.close();
    expect(stats.extras).toMatchObject({ reactionsCurrent: reactions, reactionsRemoved: 0, messagesChecked: first.counts.reactionsChecked, messagesDue: 0, conversationsRefused: 0 });
    expect(coverage.length).toBeGreaterThan(0);
    expect(coverage.every((c) => c.reactions?.due === 0 && c.reactions.checked === c.archivedCount)).toBe(true);
    expect(calls(first, 'chats.sticky')).toBe(readableChats(sim).length);

    // Nothing changed: no message is new or changed, every pin was checked less than a week ago.
    sim.advance(60_000);
    const unchanged = await syncArchive(path, connectionTo(sim), everything);
    expect(unchanged.status).toBe('complete');
    expect([calls(unchanged, 'messages.reactions'), calls(unchanged, 'chats.sticky')]).toEqual([0, 0]);

    sim.advance(60_000);
    // Changes where the admin can read (elsewhere nothing is asked, so nothing could be seen).
    const readable = new Set(readableChats(sim));
    const pinnedBefore = new Set(sim.org.stickies.keys());
    // A channel removed from Cliq: its member roles end with it.
    const doomed = sim.org.conversations.find((c) => c.channel && readable.has(c.chatId) && c.channel.threadIds.length === 0 && c.members.length > 2);
    expect(sim.mutate({ seed: 6, removeChats: 1, chatIds: [doomed?.chatId ?? ''] }).removed).toEqual([doomed?.chatId]);
    const mutation = sim.mutate({
      seed: 5,
      ...extrasChanges,
      replaceSticky: 2,
      unpinSticky: 1,
      // Not threads: an edit in a thread is seen by the walker only when the thread's last activity
      // moves (TH1 gives no other signal), and a reaction is asked for only once its message changed.
      chatIds: [...readable].filter((chatId) => sim.org.live(chatId)?.kind !== 'thread'),
    });
    expect(mutation.reactionsAdded.length).toBeGreaterThan(0);
    expect(mutation.reactionsRemoved.length).toBeGreaterThan(0);
    expect(mutation.stickyReplaced.length + mutation.stickyUnpinned.length).toBe(3);
    expect(mutation.rolesChanged.length).toBe(3);
    const after = await syncArchive(path, connectionTo(sim), everything);
    expect(after.status).toBe('complete');
    expectReactionsEqualTruth(sim, path);
    expectStickyEqualsTruth(sim, path);
    expectRolesEqualTruth(sim, path);
    // Only new and changed messages were asked: at most one call per message the mutation touched (and each spelling once).
    expect(calls(after, 'messages.reactions')).toBeLessThanOrEqual(mutation.added.length + mutation.edited.length);

    // Removed reactions are history, never deleted.
    for (const removed of mutation.reactionsRemoved) {
      const rows = read<{ gone_at: number | null }>(
        path,
        'SELECT gone_at FROM reactions WHERE chat_id = ? AND message_id = ? AND emoji = ? AND user_id = ?',
        removed.chatId,
        removed.messageId,
        removed.emoji,
        removed.userId,
      );
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.gone_at !== null)).toBe(true);
    }
    // A replaced pin and an unpinned one end with why.
    for (const chatId of mutation.stickyReplaced) {
      const ended = read<{ ended_by: string }>(path, 'SELECT ended_by FROM sticky_messages WHERE chat_id = ? AND gone_at IS NOT NULL', chatId);
      expect(ended.map((e) => e.ended_by)).toEqual(pinnedBefore.has(chatId) ? ['replaced'] : []);
    }
    for (const chatId of mutation.stickyUnpinned) {
      expect(read<{ ended_by: string }>(path, 'SELECT ended_by FROM sticky_messages WHERE chat_id = ? AND gone_at IS NOT NULL', chatId).map((e) => e.ended_by)).toEqual(['unpinned']);
    }
    // A role change closes the old role and opens the new one.
    for (const change of mutation.rolesChanged) {
      const rows = read<{ role: string; open: number }>(
        path,
        'SELECT role, gone_at IS NULL AS open FROM channel_member_roles WHERE chat_id = ? AND user_id = ? ORDER BY id',
        change.chatId,
        change.userId,
      );
      expect(rows.slice(-2)).toEqual([
        { role: change.from, open: 0 },
        { role: change.to, open: 1 },
      ]);
    }
    expect(after.counts.reactionsRemoved).toBeGreaterThan(0);
    expect(
      read<{ open: number; closed: number }>(
        path,
        'SELECT count(*) FILTER (WHERE gone_at IS NULL) AS open, count(*) FILTER (WHERE gone_at IS NOT NULL) AS closed FROM channel_member_roles WHERE chat_id = ?',
        doomed?.chatId,
      ),
    ).toEqual([{ open: 0, closed: doomed?.members.length }]);
    expect(verifyArchive(new Database(path, { readonly: true })).problems).toEqual([]);
  });

  it('without ZohoCliq.messageactions.READ: the sync completes, notes the reactions dataset and its scope, makes at most three refused calls, and keeps what was archived', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual' });
    const path = join(tempDir(), 'a.sqlite');
    await syncArchive(path, connectionTo(sim), everything);
    const before = read<{ n: number }>(path, 'SELECT count(*) AS n FROM reactions')[0]?.n ?? 0;
    expect(before).toBeGreaterThan(0);
    sim.advance(60_000);
    sim.mutate({ seed: 7, newMessages: 10, editMessages: 10 });
    const without = archiverScopes.filter((s) => s !== 'ZohoCliq.messageactions.READ');
    const report = await syncArchive(path, connectionTo(sim, { credentials: await grantedCredentials(sim, without) }), everything);
    expect(report.status).toBe('complete');
    const notes = report.errors.filter((e) => e.code === 'SOURCE_NOT_GRANTED');
    expect(notes.map((n) => [n.dataset, n.scope])).toEqual([['reactions', 'ZohoCliq.messageactions.READ']]);
    expect(calls(report, 'messages.reactions')).toBeLessThanOrEqual(3);
    // Messages and pins went on; nothing archived before is lost, and no conversation is left marked unreadable.
    expect(report.counts.messagesNew).toBeGreaterThan(0);
    expect(calls(report, 'chats.sticky')).toBeGreaterThan(0);
    expect(read<{ n: number }>(path, 'SELECT count(*) AS n FROM reactions')[0]?.n).toBe(before);
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM conversation_checks WHERE source = 'reactions' AND status = 'forbidden'")[0]?.n).toBe(0);

    // Granted again: the messages the refused run stored are checked now.
    const again = await syncArchive(path, connectionTo(sim), everything);
    expect(again.errors.filter((e) => e.code === 'SOURCE_NOT_GRANTED')).toEqual([]);
    expectReactionsEqualTruth(sim, path);
  });

  it('asks again with the other id spelling after a 404; the simulator answers both; a bundle carries the datasets in scope; verify catches tampering', async () => {
    const sim = await simulator({ seed: 4, scale: 'small', clock: 'manual', faults: [{ family: 'messages.reactions', kind: '404', times: 1 }] });
    const dir = tempDir();
    const path = join(dir, 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), everything);
    expect(report.status).toBe('complete');
    // One more call than checks: the 404 was asked once more, with the space spelling, and answered.
    expect(calls(report, 'messages.reactions')).toBe((report.counts.reactionsChecked ?? 0) + 1);
    expect(read<{ n: number }>(path, "SELECT count(*) AS n FROM reaction_checks WHERE status = 'not_found'")[0]?.n).toBe(0);
    expectReactionsEqualTruth(sim, path);

    const [chat] = read<{ chat_id: string }>(path, 'SELECT r.chat_id FROM reactions r JOIN sticky_messages s ON s.chat_id = r.chat_id GROUP BY r.chat_id ORDER BY count(*) DESC LIMIT 1');
    expect(chat).toBeDefined();
    const out = join(dir, 'bundle');
    await createAuditBundle({ archivePath: path, outDir: out, scope: { conversations: [chat?.chat_id ?? ''] } });
    const lines = (name: string) =>
      readFileSync(join(out, 'data', `${name}.jsonl`), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { chat_id: string });
    const inScope = lines('reactions');
    expect(inScope.length).toBe(read<{ n: number }>(path, 'SELECT count(*) AS n FROM reactions WHERE chat_id = ?', chat?.chat_id)[0]?.n);
    expect(inScope.every((r) => r.chat_id === chat?.chat_id)).toBe(true);
    expect(lines('sticky-messages').map((r) => r.chat_id)).toEqual([chat?.chat_id]);
    expect(readFileSync(join(out, 'data-dictionary.csv'), 'utf8')).toContain('reacted_at');

    for (const [table, sql] of [
      ['reactions', "UPDATE reactions SET emoji = '👎' WHERE id = (SELECT min(id) FROM reactions)"],
      ['sticky_messages', "UPDATE sticky_messages SET creator_id = '1' WHERE id = (SELECT min(id) FROM sticky_messages)"],
      ['channel_member_roles', "UPDATE channel_member_roles SET role = role || 'x' WHERE id = (SELECT min(id) FROM channel_member_roles)"],
      ['channel_permissions', 'UPDATE channel_permissions SET allowed = 1 - allowed WHERE id = (SELECT min(id) FROM channel_permissions)'],
    ] as const) {
      const copy = join(dir, `${table}.sqlite`);
      const source = new Database(path);
      await source.backup(copy);
      source.close();
      const db = new Database(copy);
      db.exec(sql);
      expect(
        verifyArchive(db).problems.some((p) => p.table === table),
        table,
      ).toBe(true);
      db.close();
    }
  });

  it('H3 answering 404 for "nothing pinned" reads as no pin', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', clock: 'manual', stickyNonePinnedStatus: 404 });
    const path = join(tempDir(), 'a.sqlite');
    const report = await syncArchive(path, connectionTo(sim), everything);
    expect(report.status).toBe('complete');
    expectStickyEqualsTruth(sim, path);
  });
});
