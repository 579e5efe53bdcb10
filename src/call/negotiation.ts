// The description exchange of one session: our RTCPeerConnection's offer or
// answer as session-initiate / session-accept, the peer's as SDP, trickle ICE
// ICE restarts and content changes. The session decides what the call is;
// this moves SDP.
import { type Content, type Group, type Jingle, JingleError, type Role, type Setup, MAX_CANDIDATES, badRequest } from '../jingle/index.ts';
import type { LocalSignal, MediaPeer, MediaPeerFactory, PeerState, SdpEntry } from '../media/media-peer.ts';
import type { CallMedia } from '../media/devices.ts';
import { type DescriptionModel, namesByMid, parseSdp, sdpToJingle } from '../sdp/index.ts';
import type { Clock } from './clock.ts';
import { type Camera, ContentChanges } from './content-changes.ts';
import type { IcePlan } from './ice-plan.ts';
import { IceRelay } from './ice-relay.ts';
import { IceRestarts } from './ice-restart.ts';
import { remoteSdp } from './remote-sdp.ts';
import { jingleIq, type Signalling } from './signalling.ts';
import { INLINE_GATHER_LIMIT_MS, type WireStyle } from './wire-style.ts';

/** What the exchange needs of its session, and tells it. */
export interface NegotiationHost {
  readonly sid: string;
  readonly role: Role;
  readonly peer: string;
  readonly ended: boolean;
  readonly active: boolean;
  readonly signalling: Signalling;
  readonly clock: Clock;
  readonly peerFactory: MediaPeerFactory;
  readonly style: WireStyle;
  /** The STUN/TURN servers and ICE policy of this call. */
  readonly ice: IcePlan;
  readonly camera: Camera;
  /** A video call: the offer receives video even when we have no camera to send. */
  readonly wantsVideo: boolean;
  /** The peer's name, for what the user is told. */
  readonly peerName: string;
  /** What the user sees of video changed. */
  videoChanged(): void;
  /** Our session-initiate or session-accept is about to go. */
  describing(action: 'session-initiate' | 'session-accept'): void;
  remoteStream(stream: MediaStream): void;
  peerState(state: PeerState): void;
  mark(name: string): void;
  /** A description or candidate went into or came out of our peer connection. */
  described(entry: SdpEntry): void;
  fail(condition: string, text: string): void;
  /** The peer answered our session-initiate or session-accept with an error (or not in time). */
  refused(action: string, err: unknown): void;
}

interface RemoteDescription {
  contents: Content[];
  groups: Group[];
}

export class Negotiation {
  /** The peer's session-initiate, when it initiated. */
  offer?: RemoteDescription;
  /** The peer's description as last applied: its answer (we initiated) or its offer. */
  remoteModel?: DescriptionModel;
  private mediaPeer?: MediaPeer;
  /** Callee: the peer connection made before the offer came, until it has it. */
  private prepared?: MediaPeer;
  /** Our own contents, as last described. */
  private localContents: Content[] = [];
  private readonly ice = new IceRelay((content) => {
    const info: Jingle = { action: 'transport-info', sid: this.host.sid, contents: [content], groups: [] };
    this.host.signalling.request(jingleIq(this.host.peer, info)).catch(() => undefined);
  });
  private readonly restarts: IceRestarts;
  /** Video added, modified or removed mid-call (XEP-0166 §7.2). */
  readonly changes: ContentChanges;
  /** The session version of the SDP we give our peer connection for the peer's descriptions. */
  private readonly version = { value: 1 };
  /** The DTLS role of our session-initiate or session-accept: a renegotiation keeps it (RFC 5763 §5). */
  private agreedSetup?: Setup;
  /** Our offer or answer, held back until gathering ends (inline candidates). */
  private heldDescription?: { type: 'offer' | 'answer'; sdp: string; timer: unknown };
  /** Caller: our session-initiate waits until a device proceeds (XEP-0353). */
  private awaitingProceed = false;
  private deferredDescription?: { type: 'offer' | 'answer'; sdp: string };
  /** Our session-initiate or session-accept as sent, to say again to a peer that lost it. */
  private described?: Jingle;

  constructor(private readonly host: NegotiationHost) {
    this.restarts = new IceRestarts({
      get role() { return host.role; },
      get sid() { return host.sid; },
      get peer() { return host.peer; },
      get active() { return host.active; },
      get signalling() { return host.signalling; },
      get clock() { return host.clock; },
      get bundle() { return host.style.bundle; },
      version: this.version,
      changing: () => this.changes.busy,
      mediaPeer: () => this.mediaPeer,
      ice: this.ice,
      remoteModel: () => this.remoteModel,
      localSetup: () => this.agreedSetup,
      restarted: (model) => {
        this.remoteModel = model;
        // The initiator's offer, now with new credentials.
        if (host.role === 'responder') this.offer = { contents: [...model.contents], groups: [...model.groups] };
      },
      mark: (name) => host.mark(name),
      fail: (condition, text) => host.fail(condition, text),
    });
    const restarts = this.restarts;
    this.changes = new ContentChanges({
      get role() { return host.role; },
      get sid() { return host.sid; },
      get peer() { return host.peer; },
      get peerName() { return host.peerName; },
      get active() { return host.active; },
      get signalling() { return host.signalling; },
      get clock() { return host.clock; },
      get style() { return host.style; },
      get camera() { return host.camera; },
      ice: this.ice,
      version: this.version,
      mediaPeer: () => this.mediaPeer,
      remoteModel: () => this.remoteModel,
      localContents: () => this.localContents,
      changed: (remote, local) => {
        this.remoteModel = remote;
        if (host.role === 'responder') this.offer = { contents: [...remote.contents], groups: [...remote.groups] };
        this.localContents = [...local];
      },
      localSetup: () => this.agreedSetup,
      restarting: () => restarts.underway,
      mark: (name) => host.mark(name),
      fail: (condition, text) => host.fail(condition, text),
      update: () => host.videoChanged(),
    });
  }

