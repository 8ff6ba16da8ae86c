import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AppInfo, ArchiveEncryption, CipherChange } from '../../shared/views';
import { ApiError } from '../../renderer/src/api/ApiError';
import { EncryptionPanel } from '../../renderer/src/features/settings/EncryptionPanel';
import { fakeApi, infoFixture, renderWithVault } from './fixtures';

const desktopPlain: ArchiveEncryption = { state: 'plain', store: 'os', keysHeld: 0, passphrase: false, keyringLocked: false, keyringUnreadable: false };
const servePlain: ArchiveEncryption = { ...desktopPlain, store: 'memory' };

function change(action: CipherChange['action'], encryption: ArchiveEncryption): CipherChange {
  return { action, archivePath: '/home/admin/Cliq Vault/acme.sqlite', rows: 12_345, tables: 48, seals: 321, encryption };
}

/** The panel for an archive in `encryption`; every cipher operation answers as the core would. */
function setup(encryption: ArchiveEncryption, patch: Partial<AppInfo> = {}) {
  const encrypted: ArchiveEncryption = { ...encryption, state: 'encrypted' };
  const api = fakeApi()
    .handle('app:info', () => infoFixture({ archiveEncryption: encrypted }))
    .handle('cipher:encrypt', () => change('encrypt', encrypted))
    .handle('cipher:rekey', () => change('rekey', encrypted))
    .handle('cipher:protect', ({ passphrase }) => ({ ...encrypted, passphrase: passphrase !== null }));
  renderWithVault(<EncryptionPanel />, { api, info: infoFixture({ archiveEncryption: encryption, ...patch }) });
  return api;
}

async function open(button: string, title: string): Promise<HTMLElement> {
  await userEvent.click(screen.getByRole('button', { name: button }));
  return screen.findByRole('dialog', { name: title });
}

const cipherCalls = (api: ReturnType<typeof setup>) => api.calls.filter((call) => call.name.startsWith('cipher:'));

