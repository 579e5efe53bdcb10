// The interop matrix: Jingle Lab (alice) against the StanzaJS peer (bob), as
// StanzaJS sends it and reshaped as Conversations and Dino send. Each cell is
// one call: who calls, audio or audio+video, XEP-0353 or a direct
// session-initiate, and how it ends. Media cells check getStats() rising on
// both sides. Each cell notes its outcome and accept → first media for the
// report (e2e/interop/report.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, expect, test } from '@playwright/test';
import type { ProfileName } from '../peer/profiles.ts';
import { contact, expectRising, fullJid, incoming, notice, type Party, phase } from '../parties.ts';
import { expectPeerRising, firstMediaBothWays, logIn, type Media, StanzaPeer, type Via } from './stanza-peer.ts';

type Caller = 'lab' | 'peer';
type Ending = 'caller hangs up' | 'callee hangs up' | 'callee declines' | 'caller cancels';

export interface Cell {
  caller: Caller;
  media: Media;
  via: Via;
  ending: Ending;
}

/** Who calls, media and signalling with a hang-up by either side; decline and cancel with audio. */
export const CELLS: Cell[] = [
  ...(['lab', 'peer'] as const).flatMap((caller) =>
    (['jmi', 'direct'] as const).flatMap((via) =>
      (['audio', 'video'] as const).map((media): Cell => ({ caller, media, via, ending: media === 'audio' ? 'caller hangs up' : 'callee hangs up' })),
    ),
  ),
  ...(['lab', 'peer'] as const).flatMap((caller) =>
    (['jmi', 'direct'] as const).flatMap((via) => (['callee declines', 'caller cancels'] as const).map((ending): Cell => ({ caller, media: 'audio', via, ending }))),
  ),
];

export const cellTitle = (c: Cell) => `${c.caller === 'lab' ? 'Jingle Lab → peer' : 'peer → Jingle Lab'}, ${c.media === 'video' ? 'audio+video' : 'audio'}, ${c.via === 'jmi' ? 'XEP-0353' : 'direct'}, ${c.ending}`;

const PROFILES: ProfileName[] = ['stanza', 'conversations', 'dino'];

/** The Jingle IQs Jingle Lab received in one call, as text, from its wire log. */
async function jingleReceived(lab: Party, sid: string): Promise<string[]> {
  const log = await lab.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  const escaped = sid.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return log.filter((e) => e.direction === 'in' && e.text.includes('urn:xmpp:jingle:1') && e.text.includes(`sid="${escaped}"`)).map((e) => e.text);
}
const withAction = (stanzas: string[], action: string) => stanzas.filter((s) => s.includes(`action="${action}"`));

/**
 * What Jingle Lab must have received from each profile in an answered call:
 * proof that the peer really spoke as that client does.
 */
