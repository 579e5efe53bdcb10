// The benchmark's second anchor: two StanzaJS 12 peers (the interop suite's
// peer page, e2e/peer/) calling each other through the same Prosody with
// XEP-0353, the callee accepting at the moment the runner says so, as the
// runner clicks "Accept" in Jingle Lab. Timed on the pages' shared clock from
// that accept to inbound media on both sides (first decoded frame for video).

import { installFirstMediaWatcher } from './benchmark-first-media.mjs';

const PEER_ACCOUNTS = [
  { user: 'dave', password: 'dave' },
  { user: 'erin', password: 'erin' },
];
export const STANZA_PAIR_ACCOUNTS = PEER_ACCOUNTS;

const api = (page, fn, arg) => page.evaluate(fn, arg);

async function openPeer(browser, origin, service, account) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'], baseURL: origin });
  const page = await context.newPage();
  await page.goto('/e2e/peer/index.html');
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready', undefined, { timeout: 30_000 });
  const jid = await api(page, (o) => globalThis.peer.login(o), {
    jid: `${account.user}@localhost`, password: account.password, url: service,
    resource: 'bench', profile: 'stanza', jmi: true,
  });
  // Media milestones in the page, by the same events as Jingle Lab's own
  // (benchmark-first-media.mjs), watched from the moment the call has a peer
  // connection: its tracks are muted until their first packet, which comes
  // later. Looked for every 2 ms, only while a call is being timed.
  await api(page, installFirstMediaWatcher);
  await api(page, () => {
    const marks = new Map();
    globalThis.__benchMedia = marks;
    let timing = false;
    const tick = () => {
      const call = globalThis.peer.last();
      const pc = globalThis.peer.peerConnection();
      if (call && pc && call.phase !== 'ended') {
        const m = marks.get(call.sid) ?? { times: globalThis.__watchFirstMedia(pc) };
        marks.set(call.sid, m);
        m.done = m.times.audio !== undefined && (call.media === 'audio' || m.times.frame !== undefined);
        if (m.done) timing = false;
      }
      if (timing) setTimeout(tick, 2);
    };
    globalThis.__benchTime = () => {
      if (timing) return;
      timing = true;
      tick();
    };
  });
  return { context, page, jid };
}

async function until(what, check, deadline) {
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`StanzaJS pair: stuck waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Two StanzaJS peers logged in, ready to call each other one call at a time
 * (so that the benchmark can take their calls in turns with its others):
 * `call(media)` resolves with the call's steps on both pages as Jingle Lab's
 * timelines name them (accept → media both ways is acceptToMedia() of it).
 */
export async function openStanzaPair({ browser, origin, service, deadlineMs = 30_000 }) {
  const [caller, callee] = [await openPeer(browser, origin, service, PEER_ACCOUNTS[0]), await openPeer(browser, origin, service, PEER_ACCOUNTS[1])];
  return {
    async call(media) {
      const deadline = Date.now() + deadlineMs;
      await Promise.all([caller.page, callee.page].map((page) => api(page, () => globalThis.__benchTime())));
      const sid = await api(caller.page, ([to, m]) => globalThis.peer.call(to, m, 'jmi'), [`${PEER_ACCOUNTS[1].user}@localhost`, media]);
      await until('the call to ring', () => api(callee.page, (s) => globalThis.peer.last()?.sid === s && globalThis.peer.last()?.phase === 'incoming', sid), deadline);
      await api(callee.page, () => globalThis.peer.accept());
      const done = (page) => page.waitForFunction((s) => globalThis.__benchMedia.get(s)?.done && globalThis.__benchMedia.get(s), sid, { polling: 50, timeout: Math.max(1, deadline - Date.now()) })
        .then((h) => h.jsonValue()).catch(() => { throw new Error(`StanzaJS pair: stuck waiting for ${media} both ways`); });
      const marks = await Promise.all([done(caller.page), done(callee.page)]);
      const [callerEvents, calleeEvents] = await Promise.all([caller.page, callee.page].map((page) => api(page, () => globalThis.peer.last().events)));
      await api(caller.page, () => globalThis.peer.hangUp());
      await until('the hang-up', () => api(callee.page, () => globalThis.peer.last()?.phase === 'ended'), deadline);
      // The call as Jingle Lab's timelines name its steps, for the phases (benchmark-report.mjs PHASES).
      const timeline = (events, m) => [
        ...events,
        ...[['ice-connected', m.times.ice], ['dtls-connected', m.times.dtls], ['first-audio-in', m.times.audio], ['first-frame-decoded', m.times.frame]]
          .filter(([, at]) => at !== undefined).map(([name, at]) => ({ name, at })),
      ];
      return { media, caller: timeline(callerEvents, marks[0]), callee: timeline(calleeEvents, marks[1]) };
    },
    async close() {
      await caller.context.close();
      await callee.context.close();
    },
  };
}