  get peerConnection(): MediaPeer | undefined {
    return this.mediaPeer;
  }

  /** Whether the peer knows of a Jingle session: its offer came, or ours went. */
  get sessionExists(): boolean {
    return this.host.role === 'responder' ? Boolean(this.offer) : this.ice.open;
  }

  /** The peer's session-initiate. */
  takeOffer(initiate: Jingle): void {
    this.offer = { contents: initiate.contents, groups: initiate.groups };
    this.ice.names = initiate.contents.map((c) => c.name);
  }

  /** Caller: holds our session-initiate until a callee's device proceeds. */
  holdUntilProceed(): void {
    this.awaitingProceed = true;
  }

  proceed(): void {
    this.awaitingProceed = false;
    const deferred = this.deferredDescription;
    this.deferredDescription = undefined;
    // The offer as it stands now, with the candidates gathered while it rang:
    // they travel inside the session-initiate instead of as transport-info.
    if (deferred) this.describe(deferred.type, this.mediaPeer?.localDescription ?? deferred.sdp);
  }

  /** Caller: our offer, on a new peer connection. */
  offerWith(stream: MediaStream): void {
    this.createPeer(true, stream);
  }

  /** The medium of a content of the call, by name. */
  mediaOf(name: string): string | undefined {
    return [...(this.remoteModel?.contents ?? []), ...this.localContents].find((c) => c.name === name)?.description?.media;
  }

  /**
   * Callee: the peer connection for the offer, made before it comes; it
   * gathers nothing until it has the offer. Given our devices still opening,
   * the offer is applied while they open.
   */
  preparePeer(stream: MediaStream | Promise<MediaStream>, sends?: readonly CallMedia[]): void {
    if (this.mediaPeer || this.host.ended) return;
    this.prepared = this.createPeer(false, stream, sends);
  }

  /** Callee: answers the peer's offer on the peer connection preparePeer() made. */
  answerWith(): void {
    const peer = this.prepared;
    if (!this.offer || !peer || this.host.ended) return;
    this.prepared = undefined;
    this.remoteModel = this.offer;
    let sdp: string;
    try {
      // Without BUNDLE our own Chromium must not bundle either, or its single
      // transport would not match the unbundled answer we send.
      sdp = remoteSdp(this.offer, { peerRole: 'initiator', type: 'offer', version: 1, bundle: this.host.style.bundle });
    } catch (err) {
      this.host.fail('failed-application', `the offer could not be translated: ${(err as Error).message}`);
      return;
    }
    peer.signal({ type: 'offer', sdp });
    this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
  }

  /** The callee's session-accept; false when it accepts nothing we offered. */
  takeAnswer(accept: Jingle): boolean {
    const accepted = accept.contents.filter((c) => c.description && this.ice.names.includes(c.name));
    if (accepted.length === 0) return false;
    const peer = this.mediaPeer;
    const answer = { contents: accepted, groups: accept.groups };
    this.remoteModel = answer;
    // The answer repeats our m-lines in order; one the peer left out is rejected.
    peer?.signal({ type: 'answer', sdp: remoteSdp(answer, { peerRole: 'responder', type: 'answer', version: 1, bundle: true, localSdp: peer.localDescription }) });
    if (peer) this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
    return true;
  }

  /** A transport-info, before it is acknowledged. */
  checkTransportInfo(info: Jingle): JingleError | undefined {
    const more = info.contents.reduce((n, c) => n + (c.transport?.candidates.length ?? 0), 0);
    if (this.ice.received + more > MAX_CANDIDATES) return new JingleError('policy-violation', undefined, `more than ${MAX_CANDIDATES} candidates in this session`);
    const unknown = info.contents.find((c) => !this.ice.names.includes(c.name));
    if (unknown) return badRequest(`transport-info for unknown content ${unknown.name}`);
    return this.restarts.check(info);
  }

  takeTransportInfo(info: Jingle): void {
    this.ice.remote(this.restarts.receive(info));
  }

  /**
   * Sends our session-initiate or session-accept once more, for a peer that
   * may have lost it while a stream was down (docs/interop.md, Faults). Which one
   * is the caller's to ask: an error reply changes nothing.
   */
  describeAgain(action: 'session-initiate' | 'session-accept'): boolean {
    const jingle = this.described;
    if (!jingle || jingle.action !== action || this.host.ended) return false;
    this.host.mark(`${action}-sent-again`);
    this.host.signalling.request(jingleIq(this.host.peer, jingle)).catch(() => undefined);
    return true;
  }

