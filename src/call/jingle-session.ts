// One call: a XEP-0166 session over one MediaPeer.
import {
  type Content, type Group, type Jingle, JingleError, type JingleMessage, type Reason, type Role, type SessionInfo,
  MAX_CANDIDATES, badRequest, outOfOrder, unknownSession, unsupportedInfo,
} from '../jingle/index.ts';
import type { CallMedia } from '../media/devices.ts';
import type { LocalSignal, MediaPeer, MediaPeerFactory, PeerState } from '../media/media-peer.ts';
import type { MediaStats } from '../media/stats.ts';
import { type DescriptionModel, applyUpdate, isIceRestart, jingleToSdp, namesByMid, parseSdp, sdpToJingle, slotsOf, writeSdp } from '../sdp/index.ts';
import { IqError } from '../xmpp/connection.ts';
import { bareJid, sameBare, sameJid } from '../xmpp/jid.ts';
import type { Clock } from './clock.ts';
import { describeEnd, type EndedBy, reasonForRefusal } from './end-reasons.ts';
import { IceRelay } from './ice-relay.ts';
import { RING_TIMEOUT_MS, Ringing } from './jmi.ts';
import { afterInfo, NOTHING_SAID, type PeerActivity } from './session-info.ts';
import { mayReceive, nextState, type SessionEvent, type SessionState } from './session-state.ts';
import { jingleIq, type Signalling } from './signalling.ts';
import { INLINE_GATHER_LIMIT_MS, type WireStyle } from './wire-style.ts';

/** One step of a call, at `clock.now()`. */
export interface TimelineEvent {
  name: string;
  at: number;
}

/** What the user sees of a call. */
export type CallPhase = 'starting' | 'calling' | 'ringing' | 'incoming' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

/** How long ICE may stay disconnected before the initiator restarts it. */
export const ICE_RESTART_AFTER_MS = 2000;

export interface SessionDeps {
  signalling: Signalling;
  peerFactory: MediaPeerFactory;
  openMedia: (media: CallMedia) => Promise<MediaStream>;
  stopMedia: (stream: MediaStream | undefined) => void;
  clock: Clock;
  /** A display name for a JID, for end messages. */
  nameOf: (jid: string) => string;
  wireStyle: () => WireStyle;
}

interface RemoteDescription {
  contents: Content[];
  groups: Group[];
}

export class JingleSession {
  state: SessionState = 'pending';
  phase: CallPhase;
  endReason?: Reason;
  endedBy?: EndedBy;
  /** A sentence for the end screen. */
  endMessage?: string;
  localStream?: MediaStream;
  remoteStream?: MediaStream;
  readonly startedAt: number;
  connectedAt?: number;
  /** Every step of the call, for the inspector and the benchmark. */
  readonly timeline: TimelineEvent[] = [];
  /** What the peer said of its side (session-info). */
  peerActivity: PeerActivity = NOTHING_SAID;
  muted = false;
  held = false;

  private mediaPeer?: MediaPeer;
  private offer?: RemoteDescription;
  /** Our own contents, as last described. */
  private localContents: Content[] = [];
  private readonly ice = new IceRelay((content) => {
    const info: Jingle = { action: 'transport-info', sid: this.sid, contents: [content], groups: [] };
    this.deps.signalling.request(jingleIq(this.peer, info)).catch(() => undefined);
  });
  private readonly listeners = new Set<(session: JingleSession) => void>();
  private readonly style: WireStyle;
  /** Our offer or answer, held back until gathering ends (inline candidates). */
  private heldDescription?: { type: 'offer' | 'answer'; timer: unknown };

  /** XEP-0353 ringing, when the call started that way. */
  readonly ringing?: Ringing;
  /** Caller: our session-initiate waits until a device proceeds. */
  private awaitingProceed = false;
  private deferredDescription?: { type: 'offer' | 'answer'; sdp: string };
  private ringTimer?: unknown;
  /** The peer's description as last applied: its answer (we initiated) or its offer. */
  private remoteModel?: DescriptionModel;
  private descriptionVersion = 1;
  /** Our ICE restart awaits the peer's new credentials. */
  private restarting = false;
  private disconnectTimer?: unknown;
  private readonly retiredUfrags = new Set<string>();

