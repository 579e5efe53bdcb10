// Calls shaped like the clients we meet: Dino never bundles and puts its
// candidates in the session-initiate; we must carry media all the same.
import type { Party } from './parties.ts';
import { call, expect, expectLoopback, expectRising, incoming, phase, stats, test } from './parties.ts';

async function behave(party: Party, label: string): Promise<void> {
  await party.page.getByLabel('On the wire, behave').selectOption({ label });
}

/** The Jingle stanzas one side sent or received, as text, from its wire log. */
async function jingleLog(party: Party, direction: 'in' | 'out'): Promise<string[]> {
  const entries = await party.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  return entries.filter((e) => e.direction === direction && e.text.includes('urn:xmpp:jingle:1')).map((e) => e.text);
}

const action = (stanzas: string[], name: string) => stanzas.filter((s) => s.includes(`action="${name}"`));

test('a video call where the callee’s Jingle carries no BUNDLE group', async ({ alice, bob }) => {
  await behave(bob, 'No BUNDLE, trickle');
  await call(alice, bob, 'video');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');

  const accepts = action(await jingleLog(alice, 'in'), 'session-accept');
  expect(accepts).toHaveLength(1);
  expect(accepts[0]).not.toContain('urn:xmpp:jingle:apps:grouping:0');
  for (const party of [alice, bob]) expectLoopback(await expectRising(party, ['inboundAudioBytes', 'inboundVideoBytes', 'framesDecoded']));
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(phase(bob)).toHaveCount(0);
});

test('a video call where the caller sends every candidate inside the session-initiate, as Dino does', async ({ alice, bob }) => {
  await behave(alice, 'Like Dino (no BUNDLE, candidates inline)');
  await call(alice, bob, 'video');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');

  const received = await jingleLog(bob, 'in');
  const initiates = action(received, 'session-initiate');
  expect(initiates).toHaveLength(1);
  expect(initiates[0]).toContain('<candidate ');
  expect(initiates[0]).not.toContain('urn:xmpp:jingle:apps:grouping:0');
  expect(action(received, 'transport-info')).toEqual([]);
  for (const party of [alice, bob]) expectLoopback(await expectRising(party, ['inboundAudioBytes', 'inboundVideoBytes', 'framesDecoded']));
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(phase(alice)).toHaveCount(0);
});

test('an ICE restart during a call keeps media flowing', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expectRising(bob, ['inboundAudioBytes']);
  /** The ICE credentials a party sent, in order. */
  const ufrags = async (party: Party) => {
    const sent = await party.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
    return sent.filter((e) => e.direction === 'out').flatMap((e) => [...e.text.matchAll(/ufrag="([^"]+)"/g)].map((m) => m[1]));
  };
  const [aliceBefore, bobBefore] = [new Set(await ufrags(alice)), new Set(await ufrags(bob))];
  await alice.page.getByRole('button', { name: 'Restart ICE' }).click();
  // Alice sends new credentials, and Bob answers with new ones of his own.
  await expect.poll(async () => (await ufrags(alice)).some((u) => !aliceBefore.has(u))).toBe(true);
  await expect.poll(async () => (await ufrags(bob)).some((u) => !bobBefore.has(u))).toBe(true);
  await expectRising(alice, ['inboundAudioBytes']);
  await expectRising(bob, ['inboundAudioBytes']);
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');

  // The callee may restart too: it becomes the offerer for that round.
  const [aliceThen, bobThen] = [new Set(await ufrags(alice)), new Set(await ufrags(bob))];
  await bob.page.getByRole('button', { name: 'Restart ICE' }).click();
  await expect.poll(async () => (await ufrags(bob)).some((u) => !bobThen.has(u))).toBe(true);
  await expect.poll(async () => (await ufrags(alice)).some((u) => !aliceThen.has(u))).toBe(true);
  const [a, b] = [await stats(alice), await stats(bob)];
  await expect.poll(async () => (await stats(alice)).inboundAudioBytes, { message: 'alice: audio after the callee’s restart' }).toBeGreaterThan(a.inboundAudioBytes);
  await expect.poll(async () => (await stats(bob)).inboundAudioBytes, { message: 'bob: audio after the callee’s restart' }).toBeGreaterThan(b.inboundAudioBytes);
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(phase(bob)).toHaveCount(0);
});
