// What the benchmark and the soak share: a private lab on loopback, logged-in
// pages, and waiting for a condition with a deadline.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { chromium, expect } from '@playwright/test';
import { startAppServer, startProductionServer } from './app-server.mjs';
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

/**
 * Prosody, the app and Chromium on the lab's own ports; `stop()` ends all
 * three. With `lab.productionPort` the production build is served there too
 * (`productionOrigin`), beside the dev server that also serves the test pages.
 */
export async function startLab(lab) {
  ensureProsody();
  await rm(lab.dir, { recursive: true, force: true });
  const prosody = await startProsody({ dir: lab.dir, c2sPort: lab.c2sPort, httpPort: lab.httpPort, extraAccounts: lab.extraAccounts ?? [] });
  let app;
  let production;
  let browser;
  try {
    app = await startAppServer({ port: lab.appPort, xmppHttpPort: lab.httpPort, watch: false });
    if (lab.productionPort) production = await startProductionServer({ port: lab.productionPort, xmppHttpPort: lab.httpPort, outDir: `${lab.dir}/dist` });
    const options = chromiumLaunchOptions();
    browser = await chromium.launch({ ...options, args: [...options.args, '--enable-precise-memory-info'] });
  } catch (err) {
    // Leave no Prosody or dev server behind when the lab cannot start.
    await app?.stop().catch(() => undefined);
    await production?.stop().catch(() => undefined);
    await prosody.stop().catch(() => undefined);
    throw err;
  }
  const origin = `http://localhost:${lab.appPort}`;
  return {
    browser,
    origin,
    productionOrigin: production?.origin,
    productionDir: production?.outDir,
    /** Prosody's own WebSocket, past the app server's proxy. */
    directService: `ws://127.0.0.1:${lab.httpPort}/xmpp-websocket`,
    /**
     * A page logged in as a demo account, on the dev server unless `at` names
     * another origin, through that origin's /xmpp-websocket unless `service` names another.
     */
    async logIn(user, prepare, at = origin, service = undefined) {
      const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
      await prepare?.(context);
      const page = await context.newPage();
      await page.goto(loginLink(at, DEMO_ACCOUNTS.find((a) => a.user === user), undefined, service));
      await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible({ timeout: 20_000 });
      return { context, page };
    },
    async stop() {
      await browser.close();
      await app.stop();
      await production?.stop();
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
