// `npm run bench`: how fast a call rings and connects, against the floor of
// Chromium's own WebRTC measured in the same run. Starts its own lab on
// loopback (in a network namespace with only `lo` when run as root).
//   npm run bench -- --calls 20
import { expect } from '@playwright/test';
import { floorRuns } from './benchmark-floor.mjs';
import { acceptToMedia, buildSize, report, summarise } from './benchmark-report.mjs';
import { rosterScale, rosterTable } from './benchmark-roster.mjs';
import { STANZA_PAIR_ACCOUNTS, openStanzaPair } from './benchmark-stanza.mjs';
import { tapped, tapScript, transit } from './benchmark-transit.mjs';
import { callButton, loopbackOnly, startLab } from './lab-run.mjs';
import { DEMO_ACCOUNTS, loginLink } from './prosody.mjs';

// Jingle Lab's pages load its production build; the StanzaJS pair's pages come from the dev server.
const LAB = { dir: '.bench-lab', c2sPort: 35222, httpPort: 35280, appPort: 35173, productionPort: 35174, extraAccounts: STANZA_PAIR_ACCOUNTS };
const CALL_DEADLINE_MS = 30_000;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('--calls', 20);
const ROSTER_SIZES = [100, 1000, 5000];

loopbackOnly();

const lab = (page, fn, arg) => page.evaluate(fn, arg);
const timelines = (page) => lab(page, () => globalThis.jingleLab.timelines());
const wireLog = (page) => lab(page, () => globalThis.jingleLab.log());
const heap = (page) => lab(page, () => performance.memory?.usedJSHeapSize ?? 0);

/**
 * Page load to a contact list whose call button works, in-page milliseconds
 * from navigation start, to within a frame: a first visit, then visits again
 * in the same browser profile (its HTTP cache and localStorage kept, as a
 * returning user's are).
 */
async function timeToContacts(running, visits) {
  const context = await running.browser.newContext({ permissions: ['camera', 'microphone'] });
  const link = loginLink(running.productionOrigin, DEMO_ACCOUNTS.find((a) => a.user === 'carol'), undefined, running.directService);
  const times = [];
  try {
    for (let i = 0; i < visits; i++) {
      const page = await context.newPage();
      await page.goto(link, { waitUntil: 'commit' });
      // Looked for in the page every frame, and timed there: Playwright's own
      // retries (after 100, 250, 500 ms…) would time its polling instead.
      const shown = await page.waitForFunction((jid) => {
        const find = (root) => {
          const row = root.querySelector(`li[data-jid="${jid}"]`);
          if (row) return row;
          for (const el of root.querySelectorAll('*')) {
            const inner = el.shadowRoot && find(el.shadowRoot);
            if (inner) return inner;
          }
          return undefined;
        };
        const button = find(document)?.querySelector('button[aria-label="Audio call"]');
        return button && !button.disabled ? performance.now() : false;
      }, 'alice@localhost', { polling: 'raf', timeout: 20_000 });
      times.push(await shown.jsonValue());
      await expect(callButton(page, 'alice@localhost', 'audio')).toBeEnabled();
      // Closing the page logs out (pagehide), as leaving the app does.
      await page.close({ runBeforeUnload: true });
    }
  } finally {
    await context.close();
  }
  return { first: times[0], again: times.slice(1) };
}

async function oneCall(alice, bob, media, n) {
  const deadline = Date.now() + CALL_DEADLINE_MS;
  const [aliceBefore, bobBefore] = [(await timelines(alice)).length, (await timelines(bob)).length];
  await callButton(alice, 'bob@localhost', media).click();
  const prompt = bob.getByRole('alertdialog', { name: 'Incoming call' });
  await prompt.getByRole('button', { name: 'Accept' }).click({ timeout: CALL_DEADLINE_MS });
  const wanted = media === 'video' ? 'first-frame-decoded' : 'first-audio-in';
  // Waited for in the pages themselves, every 50 ms: polling them from here
  // would load both the pages and this process, which serves them, while the call is set up.
  const reached = (page, before, name) => page.waitForFunction(([i, step]) => {
    const call = globalThis.jingleLab.timelines()[i];
    return call?.timeline.some((e) => e.name === step) ? call.sid : false;
  }, [before, name], { polling: 50, timeout: Math.max(1, deadline - Date.now()) }).then((handle) => handle.jsonValue())
    .catch(() => { throw new Error(`call ${n}: stuck waiting for first ${media} on both sides`); });
  const [sid, theirSid] = await Promise.all([reached(alice, aliceBefore, wanted), reached(bob, bobBefore, wanted)]);
  await alice.getByRole('button', { name: 'Hang up' }).click();
  // Both sides send <finish/> last: then every stanza of this call has gone.
  const finished = (page) => page.waitForFunction((id) => globalThis.jingleLab.log().some((e) => e.direction === 'out' && e.text.includes('<finish') && e.text.includes(id)), sid, { polling: 50, timeout: Math.max(1, deadline - Date.now()) })
    .catch(() => { throw new Error(`call ${n}: stuck waiting for the hang-up on both sides`); });
  await Promise.all([finished(alice), finished(bob)]);
  const mine = { sid };
  const theirs = { sid: theirSid };
  const [a, b] = [(await timelines(alice))[aliceBefore], (await timelines(bob))[bobBefore]];
  const hops = transit({ sid: mine.sid, caller: a.timeline, callee: b.timeline }, { caller: await tapped(alice), callee: await tapped(bob) });
  const from = a.timeline.find((e) => e.name === 'call-started').at;
  const sent = async (page) => (await wireLog(page)).filter((e) => e.direction === 'out' && e.time >= from).map((e) => stanzaKind(e.text));
  const [callerOut, calleeOut] = [await sent(alice), await sent(bob)];
  // RFC 6120 §8: stanzas are message, presence and iq; XEP-0198's <r/> and <a/> are not.
  const isStanza = (k) => /^(message|presence|iq)\b/.test(k);
  return {
    n, media, sid: mine.sid, caller: a.timeline, callee: b.timeline, theirs: theirs.sid, transit: hops,
    stanzas: { caller: callerOut.filter(isStanza), callee: calleeOut.filter(isStanza) },
    nonzas: callerOut.length + calleeOut.length - callerOut.filter(isStanza).length - calleeOut.filter(isStanza).length,
  };
}