  private constructor(
    private readonly deps: SessionDeps,
    readonly sid: string,
    /** The peer: a full JID, or the bare one while a proposal rings every device. */
    private peerJid: string,
    /** Our role in the session. */
    readonly role: Role,
    readonly media: CallMedia,
    via: 'jmi' | 'direct' = 'direct',
  ) {
    this.phase = role === 'initiator' ? 'starting' : 'incoming';
    this.startedAt = deps.clock.now();
    this.style = deps.wireStyle();
    if (via === 'jmi') this.ringing = new Ringing(deps.signalling, sid);
    this.mark(role === 'initiator' ? 'call-started' : via === 'jmi' ? 'propose-received' : 'session-initiate-received');
  }

  get peer(): string {
    return this.peerJid;
  }

  /** A call by direct session-initiate to a full JID (peers without XEP-0353). */
  static outgoing(deps: SessionDeps, sid: string, peer: string, media: CallMedia): JingleSession {
    const session = new JingleSession(deps, sid, peer, 'initiator', media);
    void session.start();
    return session;
  }

  /**
   * A call by XEP-0353 propose to every device of the callee. The camera and
   * the offer get ready while it rings; the session-initiate leaves, with our
   * candidates, only for the device that proceeds (PROTOCOL.md, Ringing).
   */
  static proposed(deps: SessionDeps, sid: string, callee: string, media: CallMedia): JingleSession {
    const session = new JingleSession(deps, sid, bareJid(callee), 'initiator', media, 'jmi');
    session.awaitingProceed = true;
    session.ringing!.propose(callee, media === 'video' ? ['audio', 'video'] : ['audio']);
    session.mark('propose-sent');
    session.phase = 'calling';
    session.ringTimer = deps.clock.setTimeout(() => session.finish({ condition: 'timeout' }, 'local', true), RING_TIMEOUT_MS);
    void session.start();
    return session;
  }

  /** A proposal that rings here until the user answers, or another device does. */
  static proposal(deps: SessionDeps, sid: string, caller: string, media: CallMedia): JingleSession {
    return new JingleSession(deps, sid, caller, 'responder', media, 'jmi');
  }

  /** Whether this session waits for a session-initiate from this JID (a proposal we accepted). */
  expectsInitiate(from: string): boolean {
    return Boolean(this.ringing) && this.role === 'responder' && !this.offer && this.phase === 'connecting' && sameJid(from, this.peer);
  }

  /** The session-initiate of a proposal we accepted: answer it without asking again. */
  takeOffer(initiate: Jingle): void {
    this.offer = { contents: initiate.contents, groups: initiate.groups };
    this.ice.names = initiate.contents.map((c) => c.name);
    this.mark('session-initiate-received');
    if (this.localStream) this.answer();
  }

  /** XEP-0353 messages about this call, already checked to come from whom they may. */
  onJingleMessage(m: JingleMessage, from: string): void {
    if (this.state === 'ended') return;
    const own = sameBare(from, this.deps.signalling.jid);
    switch (m.kind) {
      case 'ringing':
        return this.peerRings();
      case 'proceed':
        if (!this.awaitingProceed) return;
        this.deps.clock.clearTimeout(this.ringTimer);
        this.awaitingProceed = false;
        this.peerJid = from;
        this.mark('proceed-received');
        this.setPhase('connecting');
        if (this.deferredDescription) this.describe(this.deferredDescription.type, this.deferredDescription.sdp);
        return;
      case 'reject':
        if (own) return this.finish(m.reason ?? { condition: 'decline' }, 'local', false, 'Declined on another device');
        return this.finish(m.reason ?? { condition: 'decline' }, 'remote', false);
      case 'accept':
        return this.finish({ condition: 'cancel' }, 'local', false, 'Answered on another device');
      case 'retract':
        if (this.phase === 'incoming' || this.phase === 'connecting') {
          return this.finish(m.reason ?? { condition: 'cancel' }, 'remote', false, `Missed call from ${this.deps.nameOf(this.peer)}`);
        }
        return;
      default:
        return;
    }
  }

  /** The callee's device rings (its receipt, or its <ringing/>). */
  peerRings(): void {
    if (this.phase !== 'calling') return;
    this.mark('ringing-received');
    this.setPhase('ringing');
  }

  /** A session for a session-initiate that was validated and acknowledged. */
  static incoming(deps: SessionDeps, initiate: Jingle, from: string): JingleSession {
    const media: CallMedia = initiate.contents.some((c) => c.description?.media === 'video') ? 'video' : 'audio';
    const session = new JingleSession(deps, initiate.sid, from, 'responder', media);
    session.offer = { contents: initiate.contents, groups: initiate.groups };
    session.ice.names = initiate.contents.map((c) => c.name);
    return session;
  }

