import type { FullConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

/** E2E never skips silently: without a browser the suite fails and says how to get one. */
export default function globalSetup(config: FullConfig): void {
  const chromium = config.projects[0]?.use.launchOptions?.executablePath ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    throw new Error(
      `No Chromium at ${chromium}; the end-to-end tests need it.\n` +
        '  Install it:  sudo apt-get install -y chromium   (Debian/Ubuntu)\n' +
        '  or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  if (!existsSync('dist/renderer/index.html') || !existsSync('dist/cli/cliq-vault.mjs')) {
    throw new Error('The app is not built: run `npm run build` first (npm test does).');
  }
}
