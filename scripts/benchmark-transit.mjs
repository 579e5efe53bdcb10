// Where a stanza's time goes between two pages that share one clock
// (performance.timeOrigin + performance.now()): the sending page (from the
// step that decided to send to the WebSocket's send()), the server and the
// wire (to the receiving page's WebSocket message event, which also waits
// for that page's main thread), and the receiving page (to the handler's
// step). Long tasks on either page are kept, so a busy page shows as such.

/** Installed in each benchmarked page before its scripts run. */
export function tapScript() {
  const now = () => performance.timeOrigin + performance.now();
  const frames = [];
  const longTasks = [];
  Object.assign(globalThis, { __benchFrames: frames, __benchLongTasks: longTasks });
  const keep = (direction, data) => {
    if (typeof data !== 'string' || !data.includes('<jingle') && !data.includes('jingle-message')) return;
    frames.push({ direction, at: now(), text: data.slice(0, 600) });
    if (frames.length > 5000) frames.splice(0, 1000);
  };
  const Native = globalThis.WebSocket;
  class TappedWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => keep('in', event.data));
    }

    send(data) {
      keep('out', data);
      super.send(data);
    }
  }
  globalThis.WebSocket = TappedWebSocket;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: performance.timeOrigin + e.startTime, duration: e.duration });
      if (longTasks.length > 5000) longTasks.splice(0, 1000);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the figures go without it.
  }
}

export const tapped = (page) => page.evaluate(() => ({ frames: globalThis.__benchFrames ?? [], longTasks: globalThis.__benchLongTasks ?? [] }));

/** The hops measured: [label, sender (c caller, e callee), step sent, frame test, step received]. */
const HOPS = [
  ['proceed', 'e', 'accept', (t) => /<proceed /.test(t), 'proceed-received'],
  ['session-initiate', 'c', 'session-initiate-sent', (t) => /action=["']session-initiate["']/.test(t), 'session-initiate-received'],
  ['session-accept', 'e', 'session-accept-sent', (t) => /action=["']session-accept["']/.test(t), 'session-accept-received'],
];

const busy = (tasks, from, to) => tasks.filter((t) => t.start < to && t.start + t.duration > from).reduce((ms, t) => ms + Math.min(to, t.start + t.duration) - Math.max(from, t.start), 0);

/**
 * Each hop of one call: `{ hop: { sendingPage, server, receivingPage, busySender, busyReceiver } }`
 * in ms, from both pages' taps and timelines.
 */
export function transit(call, taps) {
  const out = {};
  for (const [label, from, sentStep, isIt, receivedStep] of HOPS) {
    const [sender, receiver] = from === 'c' ? [taps.caller, taps.callee] : [taps.callee, taps.caller];
    const [sendLine, receiveLine] = from === 'c' ? [call.caller, call.callee] : [call.callee, call.caller];
    const sent = sendLine.find((e) => e.name === sentStep)?.at;
    const received = receiveLine.find((e) => e.name === receivedStep)?.at;
    const wireOut = sender.frames.find((f) => f.direction === 'out' && f.text.includes(call.sid) && isIt(f.text) && f.at >= (sent ?? 0) - 1)?.at;
    const wireIn = receiver.frames.find((f) => f.direction === 'in' && f.text.includes(call.sid) && isIt(f.text) && f.at >= (wireOut ?? 0))?.at;
    if ([sent, received, wireOut, wireIn].some((x) => x === undefined)) continue;
    out[label] = {
      sendingPage: wireOut - sent,
      server: wireIn - wireOut,
      receivingPage: received - wireIn,
      busySender: busy(sender.longTasks, sent, wireOut),
      busyReceiver: busy(receiver.longTasks, wireOut, received),
    };
  }
  return out;
}

export const TRANSIT_HOPS = HOPS.map(([label]) => label);
export const TRANSIT_PARTS = ['sendingPage', 'server', 'receivingPage', 'busySender', 'busyReceiver'];
