// What the call screen shows besides the media: the ring tone while a call
// rings (Web Audio), the call's timer, and the connection's quality from
// getStats().
import { call, expect, incoming, type Party, phase, test } from './parties.ts';

const ringing = (party: Party) =>
  party.page.evaluate(() => (globalThis as unknown as { jingleLab: { ringing(): { playing: boolean; audio: string; alerting: boolean } } }).jingleLab.ringing());

test('the ring tone sounds while a call rings, and stops on Accept', async ({ alice, bob }) => {
  expect(await ringing(bob)).toMatchObject({ playing: false, audio: 'none' });
  await call(alice, bob, 'audio');
  await expect(incoming(bob)).toBeVisible();
  // Its AudioContext runs (Chromium's autoplay policy is off in the tests, as after a click).
  await expect.poll(() => ringing(bob)).toMatchObject({ playing: true, audio: 'running' });
  // The caller's page does not ring.
  expect((await ringing(alice)).playing).toBe(false);
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect.poll(() => ringing(bob)).toMatchObject({ playing: false, audio: 'closed' });
  await expect(phase(bob)).toHaveText('Connected');
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
});

test('the ring tone stops when the caller cancels', async ({ alice, bob }) => {
  await call(alice, bob, 'video');
  await expect.poll(() => ringing(bob)).toMatchObject({ playing: true });
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => ringing(bob)).toMatchObject({ playing: false, audio: 'closed' });
});

test('a connected call shows its duration and a connection quality with its figures', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  for (const party of [alice, bob]) {
    await expect(phase(party)).toHaveText('Connected');
    const timer = party.page.locator('[data-call-timer]');
    await expect(timer).toHaveText(/^0:0\d$/);
    const first = await timer.textContent();
    await expect.poll(() => timer.textContent(), { message: `${party.name}'s timer counts` }).not.toBe(first);
    // On loopback: a round trip of a few ms, no loss, audio coming in.
    const quality = party.page.locator('[data-quality]');
    await expect(quality).toHaveAttribute('data-quality', 'good');
    await expect(quality).toHaveAttribute('title', /^Good · \d+ ms round trip · 0\.0 % loss · \d+ kbit\/s in/);
    await expect(quality).toHaveAccessibleName(/^Connection quality: Good/);
  }
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.locator('[data-call-timer]')).toHaveCount(0);
});
