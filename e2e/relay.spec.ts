// STUN/TURN from the server (XEP-0215): the test lab's Prosody hands out
// credentials for its coturn; "Always relay calls" makes both sides use it.
import { TEST_LAB } from './lab-ports.ts';
import { call, contact, expect, expectRising, incoming, notice, phase, stats, test, type Party } from './parties.ts';

const relayOnly = (party: Party) => party.page.getByRole('checkbox', { name: 'Always relay calls (hides your IP address)' });
const path = (party: Party) => party.page.locator('[data-path]');
const iceServers = (party: Party) => party.page.locator('[data-ice-servers]');

test('with “Always relay calls” on both sides, media goes through the lab’s TURN server, and the call says so', async ({ alice, bob }) => {
  await relayOnly(alice).check();
  await relayOnly(bob).check();
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');

  for (const party of [alice, bob]) {
    await expectRising(party, ['inboundAudioBytes']);
    const pair = (await stats(party)).selectedPair;
    // Chromium allocates over UDP and TCP (the server offers both) and may pick either.
    expect(pair, `${party.name}'s selected candidate pair`).toMatchObject({ localType: 'relay', remoteType: 'relay', relayProtocol: expect.stringMatching(/^(udp|tcp)$/) });
    expect(pair?.relayServer).toContain(`:${TEST_LAB.turnPort}`);
    await expect(path(party)).toHaveText(new RegExp(`^Relayed through 127\\.0\\.0\\.1:${TEST_LAB.turnPort} \\(TURN over (UDP|TCP)\\), relay address 127\\.0\\.0\\.1:\\d+$`));
    await expect(iceServers(party)).toHaveText('From your server (XEP-0215): 1 STUN and 2 TURN servers.');
  }
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('Alice hung up');
  // The setting stays for the next visit.
  expect(await alice.page.evaluate(() => localStorage.getItem('jinglelab.relayOnly'))).toBe('1');
});

test('without TURN on the server, “Always relay calls” says why the call cannot start; without the setting the call goes without a relay of its own and says so', async ({ alice, dave }) => {
  await relayOnly(dave).check();
  const address = dave.page.getByRole('form', { name: 'Call an address' });
  await address.getByLabel('Call an address').fill(alice.jid);
  await address.getByRole('button', { name: 'Audio call' }).click();
  await expect(notice(dave)).toHaveText(/^The call cannot start: “Always relay calls” is on, but your server offers no TURN relay \(XEP-0215\)\./);
  await expect(phase(dave)).toHaveCount(0);
  const proposals = await dave.page.evaluate(() => (globalThis as unknown as { jingleLab: { log(): { text: string }[] } }).jingleLab.log().filter((e) => e.text.includes('<propose')).length);
  expect(proposals, 'no proposal left dave’s device').toBe(0);

  await relayOnly(dave).uncheck();
  await alice.page.getByRole('checkbox', { name: 'Let people outside my contacts ring me' }).check();
  await address.getByRole('button', { name: 'Audio call' }).click();
  await incoming(alice).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(dave)).toHaveText('Connected');
  await expectRising(dave, ['inboundAudioBytes']);
  await expectRising(alice, ['inboundAudioBytes']);
  await expect(iceServers(dave)).toHaveText('Your server offers no STUN/TURN (XEP-0215): host and peer-reflexive candidates only.');
  // Dave has no relay of his own; Alice's server gave her one, which ICE may pick.
  await expect(path(dave)).toHaveText(/^(Direct connection \((host|prflx) ↔ (host|prflx|srflx)\)|Through 127\.0\.0\.1:\d+, the other side’s relay)$/);
  expect((await stats(dave)).selectedPair?.localType).toMatch(/^(host|prflx)$/);
  await dave.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(alice)).toHaveText(/hung up$/);
  await expect(contact(alice, 'bob@localhost')).toBeVisible();
});
