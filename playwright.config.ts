import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/browser.mjs';
import { TEST_LAB } from './e2e/lab-ports.ts';

export default defineConfig({
  testDir: 'e2e',
  // Two parties per test on one lab: one worker.
  workers: 1,
  fullyParallel: false,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./e2e/interop/report.ts']],
  globalSetup: './e2e/global-setup.ts',
  projects: [
    // Jingle Lab with Jingle Lab, and the faults.
    { name: 'app', testIgnore: 'interop/**' },
    // Jingle Lab with an independent Jingle stack: the StanzaJS peer (e2e/peer/).
    { name: 'interop', testDir: 'e2e/interop' },
  ],
  use: {
    baseURL: TEST_LAB.origin,
    launchOptions: chromiumLaunchOptions(),
    permissions: ['camera', 'microphone'],
    trace: 'retain-on-failure',
  },
});
