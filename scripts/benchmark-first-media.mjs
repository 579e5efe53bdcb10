// The first media in, timed the same way for every party of the benchmark
// (the floor, the StanzaJS pair) as Jingle Lab's own timeline does it
// (src/media/milestones.ts): a remote track's first unmute (its first
// packet) and a video element's first frame callback, not getStats(),
// whose report Chromium caches for 50 ms.

/** Run in the page: defines globalThis.__watchFirstMedia(pc) → { audio, video, frame, ice, dtls } times (performance.timeOrigin + now). */
export function installFirstMediaWatcher() {
  globalThis.__watchFirstMedia = (pc) => {
    const marks = {};
    const now = () => performance.timeOrigin + performance.now();
    const seen = new Set();
    const watch = (track) => {
      if (seen.has(track)) return;
      seen.add(track);
      const key = track.kind === 'audio' ? 'audio' : 'video';
      if (!track.muted) marks[key] ??= now();
      else track.addEventListener('unmute', () => (marks[key] ??= now()), { once: true });
      if (track.kind !== 'video') return;
      const video = document.createElement('video');
      video.muted = true;
      video.srcObject = new MediaStream([track]);
      video.requestVideoFrameCallback(() => {
        marks.frame ??= now();
        video.srcObject = null;
      });
      video.play().catch(() => undefined);
    };
    for (const receiver of pc.getReceivers()) watch(receiver.track);
    pc.addEventListener('track', (event) => watch(event.track));
    // ICE and DTLS too, for the phases of a call.
    pc.addEventListener('iceconnectionstatechange', () => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') marks.ice ??= now();
    });
    pc.addEventListener('connectionstatechange', () => {
      if (pc.connectionState === 'connected') marks.dtls ??= now();
    });
    return marks;
  };
}
