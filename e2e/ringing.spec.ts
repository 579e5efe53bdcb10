// XEP-0353 on the lab: every device rings, one answers, the others stop.
import type { Party } from './parties.ts';
import { call, expect, expectRising, incoming, notice, phase, test } from './parties.ts';

async function jingleIn(party: Party): Promise<string[]> {
  const entries = await party.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  return entries.filter((e) => e.direction === 'in' && e.text.includes('urn:xmpp:jingle:1')).map((e) => e.text);
}

test('both of Bob’s devices ring; the one that answers gets the call, the other says so', async ({ alice, bob, bobAgain }) => {
  await call(alice, bob, 'video');
  await expect(incoming(bob)).toBeVisible();
  await expect(incoming(bobAgain)).toBeVisible();
  await expect(phase(alice)).toHaveText('Ringing…');

  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(notice(bobAgain)).toHaveText('Answered on another device');
  await expect(incoming(bobAgain)).toHaveCount(0);
  await expect(phase(alice)).toHaveText('Connected');
  await expectRising(alice, ['inboundVideoBytes', 'framesDecoded']);
  await expectRising(bob, ['inboundVideoBytes', 'framesDecoded']);

  const initiates = (party: Party) => jingleIn(party).then((all) => all.filter((s) => s.includes('action="session-initiate"')));
  expect(await initiates(bob)).toHaveLength(1);
  expect(await initiates(bobAgain)).toEqual([]);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('Alice hung up');
});

test('a call Alice cancels while Bob’s device rings leaves a missed call', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await expect(incoming(bob)).toBeVisible();
  await alice.page.getByRole('button', { name: 'Cancel' }).click();
  await expect(notice(alice)).toHaveText('You cancelled the call');
  await expect(incoming(bob)).toHaveCount(0);
  await expect(notice(bob)).toHaveText('Missed call from Alice');
  await expect(bob.page.getByRole('region', { name: 'Call log' })).toContainText('Missed call from Alice');
});

test('Alice and Bob calling each other at once get one call', async ({ alice, bob }) => {
  const button = (from: Party, to: Party) => from.page.locator(`li[data-jid="${to.jid}"]`).getByRole('button', { name: 'Audio call', exact: true });
  await expect(button(alice, bob)).toBeEnabled();
  await expect(button(bob, alice)).toBeEnabled();
  // Both clicks within a few milliseconds of each other.
  await Promise.all([button(alice, bob).click(), button(bob, alice).click()]);
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
  await expectRising(alice, ['inboundAudioBytes']);
  await expectRising(bob, ['inboundAudioBytes']);
  for (const party of [alice, bob]) {
    const live = await party.page.evaluate(() => (globalThis as unknown as { jingleLab: { calls(): unknown[] } }).jingleLab.calls().length);
    expect(live).toBe(1);
    await expect(incoming(party)).toHaveCount(0);
  }
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(phase(bob)).toHaveCount(0);
});

test('a stranger’s call does not ring, and the stranger is told at once', async ({ bob, mallory }) => {
  const form = mallory.page.getByRole('form', { name: 'Call an address' });
  await form.getByLabel('Call an address').fill('bob@localhost');
  await form.getByRole('button', { name: 'Audio call' }).click();
  await expect(notice(mallory)).toHaveText('bob@localhost is busy');
  await expect(bob.page.getByRole('region', { name: 'Call log' })).toContainText('Call from an unknown contact: mallory@localhost');
  await expect(incoming(bob)).toHaveCount(0);
});
