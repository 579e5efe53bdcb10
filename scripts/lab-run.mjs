// What the benchmark and the soak share: a private lab on loopback, logged-in
// pages, and waiting for a condition with a deadline.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { chromium, expect } from '@playwright/test';
import { startAppServer } from './app-server.mjs';
import { chromiumLaunchOptions } from './browser.mjs';
import { DEMO_ACCOUNTS, ensureProsody, loginLink, startProsody } from './prosody.mjs';

/** As root, runs this script again inside a namespace whose only network is loopback; returns when already inside. */
export function loopbackOnly() {
  if (process.getuid?.() !== 0 || process.env.JINGLE_LAB_NETNS || spawnSync('unshare', ['--net', 'true']).status !== 0) return;
  const args = process.argv.slice(1).map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const result = spawnSync('unshare', ['--net', '--pid', '--fork', '--kill-child', '--mount-proc', 'sh', '-c', `ip link set lo up && exec node ${args}`], {
    stdio: 'inherit',
    env: { ...process.env, JINGLE_LAB_NETNS: '1' },
  });
  process.exit(result.status ?? 1);
}

/** Prosody, the app and Chromium on the lab's own ports; `stop()` ends all three. */
export async function startLab(lab) {
  ensureProsody();
  await rm(lab.dir, { recursive: true, force: true });
  const prosody = await startProsody({ dir: lab.dir, c2sPort: lab.c2sPort, httpPort: lab.httpPort });
  let app;
  let browser;
  try {
    app = await startAppServer({ port: lab.appPort, xmppHttpPort: lab.httpPort, watch: false });
    const options = chromiumLaunchOptions();
    browser = await chromium.launch({ ...options, args: [...options.args, '--enable-precise-memory-info'] });
  } catch (err) {
    // Leave no Prosody or dev server behind when the lab cannot start.
    await app?.stop().catch(() => undefined);
    await prosody.stop().catch(() => undefined);
    throw err;
  }
  const origin = `http://localhost:${lab.appPort}`;
  return {
    browser,
    origin,
    async logIn(user, prepare) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      await prepare?.(context);
      const page = await context.newPage();
      await page.goto(loginLink(origin, DEMO_ACCOUNTS.find((a) => a.user === user)));
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible({ timeout: 20_000 });
      return { context, page };
    },
    async stop() {
      await browser.close();
      await app.stop();
      await prosody.stop();
    },
  };
}

export const callButton = (page, jid, media) =>
  page.locator(`li[data-jid="${jid}"]`).getByRole('button', { name: media === 'video' ? 'Video call' : 'Audio call', exact: true });

/** Polls `check` until it returns something truthy, or throws after the deadline (a Date.now() value). */
export async function waitFor(what, check, deadline) {
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`stuck waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
