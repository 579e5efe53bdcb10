// Two (or more) people on the test lab, each in a browser context of their own.
import { type Browser, type BrowserContext, type Page, type WebSocketRoute, expect, test as base } from '@playwright/test';
import { DEMO_ACCOUNTS, loginLink } from '../scripts/prosody.mjs';
import { STRANGERS, TEST_LAB, TURNLESS } from './lab-ports.ts';

export interface Stats {
  inboundAudioBytes: number;
  inboundVideoBytes: number;
  framesDecoded: number;
  /** The width and height of the video frames coming in now. */
  frameWidth: number;
  frameHeight: number;
  selectedPair?: { local: string; remote: string; localType: string; remoteType: string; relayProtocol?: string; relayServer?: string };
}

export interface Party {
  page: Page;
  jid: string;
  name: string;
  /** Uncaught errors and unhandled rejections seen in the page. */
  errors: string[];
}

export async function openApp(browser: Browser, prepare?: (context: BrowserContext) => Promise<void>): Promise<{ page: Page; errors: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], baseURL: TEST_LAB.origin });
  await prepare?.(context);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

export async function logIn(browser: Browser, user: string, prepare?: (context: BrowserContext) => Promise<void>): Promise<Party & { close: () => Promise<void> }> {
  const account = [...DEMO_ACCOUNTS, ...STRANGERS, TURNLESS].find((a) => a.user === user)!;
  const domain = 'host' in account ? account.host : 'localhost';
  const { page, errors, close } = await openApp(browser, prepare);
  const link = loginLink(TEST_LAB.origin, account);
  await page.goto(domain === 'localhost' ? link : link.replace(/jid=[^&]*/, `jid=${encodeURIComponent(`${user}@${domain}`)}`));
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible();
  const logOutAndClose = async () => {
    // As a person would: log out, so the others see this device leave.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
    await close();
  };
  return { page, errors, close: logOutAndClose, jid: `${user}@${domain}`, name: account.name };
}

/** A logged-in person for one test; uncaught errors in the page fail it. */
const party = (user: string, label: string) =>
  async ({ browser }: { browser: Browser }, use: (p: Party) => Promise<void>) => {
    const p = await logIn(browser, user);
    await use(p);
    await p.close();
    expect(p.errors, `uncaught errors in ${label}’s page`).toEqual([]);
  };

/** A party whose XMPP WebSocket goes through Playwright, so that a test can cut it. */
export interface CuttableParty extends Party {
  /**
   * Closes the WebSocket to the server at once, as a dropped network would;
   * with `downForMs`, every new WebSocket is refused for that long.
   */
  cut(downForMs?: number): Promise<void>;
  /**
   * Cuts the WebSocket when the next frame matching `pattern` passes in
   * `direction` (sent by the page, or received from the server): that frame
   * is lost in transit, as on a network that fails at that instant.
   */
  cutAt(direction: 'sent' | 'received', pattern: RegExp): void;
  /**
   * Makes the app's next XEP-0198 resumption fail, as when the server has
   * forgotten the stream: the app must open a new session under the same
   * resource.
   */
  failNextResume(): void;
  /** Whether an armed cutAt has fired. */
  readonly wasCut: boolean;
  /** How many WebSockets the app opened to the server so far. */
  readonly sockets: number;
  /** When (Date.now()) the app last opened one. */
  readonly openedAt: number;
}

