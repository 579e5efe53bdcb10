// The WebRTC side of a call: the one module that imports simple-peer.
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { offeredVideoCodecs } from './codecs.ts';
import { type Milestone, watchMilestones } from './milestones.ts';
import { summariseStats, type MediaStats } from './stats.ts';
import { type TrackFigures, trackFigures } from './track-figures.ts';

export type LocalSignal =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit }
  /** Candidate gathering finished: the local description now holds every candidate. */
  | { type: 'gathered' };
export type RemoteSignal = { type: 'offer' | 'answer'; sdp: string } | { type: 'candidate'; candidate: RTCIceCandidateInit };
export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface MediaPeerOptions {
  initiator: boolean;
  /**
   * Our devices. A responder may be given them still opening (a promise): the
   * peer's offer is then applied meanwhile, and the answer, made once they
   * are open, sends their tracks on the m-lines the offer made (JSEP §5.10).
   */
  stream: MediaStream | Promise<MediaStream>;
  /**
   * With devices still opening: the kinds of track they will give, known
   * ahead (devices.ts foreseeTracks). The answer then goes at once, sending
   * on an m-line of each kind, and each track is put on its sender as the
   * devices open (replaceTrack, no renegotiation): the connection comes up
   * while they open. A kind foreseen and not given sends nothing.
   */
  sends?: readonly ('audio' | 'video')[];
  iceServers?: RTCIceServer[];
  /** 'relay' gathers relayed candidates only (RTCConfiguration.iceTransportPolicy). */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Our offer receives video though we send none (a video call without a camera). */
  receiveVideo?: boolean;
}

export interface MediaPeerEvents {
  signal: (signal: LocalSignal) => void;
  remoteStream: (stream: MediaStream) => void;
  state: (state: PeerState) => void;
  error: (error: Error) => void;
  milestone: (milestone: Milestone) => void;
  /** Offer and answer are both applied (signalingState 'stable'). */
  stable: () => void;
  /** A description or candidate our RTCPeerConnection made (local) or was given (remote): for the inspector. */
  sdp: (entry: SdpEntry) => void;
}

export interface SdpEntry {
  side: 'local' | 'remote';
  type: 'offer' | 'answer' | 'candidate';
  sdp: string;
}

export interface MediaPeer {
  signal(signal: RemoteSignal): void;
  on<K extends keyof MediaPeerEvents>(event: K, listener: MediaPeerEvents[K]): void;
  getStats(): Promise<MediaStats>;
  /** Per track: bitrate since the last call, loss, jitter, round-trip time (the inspector's graphs). */
  trackFigures?(): Promise<TrackFigures[]>;
  /**
   * Restarts ICE: a new local offer with new credentials, emitted as a signal.
   * Done on the RTCPeerConnection itself, since simple-peer's responder cannot
   * offer (DESIGN.md); its answer comes back through signal().
   */
  restartIce(): Promise<void>;
  /**
   * Mid-call renegotiation (XEP-0166 content-add), also done on the
   * RTCPeerConnection itself. Adds `track` (our camera) in the stream of our
   * other tracks and makes a new local offer; resolves with it. With
   * `gatherMs`, waits up to that long for its candidates (inline style).
   */
  offerTrack(track: MediaStreamTrack, options?: { gatherMs?: number }): Promise<string>;
  /**
   * Takes the peer's new offer and answers it; `track` is sent on the new
   * m-line of its kind. A pending offer of ours is rolled back first: it lost
   * a tie-break (XEP-0166 §8). Resolves with our answer.
   */
  answerOffer(sdp: string, options?: { track?: MediaStreamTrack | undefined; gatherMs?: number }): Promise<string>;
  /** The peer's answer to our offerTrack(). */
  acceptAnswer(sdp: string): Promise<void>;
  /**
   * Drops our pending offer: the descriptions before it stay, and the m-line it
   * added goes, unless `keepAdded`: its transceiver then waits for a peer's offer
   * of the same kind to take it (JSEP §5.10), or for a rollback without it.
   */
  rollback(options?: { keepAdded?: boolean }): Promise<void>;
  /** Sends `track` on this m-line, or nothing (null), without renegotiating. */
  setSending(mid: string, track: MediaStreamTrack | null): Promise<void>;
  /** Stops sending and receiving on these m-lines: the peer removed them. */
  stopMids(mids: readonly string[]): void;
  readonly localDescription: string | undefined;
  destroy(): void;
}

