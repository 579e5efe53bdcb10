// What a page holds, for the soak: Chromium's own counters after a garbage
// collection, and the peer connections and device tracks the page has made.

/**
 * Runs in the page before the app (an init script, so it must stand alone):
 * notes every RTCPeerConnection and every getUserMedia track in a WeakRef, so
 * that counting them keeps none alive. The app's calls go through unchanged.
 */
function noteMediaObjects() {
  const peers = [];
  const tracks = [];
  const Native = globalThis.RTCPeerConnection;
  globalThis.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      peers.push(new WeakRef(this));
    }
  };
  // Only secure contexts have devices; the blank page a tab opens with may not.
  const devices = navigator.mediaDevices;
  const getUserMedia = devices?.getUserMedia.bind(devices);
  if (getUserMedia) {
    devices.getUserMedia = async (constraints) => {
      const stream = await getUserMedia(constraints);
      for (const track of stream.getTracks()) tracks.push(new WeakRef(track));
      return stream;
    };
  }
  // Forgets the collected ones, so that the probe's own arrays stay flat too.
  const alive = (refs) => {
    refs.splice(0, refs.length, ...refs.filter((r) => r.deref()));
    return refs.map((r) => r.deref());
  };
  globalThis.soakProbe = () => ({
    peerConnections: alive(peers).filter((pc) => pc.signalingState !== 'closed').length,
    liveTracks: alive(tracks).filter((t) => t.readyState === 'live').length,
    // Closed or ended but still reachable after a garbage collection: held by something.
    uncollectedPeerConnections: alive(peers).length,
    uncollectedTracks: alive(tracks).length,
  });
}

/** Prepares a browser context for probing: call before its page opens. */
export const probeContext = (context) => context.addInitScript(noteMediaObjects);

/** A CDP session on the page with Chromium's performance counters switched on. */
export async function openCounters(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  return cdp;
}

/** One sample of a page, after a forced garbage collection. */
export async function sample(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? 0;
  const { peerConnections, liveTracks, ...uncollected } = await page.evaluate(() => globalThis.soakProbe());
  // What the app keeps on purpose, bounded (src/ui/app-root.ts MAX_LOG, MAX_HISTORY): it explains early growth.
  const kept = await page.evaluate(() => ({ wireLog: globalThis.jingleLab.log().length, endedCalls: globalThis.jingleLab.timelines().length }));
  return {
    heapMB: Number((metric('JSHeapUsedSize') / 2 ** 20).toFixed(2)),
    peerConnections,
    liveTracks,
    listeners: metric('JSEventListeners'),
    nodes: metric('Nodes'),
    kept,
    uncollected,
  };
}
