import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../shared/sync';
import { Sidebar } from '../../renderer/src/Sidebar';
import { SyncScreen } from '../../renderer/src/features/sync/SyncScreen';
import { acmeProfile, fakeApi, infoFixture, renderWithVault, settingsFixture } from './fixtures';

const demoPath = '/home/admin/.local/share/cliq-vault/demo/demo-archive.sqlite';
const noOrg = settingsFixture({ profiles: [], activeProfile: null });
const run: RunSummary = {
  id: 1,
  startedAt: Date.UTC(2026, 2, 1, 9),
  endedAt: Date.UTC(2026, 2, 1, 9, 2),
  status: 'complete',
  toolVersion: '1.0.0',
  counts: { messagesNew: 5400 },
  calls: {},
  rateLimited: {},
  errors: [],
};
const readOnly = (patch: Parameters<typeof infoFixture>[0] = {}) =>
  infoFixture({ shell: 'browser', activeProfile: null, hasCredentials: false, archivePath: demoPath, archiveReadOnly: true, archiveFromSimulator: true, ...patch });

describe('the app frame names the open archive and org', () => {
  it('shows the org and the archive file, with its full path on hover', () => {
    renderWithVault(<Sidebar current="browse" />, { api: fakeApi() });
    const frame = screen.getByRole('group', { name: 'Open archive' });
    expect(within(frame).getByText('Acme Corp')).toBeTruthy();
    expect(within(frame).getByText('acme.sqlite').getAttribute('title')).toBe(acmeProfile.archivePath);
    expect(within(frame).queryByText('read-only')).toBeNull();
    expect(document.title).toBe('acme.sqlite — Cliq Vault');
  });

  it('says so when no archive is open', () => {
    renderWithVault(<Sidebar current="connect" />, { api: fakeApi(noOrg), settings: noOrg, info: infoFixture({ activeProfile: null, archivePath: null, archiveExists: false }) });
    const frame = screen.getByRole('group', { name: 'Open archive' });
    expect(frame.textContent).toBe('No org connectedno archive open');
  });

  it('names an archive opened without an org (serve --archive), marked read-only, a Windows path too', () => {
    renderWithVault(<Sidebar current="browse" />, { api: fakeApi(noOrg), settings: noOrg, info: readOnly({ archivePath: 'C:\\Users\\ann\\Cliq\\acme.sqlite' }) });
    const frame = screen.getByRole('group', { name: 'Open archive' });
    expect(within(frame).getByText('No org connected')).toBeTruthy();
    expect(within(frame).getByText('acme.sqlite').getAttribute('title')).toBe('C:\\Users\\ann\\Cliq\\acme.sqlite');
    expect(within(frame).getByText('read-only')).toBeTruthy();
  });
});

describe('the Sync screen of an archive read without credentials', () => {
  it('shows the run history read-only, never "No org connected yet" or a sync button', async () => {
    const api = fakeApi(noOrg).handle('sync:runs', () => [run]);
    renderWithVault(<SyncScreen />, { api, settings: noOrg, info: readOnly({ archiveFromSimulator: false }) });
    expect(screen.getByRole('note').textContent).toBe('No credentials here: the run history is shown read-only. Connect the org to sync.');
    expect(await screen.findByText('complete')).toBeTruthy();
    expect(screen.queryByText('No org connected yet')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Start sync' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Sync the demo org again' })).toBeNull();
    expect(api.requestsOf('sync:plan')).toHaveLength(0);
    expect(screen.getByText('Runs that made demo-archive.sqlite.').getAttribute('title')).toBe(demoPath);
  });

  it('never syncs the active org into an archive that is not its own', () => {
    const api = fakeApi().handle('sync:runs', () => [run]);
    renderWithVault(<SyncScreen />, { api, info: readOnly({ activeProfile: acmeProfile, archiveFromSimulator: false }) });
    expect(screen.getByRole('note').textContent).toBe('Acme Corp keeps its own archive, not this one: the run history is shown read-only, and nothing is synced into it.');
    expect(screen.queryByRole('button', { name: 'Start sync' })).toBeNull();
  });

  it('offers to sync the demo org again into a demo archive, then reads the app afresh', async () => {
    const demoProfile = { ...acmeProfile, id: 'demo', name: 'Demo org (simulator)', dataCentre: 'custom' as const, archivePath: demoPath, demo: true };
    const api = fakeApi(noOrg)
      .handle('sync:runs', () => [run])
      .handle('connect:demo', () => ({ profile: demoProfile, admin: { ok: true, sampleConversations: 12 } }));
    renderWithVault(<SyncScreen />, { api, settings: noOrg, info: readOnly() });
    await userEvent.click(screen.getByRole('button', { name: 'Sync the demo org again' }));
    await waitFor(() => expect(api.requestsOf('connect:demo')).toEqual([{ openArchive: true }]));
    await waitFor(() => expect(api.requestsOf('app:info').length).toBeGreaterThan(0));
  });
});
