// The interop inspector on the lab: both sides of a real audio+video call
// list its stanzas with their SDP, its phases and media graphs; its export
// opens in another page with the same summary; hidden addresses stay hidden.
import { readFileSync } from 'node:fs';
import { call, expect, expectRising, incoming, type Party, phase, sendRaw, test } from './parties.ts';

const inspector = (party: Party) => party.page.locator('jl-inspector');
const rows = (party: Party, action: string) => inspector(party).locator(`button.row[data-action="${action}"]`);

/** The first row of `action`, found with "Find": the list draws only the rows in view. */
async function row(party: Party, action: string) {
  await inspector(party).getByRole('searchbox').fill(action);
  return rows(party, action).first();
}

/** The phases of the timeline as drawn: name and ms. */
async function phases(party: Party): Promise<{ phase: string; at: number }[]> {
  return inspector(party).locator('[data-step]').evaluateAll((els) => els.map((e) => ({ phase: e.getAttribute('data-step')!, at: Number(e.getAttribute('data-at')) })));
}

/** What the summary says, as text: clients, features, media, timeline. */
async function summaryText(party: Party): Promise<string> {
  const summary = inspector(party).locator('jl-negotiation-summary');
  const features = await summary.locator('tr[data-feature]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-feature')}=${tr.getAttribute('data-status')}`));
  return [
    await summary.locator('[data-peer-client]').innerText(),
    features.join(','),
    ...(await summary.locator('[data-codec], [data-dtls], [data-candidates]').allInnerTexts()),
    JSON.stringify(await phases(party)),
  ].join('\n');
}

async function exportFile(party: Party): Promise<string> {
  const download = party.page.waitForEvent('download');
  await inspector(party).getByRole('button', { name: 'Export' }).click();
  return (await (await download).path())!;
}

test('both sides’ inspectors show the stanzas, their SDP, the phases and the media of an audio+video call', async ({ alice, bob, carol }) => {
  test.setTimeout(210_000);
  await call(alice, bob, 'video');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  await expectRising(alice, ['inboundVideoBytes', 'framesDecoded']);

  for (const party of [alice, bob]) {
    await party.page.locator('jl-call-screen').getByRole('button', { name: 'Inspector' }).click();
    await expect(inspector(party)).toBeVisible();
    for (const action of ['session-initiate', 'session-accept', 'transport-info']) await expect(await row(party, action)).toBeVisible();

    // Each description beside the SDP it was made from or became, with both m-sections.
    for (const action of ['session-initiate', 'session-accept']) {
      await (await row(party, action)).click();
      const sdp = inspector(party).locator('pre[data-sdp]');
      await expect(sdp).toContainText('m=audio');
      await expect(sdp).toContainText('m=video');
      await expect(inspector(party).locator('pre[data-xml]')).toContainText(`action="${action}"`);
      // Pointing at the video <content> lights its m-section.
      await inspector(party).locator('pre[data-xml] [data-content="1"]').hover();
      await expect(sdp.locator('.lit')).toContainText('m=video');
      // And from the keyboard: the focused audio <content> lights m=audio.
      await inspector(party).locator('pre[data-xml] [data-content="0"]').focus();
      await expect(sdp.locator('.lit')).toContainText('m=audio');
    }
    await (await row(party, 'transport-info')).click();
    await expect(inspector(party).locator('pre[data-sdp]')).toContainText('a=candidate:');

    // Every phase from the initiate to the first frame, in increasing time.
    await expect.poll(async () => (await phases(party)).map((p) => p.phase)).toEqual(
      expect.arrayContaining(['propose', 'proceed', 'session-initiate', 'session-accept', 'ICE connected', 'DTLS connected', 'first media in', 'first media out', 'first frame decoded']),
    );
    const times = (await phases(party)).map((p) => p.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)).toBeGreaterThan(0);

    // Sampled once a second: the graphs fill in.
    const bitrate = inspector(party).locator('jl-line-chart[data-graph="bitrate"] svg[data-points]');
    await expect.poll(async () => Number(await bitrate.getAttribute('data-points')), { message: `${party.name}'s bitrate graph has points`, timeout: 15_000 }).toBeGreaterThan(3);
    await expect(inspector(party).locator('[data-diagnosis]')).toContainText('nothing went wrong so far');
  }

  // Exported, it reads as JSON and opens in a fresh page with the same summary.
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(inspector(alice).locator('[data-diagnosis]')).toContainText('The call connected');
  const file = await exportFile(alice);
  const exported = JSON.parse(readFileSync(file, 'utf8'));
  expect(exported).toMatchObject({ format: 'jingle-lab-call/1', media: 'video', clients: { ours: { name: 'Jingle Lab' } } });
  expect(exported.stanzas.length).toBeGreaterThan(5);
  expect(exported.sdps.length).toBeGreaterThan(2);
  expect(exported.samples.length).toBeGreaterThan(3);
  const before = await summaryText(alice);

  await carol.page.locator('[data-inspector-toggle]').click();
  await inspector(carol).getByLabel('Import').setInputFiles(file);
  await expect(inspector(carol).locator('[data-inspector-status]')).toContainText('Opened');
  expect(await summaryText(carol)).toBe(before);
  await row(carol, 'session-accept');
  await expect(rows(carol, 'session-accept')).toHaveCount(1);

  // Hidden addresses are gone from the export, every one of them.
  await inspector(alice).getByLabel('Hide IP addresses').check();
  const hidden = readFileSync(await exportFile(alice), 'utf8');
  const addresses = (hidden.match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []).filter((a) => a !== '0.0.0.0');
  expect(addresses).toEqual([]);
  expect(hidden).toContain('IPv4-1');
  expect(readFileSync(file, 'utf8')).toMatch(/127\.0\.0\.1/);
});