  get direction(): 'outgoing' | 'incoming' {
    return this.role === 'initiator' ? 'outgoing' : 'incoming';
  }

  /** Notes a step of the call now. */
  mark(name: string): void {
    this.timeline.push({ name, at: this.deps.clock.now() });
  }

  subscribe(listener: (session: JingleSession) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stats(): Promise<MediaStats | undefined> {
    return this.mediaPeer?.getStats();
  }

  /** The callee accepts: open the devices, answer the offer. No candidate is gathered before this. */
  async accept(): Promise<void> {
    if (this.phase !== 'incoming') return;
    this.mark('accept');
    this.setPhase('connecting');
    // XEP-0353: our other devices stop ringing, the caller sends its session-initiate.
    if (!this.offer) this.ringing?.accept(this.peer);
    if (!(await this.openDevices())) return;
    if (this.offer) this.answer();
  }

  /** Answers the offer on a new peer connection. */
  private answer(): void {
    if (!this.offer || this.mediaPeer || this.state === 'ended') return;
    this.remoteModel = this.offer;
    // Without BUNDLE our own Chromium must not bundle either, or its single
    // transport would not match the unbundled answer we send.
    const offer = this.style.bundle ? this.offer : { ...this.offer, groups: [] };
    let sdp: string;
    try {
      sdp = writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 }));
    } catch (err) {
      this.fail('failed-application', `the offer could not be translated: ${(err as Error).message}`);
      return;
    }
    const peer = this.createPeer(false);
    peer.signal({ type: 'offer', sdp });
    this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
  }

  /** XEP-0167 §7.4: tells the caller that its direct session-initiate rings here. */
  ring(): void {
    if (this.role === 'responder' && this.phase === 'incoming') this.sendInfo({ kind: 'ringing' });
  }

  /** Mutes or unmutes the microphone, and says so (XEP-0167 §7.3). */
  setMuted(muted: boolean): void {
    if (this.state === 'ended' || muted === this.muted) return;
    this.muted = muted;
    this.applyTrackStates();
    this.notify();
    const audio = this.offerContentName('audio');
    this.sendInfo({ kind: muted ? 'mute' : 'unmute', creator: 'initiator', ...(audio ? { name: audio } : {}) });
  }

  /** Puts the call on hold (nothing sent) or takes it off, and says so (XEP-0167 §7.2). */
  setHeld(held: boolean): void {
    if (this.state === 'ended' || held === this.held) return;
    this.held = held;
    this.applyTrackStates();
    this.notify();
    this.sendInfo({ kind: held ? 'hold' : 'unhold' });
  }

  /** Ends an incoming session we cannot take, before it rings. */
  refuse(condition: 'unsupported-applications' | 'unsupported-transports' | 'busy'): void {
    this.finish({ condition }, 'local', true);
  }

  /** Declines a ringing call; `busy` when it is declined for another call. */
  decline(condition: 'decline' | 'busy' = 'decline'): void {
    this.terminate({ condition });
  }

  hangUp(): void {
    const condition = this.state === 'active' ? 'success' : this.role === 'initiator' ? 'cancel' : 'decline';
    this.terminate({ condition });
  }

  /** Ends this call without a word to anyone: it lost a tie-break (XEP-0353 §5.1). */
  withdraw(): void {
    this.finish({ condition: 'expired' }, 'local', false, '');
  }

  /** XEP-0166: whether a peer's request fits this session, checked before it is acknowledged. */
  check(jingle: Jingle, from: string): JingleError | undefined {
    if (!sameJid(from, this.peer)) return unknownSession();
    if (!mayReceive(jingle.action, this.state, this.role)) return outOfOrder(`${jingle.action} does not fit a ${this.state} session`);
    if (jingle.action === 'session-info' && jingle.info?.kind === 'unsupported') return unsupportedInfo();
    if (jingle.action === 'session-accept' && jingle.contents.length === 0) return badRequest('session-accept without content');
    if (jingle.action === 'transport-info') {
      const more = jingle.contents.reduce((n, c) => n + (c.transport?.candidates.length ?? 0), 0);
      if (this.ice.received + more > MAX_CANDIDATES) return new JingleError('policy-violation', undefined, `more than ${MAX_CANDIDATES} candidates in this session`);
      const unknown = jingle.contents.find((c) => !this.ice.names.includes(c.name));
      if (unknown) return badRequest(`transport-info for unknown content ${unknown.name}`);
    }
    if (['content-add', 'content-modify', 'content-remove', 'content-accept', 'content-reject', 'transport-replace', 'description-info', 'security-info', 'transport-accept', 'transport-reject'].includes(jingle.action)) {
      return badRequest(`${jingle.action} is not supported in this session`);
    }
    return undefined;
  }

  /** Acts on a request that check() let through and that was acknowledged. */
  receive(jingle: Jingle): void {
    if (this.state === 'ended') return;
    try {
      switch (jingle.action) {
        case 'session-accept':
          return this.onSessionAccept(jingle);
        case 'session-terminate':
          return this.finish(jingle.reason ?? { condition: 'success' }, 'remote', false);
        case 'transport-info':
          return this.onTransportInfo(jingle);
        case 'session-info':
          this.peerActivity = afterInfo(this.peerActivity, jingle.info);
          if (jingle.info?.kind === 'ringing' && this.phase === 'calling') this.setPhase('ringing');
          else this.notify();
          return;
        default:
          return;
      }
    } catch (err) {
      this.fail('failed-application', (err as Error).message);
    }
  }

  private async start(): Promise<void> {
    if (!(await this.openDevices())) return;
    this.createPeer(true);
  }

  private async openDevices(): Promise<boolean> {
    try {
      const stream = await this.deps.openMedia(this.media);
      if (this.state === 'ended') {
        this.deps.stopMedia(stream);
        return false;
      }
      this.localStream = stream;
      this.notify();
      return true;
    } catch (err) {
      // Nothing has gone to the callee yet when the caller's devices fail.
      this.finish({ condition: 'media-error', text: (err as Error).message }, 'local', this.role === 'responder');
      return false;
    }
  }

  private createPeer(initiator: boolean): MediaPeer {
    const peer = this.deps.peerFactory({ initiator, stream: this.localStream! });
    this.mediaPeer = peer;
    peer.on('signal', (signal) => this.onLocalSignal(signal));
    peer.on('remoteStream', (stream) => {
      this.remoteStream = stream;
      this.notify();
    });
    peer.on('state', (state) => this.onPeerState(state));
    peer.on('milestone', (milestone) => this.mark(milestone));
    // After a renegotiation (ICE restart) the peer's candidates may flow again.
    peer.on('stable', () => {
      if (this.remoteModel && this.state === 'active') this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
    });
    peer.on('error', (err) => this.fail(this.state === 'active' ? 'connectivity-error' : 'failed-application', err.message));
    return peer;
  }

  private onLocalSignal(signal: LocalSignal): void {
    if (this.state === 'ended') return;
    if (signal.type === 'gathered') {
      if (this.heldDescription) this.releaseDescription();
      return;
    }
    if (signal.type === 'candidate') {
      this.ice.local(signal.candidate, this.style.candidates === 'trickle');
      return;
    }
    if (this.ice.open) {
      if (this.state === 'active') this.sendNewCredentials(signal.sdp);
      return;
    }
    if (this.heldDescription) return;
    if (this.style.candidates === 'inline') {
      // Dino's way: wait for the candidates and send them inside the description.
      const timer = this.deps.clock.setTimeout(() => this.releaseDescription(), INLINE_GATHER_LIMIT_MS);
      this.heldDescription = { type: signal.type, timer };
      return;
    }
    this.describe(signal.type, signal.sdp);
  }

  private releaseDescription(): void {
    const held = this.heldDescription;
    const sdp = this.mediaPeer?.localDescription;
    if (!held || !sdp || this.state === 'ended') return;
    this.deps.clock.clearTimeout(held.timer);
    this.heldDescription = undefined;
    this.describe(held.type, sdp);
  }

  /** Sends our offer as session-initiate or our answer as session-accept. */
  private describe(type: 'offer' | 'answer', sdpText: string): void {
    if (this.awaitingProceed) {
      this.deferredDescription = { type, sdp: sdpText };
      return;
    }
    const author = this.role;
    const translated = sdpToJingle(parseSdp(sdpText), { author, creator: 'initiator', names: namesByMid(this.ice.names) });
    const contents = translated.contents;
    const groups = this.style.bundle ? translated.groups : [];
    this.ice.useCredentials(contents);
    this.localContents = contents;
    let jingle: Jingle;
    if (type === 'offer' && this.role === 'initiator') {
      this.ice.names = contents.map((c) => c.name);
      jingle = { action: 'session-initiate', sid: this.sid, initiator: this.deps.signalling.jid, contents, groups };
      if (!this.ringing) this.setPhase('calling');
    } else if (type === 'answer' && this.role === 'responder') {
      jingle = { action: 'session-accept', sid: this.sid, responder: this.deps.signalling.jid, contents, groups };
      this.transition('accept');
    } else {
      return;
    }
    this.sendDescription(jingle);
  }

  private sendDescription(jingle: Jingle): void {
    const sent = this.deps.signalling.request(jingleIq(this.peer, jingle));
    this.mark(`${jingle.action}-sent`);
    // PROTOCOL.md: our candidates go out only after the initiate/accept has gone.
    this.ice.opened();
    sent.catch((err: unknown) => this.onRequestRefused(jingle.action, err));
  }

  private onRequestRefused(action: string, err: unknown): void {
    if (this.state === 'ended') return;
    // The peer refused the session, so it knows of none to terminate.
    this.finish(reasonForRefusal(action, err instanceof IqError ? err.condition : 'remote-server-timeout'), 'remote', false);
  }

  private onSessionAccept(accept: Jingle): void {
    this.mark('session-accept-received');
    this.transition('accept');
    const accepted = accept.contents.filter((c) => c.description && this.ice.names.includes(c.name));
    if (accepted.length === 0) {
      this.fail('failed-application', 'the answer accepts no content of the offer');
      return;
    }
    const local = this.mediaPeer?.localDescription;
    // The answer repeats our m-lines in order; one the peer left out is rejected.
    const template = local ? slotsOf(parseSdp(local)) : undefined;
    const answer = { contents: accepted, groups: accept.groups };
    this.remoteModel = answer;
    const sdp = writeSdp(jingleToSdp(answer, { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: 1, ...(template ? { template } : {}) }));
    const peer = this.mediaPeer;
    peer?.signal({ type: 'answer', sdp });
    this.setPhase('connecting');
    if (peer) this.ice.deliverTo((candidate) => peer.signal({ type: 'candidate', candidate }));
  }

  private onPeerState(state: PeerState): void {
    if (this.state === 'ended') return;
    this.deps.clock.clearTimeout(this.disconnectTimer);
    if (state === 'disconnected' && this.phase === 'connected') {
      this.setPhase('reconnecting');
      // XEP-0176 §7: the initiator restarts ICE when the path stays down.
      if (this.role === 'initiator') this.disconnectTimer = this.deps.clock.setTimeout(() => this.restartIce(), ICE_RESTART_AFTER_MS);
      return;
    }
    if (state === 'connected' && this.phase === 'reconnecting') {
      this.mark('reconnected');
      this.setPhase('connected');
      return;
    }
    if (state === 'connected' && this.phase !== 'connected') {
      this.connectedAt = this.deps.clock.now();
      this.mark('connected');
      this.setPhase('connected');
      this.sendInfo({ kind: 'active' });
    } else if (state === 'failed') {
      this.fail('connectivity-error', 'the media connection failed');
    }
  }

  /**
   * Restarts ICE (XEP-0176 §7, as Conversations does): a transport-info with new
   * credentials and no candidates; the peer answers with its own. Only the
   * initiator restarts, so two restarts never cross.
   */
  restartIce(): void {
    if (this.role !== 'initiator' || this.state !== 'active' || this.restarting || !this.mediaPeer) return;
    this.restarting = true;
    this.mark('ice-restart');
    this.ice.pause();
    void this.mediaPeer.restartIce().catch((err: Error) => this.fail('connectivity-error', `ICE restart failed: ${err.message}`));
  }

  /** Our new offer or answer within the session: only its ICE credentials go out. */
  private sendNewCredentials(sdp: string): void {
    const { contents } = sdpToJingle(parseSdp(sdp), { author: this.role, creator: 'initiator', names: namesByMid(this.ice.names) });
    this.ice.useCredentials(contents);
    const info: Jingle = {
      action: 'transport-info',
      sid: this.sid,
      groups: [],
      contents: contents.map((c) => ({ creator: 'initiator', name: c.name, transport: { ufrag: c.transport?.ufrag, pwd: c.transport?.pwd, fingerprints: [], candidates: [] } })),
    };
    this.deps.signalling.request(jingleIq(this.peer, info)).catch(() => undefined);
  }

  private onTransportInfo(received: Jingle): void {
    // Candidates of credentials a restart replaced are stale (RFC 8839 §4.3.1.1.1), not a new restart.
    const info = { ...received, contents: received.contents.filter((c) => !this.retiredUfrags.has(c.transport?.ufrag ?? '')) };
    const model = this.remoteModel;
    const peer = this.mediaPeer;
    if (model && peer && info.contents.some((c) => isIceRestart(model, c))) {
      for (const c of model.contents) if (c.transport?.ufrag) this.retiredUfrags.add(c.transport.ufrag);
      const next = applyUpdate(model, info);
      this.remoteModel = next;
      this.ice.pause();
      const version = ++this.descriptionVersion;
      if (this.role === 'responder') {
        // The initiator restarted ICE: its offer, now with new credentials.
        this.offer = { contents: [...next.contents], groups: [...next.groups] };
        const offer = this.style.bundle ? next : { ...next, groups: [] };
        peer.signal({ type: 'offer', sdp: writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: version })) });
      } else if (this.restarting) {
        // The answer to our restart.
        this.restarting = false;
        const local = peer.localDescription;
        const template = local ? slotsOf(parseSdp(local)) : undefined;
        peer.signal({ type: 'answer', sdp: writeSdp(jingleToSdp(next, { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: version, ...(template ? { template } : {}) })) });
        this.mark('ice-restarted');
      } else {
        // The responder asks for a restart: we make it; its new credentials come in the answer.
        this.restartIce();
      }
    }
    this.ice.remote(info);
  }

  private sendInfo(info: SessionInfo): void {
    const jingle: Jingle = { action: 'session-info', sid: this.sid, contents: [], groups: [], info };
    this.deps.signalling.request(jingleIq(this.peer, jingle)).catch(() => undefined);
  }

  private applyTrackStates(): void {
    for (const track of this.localStream?.getTracks() ?? []) track.enabled = !this.held && !(track.kind === 'audio' && this.muted);
  }

  private offerContentName(media: CallMedia): string | undefined {
    const contents = this.offer?.contents ?? this.localContents;
    return contents.find((c) => c.description?.media === media)?.name;
  }

  private fail(condition: string, text: string): void {
    this.finish({ condition, text }, 'local', true);
  }

  private terminate(reason: Reason): void {
    this.finish(reason, 'local', true);
  }

  private finish(reason: Reason, endedBy: EndedBy, tellPeer: boolean, message?: string): void {
    if (this.state === 'ended') return;
    this.transition('terminate');
    this.endReason = reason;
    this.endedBy = endedBy;
    this.endMessage = message ?? describeEnd(reason, endedBy, this.deps.nameOf(this.peer));
    this.mark('ended');
    this.deps.clock.clearTimeout(this.ringTimer);
    this.deps.clock.clearTimeout(this.disconnectTimer);
    this.farewell(reason, tellPeer);
    this.mediaPeer?.destroy();
    this.mediaPeer = undefined;
    this.deps.stopMedia(this.localStream);
    // An ended call keeps its timeline, not its media.
    this.localStream = undefined;
    this.remoteStream = undefined;
    if (this.heldDescription) this.deps.clock.clearTimeout(this.heldDescription.timer);
    this.heldDescription = undefined;
    this.ice.clear();
    this.setPhase('ended');
  }

  /** What the peer is told as the call ends: Jingle if a session exists, XEP-0353 around it. */
  private farewell(reason: Reason, tellPeer: boolean): void {
    // Before our session-initiate went out, or the peer's arrived, no Jingle session exists.
    const sessionExists = this.role === 'responder' ? Boolean(this.offer) : this.ice.open;
    if (tellPeer && sessionExists) {
      const jingle: Jingle = { action: 'session-terminate', sid: this.sid, contents: [], groups: [], reason };
      this.deps.signalling.request(jingleIq(this.peer, jingle)).catch(() => undefined);
    }
    if (!this.ringing) return;
    // XEP-0353 §4.4: both sides send <finish/> once a session has been.
    if (sessionExists) this.ringing.finish(this.peer, reason);
    else if (tellPeer && this.role === 'initiator') this.ringing.retract(this.peer, reason);
    else if (tellPeer) this.ringing.reject(this.peer, reason);
  }

  private transition(event: SessionEvent): void {
    const next = nextState(this.state, event);
    if (!next) throw new Error(`${event} in state ${this.state}`);
    this.state = next;
  }

  private setPhase(phase: CallPhase): void {
    this.phase = phase;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener(this);
  }
}
