import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportKinds } from '../../electron/core/export/jsonlExport';
import { buildArchive, type FixtureMessage } from '../helpers/archiveFixture';
import { createTestApp } from '../helpers/appService';
import { credentialsEnv, runCli, syncArgs } from '../helpers/cli';
import { useSimulators } from '../helpers/sim';
import type { RunningSimulator } from '../../electron/simulator';
import { useTempDir } from '../helpers/tempDir';
import { filesUnder } from './serveChild';

/**
 * Hostile chat titles, channel names, user names and file names — traversal, Windows device names,
 * 300 characters, trailing dots and spaces, an RTL override, slashes and backslashes, NUL — never
 * decide where anything is written: an audit bundle (CLI and app service) and every `export` kind
 * write only inside the folder they were given, under names that are safe on Windows too, and the
 * hostile text is in the files (it was exported, not dropped).
 */

const hostile = [
  '../../x',
  '..\\..\\x',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  'CON',
  'NUL.txt',
  'com1',
  'LPT9.log',
  'a'.repeat(300),
  'trailing dots...',
  'trailing spaces   ',
  'evil\u202Etxt.exe',
  'sub/dir/name',
  'back\\slash',
  'nul\u0000byte',
  '%2e%2e%2fx',
  '~/.ssh/id_rsa',
  '.',
  '..',
];

/** Windows refuses these names (with any extension), names ending in a dot or space, and these characters. */
const windowsReserved = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
function unsafeOnWindows(name: string): string | null {
  if (windowsReserved.test(name)) return 'reserved device name';
  if (/[. ]$/.test(name)) return 'ends in a dot or space';
  // eslint-disable-next-line no-control-regex
  if (/[<>:"/\\|?*\u0000-\u001f\u202a-\u202e\u2066-\u2069]/.test(name)) return 'character Windows refuses (or a bidi control)';
  if (name.length > 120) return 'too long';
  return null;
}

describe('hostile names never escape the export folder', () => {
  const tempDir = useTempDir('cliq-vault-hostile-');
  const simulator = useSimulators();

  /** Every file under `root` that `act` created, and whether each is inside `inside` (real paths). */
  async function written(root: string, inside: string, act: () => Promise<void>): Promise<string[]> {
    const before = new Set(filesUnder(root));
    await act();
    const created = filesUnder(root).filter((f) => !before.has(f));
    const outside = created.filter((f) => !realpathSync(f).startsWith(`${realpathSync(inside)}${sep}`) && !/\.sqlite-(wal|shm)$/.test(f));
    expect(outside, 'files written outside the export folder').toEqual([]);
    for (const file of created.filter((f) => !/\.sqlite-(wal|shm)$/.test(f))) {
      for (const part of relative(inside, file).split(sep)) expect(unsafeOnWindows(part), `${part} in ${file}`).toBeNull();
      expect(relative(inside, file).length, file).toBeLessThan(200);
    }
    return created;
  }

  /** Runs every writer (audit via the CLI, every export kind, and audit:export of the app service when `sim` is given) on `archive`. */
  async function exportEverything(root: string, archive: string, sim?: RunningSimulator, appDir = tempDir): Promise<string> {
    const out = join(root, 'exports');
    mkdirSync(out);
    await written(root, out, async () => {
      const audit = await runCli(['audit', '--archive', archive, '--out', join(out, 'bundle')]);
      expect(audit.code, audit.stderr).toBe(0);
      for (const what of exportKinds) {
        const result = await runCli(['export', '--archive', archive, '--what', what, '--out', join(out, `${what}.jsonl`)]);
        expect(result.code, result.stderr).toBe(0);
      }
      if (!sim) return;
      // The app (its settings in a folder of its own), connected to the same org with this archive as its profile's, exporting into the folder.
      const app = createTestApp(appDir());
      try {
        const profile = { name: 'Hostile org', dataCentre: 'custom' as const, apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.admin.clientId, archivePath: archive };
        expect((await app.call('connect:save', { profile, clientSecret: sim.admin.clientSecret, refreshToken: sim.admin.refreshToken })).admin.ok).toBe(true);
        const done = app.next('audit:done');
        await app.call('audit:export', { scope: {}, destination: join(out, 'app') });
        expect((await done).error).toBeUndefined();
      } finally {
        await app.service.close();
      }
    });
    return out;
  }

  /** The hostile names that appear in `text`, as written or JSON-escaped. */
  const exportedNames = (text: string) => hostile.filter((name) => text.includes(name) || text.includes(JSON.stringify(name).slice(1, -1)));

  /** All text of every file under `dir`. */
  const textUnder = (dir: string) =>
    filesUnder(dir)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');

  it('titles, channel names and user names from the simulator, synced and exported', async () => {
    const sim = await simulator({ scale: 'tiny', seed: 11 });
    // Before the first sync: the org as Cliq would list it, with hostile names everywhere a name is shown.
    const conversations = sim.org.conversations.filter((c) => !c.removed);
    conversations.forEach((c, i) => {
      c.title = hostile[i % hostile.length] ?? 'x';
      if (c.channel) c.channel.name = `#${hostile[(i + 3) % hostile.length] ?? 'x'}`;
    });
    sim.org.users.forEach((u, i) => {
      u.fullName = hostile[(i + 5) % hostile.length] ?? 'x';
      u.displayName = hostile[(i + 6) % hostile.length] ?? 'x';
    });
    const root = tempDir();
    const archive = join(root, 'a.sqlite');
    const sync = await runCli(syncArgs(sim, archive), credentialsEnv(sim));
    expect(sync.code, sync.stderr).toBe(0);
    const out = await exportEverything(root, archive, sim);
    expect(readdirSync(join(out, 'app'))).toHaveLength(1);
    expect(exportedNames(textUnder(out)).length).toBeGreaterThanOrEqual(12);
  });

  it('file names and conversation ids in an archive, exported', async () => {
    const root = tempDir();
    const chats = hostile.map((title, i) => ({ id: i % 2 === 0 ? `hostile-${i}` : title.replaceAll('\u0000', '') || `id-${i}`, kind: 'group' as const, title }));
    const messages: FixtureMessage[] = hostile.map((file, i) => ({ chat: chats[i]?.id ?? 'x', id: `m${i}`, time: Date.UTC(2026, 0, 1, 0, 0, i), file, text: file }));
    const fixture = buildArchive(root, { chats, messages });
    const archive = fixture.path;
    fixture.close();
    const out = await exportEverything(root, archive);
    const files = readdirSync(join(out, 'bundle', 'data'));
    expect(files).toContain('messages.csv');
    // Every hostile file name and title is in the export (NUL as JSON's \\u0000).
    expect(exportedNames(textUnder(out))).toEqual(hostile);
    expect(existsSync(join(root, 'x'))).toBe(false);
  });
});
