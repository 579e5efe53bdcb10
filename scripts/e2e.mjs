// `npm run test:e2e` and `npm run test:interop`: makes sure a Chromium is
// there, then runs Playwright (its `app` or `interop` project).
// As root, everything runs in a network namespace that has only `lo`, so no
// packet of the tests leaves loopback (DESIGN.md, Testing).
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './browser.mjs';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;

function canIsolate() {
  if (!isRoot || process.env.JINGLE_LAB_NO_NETNS || !has('unshare') || !has('ip')) return false;
  return spawnSync('unshare', ['--net', 'true'], { stdio: 'ignore' }).status === 0;
}

await ensureChromium();
// `npm run test:interop -- --report` writes the interop matrix into docs/interop.md.
const args = process.argv.slice(2).filter((a) => a !== '--report');
if (args.length < process.argv.length - 2) process.env.JINGLE_LAB_INTEROP_REPORT = '1';
const playwright = ['npx', 'playwright', 'test', ...args];
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
