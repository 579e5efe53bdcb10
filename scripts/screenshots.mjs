// `npm run screenshots`: the app's main screens as a new user meets them, at a
// phone's width (360 px) and a desktop's (1280 px), light and dark, written
// to docs/screenshots/. Starts its own lab on loopback, as the benchmark does.
import { mkdir } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { callButton, loopbackOnly, startLab } from './lab-run.mjs';

const LAB = { dir: '.screenshots-lab', c2sPort: 36222, httpPort: 36280, appPort: 36173 };
const OUT = 'docs/screenshots';
const WIDTHS = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
];
const SCHEMES = ['light', 'dark'];

loopbackOnly();

/** Every variant of what `page` shows now, as `<screen>-<width>-<scheme>.png`. */
async function shoot(page, screen, ready = async () => undefined) {
  for (const { name, width, height } of WIDTHS) {
    await page.setViewportSize({ width, height });
    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await ready();
      // Let the last layout and transitions settle before the picture.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      const path = `${OUT}/${screen}-${name}-${colorScheme}.png`;
      await page.screenshot({ path });
      console.log(`  ${path}`);
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

const videoFrames = (page) =>
  expect.poll(async () => (await page.evaluate(() => globalThis.jingleLab.stats()))?.framesDecoded ?? 0, { timeout: 20_000 }).toBeGreaterThan(0);

await mkdir(OUT, { recursive: true });
const running = await startLab(LAB);
try {
  const { browser, origin } = running;
  console.log('Writing screenshots:');
  const newcomer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const loginPage = await newcomer.newPage();
  await loginPage.goto(`${origin}/`);
  await expect(loginPage.getByRole('button', { name: 'Log in' })).toBeVisible();
  await shoot(loginPage, 'login');
  await newcomer.close();

  const alice = (await running.logIn('alice')).page;
  const bob = (await running.logIn('bob')).page;
  for (const page of [alice, bob]) await page.setViewportSize({ width: 1280, height: 800 });
  await expect(callButton(alice, 'bob@localhost', 'video')).toBeEnabled({ timeout: 20_000 });
  await shoot(alice, 'contacts');

  const say = async (page, to, text) => {
    await page.getByRole('button', { name: new RegExp(`^Open conversation with ${to}`) }).click();
    const box = page.getByRole('textbox', { name: 'Message', exact: true });
    await box.fill(text);
    await box.press('Enter');
  };
  await say(alice, 'Bob', 'Hi Bob! Have you got a minute for a call?');
  await say(bob, 'Alice', 'Sure, give me a ring.');
  await expect(alice.getByRole('log').getByText('Sure, give me a ring.')).toBeVisible();
  await shoot(alice, 'conversation', () => expect(alice.getByRole('log').getByText('Sure, give me a ring.')).toBeVisible());

  await alice.getByRole('log').waitFor();
  await callButton(alice, 'bob@localhost', 'video').click();
  await expect(bob.getByRole('alertdialog', { name: 'Incoming call' })).toBeVisible();
  await shoot(bob, 'incoming-call');
  await bob.getByRole('button', { name: 'Accept' }).click();
  await videoFrames(alice);
  // The quality indicator has its first figures a second or two in.
  await expect(alice.locator('[data-quality]')).toHaveAttribute('data-quality', /good|fair|poor/, { timeout: 10_000 });
  await shoot(alice, 'video-call');
  await alice.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await shoot(alice, 'call-ended');

  // The inspector of the call just ended: its summary, the session-accept beside its SDP.
  await alice.getByRole('region', { name: 'Call ended' }).getByRole('button', { name: 'Inspector' }).click();
  const inspector = alice.locator('jl-inspector');
  await inspector.getByRole('searchbox').fill('session-accept');
  await inspector.locator('button.row[data-action="session-accept"]').first().click();
  await inspector.getByRole('searchbox').fill('');
  await expect(inspector.locator('pre[data-sdp]')).toContainText('m=video');
  await shoot(alice, 'inspector', () => inspector.evaluate((panel) => panel.scrollTo({ top: 0 })));
  await shoot(alice, 'inspector-stanzas', () => inspector.locator('jl-stanza-detail').evaluate((detail) => detail.scrollIntoView()));
  await inspector.getByRole('button', { name: 'Close' }).first().click();

  await alice.getByRole('button', { name: 'Close' }).click();
  await bob.getByRole('button', { name: 'Close' }).click();
  await callButton(alice, 'bob@localhost', 'audio').click();
  await bob.getByRole('button', { name: 'Accept' }).click();
  await expect(alice.locator('[data-call-timer]')).toBeVisible({ timeout: 20_000 });
  await shoot(alice, 'audio-call');
  await alice.getByRole('button', { name: 'Hang up' }).click();
} finally {
  await running.stop();
}
