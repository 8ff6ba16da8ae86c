import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationNames } from '../../../shared/contract';
import { useTempDir } from '../../helpers/tempDir';
import { useTestApps } from '../../helpers/appService';
import { confSettingsStore } from '../../../electron/core/app/confSettings';
import { createAppService } from '../../../electron/core/app/createAppService';
import { memorySecretStore } from '../../../electron/core/app/memorySecrets';
import type { SecretStore } from '../../../electron/core/app/ports';
import { restoreSnapshot } from '../../../electron/core/backup/restore';
import { defaultSettings, type OrgProfile } from '../../../shared/settings';

describe('the app service (every contract operation, against the simulator over HTTP)', () => {
  const tempDir = useTempDir('cliq-vault-app-');
  const testApp = useTestApps();

  it('connects the demo org, syncs it with progress, and answers the screens from the archive', async () => {
    const app = testApp(tempDir());
    const info = await app.call('app:info', {});
    expect(info.activeProfile).toBeNull();
    expect(info.secretStorage).toBe('memory');
    expect(await app.call('archive:stats', {})).toBeNull();

    const connected = await app.call('connect:demo', {});
    expect(connected.admin).toMatchObject({ ok: true });
    expect(connected.admin.sampleConversations).toBeGreaterThan(0);
    expect((await app.call('app:info', {})).activeProfile?.id).toBe(connected.profile.id);

    const plan = await app.call('sync:plan', {});
    expect(plan.firstSync).toBe(true);
    expect(plan.estimatedCalls).toBeGreaterThan(connected.admin.sampleConversations ?? 0);

    const progress: number[] = [];
    app.service.on((event, payload) => {
      if (event === 'sync:progress') progress.push((payload as { progress: { chatsDone: number } }).progress.chatsDone);
    });
    const done = app.next('sync:done');
    const { jobId } = await app.call('sync:start', {});
    expect((await app.call('sync:status', {}))?.jobId).toBe(jobId);
    const finished = await done;
    expect(finished.error).toBeUndefined();
    expect(finished.report?.status).toBe('complete');
    expect(progress.length).toBeGreaterThan(0);
    expect(await app.call('sync:status', {})).toBeNull();

    const stats = await app.call('archive:stats', {});
    expect(stats?.messages.live).toBeGreaterThan(0);
    const conversations = await app.call('archive:conversations', {});
    expect(conversations.length).toBe(Object.values(stats?.conversations ?? {}).reduce((n, c) => n + c.live + c.gone, 0));
    expect(conversations.length).toBeGreaterThan(1);
    for (const row of conversations) expect(typeof row.chatId).toBe('string');
    const runs = await app.call('sync:runs', {});
    expect(runs[0]?.status).toBe('complete');

    // Browse: the busiest conversation, its members and a message in context.
    const busiest = [...conversations].sort((a, b) => b.archivedCount - a.archivedCount)[0];
    if (!busiest) throw new Error('no conversations');
    const page = await app.call('archive:transcript', { chatId: busiest.chatId, limit: 10 });
    expect(page.messages).toHaveLength(Math.min(10, busiest.archivedCount));
    const members = await app.call('archive:members', { chatId: busiest.chatId });
    expect(members.filter((m) => m.goneAt === null)).toHaveLength(busiest.memberCount);
    const focus = page.messages[0];
    if (!focus) throw new Error('empty transcript');
    const context = await app.call('archive:context', { key: focus.key, around: 3 });
    expect(context.focus).toBe(focus.key);
    expect(context.messages.map((m) => m.key)).toContain(focus.key);

    // Search finds a word of that message; insights count every archived message once.
    const word = (focus.text ?? '').split(/\W+/).find((w) => w.length > 3);
    if (word) {
      const hits = await app.call('archive:search', { text: word, chats: [busiest.chatId] });
      expect(hits.hits.some((h) => h.key === focus.key)).toBe(true);
    }
    const insights = await app.call('insights:activity', {});
    expect(insights.totalMessages).toBe((stats?.messages.live ?? 0) + (stats?.messages.deleted ?? 0));
    expect(insights.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(insights.totalMessages);
    expect(insights.perDay.reduce((a, d) => a + d.messages, 0)).toBe(insights.totalMessages);
    const people = await app.call('archive:people', {});
    expect(people.length).toBeGreaterThan(0);

    expect((await app.call('archive:verify', {})).ok).toBe(true);
  });

  it('gives the demo org a day of activity between syncs, one day per run its archive holds', async () => {
    const app = testApp(tempDir(), {}, { demoDays: true });
    await app.call('connect:demo', {});
    const sync = async () => {
      const done = app.next('sync:done');
      await app.call('sync:start', {});
      const finished = await done;
      expect(finished.error).toBeUndefined();
      return finished.report;
    };
    expect((await sync())?.status).toBe('complete');
    expect(app.demoDayAsked()).toBe(0);
    const second = await sync();
    // The archive held one run: the demo org reached day 1, with edits and deletions to archive.
    expect(app.demoDayAsked()).toBe(1);
    expect(second?.status).toBe('complete');
    expect(second?.counts.messagesChanged).toBeGreaterThan(0);
    expect(second?.counts.messagesDeleted).toBeGreaterThan(0);
    const history = await app.call('sync:runs', {});
    expect(history.map((r) => r.status)).toEqual(['complete', 'complete']);
  });

  it('exports an audit bundle as a job (signed, with its matter and reason), records it, and verifies it and its signature', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    await app.call('connect:demo', {});
    const synced = app.next('sync:done');
    await app.call('sync:start', {});
    expect((await synced).report?.status).toBe('complete');

    const preview = await app.call('audit:preview', { deleted: 'exclude' });
    const stats = await app.call('archive:stats', {});
    expect(preview.messages).toBe(stats?.messages.live);
    const done = app.next('audit:done');
    await app.call('audit:export', { scope: { deleted: 'exclude' }, destination: join(dir, 'bundles'), matter: 'Acme v. Doe', reason: 'Board request' });
    const { result, error } = await done;
    expect(error).toBeUndefined();
    if (!result) throw new Error('no result');
    expect(result.bundlePath.startsWith(join(dir, 'bundles'))).toBe(true);
    expect(existsSync(join(result.bundlePath, 'manifest.json'))).toBe(true);
    expect(result.files.find((f) => f.dataset === 'messages' && f.format === 'csv')?.rows).toBe(preview.messages);
    expect(readFileSync(join(result.bundlePath, 'custody.txt'), 'utf8')).toMatch(/Matter: +Acme v\. Doe\nReason: +Board request/);
    // This app was given no installation key (the shells give theirs: servicePool.test.ts): a key made for the bundle.
    expect(result.signature.ephemeral).toBe(true);
    const report = await app.call('audit:verifyBundle', { bundlePath: result.bundlePath });
    expect(report.ok).toBe(true);
    expect(report.signature).toEqual({ status: 'valid', fingerprint: result.signature.fingerprint, ephemeral: true, problem: null });
    expect(report.bundleHash).toBe(result.bundleHash);
    const history = await app.call('audit:history', {});
    expect(history[0]).toMatchObject({ status: 'complete', bundleHash: result.bundleHash });

    const sig = join(result.bundlePath, 'SHA256SUMS.sig');
    const bytes = readFileSync(sig);
    bytes[0] = (bytes[0] ?? 0) ^ 0x80;
    writeFileSync(sig, bytes);
    const altered = await app.call('audit:verifyBundle', { bundlePath: result.bundlePath });
    expect(altered.ok).toBe(false);
    expect(altered.signature).toMatchObject({ status: 'invalid', problem: expect.stringMatching(/signature does not match/) as unknown });
    // A matter on two lines is refused at the edge.
    await expect(app.call('audit:export', { scope: {}, matter: 'a\nb' })).rejects.toThrow(/matter/);
  });

  it('changes only the settings a patch names', async () => {
    const app = testApp(tempDir());
    const schedule = (await app.call('settings:get', {})).schedule;
    await app.call('settings:update', { timeZone: 'Europe/Berlin', schedule: { ...schedule, enabled: true, keep: 30 } });
    const after = await app.call('settings:update', { theme: 'dark' });
    expect(after).toMatchObject({ theme: 'dark', timeZone: 'Europe/Berlin', schedule: { enabled: true, keep: 30 } });
    expect(await app.call('settings:get', {})).toEqual(after);
  });

  it('backs up to the folder the settings name, lists and restores snapshots', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    await app.call('connect:demo', {});
    const synced = app.next('sync:done');
    await app.call('sync:start', {});
    await synced;
    const refused = await app.raw('backup:create', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    const schedule = (await app.call('settings:get', {})).schedule;
    await app.call('settings:update', { schedule: { ...schedule, backupDir: join(dir, 'snapshots'), keep: 2 } });
    const backup = await app.call('backup:create', {});
    expect(backup.sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = await app.call('backup:list', {});
    expect(list.map((s) => s.path)).toContain(backup.path);
    const restored = await app.call('backup:restore', { snapshotPath: backup.path });
    expect(restored.safetyCopy).not.toBeNull();
    expect((await app.call('archive:verify', {})).ok).toBe(true);
  });

  it('releases its read connection on request (a restore elsewhere can go ahead) and reads again after', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    await app.call('connect:demo', {});
    const synced = app.next('sync:done');
    await app.call('sync:start', {});
    await synced;
    const schedule = (await app.call('settings:get', {})).schedule;
    await app.call('settings:update', { schedule: { ...schedule, backupDir: join(dir, 'snapshots') } });
    const backup = await app.call('backup:create', {});
    const archivePath = (await app.call('app:info', {})).archivePath;
    if (archivePath === null) throw new Error('no archive');
    const before = await app.call('archive:stats', {});
    // The screens' connection is open now: a restore by another process (the writer, while this
    // service only reads) is refused, as SQLite cannot empty the WAL of an archive in use.
    await expect(restoreSnapshot({ snapshotPath: backup.path, archivePath })).rejects.toMatchObject({ code: 'ARCHIVE_LOCKED' });
    app.service.releaseArchive();
    expect((await restoreSnapshot({ snapshotPath: backup.path, archivePath })).safetyCopy).not.toBeNull();
    expect((await app.call('archive:stats', {}))?.messages).toEqual(before?.messages);
  });

  it('runs the scheduled job (sync, then backup) and reports it', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    await app.call('connect:demo', {});
    const schedule = (await app.call('settings:get', {})).schedule;
    await app.call('settings:update', { schedule: { ...schedule, enabled: true, time: '02:30', backupDir: join(dir, 'snapshots') } });
    const status = await app.service.runScheduledJob();
    expect(status.lastRun?.ok).toBe(true);
    expect(status.lastRun?.message).toContain('snapshot');
    expect(status.nextRun).toBeGreaterThan(Date.now());
    expect(new Date(status.nextRun ?? 0).getMinutes()).toBe(30);
    expect(await app.call('backup:list', {})).toHaveLength(1);
  });

  it('refuses unknown operations and malformed requests, and changes nothing', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    const before = await app.call('settings:get', {});
    expect(await app.raw('archive:drop', {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await app.raw('__proto__', {})).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    for (const [name, request] of [
      ['settings:update', { theme: 'purple' }],
      ['settings:update', { profiles: [] }],
      ['settings:update', { timeZone: 'Mars/Olympus' }],
      ['settings:update', { quotas: ['nonsense'] }],
      ['archive:transcript', { chatId: 42 }],
      ['archive:search', { text: 'x', limit: 100_000 }],
      ['sync:start', { full: 'yes' }],
      ['connect:save', { profile: { name: 'x' } }],
      ['profiles:switch', { id: '../../etc' }],
      ['backup:restore', {}],
      ['settings:get', 'not an object'],
    ] as const) {
      const result = await app.raw(name, request);
      expect(result.ok, `${name} ${JSON.stringify(request)}`).toBe(false);
      if (!result.ok) expect(['USAGE', 'NOT_FOUND']).toContain(result.error.code);
    }
    expect(await app.call('settings:get', {})).toEqual(before);
    // Every operation in the contract has a handler that answers, even with nothing connected.
    for (const name of operationNames) {
      const result = await app.raw(name, {});
      if (!result.ok) expect(result.error.code, name).not.toBe('INTERNAL');
    }
  });

  it('connects a real-style org with a self-client grant code, keeping the secret out of the settings file', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    // Start the simulator through the demo path only to have one; then connect it as a custom org.
    await app.call('connect:demo', {});
    const sim = app.sim();
    if (!sim) throw new Error('no simulator');
    const code = sim.issueGrantCode();
    const result = await app.call('connect:save', {
      profile: { name: 'Acme Corp', dataCentre: 'custom', apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.admin.clientId },
      clientSecret: sim.admin.clientSecret,
      grantCode: code,
    });
    expect(result.profile.id).toBe('acme-corp');
    expect(result.admin.ok).toBe(true);
    const settingsFile = (await app.call('app:info', {})).settingsPath;
    const text = readFileSync(settingsFile, 'utf8');
    expect(text).toContain('acme-corp');
    expect(text).not.toContain(sim.admin.clientSecret);
    // The same code again is refused by the accounts server: a clear error, profile unchanged.
    const again = await app.raw('connect:save', {
      profile: { name: 'Acme Corp', id: 'acme-corp', dataCentre: 'custom', apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.admin.clientId },
      clientSecret: sim.admin.clientSecret,
      grantCode: code,
    });
    expect(again.ok).toBe(false);
    // A member (not an org admin) connects but the check says so.
    const member = await app.call('connect:save', {
      profile: { name: 'Member', dataCentre: 'custom', apiBase: sim.apiBase, accountsBase: sim.accountsBase, clientId: sim.member.clientId },
      clientSecret: sim.member.clientSecret,
      refreshToken: sim.member.refreshToken,
    });
    expect(member.admin).toMatchObject({ ok: false, error: { code: 'NOT_ORG_ADMIN' } });
    const settings = await app.call('profiles:remove', { id: member.profile.id });
    expect(settings.profiles.map((p) => p.id)).toEqual(['demo', 'acme-corp']);
  });

  it('says whether an org has credentials without fetching them', async () => {
    const dir = tempDir();
    const acme: OrgProfile = { id: 'acme', name: 'Acme Corp', dataCentre: 'eu', clientId: '1000.ABC', archivePath: join(dir, 'acme.sqlite'), demo: false };
    const settings = confSettingsStore({ dir: join(dir, 'config') });
    settings.write({ ...defaultSettings(), profiles: [acme], activeProfile: 'acme' });
    const memory = memorySecretStore({ acme: { clientSecret: 'cs-acme', refreshToken: '1000.rt-acme' } });
    const asked: string[] = [];
    const secrets: SecretStore = {
      kind: memory.kind,
      has: (id) => (asked.push(`has ${id}`), memory.has(id)),
      get: (id) => (asked.push(`get ${id}`), memory.get(id)),
      set: (id, value) => (asked.push(`set ${id}`), memory.set(id, value)),
      delete: (id) => (asked.push(`delete ${id}`), memory.delete(id)),
    };
    const service = createAppService({ settings, secrets, host: { shell: 'browser', defaultArchiveDir: dir, runsScheduleInApp: false } });
    try {
      expect(await service.dispatch('app:info', {})).toMatchObject({ ok: true, value: { activeProfile: { id: 'acme' }, hasCredentials: true } });
      expect(asked).toEqual(['has acme']);
      await memory.delete('acme');
      expect(await service.dispatch('app:info', {})).toMatchObject({ ok: true, value: { hasCredentials: false } });
      expect(asked).toEqual(['has acme', 'has acme']);
    } finally {
      await service.close();
    }
  });

  it('offers the OS folder chooser only where there is one, and never writes the pick itself', async () => {
    const dir = tempDir();
    const app = testApp(dir);
    expect(await app.call('shell:pickFolder', { purpose: 'backups' })).toEqual({ available: false, path: null });
    const asked: { title: string; defaultPath?: string | undefined }[] = [];
    const desktop = createAppService({
      settings: confSettingsStore({ dir: join(dir, 'desktop-config') }),
      secrets: memorySecretStore(),
      host: {
        shell: 'electron',
        defaultArchiveDir: join(dir, 'archives'),
        runsScheduleInApp: true,
        pickFolder: (options) => {
          asked.push(options);
          return Promise.resolve(asked.length === 1 ? '/home/admin/Backups/../Snapshots' : null);
        },
      },
    });
    try {
      const before = await desktop.dispatch('settings:get', {});
      expect(await desktop.dispatch('shell:pickFolder', { purpose: 'backups', defaultPath: '/home/admin' })).toEqual({ ok: true, value: { available: true, path: '/home/admin/Snapshots' } });
      expect(asked[0]).toEqual({ title: 'Folder for backup snapshots', defaultPath: '/home/admin' });
      expect(await desktop.dispatch('shell:pickFolder', { purpose: 'exports' })).toEqual({ ok: true, value: { available: true, path: null } });
      expect(await desktop.dispatch('settings:get', {})).toEqual(before);
      expect((await desktop.dispatch('shell:pickFolder', { purpose: 'anything' })).ok).toBe(false);
    } finally {
      await desktop.close();
    }
  });
});
