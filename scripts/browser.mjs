// How the project starts Chromium: Debian's /usr/bin/chromium when present,
// otherwise the browser Playwright installed itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  // Three fake cameras, for switching devices mid-call (Chromium has three fake
  // microphones anyway). The second sends Y16 frames that WebRTC does not encode.
  '--use-fake-device-for-media-stream=device-count=3',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--disable-gpu',
];

export function chromiumLaunchOptions() {
  const options = { args: [...CHROMIUM_ARGS], chromiumSandbox: false };
  if (existsSync(SYSTEM_CHROMIUM)) options.executablePath = SYSTEM_CHROMIUM;
  return options;
}

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

/** A Chromium Playwright installed itself, if any. */
async function bundledChromium() {
  try {
    const { chromium } = await import('@playwright/test');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : '';
  } catch {
    return '';
  }
}

/**
 * Makes sure a Chromium is there before a stage that needs one (the unit
 * tests' browser mode, the end-to-end tests): Debian's, else Playwright's;
 * as root with apt-get, installs Debian's. Otherwise says what to install and
 * exits non-zero.
 */
export async function ensureChromium() {
  if (existsSync(SYSTEM_CHROMIUM) || (await bundledChromium())) return;
  const isRoot = process.getuid?.() === 0;
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