async function expectProfileOnTheWire(lab: Party, peer: StanzaPeer, cell: Cell): Promise<void> {
  const { sid } = (await peer.last())!;
  const got = await jingleReceived(lab, sid);
  const description = withAction(got, cell.caller === 'peer' ? 'session-initiate' : 'session-accept')[0] ?? '';
  expect(description, 'the peer’s description reached Jingle Lab').not.toBe('');
  const transportInfos = withAction(got, 'transport-info');
  if (peer.profile === 'stanza') {
    expect(description).toContain('urn:xmpp:jingle:apps:rtp:msid:0');
    expect(description).toContain('urn:xmpp:jingle:apps:grouping:0');
    expect(transportInfos.some((t) => t.includes('gathering-complete'))).toBe(true);
  }
  if (peer.profile === 'conversations') {
    expect(got.every((s) => !/ (initiator|responder)="/.test(s))).toBe(true);
    expect(got.join('')).not.toContain('network=');
    expect(description).not.toContain('<candidate');
    expect(transportInfos.length).toBeGreaterThan(0);
    expect(transportInfos.every((t) => (t.match(/<candidate /g) ?? []).length === 1)).toBe(true);
    if (cell.caller === 'peer') expect(sid).toMatch(/[+/]/);
  }
  if (peer.profile === 'dino') {
    expect(description).not.toContain('urn:xmpp:jingle:apps:grouping:0');
    expect(description).not.toContain('urn:xmpp:jingle:apps:rtp:ssma:0');
    expect(description).toMatch(/<candidate [^>]*component="1"/);
    expect(description).toMatch(/<candidate [^>]*component="2"/);
    if (cell.caller === 'lab') {
      expect(description).not.toContain('setup="actpass"');
      for (const d of description.match(/<description[\s\S]*?<\/description>/g) ?? []) expect(d.match(/<payload-type /g)).toHaveLength(1);
    }
  }
}

const labCallButton = (lab: Party, media: Media) => contact(lab, 'bob@localhost').getByRole('button', { name: media === 'video' ? 'Video call' : 'Audio call', exact: true });

/** Both sides back at rest: no call on Jingle Lab's screen, the peer's last call ended. */
async function atRest(lab: Party, peer: StanzaPeer): Promise<void> {
  await expect.poll(async () => (await peer.last())?.phase ?? 'ended', { message: 'the peer’s call ended' }).toBe('ended');
  await expect(lab.page.getByRole('button', { name: /^(Hang up|Cancel)$/ })).toHaveCount(0);
  await expect(incoming(lab)).toHaveCount(0);
  const dismiss = lab.page.getByRole('button', { name: 'Dismiss' });
  if (await dismiss.count()) await dismiss.click();
}

async function runCell(lab: Party, peer: StanzaPeer, cell: Cell): Promise<number | undefined> {
  await peer.setJmi(cell.via === 'jmi');
  const answered = cell.ending === 'caller hangs up' || cell.ending === 'callee hangs up';
  let acceptedAt = 0;

  // The call goes out and rings.
  if (cell.caller === 'lab') {
    // Jingle Lab proposes to a device that says it speaks XEP-0353, else sends session-initiate to it.
    await expect(labCallButton(lab, cell.media)).toBeEnabled();
    await expect.poll(() => lab.page.evaluate((full) => (globalThis as unknown as { jingleLab: { supportsJmi(jid: string): boolean | undefined } }).jingleLab.supportsJmi?.(full), peer.fullJid), { message: 'Jingle Lab knows the peer’s new capabilities' }).toBe(cell.via === 'jmi');
    await labCallButton(lab, cell.media).click();
    await expect.poll(async () => (await peer.last())?.phase, { message: 'the peer rings' }).toBe('incoming');
    expect((await peer.last())!.via).toBe(cell.via);
  } else {
    await peer.call(cell.via === 'jmi' ? 'alice@localhost' : await fullJid(lab), cell.media, cell.via);
    await expect(incoming(lab)).toContainText(`${cell.media === 'video' ? 'Video' : 'Audio'} call from Bob`);
  }

  if (cell.ending === 'callee declines') {
    if (cell.caller === 'lab') {
      await peer.decline();
      await expect(notice(lab)).toHaveText('Bob declined the call');
    } else {
      await incoming(lab).getByRole('button', { name: 'Decline' }).click();
      await expect.poll(async () => (await peer.last())?.ended, { message: 'the peer sees a decline' }).toMatchObject({ by: 'remote', reason: expect.stringMatching(/^(decline|reject)$/) });
    }
    await atRest(lab, peer);
    return undefined;
  }
  if (cell.ending === 'caller cancels') {
    if (cell.caller === 'lab') {
      await lab.page.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(async () => (await peer.last())?.ended, { message: 'the peer sees the call withdrawn' }).toMatchObject({ by: 'remote', reason: 'cancel' });
    } else {
      await expect(incoming(lab)).toBeVisible();
      await peer.hangUp();
      await expect(incoming(lab)).toHaveCount(0);
      await expect(notice(lab)).toHaveText(/Bob cancelled the call|Missed call/);
    }
    await atRest(lab, peer);
    return undefined;
  }

  // Answered: media must flow both ways.
  if (cell.caller === 'lab') {
    acceptedAt = Date.now();
    await peer.accept();
  } else {
    const accept = incoming(lab).getByRole('button', { name: 'Accept' });
    await expect(accept).toBeVisible();
    acceptedAt = Date.now();
    await accept.click();
  }
  const ms = await firstMediaBothWays(lab, peer, cell.media, acceptedAt);
  await expect(phase(lab)).toHaveText('Connected');
  await expectRising(lab, cell.media === 'video' ? ['inboundAudioBytes', 'inboundVideoBytes', 'framesDecoded'] : ['inboundAudioBytes']);
  await expectPeerRising(peer, cell.media);
  await expectProfileOnTheWire(lab, peer, cell);

  const labHangsUp = (cell.ending === 'caller hangs up') === (cell.caller === 'lab');
  if (labHangsUp) {
    await lab.page.getByRole('button', { name: 'Hang up' }).click();
    await expect.poll(async () => (await peer.last())?.ended, { message: 'the peer sees the hang-up' }).toMatchObject({ by: 'remote', reason: 'success' });
  } else {
    await peer.hangUp();
    await expect(notice(lab)).toHaveText('Bob hung up');
  }
  await atRest(lab, peer);
  return ms;
}

/**
 * With JINGLE_LAB_SAVE_RECORDINGS=<folder>, Jingle Lab's inspector recording of
 * each cell is written there: the unit tests of the summary read such calls
 * (test/vectors/recordings/).
 */
async function saveRecording(lab: Party, peer: StanzaPeer, cell: Cell): Promise<void> {
  const folder = process.env.JINGLE_LAB_SAVE_RECORDINGS;
  if (!folder) return;
  const { sid } = (await peer.last())!;
  const recording = await lab.page.evaluate((id) => (globalThis as unknown as { jingleLab: { recording(sid: string): unknown } }).jingleLab.recording(id), sid);
  mkdirSync(folder, { recursive: true });
  const name = `${peer.profile}-${cellTitle(cell).replace(/[^a-z0-9]+/gi, '-').replace(/-$/, '').toLowerCase()}.json`;
  writeFileSync(join(folder, name), `${JSON.stringify(recording, null, 2)}\n`);
}

for (const profileName of PROFILES) {
  test.describe(`peer profile: ${profileName}`, () => {
    let lab: Party & { close(): Promise<void> };
    let peer: StanzaPeer;

    test.beforeAll(async ({ browser }: { browser: Browser }) => {
      lab = await logIn(browser, 'alice');
      peer = await StanzaPeer.open(browser, profileName);
      await expect(contact(lab, 'bob@localhost')).toBeVisible();
    });

    test.afterAll(async () => {
      await peer?.logOut();
      await lab?.close();
      expect(lab?.errors ?? [], 'uncaught errors in Jingle Lab’s page').toEqual([]);
      expect(peer?.errors ?? [], 'uncaught errors in the peer’s page').toEqual([]);
    });

    for (const cell of CELLS) {
      test(cellTitle(cell), async ({}, testInfo) => {
        const ms = await runCell(lab, peer, cell);
        await saveRecording(lab, peer, cell);
        testInfo.annotations.push({ type: 'interop-cell', description: JSON.stringify({ profile: profileName, cell: cellTitle(cell), ms }) });
      });
    }
  });
}