export type MediaPeerFactory = (options: MediaPeerOptions) => MediaPeer;

/**
 * A data channel that is open from the start and never negotiated: simple-peer
 * insists on one, but no Jingle client accepts an m=application section
 * (DESIGN.md, No data channel in a Jingle call).
 */
function openStubChannel(label: string): RTCDataChannel {
  const channel = {
    label,
    readyState: 'open' as RTCDataChannelState,
    binaryType: 'arraybuffer',
    bufferedAmount: 0,
    bufferedAmountLowThreshold: 0,
    onopen: null as null | (() => void),
    onmessage: null,
    onclose: null,
    onerror: null,
    onbufferedamountlow: null,
    send() {},
    close() {
      channel.readyState = 'closed';
    },
  };
  queueMicrotask(() => channel.onopen?.());
  return channel as unknown as RTCDataChannel;
}

/** How long a new local description may take to start gathering; one that adds no transport (BUNDLE) never does. */
const GATHERING_STARTS_MS = 150;

/**
 * Our local description once its candidates are gathered, or after `limitMs`
 * anyway. Right after setLocalDescription() the gathering state may still
 * say `complete` from before, so a new round is waited for a moment first.
 */
async function gathered(pc: RTCPeerConnection, limitMs: number): Promise<string> {
  if (limitMs > 0) {
    await new Promise<void>((resolve) => {
      let started = pc.iceGatheringState === 'gathering';
      const done = () => {
        clearTimeout(limit);
        clearTimeout(start);
        pc.removeEventListener('icegatheringstatechange', onChange);
        resolve();
      };
      const onChange = () => {
        if (pc.iceGatheringState === 'gathering') started = true;
        else if (pc.iceGatheringState === 'complete' && started) done();
      };
      const limit = setTimeout(done, limitMs);
      const start = setTimeout(() => {
        if (!started) done();
      }, GATHERING_STARTS_MS);
      pc.addEventListener('icegatheringstatechange', onChange);
    });
  }
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('no local description');
  return sdp;
}

/** Sets a sender's track again, which makes it send. */
async function reattach(transceiver: RTCRtpTransceiver): Promise<void> {
  const track = transceiver.sender.track;
  await transceiver.sender.replaceTrack(null);
  await transceiver.sender.replaceTrack(track);
}

/** Stops the transceivers no description has given a mid: added for an offer that did not go through. */
function stopUnnegotiated(pc: RTCPeerConnection): void {
  for (const t of pc.getTransceivers()) if (!t.mid && t.direction !== 'stopped') t.stop();
}

/**
 * For an answer made before our devices open: the first offered m-line of
 * each kind sends, in `stream` (its msid), with no track yet.
 */
function claimSenders(pc: RTCPeerConnection, kinds: readonly string[], stream: MediaStream): RTCRtpTransceiver[] {
  const claimed: RTCRtpTransceiver[] = [];
  for (const kind of kinds) {
    const t = pc.getTransceivers().find((x) => x.mid && x.direction !== 'stopped' && !x.sender.track && x.receiver.track.kind === kind && !claimed.includes(x));
    if (!t) continue;
    t.direction = 'sendrecv';
    t.sender.setStreams(stream);
    claimed.push(t);
  }
  return claimed;
}

/** The devices opened: each track goes on the claimed sender of its kind. */
async function putOn(senders: readonly RTCRtpTransceiver[], opened: MediaStream): Promise<void> {
  for (const track of opened.getTracks()) {
    const t = senders.find((x) => x.receiver.track.kind === track.kind && !x.sender.track && x.direction !== 'stopped');
    if (t) await t.sender.replaceTrack(track);
  }
}

