import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './scripts/browser.mjs';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/browser/**'],
          environment: 'node',
          benchmark: { include: ['bench/**/*.bench.ts'] },
        },
      },
      {
        // What only a real browser can judge: whether Chromium accepts the SDP we write.
        // simple-peer is CommonJS: bundled before the first test, not discovered (and reloaded) mid-run.
        optimizeDeps: { include: ['simple-peer/simplepeer.min.js'] },
        test: {
          name: 'chromium',
          include: ['test/browser/**/*.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
