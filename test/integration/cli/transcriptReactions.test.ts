import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reactionsTruth } from '../../../electron/simulator/org/extras';
import type { TranscriptPage } from '../../../shared/archive';
import { adminReads, extrasChanges } from '../../helpers/extras';
import { credentialsEnv, lastJson, runCli, syncArgs } from '../../helpers/cli';
import { readRows } from '../../helpers/readRows';
import { useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

interface SyncJson {
  status: string;
  reactionsPerRun: number;
  calls: Record<string, number>;
}

const reactionsPrefix = '      reactions: ';

/**
 * What `transcript` printed under each message, in page order: its reactions line, or null. A
 * message starts with its time; a text spanning lines stays inside its message.
 */
function printedReactions(stdout: string): (string | null)[] {
  const out: (string | null)[] = [];
  for (const line of stdout.split('\n')) {
    if (/^ {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}/.test(line)) out.push(null);
    else if (line.startsWith(reactionsPrefix) && out.length > 0 && out.at(-1) === null) out[out.length - 1] = line.slice(reactionsPrefix.length);
  }
  return out;
}

describe('sync --reactions-per-run and transcript’s reactions, from the command line', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it('0 makes no reaction call; a cap lets the reactions in; transcript prints the standing ones under their message and --json gives them all', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny', clock: 'manual' });
    const archive = join(tempDir(), 'a.sqlite');
    const env = credentialsEnv(sim);

    // Off: no MS3 call, nothing archived, and the coverage says the reactions were never asked.
    const off = await runCli(syncArgs(sim, archive, '--reactions-per-run', '0', '--json'), env);
    expect(off.code, off.stderr).toBe(0);
    const offReport = lastJson(off) as SyncJson;
    expect(offReport).toMatchObject({ status: 'complete', reactionsPerRun: 0 });
    expect(offReport.calls['messages.reactions'] ?? 0).toBe(0);
    expect(offReport.calls['chats.sticky'] ?? 0).toBeGreaterThan(0);
    expect(readRows<{ n: number }>(archive, 'SELECT count(*) AS n FROM reaction_checks')[0]?.n).toBe(0);
    const offStats = await runCli(['stats', '--archive', archive, '--json']);
    expect((lastJson(offStats) as { extras: { messagesChecked: number; reactionsCurrent: number } }).extras).toMatchObject({ messagesChecked: 0, reactionsCurrent: 0 });

    // A cap: at most that many checks in this run.
    sim.advance(60_000);
    const capped = await runCli(syncArgs(sim, archive, '--reactions-per-run', '7', '--json'), env);
    expect(capped.code, capped.stderr).toBe(0);
    expect((lastJson(capped) as SyncJson).calls['messages.reactions']).toBe(7);
    // Said in words too; the default cap applies without the flag.
    sim.advance(60_000);
    const quiet = await runCli(syncArgs(sim, archive, '--reactions-per-run', '0'), env);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toMatch(/Reactions: +0 messages checked/);
    expect(quiet.stdout).toContain('Reactions were not checked: --reactions-per-run 0.');
    sim.advance(60_000);
    const byDefault = await runCli(syncArgs(sim, archive, '--json'), env);
    expect(lastJson(byDefault)).toMatchObject({ status: 'complete', reactionsPerRun: 200 });

    // Enough for every message, then changes: reactions added, and some removed (kept as history).
    sim.advance(60_000);
    const all = await runCli(syncArgs(sim, archive, '--reactions-per-run', '100000', '--json'), env);
    expect(all.code, all.stderr).toBe(0);
    sim.advance(60_000);
    const readable = sim.org.conversations.filter((c) => !c.removed && c.kind !== 'thread' && adminReads(sim, c)).map((c) => c.chatId);
    const mutation = sim.mutate({ seed: 5, ...extrasChanges, chatIds: readable });
    expect(mutation.reactionsRemoved.length).toBeGreaterThan(0);
    const after = await runCli(syncArgs(sim, archive, '--reactions-per-run', '100000', '--json'), env);
    expect(after.code, after.stderr).toBe(0);

    // The conversation with the most reactions, and one where a reaction was removed.
    const [busiest] = readRows<{ chat_id: string }>(archive, 'SELECT chat_id FROM reactions WHERE gone_at IS NULL GROUP BY chat_id ORDER BY count(*) DESC, chat_id LIMIT 1');
    const removed = mutation.reactionsRemoved[0];
    for (const chatId of [busiest?.chat_id ?? '', removed?.chatId ?? '']) {
      const truth = reactionsTruth(sim.org, [chatId])[chatId] ?? {};
      const json = await runCli(['transcript', '--archive', archive, '--chat', chatId, '--limit', '1000', '--json']);
      expect(json.code, json.stderr).toBe(0);
      const page = lastJson(json) as TranscriptPage;
      const human = await runCli(['transcript', '--archive', archive, '--chat', chatId, '--limit', '1000']);
      expect(human.code, human.stderr).toBe(0);
      const printed = printedReactions(human.stdout);
      expect(printed).toHaveLength(page.messages.length);
      let withReactions = 0;
      page.messages.forEach((m, i) => {
        const line = printed[i] ?? null;
        if (m.deletedAt !== null) return;
        // --json: every reaction the archive holds, the standing ones equal to Cliq's.
        const standing = (m.reactions ?? []).filter((r) => r.removedNoticedAt === null);
        const expected = truth[m.messageId] ?? [];
        expect(standing.map((r) => `${r.emoji} ${r.userId}`).sort(), m.messageId).toEqual(expected.map((r) => `${r.emoji} ${r.user_id}`).sort());
        // Printed: under the message, one line naming each emoji with its count and its people.
        if (expected.length === 0) {
          expect(line, m.messageId).toBeNull();
          return;
        }
        withReactions += 1;
        const groups = new Map<string, string[]>();
        for (const r of expected) groups.set(r.emoji, [...(groups.get(r.emoji) ?? []), r.name]);
        const parts = (line ?? '').split(' · ');
        expect(parts, m.messageId).toHaveLength(groups.size);
        for (const [emoji, names] of groups) {
          const group = parts.find((p) => p.startsWith(`${emoji} ×`));
          expect(group, `${emoji} in ${line ?? ''}`).toBeDefined();
          expect(group?.startsWith(`${emoji} ×${names.length} (`)).toBe(true);
          for (const name of names) expect(group).toContain(name);
        }
      });
      expect(withReactions).toBeGreaterThan(0);
    }

    // A removed reaction: in --json with when it was noticed gone, never printed as standing.
    const json = lastJson(await runCli(['transcript', '--archive', archive, '--chat', removed?.chatId ?? '', '--limit', '1000', '--json'])) as TranscriptPage;
    const message = json.messages.find((m) => m.messageId === removed?.messageId);
    const gone = message?.reactions?.find((r) => r.emoji === removed?.emoji && r.userId === removed.userId && r.removedNoticedAt !== null);
    expect(gone).toBeDefined();
  });

  it('refuses a --reactions-per-run that is not a whole number of 0 or more, naming the flag', async () => {
    const sim = await simulator({ seed: 4, scale: 'tiny' });
    const archive = join(tempDir(), 'a.sqlite');
    for (const bad of ['-1', '2.5', 'lots', '', '1e3', '2000000']) {
      const result = await runCli(syncArgs(sim, archive, '--reactions-per-run', bad), credentialsEnv(sim));
      expect(result.code, `${bad}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(/--reactions-per-run/);
      expect(result.stderr).toMatch(bad === '2000000' ? /at most 1000000/ : /whole number, 0 or more \(0: check no reactions\)/);
    }
    // Refused before anything ran: no archive was created.
    expect(existsSync(archive)).toBe(false);
  });

  it('schedule passes --reactions-per-run to the nightly sync, and refuses a bad one the same way', async () => {
    const base = ['schedule', '--archive', '/srv/a.sqlite', '--backup-dir', '/srv/b', '--dc', 'eu', '--platform', 'linux', '--json'];
    const planned = await runCli([...base, '--reactions-per-run', '0']);
    expect(planned.code, planned.stderr).toBe(0);
    const files = (lastJson(planned) as { files: { path: string; content: string }[] }).files;
    expect(files.find((f) => f.path.endsWith('.sh'))?.content).toContain("'--reactions-per-run' '0'");
    const refused = await runCli([...base, '--reactions-per-run', 'none']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--reactions-per-run: must be a whole number, 0 or more \(0: check no reactions\)/);
  });
});
