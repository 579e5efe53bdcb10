import { call, contact, expect, expectLoopback, expectRising, incoming, notice, phase, test } from './parties.ts';

test('an audio call carries audio both ways, and the caller hangs up', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await expect(incoming(bob)).toContainText('Audio call from Alice');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');

  expectLoopback(await expectRising(alice, ['inboundAudioBytes']));
  expectLoopback(await expectRising(bob, ['inboundAudioBytes']));

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(alice)).toHaveText('You hung up');
  await expect(notice(bob)).toHaveText('Alice hung up');
  await expect(contact(bob, alice.jid)).toBeVisible();
});

test('a video call shows video both ways, with a self-view', async ({ alice, bob }) => {
  await call(alice, bob, 'video');
  await expect(incoming(bob)).toContainText('Video call from Alice');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');

  for (const party of [alice, bob]) {
    expectLoopback(await expectRising(party, ['inboundVideoBytes', 'framesDecoded', 'inboundAudioBytes']));
    const remote = party.page.locator('video.remote');
    const frames = () => remote.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
    const before = await frames();
    await expect.poll(frames, { message: `${party.name}'s remote video shows new frames` }).toBeGreaterThan(before);
    expect(await remote.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
    const self = party.page.locator('video.self');
    await expect.poll(() => self.evaluate((v: HTMLVideoElement) => v.videoWidth), { message: `${party.name}'s self-view` }).toBeGreaterThan(0);
  }

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('You hung up');
  await expect(notice(alice)).toHaveText('Bob hung up');
});

test('muting and holding are shown on the other side', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await alice.page.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(bob.page.locator('[data-peer-activity]')).toHaveText('Alice muted their microphone');
  await alice.page.getByRole('button', { name: 'Unmute', exact: true }).click();
  await expect(bob.page.locator('[data-peer-activity]')).toHaveCount(0);
  await bob.page.getByRole('button', { name: 'Hold', exact: true }).click();
  await expect(alice.page.locator('[data-peer-activity]')).toHaveText('Bob put the call on hold');
  await bob.page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(alice.page.locator('[data-peer-activity]')).toHaveCount(0);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('Alice hung up');
});

test('a hang-up by the callee ends the call on both sides', async ({ alice, bob }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');

  await bob.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(alice)).toHaveText('Bob hung up');
  await expect(notice(bob)).toHaveText('You hung up');
  for (const [party, other] of [[alice, bob], [bob, alice]] as const) {
    await expect(party.page.getByRole('button', { name: 'Hang up' })).toHaveCount(0);
    await expect(contact(party, other.jid).getByRole('button', { name: 'Audio call' })).toBeEnabled();
  }
});

test('a declined call ends on both sides and the caller sees it was declined', async ({ alice, bob }) => {
  await call(alice, bob, 'video');
  // Bob's device rings back with session-info <ringing/>.
  await expect(phase(alice)).toHaveText('Ringing…');
  await incoming(bob).getByRole('button', { name: 'Decline' }).click();
  await expect(notice(alice)).toHaveText(/declined/i);
  await expect(notice(alice)).toHaveText('Bob declined the call');
  await expect(notice(bob)).toHaveText('You declined the call');
  await expect(incoming(bob)).toHaveCount(0);
  await expect(alice.page.getByRole('button', { name: 'Hang up' })).toHaveCount(0);
  await expect(contact(alice, bob.jid)).toBeVisible();
});
