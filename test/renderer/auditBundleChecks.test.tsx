import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { InclusionReport } from '../../shared/archive';
import type { AuditLogEntry } from '../../shared/views';
import { AuditScreen } from '../../renderer/src/features/audit/AuditScreen';
import { fakeApi, infoFixture, renderWithVault } from './fixtures';

const entry: AuditLogEntry = { id: 7, at: Date.UTC(2026, 2, 31), osUser: 'dana', host: 'box', bundlePath: '/srv/audits/audit-1', bundleHash: 'a'.repeat(64), status: 'complete', detail: null, files: 60 };

const inclusion: InclusionReport = {
  included: true,
  bundlePath: entry.bundlePath,
  archiveId: 'arch-1',
  bundleArchiveId: 'arch-1',
  seal: { id: 4, hash: 'e'.repeat(64), linked: true, detail: "Seal 4 is linked to this archive's head (seal 9) through 5 later seal(s)." },
  rows: { matched: 120, purged: 2, changed: 1, missing: 0 },
  purged: [{ table: 'messages', key: { chat_id: 'CT_1', message_id: 'm1' }, detail: 'Purged by retention run 3 on 2026-04-01T00:00:00.000Z under the policy {"keepDays":30}.' }],
  changed: [],
  missing: [],
  problems: [],
};

function setup(shell: 'electron' | 'browser') {
  const api = fakeApi()
    .handle('archive:conversations', () => [])
    .handle('archive:people', () => [])
    .handle('archive:groups', () => [])
    .handle('audit:history', () => [entry])
    .handle('audit:seals', () => [{ id: 9, kind: 'sync', runId: 5, closedAt: Date.UTC(2026, 3, 2), chainPos: 9, hash: 'f'.repeat(64) }])
    .handle('audit:status', () => null)
    .handle('audit:preview', () => ({ conversations: 0, messages: 0, senders: 0, from: null, to: null, attachments: 0, attachmentBytes: 0 }))
    .handle('audit:inclusion', () => inclusion)
    .handle('audit:zip', () => ({ sha256: 'c'.repeat(64), sizeBytes: 2048, name: 'audit-1.zip', zipPath: '/srv/audits/audit-1.zip' }));
  renderWithVault(<AuditScreen />, { api, info: infoFixture({ shell }) });
  return api;
}

describe('Audit: checking and taking away a bundle of the history', () => {
  it('checks a bundle against this archive by its audit log id and says what became of its rows, in words', async () => {
    const api = setup('electron');
    const history = await screen.findByRole('table', { name: 'Export history' });
    await userEvent.click(within(history).getByRole('button', { name: /Check .* against this archive/ }));
    const words = await within(history).findByText(/This bundle belongs to this archive/);
    expect(api.requestsOf('audit:inclusion')).toEqual([{ id: 7 }]);
    const panel = words.closest('[role="status"]');
    expect(panel?.textContent).toContain('Seal linked: yes');
    expect(panel?.textContent).toContain('120 unchanged, 2 purged under a retention policy, 1 changed by a later sync, 0 missing');
    expect(panel?.textContent).toContain('Purged by retention run 3');
    const seals = await screen.findByRole('table', { name: 'Seal history' });
    expect(seals.textContent).toContain('sync (sync run 5)');
  });

  it('in the browser, "Download .zip" shows the SHA-256 to copy and links the route by id', async () => {
    const api = setup('browser');
    const history = await screen.findByRole('table', { name: 'Export history' });
    await userEvent.click(within(history).getByRole('button', { name: /Download \.zip/ }));
    expect((await within(history).findByLabelText('SHA-256 of the zip')).textContent).toBe('c'.repeat(64));
    expect(api.requestsOf('audit:zip')).toEqual([{ id: 7 }]);
    expect(within(history).getByRole('link', { name: 'Save audit-1.zip' }).getAttribute('href')).toBe('api/bundle.zip?id=7');
    expect(within(history).getByRole('button', { name: "Copy the zip's SHA-256" })).toBeTruthy();
  });
});
