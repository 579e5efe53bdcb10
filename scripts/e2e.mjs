// `npm run test:e2e`: makes sure a Chromium is there, then runs Playwright.
// As root, everything runs in a network namespace that has only `lo`, so no
// packet of the tests leaves loopback (DESIGN.md, Testing).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { SYSTEM_CHROMIUM } from './browser.mjs';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

function ensureChromium() {
  if (existsSync(SYSTEM_CHROMIUM)) return;
  let bundled = '';
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = '';
  }
  if (bundled && existsSync(bundled)) return;
  if (!isRoot || !has('apt-get')) {
    console.error('No Chromium found. Install Debian\'s "chromium" package (apt-get install chromium), or run: npx playwright install chromium');
    process.exit(1);
  }
  console.log('Installing Chromium (apt-get install chromium)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    if (spawnSync('apt-get', args, { stdio: 'inherit', env }).status !== 0) {
      console.error('apt-get install chromium failed; install it and run the tests again.');
      process.exit(1);
    }
  }
}

function canIsolate() {
  if (!isRoot || process.env.JINGLE_LAB_NO_NETNS || !has('unshare') || !has('ip')) return false;
  return spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;
}

ensureChromium();
const playwright = ['npx', 'playwright', 'test', ...process.argv.slice(2)];
let result;
if (canIsolate()) {
  console.log('Running the end-to-end tests in a network namespace with only loopback.');
  const quoted = playwright.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  result = spawnSync('unshare', ['--net', '--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', `ip link set lo up && exec ${quoted}`], {
    stdio: 'inherit',
    env: { ...process.env, JINGLE_LAB_NETNS: '1' },
  });
} else {
  result = spawnSync(playwright[0], playwright.slice(1), { stdio: 'inherit' });
}
process.exit(result.status ?? 1);
