// When a peer connection reached each step on the way to media: for the call
// timeline and the benchmark (ICE, DTLS, first packets, first frame).
import { summariseStats } from './stats.ts';

export type Milestone = 'ice-connected' | 'ice-failed' | 'dtls-connected' | 'first-media-out' | 'first-audio-in' | 'first-video-in' | 'first-frame-decoded';

/**
 * The first media in, from events rather than getStats(), whose report
 * Chromium caches for 50 ms (a poll every 5 ms sees new figures only every
 * 50): a remote track is muted until its first packet comes (WebRTC 1.0,
 * the receiver's track), and a frame is on show when a video element
 * playing the track calls back (requestVideoFrameCallback). The element is
 * never in the page, and lets go of the track after that first frame.
 */
function watchFirstMedia(pc: RTCPeerConnection, mark: (m: Milestone) => void): () => void {
  const elements: HTMLVideoElement[] = [];
  const watch = (track: MediaStreamTrack) => {
    const packet = () => mark(track.kind === 'audio' ? 'first-audio-in' : 'first-video-in');
    if (!track.muted) packet();
    else track.addEventListener('unmute', packet, { once: true });
    if (track.kind !== 'video' || typeof document === 'undefined' || !('requestVideoFrameCallback' in HTMLVideoElement.prototype)) return;
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([track]);
    video.requestVideoFrameCallback(() => {
      mark('first-frame-decoded');
      video.srcObject = null;
    });
    video.play().catch(() => undefined);
    elements.push(video);
  };
  const onTrack = (event: RTCTrackEvent) => watch(event.track);
  pc.addEventListener('track', onTrack);
  return () => {
    pc.removeEventListener('track', onTrack);
    for (const video of elements) video.srcObject = null;
  };
}

/**
 * How often getStats() is read until the first media has arrived: for the
 * first media out, which has no event, and for a browser without the events
 * above. Reading starts only once ICE has connected: before that no packet
 * can come, and a getStats() every few ms would queue behind (and hold up)
 * the negotiation on WebRTC's own threads, while a call rings for as long
 * as it rings.
 */
const POLL_MS = 5;
/** After ICE connected, how long to look for the first media. */
const GIVE_UP_MS = 30_000;

export function watchMilestones(pc: RTCPeerConnection, expectVideo: () => boolean, report: (milestone: Milestone) => void): () => void {
  const seen = new Set<Milestone>();
  const mark = (m: Milestone) => {
    if (seen.has(m)) return;
    seen.add(m);
    report(m);
  };
  const onIce = () => {
    if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') {
      mark('ice-connected');
      startPolling();
    }
    if (pc.iceConnectionState === 'failed') mark('ice-failed');
  };
  const onConnection = () => {
    // connectionState is 'connected' once ICE and DTLS both are.
    if (pc.connectionState === 'connected') mark('dtls-connected');
  };
  pc.addEventListener('iceconnectionstatechange', onIce);
  pc.addEventListener('connectionstatechange', onConnection);
  const stopEvents = watchFirstMedia(pc, mark);

  let started: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const startPolling = () => {
    if (started !== undefined || stopped) return;
    started = Date.now();
    void poll();
  };
  const poll = async () => {
    if (stopped || pc.signalingState === 'closed') return;
    try {
      const stats = summariseStats(await pc.getStats());
      if (stats.outboundAudioBytes + stats.outboundVideoBytes > 0) mark('first-media-out');
      if (stats.inboundAudioBytes > 0) mark('first-audio-in');
      if (stats.inboundVideoBytes > 0) mark('first-video-in');
      if (stats.framesDecoded > 0) mark('first-frame-decoded');
    } catch {
      return;
    }
    const done = seen.has('first-media-out') && seen.has('first-audio-in') && (!expectVideo() || seen.has('first-frame-decoded'));
    if (!done && !stopped && Date.now() - (started ?? 0) < GIVE_UP_MS) timer = setTimeout(() => void poll(), POLL_MS);
  };

  return () => {
    stopped = true;
    clearTimeout(timer);
    stopEvents();
    pc.removeEventListener('iceconnectionstatechange', onIce);
    pc.removeEventListener('connectionstatechange', onConnection);
  };
}