function stanzaKind(text) {
  const name = /^<([\w:-]+)/.exec(text)?.[1] ?? 'other';
  if (name === 'iq') {
    const action = /<jingle [^>]*action="([^"]+)"/.exec(text)?.[1];
    return action ? `iq:${action}` : `iq:${/type="(\w+)"/.exec(text)?.[1] ?? '?'}`;
  }
  if (name === 'message') {
    const jmi = /<(propose|ringing|proceed|accept|reject|retract|finish) xmlns="urn:xmpp:jingle-message:0"/.exec(text)?.[1];
    if (jmi) return `message:${jmi}`;
    return text.includes('urn:xmpp:receipts') ? 'message:receipt' : 'message';
  }
  return name;
}

const running = await startLab(LAB);
const { browser } = running;
try {
  console.log(`Jingle Lab benchmark: ${CALLS} audio and ${CALLS} audio+video calls, Chromium ${browser.version()}`);
  const tap = (context) => context.addInitScript(tapScript);
  // Straight to Prosody's WebSocket: the lab's proxy runs in this process, which is busy driving the pages.
  const alice = await running.logIn('alice', tap, running.productionOrigin, running.directService);
  const bob = await running.logIn('bob', tap, running.productionOrigin, running.directService);
  await expect(callButton(alice.page, 'bob@localhost', 'video')).toBeEnabled({ timeout: 20_000 });
  const loads = await timeToContacts(running, 6);
  const heapAfterLogin = { alice: await heap(alice.page), bob: await heap(bob.page) };
  // Our calls, the floor's and the StanzaJS pair's in turns, one of each at a
  // time: what drifts over a run (a machine that warms up, a neighbour's
  // load) falls on all three alike.
  const floorContext = await browser.newContext({ permissions: ['camera', 'microphone'] });
  const floorPage = await floorContext.newPage();
  await floorPage.goto(`${running.origin}/`);
  const pair = await openStanzaPair({ browser, origin: running.origin, service: running.directService });
  const calls = [];
  const floor = { audio: [], video: [] };
  const stanzaCalls = { audio: [], video: [] };
  for (const media of ['audio', 'video']) {
    for (let n = 1; n <= CALLS; n++) {
      calls.push(await oneCall(alice.page, bob.page, media, calls.length + 1));
      floor[media].push(...(await floorRuns(floorPage, media, 1)));
      stanzaCalls[media].push(await pair.call(media));
      process.stdout.write(`\r${media} call ${n}/${CALLS} (ours, the floor's, the StanzaJS pair's)   `);
    }
  }
  await pair.close();
  await floorContext.close();
  // The recorder's cost: audio calls with and without it, in turns, so drift falls on both alike.
  const recordingCost = { on: [], off: [] };
  const record = (on) => Promise.all([alice.page, bob.page].map((p) => lab(p, (v) => globalThis.jingleLab.record(v), on)));
  for (let n = 0; n < CALLS; n++) {
    for (const on of n % 2 ? [true, false] : [false, true]) {
      await record(on);
      recordingCost[on ? 'on' : 'off'].push(acceptToMedia(await oneCall(alice.page, bob.page, 'audio', calls.length + 1 + n)));
    }
    process.stdout.write(`\rrecording on/off ${n + 1}/${CALLS}   `);
  }
  await record(true);
  const heapAfterCalls = { alice: await heap(alice.page), bob: await heap(bob.page) };
  process.stdout.write('\n');
  // Our pages leave first: the roster part measures one page alone.
  await alice.context.close();
  await bob.context.close();
  const roster = await rosterScale({ browser, origin: running.productionOrigin, labDir: LAB.dir, c2sPort: LAB.c2sPort, sizes: ROSTER_SIZES });
  console.log(rosterTable(roster.sizes));
  const size = await buildSize(running.productionDir);
  const results = summarise({ calls, floor, stanzaCalls, roster, loads, heapAfterLogin, heapAfterCalls, size, chromium: browser.version(), callsPerKind: CALLS, recordingCost });
  await report(results);
} finally {
  await running.stop();
}