/** Our offer's video m-lines carry the codecs of offeredVideoCodecs() (codecs.ts). */
function preferCodecs(pc: RTCPeerConnection): void {
  const codecs = typeof RTCRtpReceiver.getCapabilities === 'function' ? RTCRtpReceiver.getCapabilities('video')?.codecs : undefined;
  if (!codecs) return;
  for (const t of pc.getTransceivers()) {
    if (t.mid || t.direction === 'stopped' || t.receiver.track.kind !== 'video' || typeof t.setCodecPreferences !== 'function') continue;
    try {
      t.setCodecPreferences(offeredVideoCodecs(codecs));
    } catch {
      // A browser that refuses the list offers all its codecs, as before.
    }
  }
}

/** A candidate as an SDP fragment: its m-section's mid, then its line. */
const candidateSdp = (c: RTCIceCandidateInit): string => `${c.sdpMid != null ? `a=mid:${c.sdpMid}\r\n` : ''}a=${c.candidate ?? ''}`;

export const createMediaPeer: MediaPeerFactory = (options) => {
  let pc: RTCPeerConnection | undefined;
  let stream = options.stream instanceof Promise ? new MediaStream() : options.stream;
  /** The devices still opening, until the offer that waits for them is applied. */
  let opening = options.stream instanceof Promise && !options.initiator ? options.stream : undefined;
  // Every description and candidate, whoever sets it (simple-peer or the
  // renegotiations below), passes through here on its way to the inspector.
  let record: (entry: SdpEntry) => void = () => undefined;
  /**
   * Callee: the answer was signalled before simple-peer would (when its
   * description is applied), so simple-peer's signal of that one answer goes
   * unsaid; its later answers (to an ICE restart's offer) are said as ever.
   */
  let answerSaid: 'early' | 'done' | undefined;
  class JinglePeerConnection extends RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      pc = this;
      this.addEventListener('icecandidate', (e) => {
        if (e.candidate?.candidate) record({ side: 'local', type: 'candidate', sdp: candidateSdp(e.candidate) });
      });
    }
    override createDataChannel(label: string): RTCDataChannel {
      return openStubChannel(label);
    }
    override async setLocalDescription(description?: RTCLocalSessionDescriptionInit): Promise<void> {
      // simple-peer's answer is said as soon as it is made, while Chromium
      // applies it: the caller takes it meanwhile. The candidates follow.
      // The inspector keeps it as said, before the session-accept it becomes.
      if (!options.initiator && !answerSaid && description?.type === 'answer' && description.sdp && !this.localDescription) {
        answerSaid = 'early';
        record({ side: 'local', type: 'answer', sdp: description.sdp });
        emit('signal', { type: 'answer', sdp: description.sdp });
        await super.setLocalDescription(description);
        return;
      }
      await super.setLocalDescription(description);
      const local = this.localDescription;
      if (local && (local.type === 'offer' || local.type === 'answer')) record({ side: 'local', type: local.type, sdp: local.sdp });
    }
    override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
      await super.setRemoteDescription(description);
      if ((description.type === 'offer' || description.type === 'answer') && description.sdp) record({ side: 'remote', type: description.type, sdp: description.sdp });
      if (description.type === 'offer' && opening && options.sends) {
        // simple-peer answers when this resolves: with the m-lines our tracks will take.
        const devices = opening;
        opening = undefined;
        const senders = claimSenders(this, options.sends, stream);
        devices
          .then((opened) => {
            if (this.signalingState === 'closed') return;
            for (const track of opened.getTracks()) stream.addTrack(track);
            return putOn(senders, opened);
          })
          .catch(() => undefined);
      } else if (description.type === 'offer' && opening) {
        // simple-peer answers when this resolves: the devices' tracks are on by then.
        const devices = await opening.catch(() => undefined);
        opening = undefined;
        if (!devices || this.signalingState === 'closed') return;
        stream = devices;
        for (const track of devices.getTracks()) this.addTrack(track, devices);
      }
    }
    override async addIceCandidate(candidate?: RTCIceCandidateInit | null): Promise<void> {
      await super.addIceCandidate(candidate);
      if (candidate?.candidate) record({ side: 'remote', type: 'candidate', sdp: candidateSdp(candidate) });
    }
  }

  const peer = new SimplePeer({
    initiator: options.initiator,
    ...(options.stream instanceof Promise ? {} : { stream: options.stream }),
    trickle: true,
    // Pass the whole config: simple-peer's default would send STUN to public servers.
    config: { iceServers: options.iceServers ?? [], iceTransportPolicy: options.iceTransportPolicy ?? 'all', bundlePolicy: 'balanced', rtcpMuxPolicy: 'require' },
    channelConfig: { negotiated: true, id: 0 },
    wrtc: { RTCPeerConnection: JinglePeerConnection, RTCSessionDescription, RTCIceCandidate },
  });

  // Added before simple-peer makes its offer (it waits a task), so the offer carries it.
  if (options.receiveVideo) pc?.addTransceiver('video', { direction: 'recvonly' });
  if (options.initiator && pc) preferCodecs(pc);

  const listeners: { [K in keyof MediaPeerEvents]: Set<MediaPeerEvents[K]> } = {
    signal: new Set(),
    remoteStream: new Set(),
    state: new Set(),
    error: new Set(),
    milestone: new Set(),
    stable: new Set(),
    sdp: new Set(),
  };
  const emit = <K extends keyof MediaPeerEvents>(event: K, ...args: Parameters<MediaPeerEvents[K]>) => {
    for (const listener of listeners[event]) (listener as (...a: unknown[]) => void)(...args);
  };
  record = (entry) => emit('sdp', entry);

  peer.on('signal', (data: { type?: string; sdp?: string; candidate?: RTCIceCandidateInit }) => {
    if (data.type === 'answer' && answerSaid === 'early') answerSaid = 'done';
    else if ((data.type === 'offer' || data.type === 'answer') && data.sdp) emit('signal', { type: data.type, sdp: data.sdp });
    else if (data.type === 'candidate' && data.candidate) emit('signal', { type: 'candidate', candidate: data.candidate });
    // 'renegotiate' and 'transceiverRequest' have no Jingle form; the session drives renegotiation.
  });
  peer.on('error', (err: Error) => emit('error', err));
  let destroyed = false;
  // One stream of every remote track: a video added mid-call may come in a
  // stream of its own (StanzaJS, Dino), and must not replace the audio.
  const remote = new MediaStream();
  let announcing = false;
  pc?.addEventListener('track', (event) => {
    if (!remote.getTracks().includes(event.track)) remote.addTrack(event.track);
    if (announcing) return;
    announcing = true;
    queueMicrotask(() => {
      announcing = false;
      if (!destroyed) emit('remoteStream', remote);
    });
  });
  pc?.addEventListener('connectionstatechange', () => {
    if (!destroyed && pc) emit('state', pc.connectionState);
  });
  const expectVideo = () => stream.getVideoTracks().length > 0;
  const stopWatching = pc ? watchMilestones(pc, expectVideo, (m) => emit('milestone', m)) : () => undefined;
  pc?.addEventListener('signalingstatechange', () => {
    if (!destroyed && pc?.signalingState === 'stable') emit('stable');
  });
  pc?.addEventListener('icegatheringstatechange', () => {
    if (!destroyed && pc?.iceGatheringState === 'complete') emit('signal', { type: 'gathered' });
  });

  // Renegotiations one at a time: a rollback (our content-add lost a tie-break)
  // is complete before the peer's offer is taken, and no offer starts mid-answer.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = chain.then(step, step);
    chain = next.catch(() => undefined);
    return next;
  };
  // Chromium 156: after a rollback the senders of the m-lines before it send
  // nothing until their track is set again (seen on the microphone).
  const reattachNegotiated = (pc: RTCPeerConnection) =>
    Promise.all(pc.getTransceivers().filter((t) => t.mid && t.currentDirection && t.direction !== 'stopped' && t.sender.track).map(reattach));
  let rolledBack = false;
  let previousReport: RTCStatsReport | undefined;
  const rollBack = async (pc: RTCPeerConnection): Promise<void> => {
    if (pc.signalingState !== 'have-local-offer') return;
    await pc.setLocalDescription({ type: 'rollback' });
    rolledBack = true;
    await reattachNegotiated(pc);
  };

  return {
    signal(signal) {
      if (destroyed) return;
      // simple-peer's types want an RTCIceCandidate; it takes the init dictionary.
      peer.signal(signal as Parameters<typeof peer.signal>[0]);
    },
    on(event, listener) {
      (listeners[event] as Set<typeof listener>).add(listener);
    },
    async getStats() {
      if (!pc) throw new Error('no peer connection');
      return summariseStats(await pc.getStats());
    },
    async trackFigures() {
      if (!pc) return [];
      const report = await pc.getStats();
      const figures = trackFigures(report, previousReport);
      previousReport = report;
      return figures;
    },
    restartIce() {
      return serial(async () => {
        if (!pc || destroyed || pc.signalingState !== 'stable') return;
        pc.restartIce();
        await pc.setLocalDescription(await pc.createOffer());
        if (!destroyed && pc.localDescription) emit('signal', { type: 'offer', sdp: pc.localDescription.sdp });
      });
    },
    offerTrack(track, { gatherMs = 0 } = {}) {
      return serial(async () => {
        if (!pc || destroyed) throw new Error('the peer connection is closed');
        if (pc.signalingState !== 'stable') throw new Error('another negotiation is under way');
        pc.addTrack(track, stream);
        preferCodecs(pc);
        await pc.setLocalDescription(await pc.createOffer());
        return gathered(pc, gatherMs);
      });
    },
    answerOffer(sdp, { track, gatherMs = 0 } = {}) {
      return serial(async () => {
        if (!pc || destroyed) throw new Error('the peer connection is closed');
        await rollBack(pc);
        const known = new Set(pc.getTransceivers().map((t) => t.mid).filter(Boolean));
        await pc.setRemoteDescription({ type: 'offer', sdp });
        let unsent = track;
        for (const t of pc.getTransceivers()) {
          if (!t.mid || known.has(t.mid) || t.direction === 'stopped') continue;
          // A transceiver our rolled-back offer added took this m-line already (JSEP §5.10).
          if (unsent && (t.sender.track === unsent || (!t.sender.track && t.receiver.track.kind === unsent.kind))) {
            if (t.sender.track !== unsent) {
              await t.sender.replaceTrack(unsent);
              t.sender.setStreams(stream);
            }
            t.direction = 'sendrecv';
            unsent = undefined;
          } else if (!t.sender.track) {
            t.direction = 'recvonly';
          }
        }
        // What our lost offer added and the peer's offer did not take.
        stopUnnegotiated(pc);
        await pc.setLocalDescription(await pc.createAnswer());
        // Set once more now that the answer is applied, as a rollback before it needs.
        if (rolledBack) {
          rolledBack = false;
          await reattachNegotiated(pc);
        }
        return gathered(pc, gatherMs);
      });
    },
    acceptAnswer(sdp) {
      return serial(async () => {
        if (!pc || destroyed) throw new Error('the peer connection is closed');
        await pc.setRemoteDescription({ type: 'answer', sdp });
      });
    },
    rollback({ keepAdded = false } = {}) {
      return serial(async () => {
        if (!pc || destroyed) return;
        await rollBack(pc);
        if (keepAdded) return;
        // The transceiver addTrack made outlives the rollback (JSEP §4.1.8.2); stopped, no offer carries it.
        stopUnnegotiated(pc);
      });
    },
    async setSending(mid, track) {
      const transceiver = pc?.getTransceivers().find((t) => t.mid === mid);
      if (transceiver && !destroyed && transceiver.direction !== 'stopped') await transceiver.sender.replaceTrack(track);
    },
    stopMids(mids) {
      for (const t of pc?.getTransceivers() ?? []) if (t.mid && mids.includes(t.mid) && t.direction !== 'stopped') t.stop();
    },
    get localDescription() {
      return pc?.localDescription?.sdp;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      stopWatching();
      peer.destroy();
      pc?.close();
    },
  };
};
