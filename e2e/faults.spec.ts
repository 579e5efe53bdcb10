// Faults during a live call: the XMPP connection drops, the app comes back.
import type { Page } from '@playwright/test';
import { client } from '@xmpp/client';
import { StanzaPeer } from './interop/stanza-peer.ts';
import { TEST_LAB } from './lab-ports.ts';
import { call, contact, expect, expectRising, fullJid, incoming, logIn, notice, phase, received, sendRaw, test } from './parties.ts';

/** Binds a dead device's resource anew, so that the server drops the session it kept for it. */
async function replaceSession(full: string, password: string): Promise<void> {
  const [bare, resource] = full.split('/') as [string, string];
  const xmpp = client({ service: `xmpp://127.0.0.1:${TEST_LAB.c2sPort}`, domain: 'localhost', username: bare.split('@')[0]!, password, resource });
  await xmpp.start();
  await xmpp.stop();
}

test('the XMPP WebSocket is cut during a call: media goes on, the app reconnects, and hanging up ends the call on both sides', async ({ alice, bobOnFlakyNetwork: bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
  await expectRising(bob, ['inboundAudioBytes']);

  expect(bob.sockets).toBe(1);
  await bob.cut();
  await expect(bob.page.getByText('Reconnecting to the server…')).toBeVisible();
  // Media does not go through the server: it keeps flowing while the app reconnects.
  await expectRising(alice, ['inboundAudioBytes']);
  await expectRising(bob, ['inboundAudioBytes']);
  await expect(bob.page.getByText('Reconnecting to the server…')).toBeHidden({ timeout: 30_000 });
  expect(bob.sockets).toBe(2);
  // XEP-0198: the lab's Prosody kept the session, so the stream resumed under the same full JID.
  expect((await received(bob)).some((s) => s.startsWith('<resumed'))).toBe(true);
  await expect(phase(bob)).toHaveText('Connected');

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('You hung up');
  await expect(notice(alice)).toHaveText('Bob hung up');
});

test('the callee’s device goes offline and its media stops: the call ends with “Bob went offline”', async ({ alice, browser }) => {
  // Bob on a device of his own, which this test crashes.
  const bob = await logIn(browser, 'bob');
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expectRising(alice, ['inboundAudioBytes']);

  // As a phone that loses its network: the server says it left, and its media stops.
  await sendRaw(bob, `<presence type='unavailable'/>`);
  const cdp = await bob.page.context().newCDPSession(bob.page);
  const crashed = new Promise((resolve) => bob.page.once('crash', resolve));
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
  await expect(phase(alice)).toHaveText('Reconnecting…');
  await expect(notice(alice)).toHaveText('Bob went offline', { timeout: 30_000 });
  await bob.page.context().close();
});

/** Kills a page's renderer, as a crash would: no unavailable presence, the server keeps the session. */
async function crash(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const crashed = new Promise((resolve) => page.once('crash', resolve));
  void cdp.send('Page.crash').catch(() => undefined);
  await crashed;
}

test('a contact’s device that vanished holds up no new device of that contact, whatever its hash', async ({ browser }) => {
  const gone = await logIn(browser, 'bob');
  const goneJid = await fullJid(gone);
  await crash(gone.page);
  // Alice logs in after: the server tells her of the dead device, which is asked and never answers.
  const alice = await logIn(browser, 'alice');
  const audio = contact(alice, 'bob@localhost').getByRole('button', { name: 'Audio call', exact: true });
  await expect(audio).toHaveAttribute('title', /Checking what Bob's client supports/);
  // Bob logs in again on a new device, with the same capabilities hash: it is asked at once.
  const bob = await logIn(browser, 'bob');
  await expect(audio).toHaveAttribute('title', 'Audio call with Bob', { timeout: 4000 });
  await expect(audio).toBeEnabled();
  await bob.close();
  await alice.close();
  await gone.page.context().close();
  // The server would keep the dead session for minutes: the other tests must not meet it.
  await replaceSession(goneJid, 'bob');
  expect(alice.errors).toEqual([]);
});

test('a device that never says what it supports is called anyway, by XEP-0353 to the bare JID', async ({ browser }) => {
  // A device of Bob's with capabilities of its own (the StanzaJS peer), dead without a word.
  const gone = await StanzaPeer.open(browser, 'stanza', { resumable: true });
  await crash(gone.page);
  const alice = await logIn(browser, 'alice');
  const audio = contact(alice, 'bob@localhost').getByRole('button', { name: 'Audio call', exact: true });
  await expect(audio).toBeDisabled();
  // Asked twice in vain (5 s each): the button works, and says why it is unsure.
  await expect(audio).toHaveAttribute('title', /Bob's client did not say what it supports/, { timeout: 20_000 });
  await expect(audio).toBeEnabled();
  await audio.click();
  await expect(alice.page.getByRole('button', { name: 'Cancel' })).toBeVisible();
  const log = await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  expect(log.filter((e) => e.direction === 'out' && e.text.includes('<propose')).at(-1)?.text).toContain('to="bob@localhost"');
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await alice.close();
  await gone.page.context().close();
  await replaceSession(gone.fullJid, 'bob');
  expect(alice.errors).toEqual([]);
});
