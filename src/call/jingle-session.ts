// One call: a XEP-0166 session over one MediaPeer.
import {
  type Jingle, type JingleError, type Reason, type Role, type SessionInfo,
  NS, badRequest, outOfOrder, unknownSession, unsupportedInfo,
} from '../jingle/index.ts';
import type { DeviceChoice, DeviceKind } from '../media/device-choice.ts';
import type { CallMedia, OpenedMedia, OpenOptions } from '../media/devices.ts';
import type { MediaPeerFactory, PeerState, SdpEntry } from '../media/media-peer.ts';
import type { TrackFigures } from '../media/track-figures.ts';
import type { MediaStats } from '../media/stats.ts';
import { IqError, NotSentError } from '../xmpp/connection.ts';
import { bareJid, sameBare, sameJid } from '../xmpp/jid.ts';
import type { Clock } from './clock.ts';
import type { VideoState } from './content-changes.ts';
import { describeEnd, type EndedBy, reasonForRefusal } from './end-reasons.ts';
import { DIRECT_ONLY, type IcePlan } from './ice-plan.ts';
import { RING_TIMEOUT_MS, Ringing } from './jmi.ts';
import { Negotiation } from './negotiation.ts';
import { LocalMedia, type OwnContent } from './local-media.ts';
import { afterInfo, NOTHING_SAID, type PeerActivity } from './session-info.ts';
import { mayReceive, nextState, type SessionEvent, type SessionState } from './session-state.ts';
import { jingleIq, type Signalling } from './signalling.ts';
import type { WireStyle } from './wire-style.ts';

/** One step of a call, at `clock.now()`. */
export interface TimelineEvent {
  name: string;
  at: number;
}

/** How long a peer that went offline may stay without media before the call ends. */
export const GONE_GRACE_MS = 5000;
/** XEP-0353: after our proceed, how long the caller's session-initiate may take. */
export const INITIATE_DEADLINE_MS = 15_000;
/** After a device proceeded (it has accepted), how long its session-accept may take. */
export const ACCEPT_DEADLINE_MS = 20_000;
/** From the answer until the media connection is up. */
export const CONNECT_DEADLINE_MS = 20_000;
/** An incoming call rings here at most this long: a little past the caller's own limit. */
export const INCOMING_RING_LIMIT_MS = RING_TIMEOUT_MS + 15_000;

/** What the end screen says when the server stayed out of reach. */
const SERVER_LOST = 'Could not reach the server: the call ended on this side';

/** Our microphone, camera and screen, as the call's controls show them. */
export interface CallControls {
  muted: boolean;
  held: boolean;
  /** A microphone sends (false: none, or blocked: the call is received only). */
  microphone: boolean;
  /** Our camera sends. */
  camera: boolean;
  /** Our screen sends in its place. */
  sharing: boolean;
  canCamera: boolean;
  canShare: boolean;
  /** Why the camera cannot be turned on, when it cannot. */
  why?: string;
  /** The last device change, or why it failed. */
  notice?: string;
}

/** What the user sees of a call. */
export type CallPhase = 'starting' | 'calling' | 'ringing' | 'incoming' | 'connecting' | 'connected' | 'reconnecting' | 'ended';

export interface SessionDeps {
  signalling: Signalling;
  peerFactory: MediaPeerFactory;
  /** The devices a call starts with; one we answer may go on without a microphone (`receiveOnly`). */
  openMedia: (media: CallMedia, options: OpenOptions) => Promise<OpenedMedia>;
  /**
   * The kinds of track openMedia will give, when known before the devices
   * open (devices.ts foreseeTracks): the callee's answer need not wait for them.
   */
  foreseeMedia?: (media: CallMedia, choice: DeviceChoice) => Promise<CallMedia[] | undefined>;
  /** The camera alone (the chosen one, or `deviceId`), for video added or switched mid-call. */
  openCamera: (deviceId?: string) => Promise<MediaStream>;
  openMicrophone: (deviceId?: string) => Promise<MediaStream>;
  openScreen: () => Promise<MediaStream>;
  stopMedia: (stream: MediaStream | undefined) => void;
  /** The devices the user chose, and remembering a new choice. */
  deviceChoice: () => DeviceChoice;
  rememberDevices: (choice: DeviceChoice) => void;
  /** What a device of the peer advertises (disco#info), when known. */
  featuresOf: (jid: string) => ReadonlySet<string> | undefined;
  clock: Clock;
  /** A display name for a JID, for end messages. */
  nameOf: (jid: string) => string;
  wireStyle: () => WireStyle;
  /** The STUN/TURN servers for a call about to start (XEP-0215), or why it cannot. */
  ice: () => Promise<IcePlan | { refused: string }>;
}

