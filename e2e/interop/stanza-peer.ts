// The interop suite's two parties: Jingle Lab (alice, through its UI) and the
// StanzaJS peer (bob, e2e/peer/, through `window.peer`), on the test lab.
import type { Browser, Page } from '@playwright/test';
import { expect } from '@playwright/test';
import type { ProfileName } from '../peer/profiles.ts';
import { TEST_LAB } from '../lab-ports.ts';
import { type Party, logIn, stats } from '../parties.ts';

export type Media = 'audio' | 'video';
export type Via = 'jmi' | 'direct';

export interface PeerCall {
  sid: string;
  peer: string;
  role: 'caller' | 'callee';
  via: Via;
  media: Media;
  phase: string;
  ended?: { reason: string; by: 'local' | 'remote' };
  events: { name: string; at: number }[];
}

interface PeerApi {
  login(options: { jid: string; password: string; url: string; resource: string; profile: ProfileName; jmi: boolean; resumable?: boolean }): Promise<string>;
  setJmi(on: boolean): void;
  call(to: string, media: Media, via: Via): Promise<string>;
  accept(): Promise<void>;
  decline(): void;
  hangUp(): void;
  last(): PeerCall | undefined;
  stats(): Promise<{ inboundAudioBytes: number; inboundVideoBytes: number; framesDecoded: number; frameWidth: number; frameHeight: number }>;
  camera(on: boolean): Promise<void>;
  frames(): { direction: 'in' | 'out'; at: number; text: string }[];
  logOut(): Promise<void>;
}

type Api = { peer: PeerApi };

export class StanzaPeer {
  readonly jid = 'bob@localhost';
  readonly name = 'Bob';
  fullJid = '';
  readonly errors: string[] = [];

  private constructor(readonly page: Page, readonly profile: ProfileName, private readonly close: () => Promise<void>) {}

  /** `resumable`: with stream management, so that the server keeps its session when the page dies (it then places no call). */
  static async open(browser: Browser, profile: ProfileName, options: { resumable?: boolean } = {}): Promise<StanzaPeer> {
    const context = await browser.newContext({ permissions: ['camera', 'microphone'], baseURL: TEST_LAB.origin });
    const page = await context.newPage();
    const peer = new StanzaPeer(page, profile, () => context.close());
    page.on('pageerror', (err) => peer.errors.push(err.message));
    await page.goto('/e2e/peer/index.html');
    await expect(page.locator('#status')).toHaveText('ready');
    peer.fullJid = await page.evaluate(
      (o) => (globalThis as unknown as Api).peer.login(o),
      { jid: 'bob@localhost', password: 'bob', url: `ws://localhost:${new URL(TEST_LAB.origin).port}/xmpp-websocket`, resource: `stanza-${profile}`, profile, jmi: true, resumable: options.resumable ?? false },
    );
    return peer;
  }

  setJmi(on: boolean): Promise<void> {
    return this.page.evaluate((v) => (globalThis as unknown as Api).peer.setJmi(v), on);
  }

  call(to: string, media: Media, via: Via): Promise<string> {
    return this.page.evaluate(([t, m, v]) => (globalThis as unknown as Api).peer.call(t, m as Media, v as Via), [to, media, via] as const);
  }

  accept(): Promise<void> {
    return this.page.evaluate(() => (globalThis as unknown as Api).peer.accept());
  }

  decline(): Promise<void> {
    return this.page.evaluate(() => (globalThis as unknown as Api).peer.decline());
  }

  hangUp(): Promise<void> {
    return this.page.evaluate(() => (globalThis as unknown as Api).peer.hangUp());
  }

  last(): Promise<PeerCall | undefined> {
    return this.page.evaluate(() => (globalThis as unknown as Api).peer.last());
  }

  stats(): Promise<{ inboundAudioBytes: number; inboundVideoBytes: number; framesDecoded: number; frameWidth: number; frameHeight: number }> {
    return this.page.evaluate(() => (globalThis as unknown as Api).peer.stats());
  }

  /** The peer's camera off or on, the way its profile's client says it. */
  camera(on: boolean): Promise<void> {
    return this.page.evaluate((v) => (globalThis as unknown as Api).peer.camera(v), on);
  }

  /** The Jingle and XEP-0353 stanzas the peer received, as text. */
  async received(): Promise<string[]> {
    const frames = await this.page.evaluate(() => (globalThis as unknown as Api).peer.frames());
    return frames.filter((f) => f.direction === 'in').map((f) => f.text);
  }

  async logOut(): Promise<void> {
    await this.page.evaluate(() => (globalThis as unknown as Api).peer.logOut()).catch(() => undefined);
    await this.close();
  }
}

/** Between two samples of a figure: short, so that the figure is within 20 ms. */
const pollInterval = () => new Promise((resolve) => setTimeout(resolve, 20));

type Counters = { inboundAudioBytes: number; inboundVideoBytes: number; framesDecoded: number };
const flowing = (s: Counters, media: Media) => s.inboundAudioBytes > 0 && (media === 'audio' || (s.inboundVideoBytes > 0 && s.framesDecoded > 0));

/**
 * Waits, polling every 20 ms, until media flows into both sides; returns the
 * ms from `since`. The figure for the report: accept → first media both ways.
 */
export async function firstMediaBothWays(lab: Party, peer: StanzaPeer, media: Media, since: number, timeout = 20_000): Promise<number> {
  const deadline = since + timeout;
  let labIn = false;
  let peerIn = false;
  while (!(labIn && peerIn)) {
    if (Date.now() > deadline) throw new Error(`no media both ways ${timeout} ms after accept (into Jingle Lab: ${labIn}, into the peer: ${peerIn})`);
    labIn ||= flowing(await stats(lab), media);
    peerIn ||= flowing(await peer.stats(), media);
    if (!(labIn && peerIn)) await pollInterval();
  }
  return Date.now() - since;
}

/** Every counter of the medium rises again on the peer's side. */
export async function expectPeerRising(peer: StanzaPeer, media: Media): Promise<void> {
  const counters: (keyof Counters)[] = media === 'video' ? ['inboundAudioBytes', 'inboundVideoBytes', 'framesDecoded'] : ['inboundAudioBytes'];
  const first = await peer.stats();
  await expect
    .poll(async () => {
      const now = await peer.stats();
      return counters.filter((c) => !(now[c] > first[c]));
    }, { message: `the StanzaJS peer (${peer.profile}): ${counters.join(', ')} rising`, timeout: 20_000 })
    .toEqual([]);
}

export { logIn };
