// The inspector names where a call with another client broke: here a peer
// whose session-accept leaves `setup` off its DTLS fingerprint (XEP-0320).
import { type Browser, expect, test } from '@playwright/test';
import { contact, type Party } from '../parties.ts';
import { logIn, StanzaPeer } from './stanza-peer.ts';

test('a peer’s session-accept without setup is named as the cause in the inspector', async ({ browser }: { browser: Browser }) => {
  const lab: Party & { close(): Promise<void> } = await logIn(browser, 'alice');
  const peer = await StanzaPeer.open(browser, 'no-setup');
  try {
    await expect.poll(() => lab.page.evaluate((full) => (globalThis as unknown as { jingleLab: { supportsJmi(jid: string): boolean | undefined } }).jingleLab.supportsJmi(full), peer.fullJid), { message: 'Jingle Lab knows the peer’s capabilities' }).toBe(true);
    await contact(lab, 'bob@localhost').getByRole('button', { name: 'Audio call', exact: true }).click();
    await expect.poll(async () => (await peer.last())?.phase, { message: 'the peer rings' }).toBe('incoming');
    await peer.accept();

    await lab.page.locator('[data-inspector-toggle]').click();
    const inspector = lab.page.locator('jl-inspector');
    await inspector.getByRole('searchbox').fill('session-accept');
    await expect(inspector.locator('button.row[data-action="session-accept"][data-direction="in"]')).toBeVisible();
    const diagnosis = inspector.locator('[data-diagnosis] [data-rule="accept-without-setup"]');
    await expect(diagnosis).toContainText('session-accept carried no `setup` attribute');
    // The report for the peer's developers names the failing stanza.
    await lab.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await inspector.getByRole('button', { name: 'Copy report' }).click();
    const report = await lab.page.evaluate(() => navigator.clipboard.readText());
    expect(report).toContain('setup');
    expect(report).toContain('session-accept');
    // Whether the call connected with the roles Chromium guessed or failed, it ends here.
    const hangUp = lab.page.getByRole('button', { name: /^(Hang up|Cancel)$/ });
    if (await hangUp.count()) await hangUp.click();
  } finally {
    await peer.logOut();
    await lab.close();
  }
  expect(lab.errors, 'uncaught errors in Jingle Lab’s page').toEqual([]);
});
