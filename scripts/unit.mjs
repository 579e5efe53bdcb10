// `npm run test:unit`: makes sure a Chromium is there for the browser-mode
// tests (as the end-to-end stage does), then runs vitest.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './browser.mjs';

await ensureChromium();
const result = spawnSync('npx', ['vitest', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
