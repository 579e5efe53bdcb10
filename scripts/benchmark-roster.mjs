// The roster part of the benchmark: a big roster, and a crowd of its devices
// coming online within a second, each with its own XEP-0115 hash. Measures in
// the owner's page how soon the list shows, the longest main-thread task, and
// how the disco#info queries went out.
//   node scripts/benchmark-roster.mjs [--sizes 100,1000,5000] [--online 200]
// Each size has its own owner (rs<N>@localhost) and devices, written into the
// running Prosody's storage: Prosody keeps a roster it loaded, so rewriting an
// account that was online (bob during the call benchmark) would not be seen.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { client, xml } from '@xmpp/client';
import { loopbackOnly, startLab } from './lab-run.mjs';
import { DOMAIN, loginLink } from './prosody.mjs';
import { writeAccount, writeRoster } from './prosody-store.mjs';

const LAB = { dir: '.bench-roster-lab', c2sPort: 36222, httpPort: 36280, appPort: 36173 };
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const NS_CAPS = 'http://jabber.org/protocol/caps';
const DEVICE_NODE = 'urn:x-jingle-lab:bench-device';
const SIZE_DEADLINE_MS = 90_000;
/** What a device says it can do (a Jingle client), plus one feature of its own so that each hash differs. */
const DEVICE_FEATURES = [NS_DISCO_INFO, NS_CAPS, 'urn:xmpp:jingle:1', 'urn:xmpp:jingle:apps:rtp:1', 'urn:xmpp:jingle:apps:rtp:audio',
  'urn:xmpp:jingle:apps:rtp:video', 'urn:xmpp:jingle:transports:ice-udp:1', 'urn:xmpp:jingle:apps:dtls:0', 'urn:xmpp:jingle-message:0'];
const IDENTITY = { category: 'client', type: 'pc', name: 'Roster bench device' };

/** XEP-0115 §5.1 for one identity and no data form. */
function capsVer(features) {
  const text = `${IDENTITY.category}/${IDENTITY.type}//${IDENTITY.name}<${[...new Set(features)].sort().map((f) => `${f}<`).join('')}`;
  return createHash('sha1').update(text).digest('base64');
}

