// `npm run soak`: calls in a row between alice and bob, placed, answered and
// hung up through the UI, and what each page holds at the start and after
// every 10 calls: heap after a garbage collection, open peer connections, live
// camera and microphone tracks, event listeners and DOM nodes. They must stay
// flat. Runs its own lab on loopback, like the benchmark.
//   npm run soak -- --calls 50
import { expect } from '@playwright/test';
import { callButton, loopbackOnly, startLab, waitFor } from './lab-run.mjs';
import { openCounters, probeContext, sample } from './soak-probe.mjs';
import { report } from './soak-report.mjs';

const LAB = { dir: '.soak-lab', c2sPort: 45222, httpPort: 45280, appPort: 45173 };
const CALL_DEADLINE_MS = 30_000;
const EVERY = 10;
const i = process.argv.indexOf('--calls');
const CALLS = i > 0 ? Number(process.argv[i + 1]) : 50;
if (!Number.isInteger(CALLS) || CALLS < 1) {
  console.error('--calls takes a whole number of calls, 1 or more');
  process.exit(2);
}

loopbackOnly();

/**
 * Call n: audio and video alternate every call, who hangs up every second
 * call, so each four calls cover all four pairings.
 */
const plan = (n) => ({ media: n % 2 ? 'audio' : 'video', hangsUp: Math.ceil(n / 2) % 2 ? 'alice' : 'bob' });

const stats = (page) => page.evaluate(async () => (await globalThis.jingleLab.stats()) ?? null);

/** Media flows in: each counter above zero, then above where it was (as e2e/parties.ts expectRising). */
async function rising(party, counters, what, deadline) {
  const all = (s, above) => s && counters.every((c) => s[c] > (above?.[c] ?? 0));
  const first = await waitFor(`${what}: ${counters.join(', ')} into ${party.name}`, async () => {
    const s = await stats(party.page);
    return all(s) && s;
  }, deadline);
  await waitFor(`${what}: ${counters.join(', ')} into ${party.name} rising`, async () => all(await stats(party.page), first), deadline);
}

async function oneCall(parties, n) {
  const { alice, bob } = parties;
  const { media, hangsUp } = plan(n);
  const what = `call ${n} (${media}, ${hangsUp} hangs up)`;
  const deadline = Date.now() + CALL_DEADLINE_MS;
  const left = () => Math.max(deadline - Date.now(), 1);
  const button = callButton(alice.page, 'bob@localhost', media);
  await expect(button, `${what}: alice can call bob`).toBeEnabled({ timeout: left() });
  await button.click();
  const prompt = bob.page.getByRole('alertdialog', { name: 'Incoming call' });
  await expect(prompt, `${what}: bob's incoming call`).toContainText(`${media === 'video' ? 'Video' : 'Audio'} call from Alice`, { timeout: left() });
  await prompt.getByRole('button', { name: 'Accept' }).click({ timeout: left() });
  const counters = media === 'video' ? ['inboundAudioBytes', 'inboundVideoBytes', 'framesDecoded'] : ['inboundAudioBytes'];
  for (const party of [alice, bob]) await rising(party, counters, what, deadline);

  const hanger = parties[hangsUp];
  const other = hanger === alice ? bob : alice;
  await hanger.page.getByRole('button', { name: 'Hang up' }).click({ timeout: left() });
  // The call screen gives way to the call-ended screen, which says how it ended.
  for (const [party, text] of [[hanger, 'You hung up'], [other, `${hanger.displayName} hung up`]]) {
    await expect(party.page.locator('[data-notice]'), `${what}: ${party.name}'s end notice`).toHaveText(text, { timeout: left() });
    await expect(party.page.getByRole('button', { name: 'Hang up' }), `${what}: ${party.name}'s call screen gone`).toHaveCount(0, { timeout: left() });
  }
  await waitFor(`${what}: no call left in either page`, async () => {
    const open = await Promise.all([alice, bob].map((p) => p.page.evaluate(() => globalThis.jingleLab.calls().length)));
    return open.every((count) => count === 0);
  }, deadline);
  // As a person would, close the call-ended screen: both pages are back where they started.
  for (const party of [alice, bob]) {
    await party.page.getByRole('region', { name: 'Call ended' }).getByRole('button', { name: 'Close' }).click({ timeout: left() });
    await expect(party.page.locator('[data-notice]')).toHaveCount(0, { timeout: left() });
  }
  await expect(callButton(bob.page, 'alice@localhost', 'audio'), `${what}: bob can call alice again`).toBeEnabled({ timeout: left() });
  return { n, media, hangsUp, ms: CALL_DEADLINE_MS - left() };
}

const running = await startLab(LAB);
const chromium = running.browser.version();
const started = Date.now();
const rows = [];
const calls = [];
const pageErrors = { alice: [], bob: [] };
let failure;
try {
  console.log(`Jingle Lab soak: ${CALLS} calls in a row, Chromium ${chromium}`);
  const parties = {};
  for (const [name, displayName] of [['alice', 'Alice'], ['bob', 'Bob']]) {
    const { page } = await running.logIn(name, async (context) => {
      context.on('weberror', (e) => pageErrors[name].push(e.error().message));
      await probeContext(context);
    });
    parties[name] = { name, displayName, page, cdp: await openCounters(page) };
  }
  const { alice, bob } = parties;
  await expect(callButton(alice.page, 'bob@localhost', 'video')).toBeEnabled({ timeout: 20_000 });
  const sampleBoth = async (label, done) => rows.push({ label, calls: done, alice: await sample(alice.page, alice.cdp), bob: await sample(bob.page, bob.cdp) });
  await sampleBoth('baseline', 0);
  for (let n = 1; n <= CALLS; n++) {
    try {
      calls.push(await oneCall(parties, n));
    } catch (err) {
      failure = { call: n, ...plan(n), message: err.message.split('\n')[0] };
      break;
    }
    process.stdout.write(`\rcall ${n}/${CALLS}   `);
    if (n % EVERY === 0 || n === CALLS) await sampleBoth(`${n} calls`, n);
  }
  process.stdout.write('\n');
} finally {
  await running.stop();
}

const problems = await report({
  calls: CALLS,
  done: calls.length,
  minutes: Number(((Date.now() - started) / 60_000).toFixed(1)),
  chromium,
  rows,
  perCall: calls,
  failure,
  pageErrors,
});
process.exit(problems.length ? 1 : 0);
