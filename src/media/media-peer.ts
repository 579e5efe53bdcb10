// The WebRTC side of a call: the one module that imports simple-peer.
import SimplePeer from 'simple-peer/simplepeer.min.js';
import { type Milestone, watchMilestones } from './milestones.ts';
import { summariseStats, type MediaStats } from './stats.ts';

export type LocalSignal =
  | { type: 'offer' | 'answer'; sdp: string }
  | { type: 'candidate'; candidate: RTCIceCandidateInit }
  /** Candidate gathering finished: the local description now holds every candidate. */
  | { type: 'gathered' };
export type RemoteSignal = { type: 'offer' | 'answer'; sdp: string } | { type: 'candidate'; candidate: RTCIceCandidateInit };
export type PeerState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface MediaPeerOptions {
  initiator: boolean;
  stream: MediaStream;
  iceServers?: RTCIceServer[];
  /** 'relay' gathers relayed candidates only (RTCConfiguration.iceTransportPolicy). */
  iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface MediaPeerEvents {
  signal: (signal: LocalSignal) => void;
  remoteStream: (stream: MediaStream) => void;
  state: (state: PeerState) => void;
  error: (error: Error) => void;
  milestone: (milestone: Milestone) => void;
  /** Offer and answer are both applied (signalingState 'stable'). */
  stable: () => void;
}

export interface MediaPeer {
  signal(signal: RemoteSignal): void;
  on<K extends keyof MediaPeerEvents>(event: K, listener: MediaPeerEvents[K]): void;
  getStats(): Promise<MediaStats>;
  /**
   * Restarts ICE: a new local offer with new credentials, emitted as a signal.
   * Done on the RTCPeerConnection itself, since simple-peer's responder cannot
   * offer (DESIGN.md); its answer comes back through signal().
   */
  restartIce(): Promise<void>;
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

export const createMediaPeer: MediaPeerFactory = (options) => {
  let pc: RTCPeerConnection | undefined;
  class JinglePeerConnection extends RTCPeerConnection {
    constructor(config?: RTCConfiguration) {
      super(config);
      pc = this;
    }
    override createDataChannel(label: string): RTCDataChannel {
      return openStubChannel(label);
    }
  }

  const peer = new SimplePeer({
    initiator: options.initiator,
    stream: options.stream,
    trickle: true,
    // Pass the whole config: simple-peer's default would send STUN to public servers.
    config: { iceServers: options.iceServers ?? [], iceTransportPolicy: options.iceTransportPolicy ?? 'all', bundlePolicy: 'balanced', rtcpMuxPolicy: 'require' },
    channelConfig: { negotiated: true, id: 0 },
    wrtc: { RTCPeerConnection: JinglePeerConnection, RTCSessionDescription, RTCIceCandidate },
  });

  const listeners: { [K in keyof MediaPeerEvents]: Set<MediaPeerEvents[K]> } = {
    signal: new Set(),
    remoteStream: new Set(),
    state: new Set(),
    error: new Set(),
    milestone: new Set(),
    stable: new Set(),
  };
  const emit = <K extends keyof MediaPeerEvents>(event: K, ...args: Parameters<MediaPeerEvents[K]>) => {
    for (const listener of listeners[event]) (listener as (...a: unknown[]) => void)(...args);
  };

  peer.on('signal', (data: { type?: string; sdp?: string; candidate?: RTCIceCandidateInit }) => {
    if ((data.type === 'offer' || data.type === 'answer') && data.sdp) emit('signal', { type: data.type, sdp: data.sdp });
    else if (data.type === 'candidate' && data.candidate) emit('signal', { type: 'candidate', candidate: data.candidate });
    // 'renegotiate' and 'transceiverRequest' have no Jingle form; the session drives renegotiation.
  });
  peer.on('stream', (stream: MediaStream) => emit('remoteStream', stream));
  peer.on('error', (err: Error) => emit('error', err));
  let destroyed = false;
  pc?.addEventListener('connectionstatechange', () => {
    if (!destroyed && pc) emit('state', pc.connectionState);
  });
  const expectVideo = () => options.stream.getVideoTracks().length > 0;
  const stopWatching = pc ? watchMilestones(pc, expectVideo, (m) => emit('milestone', m)) : () => undefined;
  pc?.addEventListener('signalingstatechange', () => {
    if (!destroyed && pc?.signalingState === 'stable') emit('stable');
  });
  pc?.addEventListener('icegatheringstatechange', () => {
    if (!destroyed && pc?.iceGatheringState === 'complete') emit('signal', { type: 'gathered' });
  });

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
    async restartIce() {
      if (!pc || destroyed || pc.signalingState !== 'stable') return;
      pc.restartIce();
      await pc.setLocalDescription(await pc.createOffer());
      if (!destroyed && pc.localDescription) emit('signal', { type: 'offer', sdp: pc.localDescription.sdp });
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