test('“Send a stanza” refuses what is not one stanza, and shows the answer to one that is', async ({ alice }) => {
  await sendRaw(alice, `<iq type='get' to='localhost'/><iq type='get' to='localhost'/>`);
  const form = alice.page.getByRole('form', { name: 'Send a stanza' });
  await expect(form.locator('[data-probe="refused"]')).toContainText('more than one element');
  await sendRaw(alice, `<iq type='get' to='localhost'><query xmlns='jabber:iq:version'/></iq>`);
  await expect(form.locator('[data-probe="answered"]')).toBeVisible();
  await expect(form.locator('pre[data-reply]')).toContainText('<name>');
  await sendRaw(alice, `<iq type='get' to='localhost'><nonsense xmlns='urn:x-unknown'/></iq>`);
  await expect(form.locator('[data-probe="failed"]')).toContainText('Answered with an error');
  await expect(alice.page.locator('[data-inspector-toggle]')).toBeVisible();
});

test('a report of 10,000 stanzas opens, and its list draws only the rows in view', async ({ alice }) => {
  const stanzas = Array.from({ length: 10_000 }, (_, i) => ({
    at: i * 5, direction: i % 2 ? 'in' : 'out',
    xml: `<iq xmlns="jabber:client" type="set" id="t${i}" to="bob@localhost/x"><jingle xmlns="urn:xmpp:jingle:1" action="transport-info" sid="flood"/></iq>`,
  }));
  const report = {
    format: 'jingle-lab-call/1', sid: 'flood', self: 'alice@localhost/tab', peer: 'bob@localhost/x', direction: 'outgoing', media: 'audio', startedAt: Date.now(),
    stanzas, sdps: [], timeline: [], samples: [], clients: { ours: { name: 'Jingle Lab', source: 'self' } }, features: { ours: [] },
  };
  await alice.page.locator('[data-inspector-toggle]').click();
  await inspector(alice).getByLabel('Import').setInputFiles({ name: 'flood.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(report)) });
  const list = inspector(alice).getByRole('list', { name: 'Stanzas of this call' });
  await expect(list).toHaveAttribute('data-count', '10000');
  expect(await list.locator('button.row').count()).toBeLessThan(40);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await expect(list.locator('button.row').last()).toContainText('49995 ms');
  await list.locator('button.row').last().click();
  await expect(inspector(alice).locator('pre[data-xml]')).toContainText('id="t9999"');
});
