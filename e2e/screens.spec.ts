// The calling app as people meet it: conversations with chat and calls, the
// screens around a call, the keyboard, and an accessibility check of each
// main screen (axe-core, light and dark).
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { call, contact, expect, expectRising, incoming, logIn, type Party, test } from './parties.ts';

const conversationWith = (party: Party, name: string) => party.page.getByRole('button', { name: new RegExp(`^Open conversation with ${name}`) });
const messageBox = (party: Party) => party.page.getByRole('textbox', { name: 'Message', exact: true });
const timeline = (party: Party) => party.page.getByRole('log');

async function write(party: Party, text: string): Promise<void> {
  await messageBox(party).fill(text);
  await messageBox(party).press('Enter');
}

/** No axe-core violation (WCAG 2.1 AA rules) on the page, in the light and the dark theme. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const found = violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(found, `axe-core on the ${screen} screen (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('a message each way, with its delivery receipt, and the history from the server’s archive on a new login', async ({ alice, bob, browser }) => {
  const token = Math.random().toString(36).slice(2, 8);
  await conversationWith(alice, 'Bob').click();
  await write(alice, `Hello Bob <b>${token}</b>`);
  await conversationWith(bob, 'Alice').click();
  // Markup in a message is shown as the text it is.
  await expect(timeline(bob).getByText(`Hello Bob <b>${token}</b>`)).toBeVisible();
  const ours = timeline(alice).locator('[data-kind="message"]').filter({ hasText: token });
  await expect(ours).toContainText('Delivered');
  await write(bob, `Hi Alice ${token}`);
  await expect(timeline(alice).getByText(`Hi Alice ${token}`)).toBeVisible();

  const again = await logIn(browser, 'bob');
  try {
    await conversationWith(again, 'Alice').click();
    await expect(timeline(again).getByText(`Hello Bob <b>${token}</b>`)).toBeVisible();
    await expect(timeline(again).getByText(`Hi Alice ${token}`)).toBeVisible();
  } finally {
    await again.close();
  }
});

test('a missed call floats its contact up, marked, and shows in the conversation’s timeline', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await expect(incoming(bob)).toBeVisible();
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(incoming(bob)).toHaveCount(0);
  await expect(contact(bob, alice.jid)).toContainText('Missed call');
  await expect(bob.page.getByRole('list', { name: 'Contacts' }).locator('li').first()).toHaveAttribute('data-jid', alice.jid);
  await conversationWith(bob, 'Alice').click();
  await expect(timeline(bob).locator('[data-kind="call"][data-missed]').last()).toContainText('Missed audio call');
  await expect(contact(bob, alice.jid)).not.toContainText('Missed call');
});

test('the call-ended screen gives the reason and the duration, calls again, and closes', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expectRising(alice, ['inboundAudioBytes']);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  const ended = alice.page.getByRole('region', { name: 'Call ended' });
  await expect(ended.locator('[data-ended-reason]')).toHaveText('Bob hung up');
  await expect(ended.locator('[data-ended-duration]')).toHaveText(/^Call lasted \d+:\d\d$/);
  await ended.getByRole('button', { name: 'Call again' }).click();
  await expect(incoming(bob)).toBeVisible();
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(alice.page.locator('[data-ended-reason]')).toHaveText('You cancelled the call');
  await alice.page.getByRole('button', { name: 'Close' }).click();
  await expect(alice.page.getByRole('region', { name: 'Call ended' })).toHaveCount(0);
  await expect(timeline(alice)).toBeVisible();
});

test('keyboard only: a call placed, answered and ended without the mouse', async ({ alice, bob }) => {
  const button = contact(alice, bob.jid).getByRole('button', { name: 'Audio call', exact: true });
  await expect(button).toBeEnabled();
  // Tab reaches the button (with a visible focus), Enter presses it.
  await alice.page.keyboard.press('Tab');
  for (let i = 0; i < 40 && !(await button.evaluate((b) => b.matches(':focus-visible'))); i++) await alice.page.keyboard.press('Tab');
  await expect(button).toBeFocused();
  await alice.page.keyboard.press('Enter');
  // The prompt takes the focus: Enter answers.
  await expect(incoming(bob).getByRole('button', { name: 'Accept' })).toBeFocused();
  await bob.page.keyboard.press('Enter');
  await expectRising(alice, ['inboundAudioBytes']);
  await alice.page.keyboard.press('m');
  await expect(alice.page.getByRole('button', { name: 'Unmute', exact: true })).toBeVisible();
  await alice.page.keyboard.press('?');
  await expect(alice.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toBeVisible();
  await alice.page.keyboard.press('Escape');
  await expect(alice.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toHaveCount(0);
  await alice.page.keyboard.press('e');
  await expect(bob.page.locator('[data-notice]')).toHaveText('Alice hung up');
});

test('a hidden tab is told of an incoming call by a system notification', async ({ alice, browser }) => {
  const hidden = await logIn(browser, 'bob', async (context) => {
    await context.grantPermissions(['notifications']);
    await context.addInitScript(() => {
      Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
      Object.defineProperty(document, 'hidden', { get: () => true });
      const shown: { title: string; body?: string }[] = [];
      const Real = globalThis.Notification;
      class Recorded extends Real {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push({ title, body: options?.body });
        }
      }
      Object.assign(globalThis, { Notification: Recorded, shownNotifications: shown });
    });
  });
  try {
    await call(alice, hidden, 'video');
    const shown = () => hidden.page.evaluate(() => (globalThis as unknown as { shownNotifications: { title: string }[] }).shownNotifications);
    await expect.poll(shown).toEqual([{ title: 'Incoming video call', body: 'Alice is calling' }]);
    await expect.poll(() => hidden.page.title()).not.toBe('Jingle Lab');
    await alice.page.getByRole('button', { name: 'Cancel' }).click();
  } finally {
    await hidden.close();
  }
});

test('each main screen passes axe-core, in light and dark', async ({ alice, bob, browser }) => {
  const newcomer = await browser.newContext();
  const login = await newcomer.newPage();
  await login.goto(new URL('/', alice.page.url()).href);
  await expect(login.getByRole('button', { name: 'Log in' })).toBeVisible();
  await expectAccessible(login, 'login');
  await newcomer.close();
  await expect(contact(alice, bob.jid).getByRole('button', { name: 'Video call', exact: true })).toBeEnabled();
  await expectAccessible(alice.page, 'contacts');
  await conversationWith(alice, 'Bob').click();
  await write(alice, 'Checking the colours');
  await expectAccessible(alice.page, 'conversation');
  await call(alice, bob, 'video');
  await expect(incoming(bob)).toBeVisible();
  await expectAccessible(bob.page, 'incoming call');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expectRising(alice, ['framesDecoded']);
  await expectAccessible(alice.page, 'video call');
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.getByRole('region', { name: 'Call ended' })).toBeVisible();
  await expectAccessible(alice.page, 'call ended');
});