describe('Settings → Encryption', () => {
  it('says a plain archive is stored unencrypted; the desktop encrypts with a random key and no passphrase unless asked', async () => {
    const api = setup(desktopPlain);
    expect(screen.getByText('The archive is stored unencrypted on this computer.')).toBeTruthy();
    const dialog = await open('Encrypt this archive…', 'Encrypt this archive?');
    expect(dialog.textContent).toContain('only then does the verified copy take the archive’s place');
    expect(dialog.textContent).toContain('Snapshots taken before stay as they were');
    expect(dialog.textContent).toContain('about a minute per million messages');
    expect(within(dialog).getByLabelText<HTMLInputElement>('Ask for a passphrase when Cliq Vault starts').checked).toBe(false);
    expect(within(dialog).queryByLabelText('Passphrase')).toBeNull();
    const infoReads = api.requestsOf('app:info').length;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    const report = await screen.findByRole('status');
    expect(report.textContent).toContain('The archive is now encrypted.');
    expect(report.textContent).toMatch(/12,345 rows in 48 tables, 321 seals verified/);
    expect(api.requestsOf('cipher:encrypt')).toEqual([{}]);
    await waitFor(() => expect(api.requestsOf('app:info').length).toBeGreaterThan(infoReads));
    expect(await screen.findByText(/its database with SQLCipher 4 \(AES-256\), its stored attachment files with AES-256-GCM/)).toBeTruthy();
    expect(screen.getByText(/Its key is kept in this computer’s secret store\./)).toBeTruthy();
  });

  it('refuses a confirmation that differs, or a short passphrase, before any call; then sends the passphrase', async () => {
    const api = setup(desktopPlain);
    const dialog = await open('Encrypt this archive…', 'Encrypt this archive?');
    await userEvent.click(within(dialog).getByLabelText('Ask for a passphrase when Cliq Vault starts'));
    const [first, second] = [within(dialog).getByLabelText<HTMLInputElement>('Passphrase'), within(dialog).getByLabelText<HTMLInputElement>('Type it again')];
    expect(first.type).toBe('password');
    expect(first.getAttribute('autocomplete')).toBe('off');
    await userEvent.type(first, 'long enough words');
    await userEvent.type(second, 'long enough wordz');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    expect(within(dialog).getByText(/The two passphrases differ/)).toBeTruthy();
    await userEvent.clear(first);
    await userEvent.type(first, 'short');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    expect(within(dialog).getByText(/at least 8 characters/)).toBeTruthy();
    expect(cipherCalls(api)).toEqual([]);

    await userEvent.clear(first);
    await userEvent.type(first, 'long enough wordz');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    await waitFor(() => expect(api.requestsOf('cipher:encrypt')).toEqual([{ passphrase: 'long enough wordz' }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('in serve, a passphrase is the key: required when the server holds none', async () => {
    const api = setup(servePlain, { shell: 'browser', secretStorage: 'memory' });
    const dialog = await open('Encrypt this archive…', 'Encrypt this archive?');
    expect(dialog.textContent).toContain('The passphrase becomes the archive’s key');
    expect(within(dialog).queryByRole('checkbox')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    expect(within(dialog).getByText('Type a passphrase.')).toBeTruthy();
    expect(cipherCalls(api)).toEqual([]);
    await userEvent.type(within(dialog).getByLabelText('Archive passphrase'), 'the archive phrase');
    await userEvent.type(within(dialog).getByLabelText('Type it again'), 'the archive phrase');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    await waitFor(() => expect(api.requestsOf('cipher:encrypt')).toEqual([{ passphrase: 'the archive phrase' }]));
    expect(await screen.findByText(/This server holds its key in memory only/)).toBeTruthy();
  });

  it('in serve started with a key, encrypts under that key unless a passphrase is asked for', async () => {
    const api = setup({ ...servePlain, keysHeld: 1 });
    const dialog = await open('Encrypt this archive…', 'Encrypt this archive?');
    const useServerKey = within(dialog).getByLabelText<HTMLInputElement>('Use the key this server was started with');
    expect(useServerKey.checked).toBe(true);
    await userEvent.click(useServerKey);
    expect(within(dialog).getByLabelText('Archive passphrase')).toBeTruthy();
    await userEvent.click(useServerKey);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    await waitFor(() => expect(api.requestsOf('cipher:encrypt')).toEqual([{}]));
  });

  it('changes the key: on the desktop a new random one, in serve to a new passphrase typed twice', async () => {
    const desktop = setup({ ...desktopPlain, state: 'encrypted', keysHeld: 1 });
    let dialog = await open('Change the key…', 'Change the archive’s key?');
    expect(dialog.textContent).toContain('under the earlier key, which Cliq Vault keeps for them');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change the key' }));
    expect((await screen.findByRole('status')).textContent).toContain('The archive’s key was changed.');
    expect(desktop.requestsOf('cipher:rekey')).toEqual([{}]);
    cleanup();

    const serve = setup({ ...servePlain, state: 'encrypted', keysHeld: 1 });
    expect(screen.queryByRole('button', { name: /passphrase…/ })).toBeNull();
    dialog = await open('Change the key…', 'Change the archive’s key?');
    await userEvent.type(within(dialog).getByLabelText('New archive passphrase'), 'a brand new phrase');
    await userEvent.type(within(dialog).getByLabelText('Type it again'), 'a brand new phrase');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Change the key' }));
    await waitFor(() => expect(serve.requestsOf('cipher:rekey')).toEqual([{ passphrase: 'a brand new phrase' }]));
  });

  it('on the desktop sets, or removes, the passphrase protecting the kept keys', async () => {
    const api = setup({ ...desktopPlain, state: 'encrypted', keysHeld: 1 });
    expect(screen.queryByRole('button', { name: 'Remove the passphrase…' })).toBeNull();
    const dialog = await open('Set a passphrase…', 'Set a passphrase?');
    expect(dialog.textContent).toContain('The archive itself is not rewritten.');
    await userEvent.type(within(dialog).getByLabelText('Passphrase'), 'keys behind this');
    await userEvent.type(within(dialog).getByLabelText('Type it again'), 'keys behind this');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Set the passphrase' }));
    await waitFor(() => expect(api.requestsOf('cipher:protect')).toEqual([{ passphrase: 'keys behind this' }]));
    expect((await screen.findByRole('status')).textContent).toContain('Passphrase set');
    cleanup();

    const withPassphrase = setup({ ...desktopPlain, state: 'encrypted', keysHeld: 1, passphrase: true });
    expect(screen.getByText(/sealed with a passphrase Cliq Vault asks for once each time it starts/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Change the passphrase…' })).toBeTruthy();
    const remove = await open('Remove the passphrase…', 'Remove the passphrase?');
    expect(within(remove).queryByLabelText(/Passphrase/)).toBeNull();
    await userEvent.click(within(remove).getByRole('button', { name: 'Remove the passphrase' }));
    await waitFor(() => expect(withPassphrase.requestsOf('cipher:protect')).toEqual([{ passphrase: null }]));
    expect((await screen.findByRole('status')).textContent).toContain('Passphrase removed.');
  });

  it('on the desktop, asks for the kept keys’ passphrase before offering a new key', async () => {
    const api = setup({ ...desktopPlain, passphrase: true, keyringLocked: true });
    expect(screen.getByText(/The keys Cliq Vault keeps on this computer are locked by a passphrase/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Encrypt this archive…' })).toBeNull();
    api
      .handle('app:info', () => infoFixture({ archiveEncryption: { ...desktopPlain, passphrase: true, keysHeld: 1 } }))
      .handle('cipher:unlock', () => ({ ...desktopPlain, passphrase: true, keysHeld: 1 }));
    await userEvent.type(screen.getByLabelText('Passphrase'), 'the kept keys phrase');
    await userEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('button', { name: 'Encrypt this archive…' })).toBeTruthy();
    expect(api.requestsOf('cipher:unlock')).toEqual([{ passphrase: 'the kept keys phrase' }]);
  });

  it('offers nothing on a read-only archive or before there is one, and says why', () => {
    setup(desktopPlain, { archiveReadOnly: true });
    expect(screen.getByText(/open read-only here/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    cleanup();
    setup({ ...desktopPlain, state: 'none' }, { archiveExists: false });
    expect(screen.getByText(/No archive yet/)).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('shows the core’s refusal in words when a change fails', async () => {
    const api = setup(servePlain).handle('cipher:encrypt', () => {
      throw new ApiError({ code: 'ARCHIVE_LOCKED', message: 'A sync or an export is running.', hint: 'Wait for it to finish; the archive was not encrypted.' });
    });
    const dialog = await open('Encrypt this archive…', 'Encrypt this archive?');
    await userEvent.type(within(dialog).getByLabelText('Archive passphrase'), 'the archive phrase');
    await userEvent.type(within(dialog).getByLabelText('Type it again'), 'the archive phrase');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Encrypt' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The key change did not go through');
    expect(alert.textContent).toContain('Wait for it to finish; the archive was not encrypted.');
    expect(screen.getByRole('button', { name: 'Encrypt this archive…' }).hasAttribute('disabled')).toBe(false);
    expect(api.requestsOf('cipher:encrypt')).toHaveLength(1);
  });
});