/** In the page before the app: long tasks, the first contact row on screen, and disco#info on the WebSocket. */
function instrument() {
  const bench = { longTasks: [], loginAt: undefined, rosterAt: undefined, rowAt: undefined, queries: [] };
  globalThis.rosterBench = bench;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  const attr = (text, name) => new RegExp(`\\s${name}=["']([^"']*)["']`).exec(text)?.[1];
  const open = new Map();
  const Native = globalThis.WebSocket;
  globalThis.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      // Vite's own socket is not the login.
      if (!String(args[0]).includes('/xmpp-websocket')) return;
      bench.loginAt ??= performance.now();
      this.addEventListener('message', (event) => {
        if (typeof event.data !== 'string' || !event.data.startsWith('<iq')) return;
        if (bench.rosterAt === undefined && event.data.includes('jabber:iq:roster') && /type=["']result/.test(event.data)) bench.rosterAt = performance.now();
        const query = open.get(attr(event.data, 'id'));
        if (!query) return;
        open.delete(query.id);
        query.answeredAt = performance.now();
      });
    }
    send(data) {
      // Only device queries: a full JID, not the server's or a bare one.
      if (typeof data === 'string' && data.startsWith('<iq') && data.includes(`"http://jabber.org/protocol/disco#info"`) && /type=["']get/.test(data)) {
        const to = attr(data, 'to');
        if (to?.includes('/')) {
          const query = { id: attr(data, 'id'), to, sentAt: performance.now() };
          open.set(query.id, query);
          bench.queries.push(query);
        }
      }
      super.send(data);
    }
  };
  const look = () => {
    const row = document.querySelector('jl-app')?.shadowRoot?.querySelector('jl-contact-list')?.shadowRoot?.querySelector('li[data-jid]');
    if (row && row.getBoundingClientRect().height > 0) bench.rowAt = performance.now();
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
}

/** A device of the roster: logged in, not yet available, answering disco#info for its hash. */
async function device(c2sPort, user, features) {
  const ver = capsVer(features);
  const xmpp = client({ service: `xmpp://127.0.0.1:${c2sPort}`, domain: DOMAIN, username: user, password: user, resource: 'bench' });
  xmpp.on('error', () => undefined);
  xmpp.iqCallee.get(NS_DISCO_INFO, 'query', (ctx) => {
    const node = ctx.element.attrs.node;
    return xml('query', { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) },
      xml('identity', IDENTITY), ...features.map((f) => xml('feature', { var: f })));
  });
  try {
    await xmpp.start();
  } catch (err) {
    await xmpp.stop().catch(() => undefined);
    throw new Error(`${user} could not log in: ${err.message}`);
  }
  return {
    jid: `${user}@${DOMAIN}/bench`,
    online: () => xmpp.send(xml('presence', {}, xml('c', { xmlns: NS_CAPS, hash: 'sha-1', node: DEVICE_NODE, ver }))),
    stop: () => xmpp.stop().catch(() => undefined),
  };
}

/** In batches, so that Prosody is not handed hundreds of logins at once. */
async function inBatches(items, size, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

/** The owner's roster of `contacts`, `online` of them real accounts spread through it, in Prosody's storage. */
async function prepareRoster(labDir, contacts, online) {
  const owner = `rs${contacts}`;
  const step = contacts / online;
  const items = [];
  const devices = [];
  for (let k = 0; k < contacts; k++) {
    const label = String(k).padStart(5, '0');
    const isDevice = devices.length < online && k >= devices.length * step;
    const user = isDevice ? `${owner}d${label}` : `${owner}c${label}`;
    if (isDevice) devices.push(user);
    items.push({ jid: `${user}@${DOMAIN}`, name: `Person ${label}` });
  }
  await writeAccount(labDir, owner, owner);
  await writeRoster(labDir, owner, items);
  await inBatches(devices, 50, async (user) => {
    await writeAccount(labDir, user, user, { iterations: 1 });
    await writeRoster(labDir, user, [{ jid: `${owner}@${DOMAIN}`, name: 'Owner' }]);
  });
  return { owner, devices };
}

async function oneSize({ browser, origin, labDir, c2sPort, contacts, online }) {
  const deadline = Date.now() + SIZE_DEADLINE_MS;
  const { owner, devices: users } = await prepareRoster(labDir, contacts, online);
  /** Every client that logged in, so that all are stopped whatever fails. */
  const devices = [];
  let context;
  try {
    await inBatches(users, 25, async (user, i) => devices.push(await device(c2sPort, user, [...DEVICE_FEATURES, `urn:x-jingle-lab:bench:${user}:${i}`])));
    context = await browser.newContext({ permissions: ['camera', 'microphone'] });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    await page.goto(loginLink(origin, { user: owner, password: owner }));
    await page.waitForFunction(() => globalThis.rosterBench?.rowAt !== undefined, undefined, { timeout: deadline - Date.now(), polling: 20 });
    // The crowd comes online, spread over one second.
    const spread = 1000 / devices.length;
    const sent = devices.map((d, i) => new Promise((r) => setTimeout(r, i * spread)).then(d.online));
    const onlineFrom = await page.evaluate(() => performance.now());
    await Promise.all(sent);
    const jids = devices.map((d) => d.jid);
    let allKnown = true;
    await page.waitForFunction((all) => all.every((jid) => globalThis.jingleLab.supportsJmi(jid) !== undefined), jids,
      { timeout: Math.max(1000, deadline - Date.now()), polling: 50 }).catch(() => (allKnown = false));
    const knownAt = await page.evaluate(() => performance.now());
    const capsKnown = await page.evaluate((all) => all.filter((jid) => globalThis.jingleLab.supportsJmi(jid) !== undefined).length, jids);
    // A long task is reported once it ends: let the last ones in.
    await page.waitForTimeout(300);
    const bench = await page.evaluate(() => globalThis.rosterBench);
    // Without allKnown, capsKnownMs is when the benchmark gave up waiting.
    return { contacts, online: devices.length, allKnown, capsKnown, ...figures(bench, onlineFrom, knownAt) };
  } finally {
    await context?.close();
    await Promise.all(devices.map((d) => d.stop()));
  }
}

function figures(bench, onlineFrom, knownAt) {
  const inWindow = bench.longTasks.filter((t) => t.start >= bench.loginAt && t.start <= knownAt);
  const answered = bench.queries.filter((q) => q.answeredAt !== undefined);
  const events = bench.queries.flatMap((q) => [[q.sentAt, 1], ...(q.answeredAt === undefined ? [] : [[q.answeredAt, -1]])]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inFlight = 0;
  let maxInFlight = 0;
  for (const [, delta] of events) maxInFlight = Math.max(maxInFlight, (inFlight += delta));
  const round = (ms) => (ms === undefined ? undefined : Math.round(ms));
  return {
    listShownMs: round(bench.rowAt - bench.loginAt),
    listShownFromNavigationMs: round(bench.rowAt),
    listShownFromRosterMs: round(bench.rowAt - bench.rosterAt),
    longestTaskMs: round(Math.max(0, ...inWindow.map((t) => t.duration))),
    longTasksAt: inWindow.map((t) => `${round(t.duration)} ms at ${round(t.start - bench.loginAt)}`),
    rosterAtMs: round(bench.rosterAt - bench.loginAt),
    onlineFromMs: round(onlineFrom - bench.loginAt),
    longTasks: inWindow.length,
    blockedMs: round(inWindow.reduce((sum, t) => sum + t.duration - 50, 0)),
    capsKnownMs: round(knownAt - onlineFrom),
    lastAnswerMs: round(Math.max(0, ...answered.map((q) => q.answeredAt)) - onlineFrom),
    discoQueries: bench.queries.length,
    devicesAsked: new Set(bench.queries.map((q) => q.to)).size,
    discoMaxInFlight: maxInFlight,
  };
}

const COLUMNS = [
  ['contacts', 'contacts'], ['online', 'devices'], ['listShownMs', 'list shown (ms after login)'], ['listShownFromRosterMs', 'of which after the roster came'], ['longestTaskMs', 'longest task (ms)'],
  ['longTasks', 'tasks > 50 ms'], ['blockedMs', 'blocked (ms over 50)'], ['capsKnownMs', 'all caps known (ms)'], ['discoQueries', 'disco#info sent'],
  ['devicesAsked', 'devices asked'], ['discoMaxInFlight', 'most in flight'],
];

const cell = (r, key) => (key === 'capsKnownMs' && !r.allKnown ? `> ${r.capsKnownMs} (${r.capsKnown} known)` : String(r[key] ?? '—'));

export function rosterTable(results) {
  const rows = [COLUMNS.map(([, label]) => label), ...results.map((r) => COLUMNS.map(([key]) => cell(r, key)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padStart(widths[i])).join('  ')).join('\n');
}

/**
 * Runs each roster size against a running lab (its Prosody's directory and
 * client port, the app's origin and a Chromium); resolves with one set of
 * figures per size.
 */
export async function rosterScale({ browser, origin, labDir, c2sPort, sizes = [100, 1000, 5000], online = 200, log = console.log }) {
  const results = [];
  for (const contacts of sizes) {
    log(`Roster of ${contacts}, ${Math.min(online, contacts)} devices coming online…`);
    results.push(await oneSize({ browser, origin, labDir, c2sPort, contacts, online: Math.min(online, contacts) }));
  }
  return { sizes: results };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loopbackOnly();
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const sizes = arg('--sizes', '100,1000,5000').split(',').map(Number);
  const online = Number(arg('--online', '200'));
  const running = await startLab(LAB);
  try {
    // Vite transforms the app on its first load: not part of any figure.
    const warm = await running.browser.newPage();
    await warm.goto(running.origin);
    await warm.getByRole('button', { name: /log in/i }).waitFor({ timeout: 30_000 });
    await warm.close();
    const results = await rosterScale({ browser: running.browser, origin: running.origin, labDir: LAB.dir, c2sPort: LAB.c2sPort, sizes, online });
    console.log(`\nRoster scale, Chromium ${running.browser.version()}\n${rosterTable(results.sizes)}`);
    const out = join(fileURLToPath(new URL('..', import.meta.url)), 'bench-results');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'roster-scale.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results));
  } finally {
    await running.stop();
  }
}
