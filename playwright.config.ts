import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests: the built UI served by `cliq-vault serve`, driven in Debian's Chromium
 * (never a downloaded browser: `npx playwright install` cannot reach its CDN here). The global
 * setup fails loudly, with the install command, when no Chromium is found.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  // The type-checking tsconfig maps the SQLite driver's import to its .d.ts (tsconfig.base.json):
  // Playwright applies `paths` when it loads files, so it gets a config without them.
  tsconfig: './test/e2e/tsconfig.playwright.json',
  outputDir: 'test-results',
  globalSetup: './test/e2e/globalSetup.ts',
  // One worker: two cores, and each test runs a simulator, a serve process and a browser.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1360, height: 860 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
