// A third party meddling with a live call, and markup where text belongs.
import { call, expect, expectRising, fullJid, incoming, notice, phase, received, sendRaw, test } from './parties.ts';

const PAYLOAD = '<img src=x onerror="window.__xss=1">';
const escaped = PAYLOAD.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

test('a third party’s terminate, transport-info and content-remove with the live sid get unknown-session; the call goes on', async ({ alice, bob, carol }) => {
  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  const sid = await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { calls(): { sid: string }[] } }).jingleLab.calls()[0]!.sid);
  const targets = [await fullJid(alice), await fullJid(bob)];
  let n = 0;
  for (const to of targets) {
    for (const body of [
      `<jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='${sid}'><reason><success/></reason></jingle>`,
      `<jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='${sid}'><content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='evil' pwd='evilevilevilevilevilevil'/></content></jingle>`,
      `<jingle xmlns='urn:xmpp:jingle:1' action='content-remove' sid='${sid}'><content creator='initiator' name='0'/></jingle>`,
    ]) {
      await sendRaw(carol, `<iq type='set' to='${to}' id='hijack-${++n}'>${body}</iq>`);
    }
  }
  await expect.poll(async () => (await received(carol)).filter((s) => /id="hijack-\d"/.test(s) && s.includes('type="error"') && s.includes('<unknown-session')).length).toBe(6);
  await expect(phase(alice)).toHaveText('Connected');
  await expect(phase(bob)).toHaveText('Connected');
  await expectRising(alice, ['inboundAudioBytes']);
  await expectRising(bob, ['inboundAudioBytes']);
  await alice.page.getByRole('button', { name: 'Hang up' }).click();
  await expect(notice(bob)).toHaveText('Alice hung up');
});

test('markup in a status text and in a reason text is shown as text', async ({ alice, bob, carol }) => {
  await sendRaw(carol, `<presence><status>${escaped}</status></presence>`);
  await expect(alice.page.locator(`li[data-jid="carol@localhost"]`)).toContainText(PAYLOAD);

  await call(alice, bob, 'audio');
  await incoming(bob).getByRole('button', { name: 'Accept' }).click();
  await expect(phase(alice)).toHaveText('Connected');
  const sid = await alice.page.evaluate(() => (globalThis as unknown as { jingleLab: { calls(): { sid: string }[] } }).jingleLab.calls()[0]!.sid);
  await sendRaw(bob, `<iq type='set' to='${await fullJid(alice)}' id='x1'><jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='${sid}'><reason><success/><text>${escaped}</text></reason></jingle></iq>`);
  await expect(notice(alice)).toContainText(PAYLOAD);
  for (const party of [alice, bob]) {
    expect(await party.page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  }
  expect(await alice.page.locator('img').count()).toBe(0);
});

test('markup in a contact’s name is shown as text, in the contact list and on the incoming call', async ({ alice, mallory }) => {
  // Alice names a new contact with markup (a roster push from her server), then allows calls from anyone.
  await sendRaw(alice, `<iq type='set' id='name-1'><query xmlns='jabber:iq:roster'><item jid='${mallory.jid}' name='${escaped}'/></query></iq>`);
  const entry = alice.page.locator(`li[data-jid="${mallory.jid}"]`);
  await expect(entry).toContainText(PAYLOAD);
  try {
    await alice.page.getByLabel('Let people outside my contacts ring me').check();
    await sendRaw(mallory, `<message to='${alice.jid}' type='chat' id='p-x'><propose xmlns='urn:xmpp:jingle-message:0' id='xss-call'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>`);
    await expect(incoming(alice)).toContainText(PAYLOAD);
    await incoming(alice).getByRole('button', { name: 'Decline' }).click();
    expect(await alice.page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await alice.page.locator('img').count()).toBe(0);
  } finally {
    await sendRaw(alice, `<iq type='set' id='name-2'><query xmlns='jabber:iq:roster'><item jid='${mallory.jid}' subscription='remove'/></query></iq>`);
    await expect(entry).toHaveCount(0);
  }
});
