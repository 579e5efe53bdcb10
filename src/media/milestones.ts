// When a peer connection reached each step on the way to media: for the call
// timeline and the benchmark (ICE, DTLS, first packets, first frame).
import { summariseStats } from './stats.ts';

export type Milestone = 'ice-connected' | 'ice-failed' | 'dtls-connected' | 'first-media-out' | 'first-audio-in' | 'first-video-in' | 'first-frame-decoded';

/** How often getStats() is read until the first media has arrived. */
const POLL_MS = 10;
const GIVE_UP_MS = 30_000;

export function watchMilestones(pc: RTCPeerConnection, expectVideo: () => boolean, report: (milestone: Milestone) => void): () => void {
  const seen = new Set<Milestone>();
  const mark = (m: Milestone) => {
    if (seen.has(m)) return;
    seen.add(m);
    report(m);
  };
  const onIce = () => {
    if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') mark('ice-connected');
    if (pc.iceConnectionState === 'failed') mark('ice-failed');
  };
  const onConnection = () => {
    // connectionState is 'connected' once ICE and DTLS both are.
    if (pc.connectionState === 'connected') mark('dtls-connected');
  };
  pc.addEventListener('iceconnectionstatechange', onIce);
  pc.addEventListener('connectionstatechange', onConnection);

  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
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
    if (!done && !stopped && Date.now() - started < GIVE_UP_MS) timer = setTimeout(() => void poll(), POLL_MS);
  };
  void poll();

  return () => {
    stopped = true;
    clearTimeout(timer);
    pc.removeEventListener('iceconnectionstatechange', onIce);
    pc.removeEventListener('connectionstatechange', onConnection);
  };
}