const cuttableParty = (user: string, label: string) =>
  async ({ browser }: { browser: Browser }, use: (p: CuttableParty) => Promise<void>) => {
    const open: { page: WebSocketRoute; server: WebSocketRoute }[] = [];
    let sockets = 0;
    let openedAt = 0;
    let armed: { direction: 'sent' | 'received'; pattern: RegExp } | undefined;
    let wasCut = false;
    let spoilResume = false;
    let downUntil = 0;
    const cutAll = async () => {
      for (const ws of open.splice(0)) {
        dead.add(ws.page);
        await ws.page.close({ code: 4000, reason: 'cut by the test' }).catch(() => undefined);
        await ws.server.close().catch(() => undefined);
      }
    };
    /** Sockets cut, whose frames are all lost from then on: a stream does not skip one frame and carry the next. */
    const dead = new WeakSet<WebSocketRoute>();
    const passes = (route: WebSocketRoute, direction: 'sent' | 'received', frame: string | Buffer): boolean => {
      if (dead.has(route)) return false;
      if (!armed || armed.direction !== direction || !armed.pattern.test(String(frame))) return true;
      armed = undefined;
      wasCut = true;
      for (const ws of open) dead.add(ws.page);
      void cutAll();
      return false;
    };
    const p = await logIn(browser, user, (context) =>
      context.routeWebSocket(/\/xmpp-websocket/, (ws) => {
        if (Date.now() < downUntil) {
          void ws.close({ code: 4001, reason: 'the network is down' }).catch(() => undefined);
          return;
        }
        sockets++;
        openedAt = Date.now();
        const server = ws.connectToServer();
        ws.onMessage((frame) => {
          if (!passes(ws, 'sent', frame)) return;
          if (spoilResume && /<resume /.test(String(frame))) {
            spoilResume = false;
            frame = String(frame).replace(/previd=(["'])/, 'previd=$1forgotten-');
          }
          server.send(frame);
        });
        server.onMessage((frame) => {
          if (passes(ws, 'received', frame)) ws.send(frame);
        });
        open.push({ page: ws, server });
      }),
    );
    const cuttable: CuttableParty = {
      ...p,
      get sockets() {
        return sockets;
      },
      get openedAt() {
        return openedAt;
      },
      get wasCut() {
        return wasCut;
      },
      cut(downForMs = 0) {
        downUntil = Date.now() + downForMs;
        return cutAll();
      },
      cutAt(direction, pattern) {
        armed = { direction, pattern };
      },
      failNextResume() {
        spoilResume = true;
      },
    };
    await use(cuttable);
    await p.close();
    expect(p.errors, `uncaught errors in ${label}’s page`).toEqual([]);
  };

export const test = base.extend<{ alice: Party; bob: Party; carol: Party; bobAgain: Party; mallory: Party; dave: Party; bobOnFlakyNetwork: CuttableParty; aliceOnFlakyNetwork: CuttableParty }>({
  alice: party('alice', 'alice'),
  bob: party('bob', 'bob'),
  carol: party('carol', 'carol'),
  /** Bob on a second device: another context, another resource. */
  bobAgain: party('bob', 'bob’s second device'),
  /** An account in nobody's roster. */
  mallory: party('mallory', 'mallory'),
  /** An account on a domain whose server offers no STUN/TURN. */
  dave: party('dave', 'dave'),
  bobOnFlakyNetwork: cuttableParty('bob', 'bob'),
  aliceOnFlakyNetwork: cuttableParty('alice', 'alice'),
});
export { expect };

export const contact = (party: Party, jid: string) => party.page.locator(`li[data-jid="${jid}"]`);

/** Clicks "Audio call" or "Video call" on a contact once it is online. */
export async function call(from: Party, to: Party, media: 'audio' | 'video'): Promise<void> {
  const button = contact(from, to.jid).getByRole('button', { name: media === 'video' ? 'Video call' : 'Audio call', exact: true });
  await expect(button).toBeEnabled();
  await button.click();
}

export const incoming = (party: Party) => party.page.getByRole('alertdialog', { name: 'Incoming call' });
export const phase = (party: Party) => party.page.locator('[data-phase]');
export const notice = (party: Party) => party.page.locator('[data-notice]');

export async function stats(party: Party): Promise<Stats> {
  const result = await party.page.evaluate(async () => {
    const lab = (globalThis as unknown as { jingleLab?: { stats(): Promise<unknown> } }).jingleLab;
    return (await lab?.stats()) ?? null;
  });
  return (result ?? { inboundAudioBytes: 0, inboundVideoBytes: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0 }) as Stats;
}

type Counter = 'inboundAudioBytes' | 'inboundVideoBytes' | 'framesDecoded';

/** Waits until each counter is above zero and then rises again: media flows in. */
export async function expectRising(party: Party, counters: Counter[]): Promise<Stats> {
  let first: Stats | undefined;
  await expect
    .poll(async () => {
      first = await stats(party);
      return counters.every((c) => first![c] > 0);
    }, { message: `${party.name}: ${counters.join(', ')} above zero`, timeout: 20_000 })
    .toBe(true);
  await expect
    .poll(async () => {
      const now = await stats(party);
      return counters.filter((c) => !(now[c] > first![c]));
    }, { message: `${party.name}: ${counters.join(', ')} rising`, timeout: 20_000 })
    .toEqual([]);
  return stats(party);
}

/** In the test namespace ICE has only loopback; assert that it used it. */
export function expectLoopback(s: Stats): void {
  if (!process.env.JINGLE_LAB_NETNS) return;
  expect(s.selectedPair?.local).toMatch(/^(127\.0\.0\.1|\[?::1\]?):/);
  // A peer-reflexive remote candidate (its check came before its transport-info)
  // has no address in Chromium's stats; the local side is ours to check.
  if (s.selectedPair?.remoteType !== 'prflx') expect(s.selectedPair?.remote).toMatch(/^(127\.0\.0\.1|\[?::1\]?):/);
}

/** The full JID a party is logged in as. */
export const fullJid = async (party: Party): Promise<string> => (await party.page.locator('span.me').textContent())!.trim();

/** Sends hand-written XML through the wire log's form, as a person probing a peer would. */
export async function sendRaw(party: Party, stanza: string): Promise<void> {
  const form = party.page.getByRole('form', { name: 'Send a stanza' });
  // The box is in the inspector: opened from the top bar when it is closed.
  if (!(await form.isVisible())) await party.page.locator('[data-inspector-toggle]').click();
  await form.getByLabel('Stanza to send').fill(stanza);
  await form.getByRole('button', { name: 'Send stanza' }).click();
}

/** Stanzas a party received, as text. */
export async function received(party: Party): Promise<string[]> {
  const log = await party.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { direction: string; text: string }[] } }).jingleLab.log());
  return log.filter((e) => e.direction === 'in').map((e) => e.text);
}