/** What a callee's answer waits for, from Accept on. */
interface Answering {
  /** Whether the call can go on: the devices opened and the STUN/TURN servers are known. */
  ready: Promise<boolean>;
  /** The peer connection for the offer was made, with these devices (and the kinds foreseen), or not. */
  peer: Promise<{ stream: Promise<MediaStream>; sends: CallMedia[] | undefined } | false>;
}

export class JingleSession {
  state: SessionState = 'pending';
  phase: CallPhase;
  endReason?: Reason;
  endedBy?: EndedBy;
  /** A sentence for the end screen. */
  endMessage?: string;
  remoteStream?: MediaStream;
  readonly startedAt: number;
  connectedAt?: number;
  /** Every step of the call, for the inspector and the benchmark. */
  readonly timeline: TimelineEvent[] = [];
  /** Told of every description and candidate our peer connection makes or is given (the inspector keeps them, not the session). */
  private readonly describedListeners = new Set<(entry: SdpEntry & { at: number }) => void>();
  /** Answered without our camera. */
  private audioOnly = false;
  /** What the peer said of its side (session-info). */
  peerActivity: PeerActivity = NOTHING_SAID;
  /** What the devices could not do as the call started (no camera, microphone blocked), in words. */
  mediaNotice?: string;
  /** A mute or hold the peer could not be told of, in words. */
  infoUndelivered?: string;
  /** The STUN/TURN servers and ICE policy the call's peer connection got. */
  ice: IcePlan = DIRECT_ONLY;
  /** The callee's devices and servers, being made ready since Accept. */
  private answering?: Answering;
  /**
   * Callee: the tracks our devices will give, foreseen while the call rings
   * (for the device choice of that moment), so that Accept does not wait to
   * ask the browser, whose device requests then queue behind getUserMedia().
   */
  private foresight?: { choice: DeviceChoice; sends: Promise<CallMedia[] | undefined> };

  private readonly listeners = new Set<(session: JingleSession) => void>();
  private readonly negotiation: Negotiation;
  /** Our devices, and what our video sends. */
  private readonly local: LocalMedia;

