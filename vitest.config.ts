import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Integration tests start real HTTP servers and write real SQLite files; two cores, so keep
    // parallelism modest and timeouts generous (no test asserts on time).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/renderer/**', 'test/e2e/**'], environment: 'node' },
      },
      {
        extends: true,
        plugins: [react()],
        // Component tests: the renderer's components in jsdom, against an in-memory VaultApi.
        test: { name: 'renderer', include: ['test/renderer/**/*.test.{ts,tsx}'], environment: 'jsdom', setupFiles: ['test/renderer/setup.ts'] },
      },
    ],
  },
});
