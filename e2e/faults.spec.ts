// Faults during a live call: the XMPP connection drops, the app comes back.
import { call, expect, expectRising, incoming, logIn, notice, phase, received, sendRaw, test } from './parties.ts';

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