  restartIce(): void {
    this.restarts.start();
  }

  /** ICE went down (`true`) or came back. */
  iceDown(down: boolean): void {
    if (down) {
      this.changes.interrupt();
      this.restarts.disconnected();
    } else this.restarts.stopTimer();
  }

  /** The name of our audio or video content, for session-info. */
  contentName(media: 'audio' | 'video'): string | undefined {
    const contents = this.offer?.contents ?? this.localContents;
    return contents.find((c) => c.description?.media === media)?.name;
  }

  close(): void {
    this.restarts.clear();
    this.changes.clear();
    this.mediaPeer?.destroy();
    this.mediaPeer = undefined;
    this.prepared = undefined;
    if (this.heldDescription) this.host.clock.clearTimeout(this.heldDescription.timer);
    this.heldDescription = undefined;
    this.ice.clear();
  }

  private createPeer(initiator: boolean, stream: MediaStream | Promise<MediaStream>, sends?: readonly CallMedia[]): MediaPeer {
    const host = this.host;
    const receiveVideo = initiator && !(stream instanceof Promise) && host.wantsVideo && stream.getVideoTracks().length === 0;
    const peer = host.peerFactory({
      initiator, stream, iceServers: host.ice.iceServers, iceTransportPolicy: host.ice.policy,
      ...(receiveVideo ? { receiveVideo } : {}), ...(sends && stream instanceof Promise ? { sends } : {}),
    });
    this.mediaPeer = peer;
    peer.on('signal', (signal) => this.onLocalSignal(signal));
    peer.on('remoteStream', (remote) => host.remoteStream(remote));
    peer.on('state', (state) => host.peerState(state));
    peer.on('milestone', (milestone) => host.mark(milestone));
    peer.on('sdp', (entry) => host.described(entry));
    // After a renegotiation (ICE restart) the peer's candidates may flow again.
    peer.on('stable', () => {
      if (this.remoteModel && host.active) this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
    });
    peer.on('error', (err) => host.fail(host.active ? 'connectivity-error' : 'failed-application', err.message));
    return peer;
  }

  private onLocalSignal(signal: LocalSignal): void {
    if (this.host.ended) return;
    if (signal.type === 'gathered') {
      if (this.heldDescription) this.releaseDescription();
      return;
    }
    if (signal.type === 'candidate') {
      this.ice.local(signal.candidate, this.host.style.candidates === 'trickle');
      return;
    }
    if (this.ice.open) {
      if (this.host.active) this.restarts.sent(signal.sdp);
      return;
    }
    if (this.heldDescription) return;
    if (this.host.style.candidates === 'inline') {
      // Dino's way: wait for the candidates and send them inside the description.
      const timer = this.host.clock.setTimeout(() => this.releaseDescription(), INLINE_GATHER_LIMIT_MS);
      this.heldDescription = { type: signal.type, sdp: signal.sdp, timer };
      return;
    }
    this.describe(signal.type, signal.sdp);
  }

  private releaseDescription(): void {
    const held = this.heldDescription;
    // The description as applied, with its candidates; the one signalled if it is not applied yet.
    const sdp = this.mediaPeer?.localDescription ?? held?.sdp;
    if (!held || !sdp || this.host.ended) return;
    this.host.clock.clearTimeout(held.timer);
    this.heldDescription = undefined;
    this.describe(held.type, sdp);
  }

  /** Sends our offer as session-initiate or our answer as session-accept. */
  private describe(type: 'offer' | 'answer', sdpText: string): void {
    if (this.awaitingProceed) {
      this.deferredDescription = { type, sdp: sdpText };
      return;
    }
    const { sid, role, signalling } = this.host;
    const translated = sdpToJingle(parseSdp(sdpText), { author: role, creator: 'initiator', names: namesByMid(this.ice.names) });
    const contents = translated.contents;
    const groups = this.host.style.bundle ? translated.groups : [];
    this.ice.useCredentials(contents);
    this.localContents = contents;
    this.agreedSetup ??= contents.find((c) => c.transport)?.transport?.fingerprints[0]?.setup;
    let jingle: Jingle;
    if (type === 'offer' && role === 'initiator') {
      this.ice.names = contents.map((c) => c.name);
      jingle = { action: 'session-initiate', sid, initiator: signalling.jid, contents, groups };
    } else if (type === 'answer' && role === 'responder') {
      jingle = { action: 'session-accept', sid, responder: signalling.jid, contents, groups };
    } else {
      return;
    }
    this.host.describing(jingle.action as 'session-initiate' | 'session-accept');
    this.described = jingle;
    const sent = signalling.request(jingleIq(this.host.peer, jingle));
    this.host.mark(`${jingle.action}-sent`);
    // PROTOCOL.md: our candidates go out only after the initiate/accept has gone.
    this.ice.opened(contents);
    sent.catch((err: unknown) => this.host.refused(jingle.action, err));
  }
}