  /** XEP-0353 ringing, when the call started that way. */
  readonly ringing?: Ringing;
  private ringTimer?: unknown;
  /** The one step the call waits for now, with its deadline (docs/interop.md, Faults). */
  private deadline?: unknown;
  private goneTimer?: unknown;
  /** The peer's resource sent unavailable presence (docs/interop.md, Faults). */
  private peerOffline = false;

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
    if (via === 'jmi') this.ringing = new Ringing(deps.signalling, sid);
    this.local = this.localMedia();
    this.negotiation = this.negotiate(deps.wireStyle());
    this.mark(role === 'initiator' ? 'call-started' : via === 'jmi' ? 'propose-received' : 'session-initiate-received');
    // A caller that vanished (its retract lost for good) must not leave this device ringing.
    if (role === 'responder') {
      this.ringTimer = deps.clock.setTimeout(() => this.end({ condition: 'timeout' }, 'local', true, `Missed call from ${deps.nameOf(this.peer)}`), INCOMING_RING_LIMIT_MS);
      if (deps.foreseeMedia) {
        const choice = deps.deviceChoice();
        this.foresight = { choice, sends: this.foresee(media, choice) };
      }
    }
  }

  get peer(): string {
    return this.peerJid;
  }

  /** A call by direct session-initiate to a full JID (peers without XEP-0353). */
  static outgoing(deps: SessionDeps, sid: string, peer: string, media: CallMedia): JingleSession {
    const session = new JingleSession(deps, sid, peer, 'initiator', media);
    // The callee rings (session-info <ringing/>) until it answers or this runs out.
    session.ringTimer = deps.clock.setTimeout(() => session.end({ condition: 'timeout' }, 'local', true), RING_TIMEOUT_MS);
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
    session.negotiation.holdUntilProceed();
    session.ringing!.propose(callee, media === 'video' ? ['audio', 'video'] : ['audio']).catch((err: unknown) => session.undelivered(err));
    session.mark('propose-sent');
    session.phase = 'calling';
    session.ringTimer = deps.clock.setTimeout(() => session.end({ condition: 'timeout' }, 'local', true), RING_TIMEOUT_MS);
    void session.start();
    return session;
  }

  /** A proposal that rings here until the user answers, or another device does. */
  static proposal(deps: SessionDeps, sid: string, caller: string, media: CallMedia): JingleSession {
    return new JingleSession(deps, sid, caller, 'responder', media, 'jmi');
  }

  /** Whether this session waits for a session-initiate from this JID (a proposal we accepted). */
  expectsInitiate(from: string): boolean {
    return Boolean(this.ringing) && this.role === 'responder' && !this.negotiation.offer && this.phase === 'connecting' && sameJid(from, this.peer);
  }

  /**
   * The same session-initiate again, from the same peer: it lost our answer
   * (or its own request) while a stream was down. Acknowledged; our
   * session-accept, if it went, goes again.
   */
  isRepeatedInitiate(from: string): boolean {
    return this.role === 'responder' && Boolean(this.negotiation.offer) && sameJid(from, this.peer) && this.state !== 'ended';
  }

  initiateRepeated(): void {
    this.negotiation.describeAgain('session-accept');
  }

  /** XEP-0353: a proposal we accepted, proposed again: the caller lost our proceed. */
  proposedAgain(from: string): void {
    if (this.role === 'responder' && this.ringing && this.phase === 'connecting' && !this.negotiation.offer && sameJid(from, this.peer)) {
      this.ringing.proceedAgain(this.peer).catch(() => undefined);
    }
  }

  /**
   * This device re-bound after the stream could not resume: what the peer
   * must know is said again, what it may have lost is asked for again.
   */
  reannounce(): void {
    if (this.state === 'ended') return;
    if (this.role === 'initiator' && this.ringing && (this.phase === 'calling' || this.phase === 'ringing')) {
      // Our proposal may have lost its proceed: the device that accepted says it again.
      this.ringing.proposeAgain(this.peer).catch(() => undefined);
    } else if (this.role === 'initiator' && this.state === 'pending') {
      this.negotiation.describeAgain('session-initiate');
    } else if (this.role === 'responder' && this.ringing && this.phase === 'connecting' && !this.negotiation.offer) {
      this.ringing.proceedAgain(this.peer).catch(() => undefined);
    }
  }

  /** The session-initiate of a proposal we accepted: answer it without asking again. */
  takeOffer(initiate: Jingle): void {
    this.negotiation.takeOffer(initiate);
    this.mark('session-initiate-received');
    this.clearDeadline();
    // XEP-0166 §7.2: acknowledged first, answered after.
    this.deps.clock.setTimeout(() => this.answerSoon(), 0);
  }

  /** XEP-0353: a device of the callee proceeds; our session-initiate goes to it alone. */
  proceeded(from: string): void {
    // The same device proceeds again (it re-bound and lost our session-initiate): say it again.
    if (this.phase === 'connecting' && this.state === 'pending' && sameJid(from, this.peer)) {
      this.negotiation.describeAgain('session-initiate');
      return;
    }
    if (this.phase !== 'calling' && this.phase !== 'ringing') return;
    this.deps.clock.clearTimeout(this.ringTimer);
    this.peerJid = from;
    this.mark('proceed-received');
    this.setPhase('connecting');
    this.negotiation.proceed();
    // The callee has accepted: its session-accept should follow our session-initiate at once.
    this.waitFor(ACCEPT_DEADLINE_MS, { condition: 'timeout' }, `${this.deps.nameOf(from)} answered, but the call could not be set up`);
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
    session.negotiation.takeOffer(initiate);
    return session;
  }

  get direction(): 'outgoing' | 'incoming' {
    return this.role === 'initiator' ? 'outgoing' : 'incoming';
  }

  /** Notes a step of the call now. */
  mark(name: string): void {
    this.timeline.push({ name, at: this.deps.clock.now() });
  }

  onDescribed(listener: (entry: SdpEntry & { at: number }) => void): () => void {
    this.describedListeners.add(listener);
    return () => this.describedListeners.delete(listener);
  }

  subscribe(listener: (session: JingleSession) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stats(): Promise<MediaStats | undefined> {
    return this.negotiation.peerConnection?.getStats();
  }

  /** Per-track figures for the inspector's graphs; empty before the peer connection exists. */
  async trackFigures(): Promise<TrackFigures[]> {
    return (await this.negotiation.peerConnection?.trackFigures?.()) ?? [];
  }

  /**
   * The callee accepts: open the devices, answer the offer. No candidate is
   * gathered before this. `audioOnly` answers a video call without our camera:
   * the caller's video still comes in, and the caller sees our name.
   */
  async accept({ audioOnly = false }: { audioOnly?: boolean } = {}): Promise<void> {
    if (this.phase !== 'incoming') return;
    this.audioOnly = audioOnly;
    this.deps.clock.clearTimeout(this.ringTimer);
    this.mark('accept');
    this.setPhase('connecting');
    // XEP-0353: our other devices stop ringing, the caller sends its session-initiate.
    if (!this.negotiation.offer && this.ringing) {
      this.ringing.accept(this.peer).catch((err: unknown) => this.undelivered(err));
      this.waitFor(INITIATE_DEADLINE_MS, { condition: 'timeout' }, `${this.deps.nameOf(this.peer)}'s call never arrived after you answered`);
    }
    const answering = this.prepareAnswer();
    this.answering = answering;
    if (this.negotiation.offer) this.answerSoon();
    await answering.ready;
  }

  /**
   * From Accept on: our devices open, and the STUN/TURN servers are learnt;
   * `ready` says whether the call can go on once both are known. The peer
   * connection is made as soon as the servers are known, before the offer
   * comes (it gathers nothing until it has one): its certificate and
   * transports are then ready for it.
   */
  private prepareAnswer(): Answering {
    const devices = this.openDevices();
    const foreseen = this.foreseen();
    const ice = this.deps.ice().catch(() => DIRECT_ONLY);
    const ready = Promise.all([devices, ice]).then(([opened, plan]) => {
      if (!opened) return false;
      if ('refused' in plan) {
        this.end({ condition: 'failed-transport', text: 'no TURN relay for a relay-only call' }, 'local', true, plan.refused);
        return false;
      }
      return true;
    });
    const peer = Promise.all([ice, foreseen]).then(([plan, sends]) => {
      if (this.state === 'ended' || 'refused' in plan) return false;
      this.ice = plan;
      const stream = devices.then((opened) => (opened && this.local.stream ? this.local.stream : Promise.reject(new Error('no devices'))));
      // Handled here too: the peer connection may be gone before it asks.
      stream.catch(() => undefined);
      try {
        this.negotiation.preparePeer(stream, sends);
        return { stream, sends };
      } catch (err) {
        this.fail('failed-application', (err as Error).message);
        return false;
      }
    });
    return { ready, peer };
  }

  /** What the devices will give, for an answer made before they open; undefined when it cannot be told. */
  private foreseen(): Promise<CallMedia[] | undefined> {
    const media = this.audioOnly ? 'audio' : this.media;
    const choice = this.deps.deviceChoice();
    const early = this.foresight;
    if (early && media === this.media && early.choice.microphone === choice.microphone && early.choice.camera === choice.camera) return early.sends;
    return this.foresee(media, choice);
  }

  private foresee(media: CallMedia, choice: DeviceChoice): Promise<CallMedia[] | undefined> {
    return this.deps.foreseeMedia?.(media, choice).catch(() => undefined) ?? Promise.resolve(undefined);
  }

  /**
   * Answers the offer on the peer connection made at Accept: the offer is
   * applied while our devices still open. When the tracks they will give are
   * foreseen, the answer goes at once and the tracks follow onto its
   * senders; otherwise it goes as soon as they are open (media-peer.ts).
   */
  private answerSoon(): void {
    const answering = this.answering;
    if (!answering || !this.negotiation.offer) return;
    void answering.peer.then((made) => {
      if (!made || this.state === 'ended') return;
      try {
        this.negotiation.answerWith();
      } catch (err) {
        this.fail('failed-application', (err as Error).message);
        return;
      }
      const { stream, sends } = made;
      if (sends) void stream.then((opened) => this.sayUnsent(sends, opened), () => undefined);
    });
  }

  /**
   * An answer made before the devices opened promised each foreseen kind;
   * one they did not give after all (a camera busy, a prompt denied) sends
   * nothing, and the peer is told so as for a muted one (XEP-0167 §7.3).
   */
  private sayUnsent(foreseen: readonly CallMedia[], opened: MediaStream): void {
    if (this.state === 'ended') return;
    for (const kind of foreseen) {
      if (opened.getTracks().some((t) => t.kind === kind)) continue;
      const name = this.negotiation.contentName(kind);
      if (name) this.sendInfo({ kind: 'mute', creator: 'initiator', name });
    }
  }

  /** XEP-0167 §7.4: tells the caller that its direct session-initiate rings here. */
  ring(): void {
    if (this.role === 'responder' && this.phase === 'incoming') this.sendInfo({ kind: 'ringing' });
  }

  /** Mutes or unmutes the microphone, and says so (XEP-0167 §7.3). */
  setMuted(muted: boolean): void {
    if (this.state === 'ended' || !this.local.setMuted(muted)) return;
    this.notify();
    const audio = this.negotiation.contentName('audio');
    this.sendInfo({ kind: muted ? 'mute' : 'unmute', creator: 'initiator', ...(audio ? { name: audio } : {}) });
  }

  /** Puts the call on hold (nothing sent) or takes it off, and says so (XEP-0167 §7.2). */
  setHeld(held: boolean): void {
    if (this.state === 'ended' || !this.local.setHeld(held)) return;
    this.notify();
    this.sendInfo({ kind: held ? 'hold' : 'unhold' });
  }

  /** Ends an incoming session we cannot take, before it rings. */
  refuse(condition: 'unsupported-applications' | 'unsupported-transports' | 'busy'): void {
    this.end({ condition }, 'local', true);
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
    this.end({ condition: 'expired' }, 'local', false, '');
  }

  /** XEP-0166: whether a peer's request fits this session, checked before it is acknowledged. */
  check(jingle: Jingle, from: string): JingleError | undefined {
    if (!sameJid(from, this.peer)) return unknownSession();
    if (!mayReceive(jingle.action, this.state, this.role)) return outOfOrder(`${jingle.action} does not fit a ${this.state} session`);
    if (jingle.action === 'session-info' && jingle.info?.kind === 'unsupported') return unsupportedInfo();
    if (jingle.action === 'session-accept' && jingle.contents.length === 0) return badRequest('session-accept without content');
    if (jingle.action === 'transport-info') return this.negotiation.checkTransportInfo(jingle);
    if (jingle.action.startsWith('content-')) return this.negotiation.changes.check(jingle);
    if (['transport-replace', 'description-info', 'security-info', 'transport-accept', 'transport-reject'].includes(jingle.action)) {
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
          return this.end(jingle.reason ?? { condition: 'success' }, 'remote', false);
        case 'transport-info':
          return this.negotiation.takeTransportInfo(jingle);
        case 'content-add':
        case 'content-accept':
        case 'content-reject':
        case 'content-modify':
        case 'content-remove':
          return this.negotiation.changes.receive(jingle);
        case 'session-info':
          this.peerActivity = afterInfo(this.peerActivity, jingle.info, (name) => this.negotiation.mediaOf(name));
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
    if (!(await this.prepare())) return;
    try {
      this.negotiation.offerWith(this.local.stream!);
    } catch (err) {
      this.fail('failed-application', (err as Error).message);
    }
  }

  /** Opens the devices and learns the call's STUN/TURN servers, both at once. */
  private async prepare(): Promise<boolean> {
    const [opened, ice] = await Promise.all([this.openDevices(), this.deps.ice().catch(() => DIRECT_ONLY)]);
    if (!opened) return false;
    if ('refused' in ice) {
      this.end({ condition: 'failed-transport', text: 'no TURN relay for a relay-only call' }, 'local', true, ice.refused);
      return false;
    }
    this.ice = ice;
    return true;
  }

  private async openDevices(): Promise<boolean> {
    try {
      const opened = await this.deps.openMedia(this.audioOnly ? 'audio' : this.media, { receiveOnly: this.role === 'responder', choice: this.deps.deviceChoice() });
      if (this.state === 'ended') {
        this.deps.stopMedia(opened.stream);
        return false;
      }
      this.local.take(opened.stream, opened.noMicrophone);
      this.mark('devices-open');
      this.mediaNotice = opened.notice;
      if (opened.notice) this.mark(opened.noMicrophone ? 'receive-only' : 'no-camera');
      this.notify();
      return true;
    } catch (err) {
      // Nothing has gone to the callee yet when the caller's devices fail.
      this.end({ condition: 'media-error', text: (err as Error).message }, 'local', this.role === 'responder');
      return false;
    }
  }

  private onRequestRefused(action: string, err: unknown): void {
    if (err instanceof NotSentError) return this.undelivered(err);
    if (this.state === 'ended') return;
    // The peer refused the session, so it knows of none to terminate.
    this.end(reasonForRefusal(action, err instanceof IqError ? err.condition : 'remote-server-timeout'), 'remote', false);
  }

  private onSessionAccept(accept: Jingle): void {
    // The same answer again, from a peer that re-bound and was asked again: taken once.
    if (this.state === 'active') return;
    this.mark('session-accept-received');
    this.deps.clock.clearTimeout(this.ringTimer);
    this.transition('accept');
    if (!this.negotiation.takeAnswer(accept)) return this.fail('failed-application', 'the answer accepts no content of the offer');
    this.setPhase('connecting');
    this.awaitMedia();
  }

  /** Answered: the media connection must come up before the deadline. */
  private awaitMedia(): void {
    this.waitFor(CONNECT_DEADLINE_MS, { condition: 'connectivity-error', text: 'the media connection never came up' }, `No media connection to ${this.deps.nameOf(this.peer)} could be made`);
  }

  /** Ends the call with `reason` unless `clearDeadline()` comes first. */
  private waitFor(ms: number, reason: Reason, message: string): void {
    this.clearDeadline();
    this.deadline = this.deps.clock.setTimeout(() => this.end(reason, 'local', true, message), ms);
  }

  private clearDeadline(): void {
    this.deps.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  /**
   * What this side said could not reach the server in time: a call still
   * going ends here; an ended one says that the peer may not know.
   */
  private undelivered(err: unknown): void {
    if (!(err instanceof NotSentError)) return;
    if (this.state !== 'ended') {
      this.end({ condition: 'connectivity-error', text: 'the server could not be reached' }, 'local', true, SERVER_LOST);
      return;
    }
    if (this.endMessage === SERVER_LOST || this.endMessage?.includes('may not know')) return;
    this.endMessage = `${this.endMessage} (${this.deps.nameOf(this.peer)} may not know: the server could not be reached)`;
    this.notify();
  }

  private onPeerState(state: PeerState): void {
    if (this.state === 'ended') return;
    const down = state === 'disconnected' && this.phase === 'connected';
    // XEP-0176 §7: a restart when the path stays down.
    this.negotiation.iceDown(down);
    if (down) {
      this.setPhase('reconnecting');
    } else if (state === 'connected' && this.phase === 'reconnecting') {
      this.mark('reconnected');
      this.setPhase('connected');
    } else if (state === 'connected' && this.phase !== 'connected') {
      this.clearDeadline();
      this.connectedAt = this.deps.clock.now();
      this.mark('connected');
      this.setPhase('connected');
      this.sendInfo({ kind: 'active' });
    } else if (state === 'failed') {
      this.fail('connectivity-error', 'the media connection failed');
    }
    this.watchPeerOffline();
  }

  /** Video in the call: who sends, who asks (XEP-0166 content-add). */
  get video(): VideoState {
    return this.negotiation.changes.state;
  }

  /** Whether the camera button may add video now. */
  get canAddVideo(): boolean {
    return this.phase === 'connected' && (this.negotiation.changes.canAdd || this.video.asked);
  }

  /** Our microphone, camera and screen as the controls show them. */
  get controls(): CallControls {
    const video = this.negotiation.changes.own('video');
    const connected = this.phase === 'connected';
    const switchable = connected && Boolean(video?.sendable);
    return {
      muted: this.local.muted,
      held: this.local.held,
      microphone: !this.local.noMicrophone,
      camera: this.local.source === 'camera' && (!video || this.video.sending || this.phase !== 'connected'),
      sharing: this.local.source === 'screen',
      canCamera: switchable || this.canAddVideo,
      canShare: switchable || (connected && this.negotiation.changes.canAdd),
      ...(video && !video.sendable && connected ? { why: `${this.deps.nameOf(this.peer)}'s app takes no video from you in this call` } : {}),
      ...(this.local.notice ? { notice: this.local.notice } : {}),
    };
  }

  /** Our stream: microphone, and camera or screen. */
  get localStream(): MediaStream | undefined {
    return this.local.stream;
  }

  get muted(): boolean {
    return this.local.muted;
  }

  get held(): boolean {
    return this.local.held;
  }

  /**
   * Turns our camera on or off: in a call with a video content, the track
   * on its sender (session-info tells the peer); in an audio call, a
   * content-add of video, or the answer to the peer's own request.
   */
  setCamera(on: boolean): void {
    if (this.state === 'ended') return;
    if (this.negotiation.changes.own('video')?.sendable) {
      void this.local.setSource(on ? 'camera' : 'none');
    } else if (on && this.canAddVideo) {
      if (this.video.asked) void this.negotiation.changes.accept();
      else void this.negotiation.changes.add();
    }
  }

  /** Shares a screen in place of the camera (a content-add in an audio call), or stops. */
  shareScreen(on: boolean): void {
    if (this.state === 'ended') return;
    if (this.negotiation.changes.own('video')?.sendable) void this.local.setSource(on ? 'screen' : this.local.afterSharing);
    else if (on && this.phase === 'connected' && this.negotiation.changes.canAdd) void this.negotiation.changes.add('screen');
  }

  /** Switches the microphone or camera now (no renegotiation), or the speaker; the choice is remembered. */
  useDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.local.useDevice(kind, deviceId);
  }

  /** Takes the peer's request to turn on video, with our camera when it asked for it. */
  acceptVideo(): void {
    void this.negotiation.changes.accept();
  }

  /** Declines the peer's request to turn on video; the call goes on as it was. */
  declineVideo(): void {
    this.negotiation.changes.decline();
  }

  /** Restarts ICE: new credentials, as after a network change (XEP-0176 §7). */
  restartIce(): void {
    this.negotiation.restartIce();
  }

  /** The peer's resource went offline (unavailable presence), or came back. */
  peerPresence(online: boolean): void {
    if (this.state === 'ended') return;
    this.peerOffline = !online;
    this.watchPeerOffline();
  }

  /**
   * docs/interop.md, Faults: a peer that went offline ends the call with `gone`,
   * once its media has stopped for a grace period; while media flows, the
   * call goes on (its stream may resume).
   */
  private watchPeerOffline(): void {
    this.deps.clock.clearTimeout(this.goneTimer);
    this.goneTimer = undefined;
    if (!this.peerOffline || this.phase === 'connected' || this.state === 'ended') return;
    this.goneTimer = this.deps.clock.setTimeout(() => this.end({ condition: 'gone' }, 'remote', false), GONE_GRACE_MS);
  }

  private localMedia(): LocalMedia {
    const session = this;
    const deps = this.deps;
    return new LocalMedia({
      get ended() { return session.state === 'ended'; },
      get peerName() { return deps.nameOf(session.peer); },
      devices: {
        openCamera: (id) => deps.openCamera(id),
        openMicrophone: (id) => deps.openMicrophone(id),
        openScreen: () => deps.openScreen(),
        stopMedia: (stream) => deps.stopMedia(stream),
        choice: () => deps.deviceChoice(),
        remember: (choice) => deps.rememberDevices(choice),
      },
      mediaPeer: () => this.negotiation.peerConnection,
      content: (media): OwnContent | undefined => this.negotiation.changes.own(media),
      tell: (info) => this.sendInfo(info),
      mark: (name) => this.mark(name),
      changed: () => this.notify(),
    });
  }

  private negotiate(style: WireStyle): Negotiation {
    const session = this;
    const deps = this.deps;
    return new Negotiation({
      get sid() { return session.sid; },
      get role() { return session.role; },
      get peer() { return session.peer; },
      get ended() { return session.state === 'ended'; },
      get active() { return session.state === 'active'; },
      signalling: deps.signalling,
      clock: deps.clock,
      peerFactory: deps.peerFactory,
      style,
      get ice() { return session.ice; },
      get peerName() { return deps.nameOf(session.peer); },
      camera: this.local.camera,
      wantsVideo: this.media === 'video',
      videoChanged: () => this.notify(),
      describing: (action) => {
        if (action === 'session-accept') {
          this.transition('accept');
          this.awaitMedia();
        } else if (!this.ringing) this.setPhase('calling');
      },
      remoteStream: (stream) => {
        this.remoteStream = stream;
        this.notify();
      },
      peerState: (state) => this.onPeerState(state),
      mark: (name) => this.mark(name),
      described: (entry) => {
        const at = deps.clock.now();
        for (const listener of this.describedListeners) listener({ ...entry, at });
      },
      fail: (condition, text) => this.fail(condition, text),
      refused: (action, err) => this.onRequestRefused(action, err),
    });
  }

  /**
   * Session-info (XEP-0167 §7) informs; it changes no state. One that never
   * reached the server ends nothing, but the user learns the peer was not told.
   */
  private sendInfo(info: SessionInfo): void {
    // Our own payload goes only to a peer that says it knows it; any other would answer <unsupported-info/>.
    if (info.kind === 'screen' && !this.deps.featuresOf(this.peer)?.has(NS.screenShare)) return;
    this.deps.signalling.request(jingleIq(this.peer, { action: 'session-info', sid: this.sid, contents: [], groups: [], info })).then(() => {
      if (!this.infoUndelivered || !['mute', 'unmute', 'hold', 'unhold'].includes(info.kind)) return;
      this.infoUndelivered = undefined;
      this.notify();
    }, (err: unknown) => {
      if (!(err instanceof NotSentError) || this.state === 'ended' || !['mute', 'unmute', 'hold', 'unhold'].includes(info.kind)) return;
      this.infoUndelivered = `${this.deps.nameOf(this.peer)} was not told (${info.kind}): the server could not be reached`;
      this.notify();
    });
  }

  /**
   * A request whose error reply changes nothing. When `told`, one that never
   * left (the server stayed out of reach) is told to the user.
   */
  private request(told: boolean, jingle: Jingle): void {
    const patient = jingle.action === 'session-terminate';
    this.deps.signalling.request(jingleIq(this.peer, jingle), undefined, patient ? { patient } : undefined).catch((err: unknown) => {
      if (told) this.undelivered(err);
    });
  }

  private fail(condition: string, text: string): void {
    this.end({ condition, text }, 'local', true);
  }

  private terminate(reason: Reason): void {
    this.end(reason, 'local', true);
  }

  /**
   * Ends the call: `tellPeer` says session-terminate (or XEP-0353's retract or
   * reject); `message` replaces the end screen's sentence.
   */
  end(reason: Reason, endedBy: EndedBy, tellPeer: boolean, message?: string): void {
    if (this.state === 'ended') return;
    this.transition('terminate');
    this.endReason = reason;
    this.endedBy = endedBy;
    this.endMessage = message ?? describeEnd(reason, endedBy, this.deps.nameOf(this.peer));
    this.mark('ended');
    this.deps.clock.clearTimeout(this.ringTimer);
    this.deps.clock.clearTimeout(this.goneTimer);
    this.clearDeadline();
    this.farewell(reason, tellPeer);
    this.negotiation.close();
    // An ended call keeps its timeline, not its media.
    this.local.stop();
    this.remoteStream = undefined;
    this.setPhase('ended');
  }

  /** What the peer is told as the call ends: Jingle if a session exists, XEP-0353 around it. */
  private farewell(reason: Reason, tellPeer: boolean): void {
    // Before our session-initiate went out, or the peer's arrived, no Jingle session exists.
    const sessionExists = this.negotiation.sessionExists;
    if (tellPeer && sessionExists) this.request(true, { action: 'session-terminate', sid: this.sid, contents: [], groups: [], reason });
    if (!this.ringing) return;
    // XEP-0353 §4.4: both sides send <finish/> once a session has been.
    const told = (sent: Promise<void>) => sent.catch((err: unknown) => this.undelivered(err));
    if (sessionExists) this.ringing.finish(this.peer, reason).catch(() => undefined);
    else if (tellPeer && this.role === 'initiator') told(this.ringing.retract(this.peer, reason));
    else if (tellPeer) told(this.ringing.reject(this.peer, reason));
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
