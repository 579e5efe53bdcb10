// Video added to an audio call (XEP-0166 content-add) between two Jingle Lab
// parties: from the caller, from the callee, and declined.
import { call, expect, expectRising, incoming, type Party, phase, test } from './parties.ts';

async function audioCall(alice: Party, bob: Party): Promise<void> {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
}

const camera = (party: Party) => party.page.getByRole('button', { name: 'Camera', exact: true });
const videoRequest = (party: Party) => party.page.getByRole('alertdialog', { name: 'Video request' });

/** The peer's video plays on this party's screen: decoded frames rise, and the element shows new ones. */
async function expectPeerVideo(party: Party): Promise<void> {
  await expectRising(party, ['framesDecoded', 'inboundAudioBytes']);
  const remote = party.page.locator('video.remote');
  const frames = () => remote.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
  const before = await frames();
  await expect.poll(frames, { message: `${party.name}'s screen shows the peer's video` }).toBeGreaterThan(before);
}

for (const who of ['caller', 'callee'] as const) {
  test(`the ${who} turns on video in an audio call, the other takes it, and video flows both ways`, async ({ alice, bob }) => {
    await audioCall(alice, bob);
    const [asker, asked] = who === 'caller' ? [alice, bob] : [bob, alice];
    await expect(camera(asker)).toHaveAttribute('aria-pressed', 'false');
    await camera(asker).click();
    await expect(asker.page.locator('[data-video-asking]')).toHaveText(`Asking ${asked.name} to turn on video…`);
    await expect(videoRequest(asked)).toContainText(`${asker.name} wants to turn on video`);
    await videoRequest(asked).getByRole('button', { name: 'Turn on video' }).click();
    await expect(videoRequest(asked)).toHaveCount(0);
    for (const party of [asker, asked]) {
      await expect(camera(party)).toHaveAttribute('aria-pressed', 'true');
      await expectPeerVideo(party);
      await expect(party.page.locator('video.self')).toBeVisible();
    }
    await expect(asker.page.locator('[data-video-asking]')).toHaveCount(0);
    await asker.page.getByRole('button', { name: 'Hang up' }).click();
    await expect(asked.page.locator('[data-notice]')).toHaveText(`${asker.name} hung up`);
  });
}

test('“Not now”: the call goes on with audio, and the caller is told', async ({ alice, bob }) => {
  await audioCall(alice, bob);
  await camera(alice).click();
  await videoRequest(bob).getByRole('button', { name: 'Not now' }).click();
  await expect(alice.page.locator('[data-video-notice]')).toHaveText('Bob did not turn on video');
  await expect(camera(alice)).toHaveAttribute('aria-pressed', 'false');
  await expect(camera(alice)).toBeEnabled();
  // The camera went off again, and neither screen shows video.
  for (const party of [alice, bob]) {
    await expect(party.page.locator('video')).toHaveCount(0);
    await expectRising(party, ['inboundAudioBytes']);
  }
  expect((await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { stats(): Promise<{ framesDecoded: number }> } }).jingleLab.stats())).framesDecoded).toBe(0);
  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(alice.page.locator('[data-notice]')).toHaveText('Bob hung up');
});

test('as Dino sends it (no BUNDLE, candidates inline): the callee’s video gets a transport of its own, and flows both ways', async ({ alice, bob }) => {
  await bob.page.getByLabel('On the wire, behave').selectOption({ label: 'Like Dino (no BUNDLE, candidates inline)' });
  await audioCall(alice, bob);
  await camera(bob).click();
  await videoRequest(alice).getByRole('button', { name: 'Turn on video' }).click();
  for (const party of [alice, bob]) {
    await expect(camera(party)).toHaveAttribute('aria-pressed', 'true');
    await expectPeerVideo(party);
  }
  const log = await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  const [add] = log.filter((e) => e.direction === 'in' && e.text.includes('action="content-add"')).map((e) => e.text);
  expect(add).not.toContain('urn:xmpp:jingle:apps:grouping:0');
  expect(add).toMatch(/<transport [^>]*ufrag=[\s\S]*<candidate /);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.locator('[data-notice]')).toHaveText('Alice hung up');
});


test('both turn on video at the same moment: the content-adds cross, the tie-break settles them, and video flows both ways', async ({ alice, bob }) => {
  await audioCall(alice, bob);
  // Pressed together: each content-add leaves before the other arrives, or one
  // arrives first and the other press answers it. Either way both send video.
  await Promise.all([camera(alice).click(), camera(bob).click()]);
  for (const party of [alice, bob]) {
    await expect(camera(party)).toHaveAttribute('aria-pressed', 'true');
    await expectPeerVideo(party);
  }
  await expect(videoRequest(alice)).toHaveCount(0);
  await expect(videoRequest(bob)).toHaveCount(0);
  const timeline = async (party: Party) =>
    party.page.evaluate(() => (globalThis as unknown as { jingleLab: { timelines(): { timeline: { name: string }[] }[] } }).jingleLab.timelines().at(-1)!.timeline.map((e) => e.name));
  // One request went through, whichever order they met in: Bob gave way to
  // Alice's, or one press answered the other's request. None was rolled back.
  const [alices, bobs] = [await timeline(alice), await timeline(bob)];
  expect([...alices, ...bobs].filter((n) => n === 'content-accept-sent')).toHaveLength(1);
  expect([...alices, ...bobs]).not.toContain('content-add-rolled-back');
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(bob.page.locator('[data-notice]')).toHaveText('Alice hung up');
});
