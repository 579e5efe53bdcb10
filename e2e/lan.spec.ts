// LAN mode end to end: the lab started as `npm start -- --lan` starts it, on
// a network address of its own (made inside the tests' network namespace,
// never one of the host's), the app over https://, XMPP over wss://, and an
// audio call between two browser contexts that trust exactly the lab's key.
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { type Browser, chromium, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../scripts/browser.mjs';
import { startLanLab } from '../scripts/lan.mjs';
import { LAN_TEST_LAB } from './lab-ports.ts';
import { type Party, call, contact, expect, expectRising, incoming, notice, phase } from './parties.ts';

const ip = (...args: string[]) => execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Gives the namespace an interface with the lab's "LAN" address: a dummy one,
 * or a veth pair where the kernel has no dummy driver. It is settled before
 * Chromium starts: no IPv6 link-local address turns up later, and the link is
 * up, for Chromium drops its requests on any change of the network it sees.
 */
async function makeAddress(address: string): Promise<void> {
  if (ip('-4', '-o', 'addr', 'show').includes(` ${address}/`)) return;
  const links = ['lab0'];
  try {
    ip('link', 'add', 'lab0', 'type', 'dummy');
  } catch {
    ip('link', 'add', 'lab0', 'type', 'veth', 'peer', 'name', 'lab0peer');
    links.push('lab0peer');
  }
  for (const link of links) ip('link', 'set', 'dev', link, 'addrgenmode', 'none');
  ip('addr', 'add', `${address}/24`, 'dev', 'lab0');
  for (const link of links) ip('link', 'set', 'dev', link, 'up');
  await expect.poll(() => ip('-o', 'link', 'show', 'dev', 'lab0'), { message: 'lab0 is up', timeout: 5000 }).toMatch(/[<,]LOWER_UP[,>]/);
}

let lab: Awaited<ReturnType<typeof startLanLab>> | undefined;
let browser: Browser | undefined;

test.beforeAll(async () => {
  // Outside a namespace of its own (not root) the test uses loopback as its "LAN".
  if (process.env.JINGLE_LAB_NETNS) await makeAddress(LAN_TEST_LAB.address);
  await rm(LAN_TEST_LAB.dir, { recursive: true, force: true });
  const { dir, address, ...ports } = LAN_TEST_LAB;
  lab = await startLanLab({
    dir,
    address,
    ports: { c2s: ports.c2sPort, c2sTls: ports.c2sTlsPort, http: ports.httpPort, app: ports.appPort, turn: ports.turnPort },
    log: () => undefined,
    watch: false,
  });
  const options = chromiumLaunchOptions();
  // Trusts the lab's server key and nothing else that a certificate check would refuse.
  browser = await chromium.launch({ ...options, args: [...options.args, `--ignore-certificate-errors-spki-list=${lab.certs.spkiHash}`] });
});

test.afterAll(async () => {
  await browser?.close();
  await lab?.stop();
  if (process.env.JINGLE_LAB_NETNS) ip('link', 'del', 'lab0');
});

async function open(user: string): Promise<Party & { sockets: string[]; close: () => Promise<void> }> {
  const account = lab!.accounts.find((a) => a.user === user)!;
  const context = await browser!.newContext({ permissions: ['camera', 'microphone'] });
  const page = await context.newPage();
  const errors: string[] = [];
  const sockets: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.goto(account.link);
  await expect(page.getByRole('button', { name: 'Log out' })).toBeVisible({ timeout: 20_000 });
  return { page, errors, sockets, jid: account.jid, name: account.name, close: () => context.close() };
}

test('LAN mode: alice and bob log in through the https:// links and call each other over wss://, audio both ways', async () => {
  const origin = `https://${LAN_TEST_LAB.address}:${LAN_TEST_LAB.appPort}`;
  expect(lab!.origin).toBe(origin);
  const alice = await open('alice');
  const bob = await open('bob');
  for (const party of [alice, bob]) {
    expect(party.jid).toMatch(/@jingle-lab\.test$/);
    expect(await party.page.evaluate(() => window.isSecureContext)).toBe(true);
    expect(party.sockets).toContain(`wss://${LAN_TEST_LAB.address}:${LAN_TEST_LAB.appPort}/xmpp-websocket`);
  }
  await expect(contact(alice, bob.jid)).toBeVisible();

  await call(alice, bob, 'audio');
  await expect(incoming(bob)).toContainText('Audio call from Alice');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
  for (const party of [alice, bob]) {
    const { selectedPair } = await expectRising(party, ['inboundAudioBytes']);
    // The namespace has loopback and the lab's address, and nothing else to use.
    if (process.env.JINGLE_LAB_NETNS) expect(selectedPair?.local).toMatch(new RegExp(`^(127\\.0\\.0\\.1|${LAN_TEST_LAB.address.replace(/\./g, '\\.')}):`));
  }

  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('Alice hung up');
  for (const party of [alice, bob]) {
    await party.close();
    expect(party.errors, `uncaught errors in ${party.name}’s page`).toEqual([]);
  }
});

test('a browser that does not trust the lab\'s key refuses the LAN-mode app', async ({ browser: plain }) => {
  const context = await plain.newContext();
  const page = await context.newPage();
  await expect(page.goto(lab!.origin)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
  await context.close();
});
