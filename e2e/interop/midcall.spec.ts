// Video added mid-call against the StanzaJS peer: StanzaJS 12 answers every
// content-add with content-reject ("content-add is not supported"), so the
// call must go on as audio and the user learn why. As StanzaJS, and as Dino
// sends (no BUNDLE: the new m-line has a transport and candidates of its own).
import { type Browser, expect, test } from '@playwright/test';
import type { ProfileName } from '../peer/profiles.ts';
import { contact, expectRising, type Party, phase, stats } from '../parties.ts';
import { expectPeerRising, logIn, StanzaPeer } from './stanza-peer.ts';

for (const profile of ['stanza', 'dino'] as ProfileName[]) {
  test(`Jingle Lab turns on video in an audio call with the StanzaJS peer (${profile}): refused, the call goes on as audio`, async ({ browser }: { browser: Browser }) => {
    const lab: Party & { close(): Promise<void> } = await logIn(browser, 'alice');
    const peer = await StanzaPeer.open(browser, profile);
    try {
      await peer.setJmi(false);
      const audioCall = contact(lab, 'bob@localhost').getByRole('button', { name: 'Audio call', exact: true });
      await expect.poll(() => lab.page.evaluate((full) => (globalThis as unknown as { jingleLab: { supportsJmi(jid: string): boolean | undefined } }).jingleLab.supportsJmi(full), peer.fullJid), { message: 'Jingle Lab knows the peer’s capabilities' }).toBe(false);
      await audioCall.click();
      await expect.poll(async () => (await peer.last())?.phase, { message: 'the peer rings' }).toBe('incoming');
      await peer.accept();
      await expect(phase(lab)).toHaveText('Connected');

      await lab.page.getByRole('button', { name: 'Camera', exact: true }).click();
      await expect(lab.page.locator('[data-video-notice]')).toHaveText("Bob's app cannot add video to this call");
      await expect(lab.page.getByRole('button', { name: 'Camera', exact: true })).toHaveAttribute('aria-pressed', 'false');
      // What the peer sent: a content-reject, as StanzaJS does.
      const sent = await peer.page.evaluate(() => (globalThis as unknown as { peer: { frames(): { direction: string; text: string }[] } }).peer.frames().filter((f) => f.direction === 'out').map((f) => f.text));
      expect(sent.some((t) => /action=["']content-reject["']/.test(t) && t.includes('content-add is not supported'))).toBe(true);

      await expect(lab.page.locator('video')).toHaveCount(0);
      await expect(phase(lab)).toHaveText('Connected');
      await expectRising(lab, ['inboundAudioBytes']);
      await expectPeerRising(peer, 'audio');

      await lab.page.getByRole('button', { name: 'Hang up' }).click();
      await expect.poll(async () => (await peer.last())?.ended, { message: 'the peer sees the hang-up' }).toMatchObject({ by: 'remote', reason: 'success' });
    } finally {
      await peer.logOut();
      await lab.close();
    }
    expect(lab.errors, 'uncaught errors in Jingle Lab’s page').toEqual([]);
    expect(peer.errors, 'uncaught errors in the peer’s page').toEqual([]);
  });
}

/**
 * A video call from Jingle Lab to the peer, connected with video both ways,
 * for `body`; then hung up from Jingle Lab, and neither page may have thrown.
 */
async function inVideoCall(browser: Browser, profile: ProfileName, body: (lab: Party, peer: StanzaPeer) => Promise<void>): Promise<void> {
  const lab = await logIn(browser, 'alice');
  const peer = await StanzaPeer.open(browser, profile);
  try {
    await peer.setJmi(false);
    await expect.poll(() => lab.page.evaluate((full) => (globalThis as unknown as { jingleLab: { supportsJmi(jid: string): boolean | undefined } }).jingleLab.supportsJmi(full), peer.fullJid), { message: 'Jingle Lab knows the peer’s capabilities' }).toBe(false);
    await contact(lab, 'bob@localhost').getByRole('button', { name: 'Video call', exact: true }).click();
    await expect.poll(async () => (await peer.last())?.phase, { message: 'the peer rings' }).toBe('incoming');
    await peer.accept();
    await expect(phase(lab)).toHaveText('Connected');
    await expectRising(lab, ['framesDecoded']);
    await expectPeerRising(peer, 'video');
    await body(lab, peer);
    await lab.page.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(async () => (await peer.last())?.ended?.reason).toBe('success');
  } finally {
    await peer.logOut();
    await lab.close();
  }
  expect(lab.errors, 'uncaught errors in Jingle Lab’s page').toEqual([]);
  expect(peer.errors, 'uncaught errors in the peer’s page').toEqual([]);
}

/** A frame counter that holds still over several samples: no video comes in. */
async function expectStill(sample: () => Promise<number>, message: string): Promise<void> {
  let last = -1;
  let still = 0;
  await expect.poll(async () => {
    const now = await sample();
    still = now === last ? still + 1 : 0;
    last = now;
    return still;
  }, { message, intervals: [500], timeout: 20_000 }).toBeGreaterThanOrEqual(4);
}

for (const profile of ['stanza', 'dino'] as ProfileName[]) {
  const how = profile === 'dino' ? 'content-modify of senders' : 'session-info <mute/>';
  test(`the peer (${profile}) turns its camera off and on (${how}): Jingle Lab shows its name, then its video`, async ({ browser }: { browser: Browser }) => {
    await inVideoCall(browser, profile, async (lab, peer) => {
      await peer.camera(false);
      await expect(lab.page.locator('[data-peer-card]')).toContainText('Camera off');
      await expect(lab.page.locator('video.remote')).toHaveCount(0);
      await expectStill(async () => (await stats(lab)).framesDecoded, 'Jingle Lab receives no more frames');
      await expectRising(lab, ['inboundAudioBytes']);
      await peer.camera(true);
      await expect(lab.page.locator('video.remote')).toBeVisible();
      await expectRising(lab, ['framesDecoded']);
      // Dino's content-modify is acknowledged, never answered with an error.
      expect((await peer.received()).filter((t) => /type=["']error["']/.test(t))).toEqual([]);
    });
  });

  test(`Jingle Lab's camera off and on, screen share and device switch with the peer (${profile}): no renegotiation, the peer keeps receiving`, async ({ browser }: { browser: Browser }) => {
    await inVideoCall(browser, profile, async (lab, peer) => {
      const button = (name: string) => lab.page.getByRole('button', { name, exact: true });
      await button('Camera').click();
      await expect(button('Camera')).toHaveAttribute('aria-pressed', 'false');
      await expectStill(async () => (await peer.stats()).framesDecoded, 'the peer receives no more frames');
      await expectPeerRising(peer, 'audio');
      await button('Camera').click();
      await expectPeerRising(peer, 'video');

      await button('Share screen').click();
      await expect.poll(async () => (await peer.stats()).frameWidth, { message: 'the peer decodes the screen (1280 wide)' }).toBe(1280);
      await button('Stop sharing').click();
      // The camera's 640 × 480, or (on a busy machine, where WebRTC scales its
      // encoder down for a while after the larger screen) a smaller 4:3 frame.
      await expect.poll(async () => {
        const { frameWidth, frameHeight } = await peer.stats();
        return frameWidth > 0 && frameWidth <= 640 && frameWidth * 3 === frameHeight * 4;
      }, { message: 'the peer decodes the camera again (640 × 480, or scaled down as 4:3)' }).toBe(true);

      await button('Settings').click();
      await lab.page.getByRole('group', { name: 'Devices' }).getByLabel('Microphone').selectOption({ label: 'Fake Audio Input 2' });
      await expect.poll(() => lab.page.evaluate(() => (globalThis as unknown as { jingleLab: { calls(): { localStream?: MediaStream }[] } }).jingleLab.calls()[0]?.localStream?.getAudioTracks()[0]?.label)).toBe('Fake Audio Input 2');
      await expectPeerRising(peer, 'video');
      // None of it renegotiated: the peer got no content-* and no transport-replace.
      expect((await peer.received()).filter((t) => /action=["'](content-|transport-replace)/.test(t))).toEqual([]);
    });
  });
}
