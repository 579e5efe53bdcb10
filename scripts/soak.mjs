// `npm run soak`: 50 calls in a row between two tabs, and what each page holds
// after every 10: heap after a garbage collection, open peer connections, live
// camera and microphone tracks, event listeners and DOM nodes. They must stay
// flat. Runs its own lab on loopback, like the benchmark.
//   npm run soak -- --calls 50
import { mkdir, writeFile } from 'node:fs/promises';
import { expect } from '@playwright/test';
import { callButton, loopbackOnly, startLab, waitFor } from './lab-run.mjs';

const LAB = { dir: '.soak-lab', c2sPort: 45222, httpPort: 45280, appPort: 45173 };
const CALL_DEADLINE_MS = 30_000;
const i = process.argv.indexOf('--calls');
const CALLS = i > 0 ? Number(process.argv[i + 1]) : 50;
const EVERY = 10;
/**
 * What may grow between the sample after 20 calls and the last: the app keeps
 * the last 500 stanzas and 100 calls, which fill during the first 20 calls.
 */
const SLACK = { heapMB: (mb) => mb * 0.25 + 2, listeners: (n) => n * 0.1 + 10 };

loopbackOnly();

/** Counts, in the page, the peer connections not closed and the device tracks still live. */
function countMediaObjects() {
  const peers = [];
  const tracks = [];
  const Native = globalThis.RTCPeerConnection;
  globalThis.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      peers.push(new WeakRef(this));
    }
  };
  const devices = navigator.mediaDevices;
  const getUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints);
    for (const track of stream.getTracks()) tracks.push(new WeakRef(track));
    return stream;
  };
  globalThis.soakCounts = () => ({
    peerConnections: peers.map((r) => r.deref()).filter((pc) => pc && pc.signalingState !== 'closed').length,
    liveTracks: tracks.map((r) => r.deref()).filter((t) => t && t.readyState === 'live').length,
  });
}

async function sample(party) {
  await party.cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await party.cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const counts = await party.page.evaluate(() => globalThis.soakCounts());
  return { heapMB: +(metric('JSHeapUsedSize') / 2 ** 20).toFixed(2), ...counts, listeners: metric('JSEventListeners'), nodes: metric('Nodes') };
}

const inbound = (page) => page.evaluate(async () => (await globalThis.jingleLab.stats())?.inboundAudioBytes ?? 0);
const openCalls = (page) => page.evaluate(() => globalThis.jingleLab.calls().length);

async function oneCall(alice, bob, n) {
  const deadline = Date.now() + CALL_DEADLINE_MS;
  const media = n % 2 ? 'audio' : 'video';
  await callButton(alice.page, 'bob@localhost', media).click();
  await bob.page.getByRole('alertdialog', { name: 'Incoming call' }).getByRole('button', { name: 'Accept' }).click({ timeout: CALL_DEADLINE_MS });
  // Media works when inbound bytes are above zero and rising, on both sides.
  for (const party of [alice, bob]) {
    const first = await waitFor(`call ${n}: audio into ${party.name}`, () => inbound(party.page), deadline);
    await waitFor(`call ${n}: audio into ${party.name} rising`, async () => (await inbound(party.page)) > first, deadline);
  }
  const hanger = n % 3 ? alice : bob;
  await hanger.page.getByRole('button', { name: 'Hang up' }).click();
  await waitFor(`call ${n}: ended on both sides`, async () => (await openCalls(alice.page)) === 0 && (await openCalls(bob.page)) === 0, deadline);
}

function table(rows) {
  const head = '| after | page | heap MB | peer connections | live tracks | listeners | nodes |\n|---|---|---|---|---|---|---|';
  const lines = rows.flatMap((r) => ['alice', 'bob'].map((who) => `| ${r.label} | ${who} | ${r[who].heapMB} | ${r[who].peerConnections} | ${r[who].liveTracks} | ${r[who].listeners} | ${r[who].nodes} |`));
  return [head, ...lines].join('\n');
}

function verdicts(rows) {
  const problems = [];
  const last = rows.at(-1);
  const reference = rows.find((r) => r.calls === 20) ?? rows[1];
  for (const who of ['alice', 'bob']) {
    if (last[who].peerConnections) problems.push(`${who}: ${last[who].peerConnections} peer connection(s) still open after the last call`);
    if (last[who].liveTracks) problems.push(`${who}: ${last[who].liveTracks} device track(s) still live after the last call`);
    if (!reference || reference === last) continue;
    const grew = (key) => last[who][key] - reference[who][key];
    if (grew('heapMB') > SLACK.heapMB(reference[who].heapMB)) problems.push(`${who}: heap grew ${grew('heapMB').toFixed(2)} MB from ${reference.label} to ${last.label}`);
    if (grew('listeners') > SLACK.listeners(reference[who].listeners)) problems.push(`${who}: ${grew('listeners')} more event listeners from ${reference.label} to ${last.label}`);
  }
  return problems;
}

const running = await startLab(LAB);
const started = Date.now();
let failure;
const rows = [];
try {
  console.log(`Jingle Lab soak: ${CALLS} calls in a row, Chromium ${running.browser.version()}`);
  const parties = {};
  for (const name of ['alice', 'bob']) {
    const { page } = await running.logIn(name, (context) => context.addInitScript(countMediaObjects));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    parties[name] = { name, page, cdp };
  }
  const { alice, bob } = parties;
  await expect(callButton(alice.page, 'bob@localhost', 'video')).toBeEnabled({ timeout: 20_000 });
  rows.push({ label: 'login', calls: 0, alice: await sample(alice), bob: await sample(bob) });
  for (let n = 1; n <= CALLS; n++) {
    await oneCall(alice, bob, n);
    process.stdout.write(`\rcall ${n}/${CALLS}   `);
    if (n % EVERY === 0 || n === CALLS) rows.push({ label: `${n} calls`, calls: n, alice: await sample(alice), bob: await sample(bob) });
  }
  process.stdout.write('\n');
} catch (err) {
  failure = err;
} finally {
  await running.stop();
}

const problems = failure ? [`a call failed: ${failure.message}`] : verdicts(rows);
const minutes = ((Date.now() - started) / 60000).toFixed(1);
const md = [
  `# Soak: ${CALLS} calls in a row (${minutes} min)`,
  '',
  table(rows),
  '',
  problems.length ? problems.map((p) => `- ${p}`).join('\n') : 'Flat: no peer connection or device track outlives its call; heap and listeners after the last call are within the allowed slack of those after 20 calls.',
  '',
].join('\n');
await mkdir('bench-results', { recursive: true });
await writeFile('bench-results/soak.json', JSON.stringify({ calls: CALLS, minutes: Number(minutes), rows, problems }, null, 2));
await writeFile('bench-results/soak.md', md);
console.log(md);
process.exit(problems.length ? 1 : 0);
