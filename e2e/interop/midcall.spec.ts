// Video added mid-call against the StanzaJS peer: StanzaJS 12 answers every
// content-add with content-reject ("content-add is not supported"), so the
// call must go on as audio and the user learn why. As StanzaJS, and as Dino
// sends (no BUNDLE: the new m-line has a transport and candidates of its own).
import { type Browser, expect, test } from '@playwright/test';
import type { ProfileName } from '../peer/profiles.ts';
import { contact, expectRising, type Party, phase } from '../parties.ts';
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
