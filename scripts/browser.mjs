// How the project starts Chromium: Debian's /usr/bin/chromium when present,
// otherwise the browser Playwright installed itself.
import { existsSync } from 'node:fs';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream',
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
