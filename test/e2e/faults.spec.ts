import { startSimulator, type RunningSimulator } from '../../electron/simulator';
import type { Page } from '@playwright/test';
import { expect, screenshot, test } from './serveFixture';

let sim: RunningSimulator;
test.beforeEach(async () => {
  sim = await startSimulator({ scale: 'tiny', seed: 5, quotaScale: 1_000 });
});
test.afterEach(async () => {
  await sim.close();
});

/** Fills the Connect form as an admin would for the simulator (a custom endpoint) and submits it. */
async function connectAs(page: Page, name: string, who: 'admin' | 'member'): Promise<void> {
  const form = page.getByRole('form', { name: 'Connect an org' });
  await form.getByLabel('Data centre').selectOption('custom');
  await form.getByLabel('API base URL').fill(sim.apiBase);
  await form.getByLabel('Accounts base URL').fill(sim.accountsBase);
  await form.getByLabel('Org name').fill(name);
  await form.getByLabel('Client ID').fill(sim[who].clientId);
  await form.getByLabel('Client secret').fill(sim[who].clientSecret);
  await form.getByRole('textbox', { name: 'Self-client grant code' }).fill(sim.issueGrantCode(undefined, who));
  await form.getByRole('button', { name: /connect/i }).click();
}

test('an org connected with a self-client grant code; a failing Cliq shows what happened, and the next sync recovers', async ({ page, served }) => {
  await served.open(page);
  await connectAs(page, 'Acme Test', 'admin');
  await expect(page.getByRole('heading', { name: 'Sync', exact: true })).toBeVisible();

  // Cliq answers every conversation listing with 503 for a while.
  sim.configure({ faults: [{ family: 'maint.chats', kind: '503', times: 1_000 }] });
  await page.getByRole('button', { name: 'Start sync' }).click();
  // The run ends partial, and says what failed and why, in words.
  const finished = page.getByRole('heading', { name: /Sync finished/ });
  await expect(finished).toBeVisible({ timeout: 60_000 });
  await expect(finished).toContainText('partial');
  await expect(page.getByText(/Cliq failed with HTTP 503/).first()).toBeVisible();
  await screenshot(page, '11-sync-error');

  sim.configure({ faults: [] });
  await page.getByRole('button', { name: 'Start sync' }).click();
  await expect(finished).toContainText('complete', { timeout: 60_000 });
  await expect(page.getByRole('table', { name: 'Recent sync runs' }).getByRole('row')).toHaveCount(3);
  await screenshot(page, '12-sync-recovered');
});

test('a member who is not an org admin is told so, with what to do', async ({ page, served }) => {
  await served.open(page);
  await connectAs(page, 'Not mine', 'member');
  await expect(page.getByText(/not an organi[sz]ation admin/i).first()).toBeVisible();
  await screenshot(page, '13-connect-not-admin');
});
