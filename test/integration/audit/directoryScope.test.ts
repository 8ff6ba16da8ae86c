import Database from 'better-sqlite3-multiple-ciphers';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuditBundle } from '../../../electron/core/audit/bundle';
import { verifyBundle } from '../../../electron/core/audit/verifyBundle';
import { syncArchive } from '../../../electron/core/createCore';
import { exitCodes } from '../../../shared/exitCodes';
import { runInProcess } from '../../helpers/inProcessCli';
import type { RunningSimulator } from '../../../electron/simulator';
import { connectionTo, useSimulators } from '../../helpers/sim';
import { useTempDir } from '../../helpers/tempDir';

const bundleMessages = (out: string) =>
  readFileSync(join(out, 'data', 'messages.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const row = JSON.parse(l) as { chat_id: string; message_id: string };
      return `${row.chat_id}/${row.message_id}`;
    })
    .sort();

/** The truth's messages whose sender passes `keep` at the message's time. */
function truthMessages(sim: RunningSimulator, keep: (senderId: string, time: number) => boolean): string[] {
  return Object.entries(sim.truth().messages)
    .flatMap(([chatId, messages]) => messages.filter((m) => keep(m.sender.id, m.time)).map((m) => `${chatId}/${m.id}`))
    .sort();
}

describe('audit bundles scoped by department', () => {
  const tempDir = useTempDir();
  const simulator = useSimulators();

  it("holds exactly the truth's messages sent while the sender was in the department, after a move between syncs", async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const moved = sim.mutate({ seed: 1, moveDepartments: 1 }).directory.find((c) => c.change === 'department_moved');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const mover = moved?.userId ?? '';
    const db = new Database(path, { readonly: true });
    const boundary = (group: string, column: 'started_at' | 'ended_at') =>
      db.prepare<[string, string], number | null>(`SELECT ${column} FROM directory_intervals WHERE kind = 'department' AND group_id = ? AND user_id = ?`).pluck().get(group, mover);
    const joined = boundary(moved?.groupId ?? '', 'started_at') ?? Number.NaN;
    const left = boundary(moved?.from ?? '', 'ended_at') ?? Number.NaN;
    db.close();
    expect(Number.isFinite(joined) && Number.isFinite(left)).toBe(true);

    // The mover sent messages before the move: in the department left, none in the one joined.
    expect(truthMessages(sim, (sender) => sender === mover).length).toBeGreaterThan(0);
    const membersOf = (id: string | undefined) => new Set(sim.truth().directory.departments.find((g) => g.id === id)?.members ?? []);
    const cases = [
      // The department joined: the mover counts only from the sync that noticed it; the rest since always.
      { id: moved?.groupId, keep: (sender: string, time: number) => (sender === mover ? time >= joined : membersOf(moved?.groupId).has(sender)) },
      // The department left: the mover counts (since always, first archived) until the sync that noticed the move.
      { id: moved?.from, keep: (sender: string, time: number) => (sender === mover ? time < left : membersOf(moved?.from).has(sender)) },
    ];
    for (const [index, { id, keep }] of cases.entries()) {
      const out = join(tempDir(), `bundle-${index}`);
      const result = await createAuditBundle({ archivePath: path, outDir: out, scope: { departments: [id ?? ''], formats: ['jsonl'] } });
      const expected = truthMessages(sim, keep);
      expect(expected.length).toBeGreaterThan(0);
      expect(bundleMessages(out)).toEqual(expected);
      expect((await verifyBundle(out)).problems).toEqual([]);
      expect(readFileSync(join(out, 'README.txt'), 'utf8')).toContain(`department ${JSON.stringify(id)}`);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { scope: { filters: { departments: string[] } } };
      expect(manifest.scope.filters.departments).toEqual([id]);
      expect(result.bundlePath).toBe(out);
    }
    // The audit log records the filters.
    const log = new Database(path, { readonly: true });
    const scopes = log.prepare<[], string>('SELECT scope_json FROM audit_log ORDER BY id').pluck().all();
    log.close();
    expect(scopes.map((s) => (JSON.parse(s) as { departments?: string[] }).departments)).toEqual([[moved?.groupId], [moved?.from]]);
  });

  it('`search` and `audit` take --department/--designation/--team/--role by name or id; an unknown name is a usage error with close names', async () => {
    const sim = await simulator({ seed: 12, scale: 'tiny' });
    const path = join(tempDir(), 'a.sqlite');
    expect((await syncArchive(path, connectionTo(sim))).status).toBe('complete');
    const department = sim.truth().directory.departments.find((g) => g.members.length > 1);
    const members = new Set(department?.members ?? []);
    const search = async (...flags: string[]) => {
      const result = await runInProcess(['search', '--archive', path, '--limit', '500', '--json', ...flags]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { hits: { chatId: string; messageId: string; senderId: string }[] }).hits;
    };
    const keys = (hits: { chatId: string; messageId: string }[]) => hits.map((h) => `${h.chatId}/${h.messageId}`).sort();
    const byId = await search('--department', department?.id ?? '');
    expect(byId.length).toBeLessThan(500);
    expect(keys(byId)).toEqual(truthMessages(sim, (sender) => members.has(sender)));
    // A name names every department that has it.
    const named = new Set(
      sim
        .truth()
        .directory.departments.filter((g) => g.name === department?.name)
        .flatMap((g) => g.members),
    );
    expect(keys(await search('--department', department?.name ?? ''))).toEqual(truthMessages(sim, (sender) => named.has(sender)));

    const unknown = await runInProcess(['search', '--archive', path, '--department', `${department?.name ?? ''}x`]);
    expect(unknown.code).toBe(exitCodes.usage);
    expect(unknown.stderr).toContain(`No department has the id or name ${JSON.stringify(`${department?.name ?? ''}x`)}. Close names: ${JSON.stringify(department?.name)}`);
    for (const command of ['search', 'audit']) {
      const help = await runInProcess([command, '--help']);
      for (const flag of ['--department <id|name>', '--designation <id|name>', '--team <id|name>', '--role <id|name>']) expect(help.stdout).toContain(flag);
      expect(help.stdout).toContain('An assignment held when its group was first archived has no known start');
    }
    const out = join(tempDir(), 'bundle');
    const audit = await runInProcess(['audit', '--archive', path, '--out', out, '--department', department?.id ?? '', '--format', 'jsonl', '--json']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(bundleMessages(out)).toEqual(truthMessages(sim, (sender) => members.has(sender)));
  });
});
