import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, screenshot, startServe, test } from './serveFixture';

const passphrase = 'correct horse battery staple';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolvePromise) => child.once('exit', resolvePromise));
  child.kill('SIGTERM');
  await exited;
}

/** The first 16 bytes of a file: SQLite's header in a plain archive, salt in a SQLCipher one. */
function head(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const bytes = Buffer.alloc(16);
    readSync(fd, bytes, 0, 16, 0);
    return bytes.toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/**
 * Encrypting from Settings in the browser, then a restart of `serve` without the key: every
 * screen that reads the archive asks for its passphrase first, a wrong one is refused in words,
 * the right one opens Browse and Search, and the key change is on the review log.
 */
test('an archive encrypted from Settings asks for its passphrase after serve restarts', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'cliq-vault-e2e-'));
  const children: ChildProcess[] = [];
  try {
    const first = await startServe(dir);
    children.push(first.child);
    await first.app.open(page);
    await page.getByRole('button', { name: /try the demo org/i }).click();
    await page.getByRole('button', { name: 'Start sync' }).click();
    await expect(page.getByRole('heading', { name: /Sync finished/ })).toContainText('complete', { timeout: 60_000 });

    await page.getByRole('link', { name: 'Settings' }).click();
    const archivePath = ((await page.locator('dt', { hasText: 'Archive in use' }).locator('xpath=following-sibling::dd').textContent()) ?? '').trim();
    expect(head(archivePath)).toBe('SQLite format 3\0');
    const section = page.locator('section[aria-labelledby="encryption-title"]');
    await expect(section).toContainText('stored unencrypted on this computer');
    await section.getByRole('button', { name: 'Encrypt this archive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Encrypt this archive?' });
    await dialog.getByLabel('Archive passphrase').fill(passphrase);
    await dialog.getByLabel('Type it again').fill(passphrase);
    await dialog.getByRole('button', { name: 'Encrypt' }).click();
    await expect(section.getByRole('status')).toContainText('The archive is now encrypted.', { timeout: 60_000 });
    await expect(section.getByRole('status')).toContainText(/rows in \d+ tables, \d+ seals verified/);
    await expect(section).toHaveAttribute('data-encryption-state', 'encrypted');
    await expect(section).toContainText('SQLCipher 4 (AES-256)');

    // This server holds the key it encrypted with: search still works.
    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search messages').fill('the');
    await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first()).toBeVisible();

    await stop(first.child);
    expect(head(archivePath)).not.toBe('SQLite format 3\0');
    expect(head(archivePath).startsWith('SQLite format 3')).toBe(false);

    // Started again on the same folders, without the key: the archive is locked.
    const second = await startServe(dir);
    children.push(second.child);
    await second.app.open(page);
    const gate = page.getByRole('heading', { name: 'Unlock the archive', level: 1 });
    await expect(gate).toBeVisible();
    await expect(page.getByText('Type the archive’s passphrase.', { exact: false })).toBeVisible();
    await screenshot(page, '24-unlock');

    const field = page.getByLabel('Passphrase', { exact: true });
    await field.fill('not the passphrase');
    await page.getByRole('button', { name: 'Unlock' }).click();
    const refusal = page.getByRole('alert');
    await expect(refusal).toContainText('This passphrase does not open the archive.');
    // The code is for support: folded away under a closed Details.
    await expect(refusal.getByText('ARCHIVE_KEY_WRONG')).toBeHidden();
    await expect(field).toHaveValue('');
    await expect(gate).toBeVisible();

    await field.fill(passphrase);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect(gate).toBeHidden();

    await page.getByRole('link', { name: 'Browse' }).click();
    const conversations = page.getByRole('table', { name: 'Conversations' });
    await expect(conversations).toBeVisible();
    await conversations.getByRole('link').first().click();
    await expect(page.getByRole('article').first()).toBeVisible();

    await page.getByRole('link', { name: 'Search' }).click();
    await page.getByLabel('Search messages').fill('the');
    await expect(page.locator('[data-search-state="done"][data-search-query="the"]')).toBeVisible();
    await expect(page.getByRole('listbox', { name: 'Search results' }).getByRole('option').first()).toBeVisible();

    await page.getByRole('link', { name: 'Review log' }).click();
    const log = page.getByRole('table', { name: 'Review log' });
    await expect(log.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Key change', exact: true }) })).toHaveCount(1);
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
});
