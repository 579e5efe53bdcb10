// Faults during a live call: the XMPP connection drops, the app comes back.
import { call, expect, expectRising, incoming, notice, phase, received, test } from './parties.ts';

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
