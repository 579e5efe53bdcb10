// Fakes of the call layer's collaborators: signalling, media peer and clock.
import { readFileSync } from 'node:fs';
import type { Clock } from '../src/call/clock.ts';
import type { Signalling } from '../src/call/signalling.ts';
import { type Element, type Jingle, NS, parseXml, readJingle, xml } from '../src/jingle/index.ts';
import type { LocalSignal, MediaPeer, MediaPeerEvents, MediaPeerOptions, PeerState, RemoteSignal } from '../src/media/media-peer.ts';
import { parseSdp, writeSdp } from '../src/sdp/index.ts';
import { IqError, NotSentError } from '../src/xmpp/connection.ts';

export const chromiumSdp = (name: string) => readFileSync(new URL(`./fixtures/chromium/${name}.sdp`, import.meta.url), 'utf8');

export class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;
  now = () => this.time;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== handle);
  };
  /** Timers set and not yet run or cleared. */
  get pending(): number {
    return this.timers.length;
  }
  /** Runs every timer due within `ms`, in order. */
  advance(ms = 0): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.fn();
    }
    this.time = until;
  }
}

export class FakeSignalling implements Signalling {
  readonly jid = 'alice@localhost/desk';
  readonly sent: Element[] = [];
  /** How the peer answers our IQs: a result unless set otherwise. */
  answer: (iq: Element) => Promise<Element> = async (iq) => xml('iq', { type: 'result', id: iq.attrs.id });
  private handler?: (iq: Element) => Element | true;
  private stanzaListeners: ((stanza: Element) => void)[] = [];

  /**
   * The server stays out of reach: what is sent fails as the outbox fails it
   * after its deadline; what is sent `patient` waits for comeBack().
   */
  down = false;
  /** What was given up on while `down`. */
  readonly lost: Element[] = [];
  private held: (() => void)[] = [];

  send = async (stanza: Element, options?: { patient?: boolean }) => {
    if (this.down && options?.patient) return new Promise<void>((resolve) => this.held.push(() => resolve(void this.sent.push(stanza))));
    if (this.down) {
      this.lost.push(stanza);
      throw new NotSentError();
    }
    this.sent.push(stanza);
  };
  request = (iq: Element, _timeoutMs?: number, options?: { patient?: boolean }) => {
    if (this.down && options?.patient) {
      return new Promise<Element>((resolve, reject) => this.held.push(() => {
        this.sent.push(iq);
        this.answer(iq).then(resolve, reject);
      }));
    }
    if (this.down) {
      this.lost.push(iq);
      return Promise.reject(new NotSentError());
    }
    this.sent.push(iq);
    return this.answer(iq);
  };

  /** The server is reachable again: what waited patiently goes out, in order. */
  comeBack(): void {
    this.down = false;
    for (const go of this.held.splice(0)) go();
  }
  handleIqSet = (_xmlns: string, _name: string, handler: (iq: Element) => Element | true) => {
    this.handler = handler;
  };

  private reboundListeners: (() => void)[] = [];

  on = ((event: 'stanza' | 'rebound', listener: (stanza: Element) => void) => {
    if (event === 'rebound') this.reboundListeners.push(listener as () => void);
    else this.stanzaListeners.push(listener);
    return () => undefined;
  }) as Signalling['on'];

  /** The stream could not resume; a new session is bound. */
  rebind(): void {
    for (const listener of this.reboundListeners) listener();
  }

  /** Delivers a message or presence as if from the network. */
  deliver(stanza: Element | string): void {
    const element = typeof stanza === 'string' ? parseXml(stanza) : stanza;
    for (const listener of this.stanzaListeners) listener(element);
  }

  /** The XEP-0353 messages we sent, as `kind id → to`. */
  jmi(): string[] {
    return this.sent
      .filter((s) => s.name === 'message')
      .flatMap((s) => s.getChildElements().filter((c) => c.getNS() === 'urn:xmpp:jingle-message:0').map((c) => `${c.name} ${c.attrs.id} → ${s.attrs.to}`));
  }

  /** Delivers an IQ as if from the network and returns our reply. */
  receive(iq: Element | string): Element | true {
    const element = typeof iq === 'string' ? parseXml(iq) : iq;
    return this.handler!(element);
  }

  /** The Jingle requests we sent, parsed. */
  jingles(action?: string): (Jingle & { to: string })[] {
    return this.sent
      .filter((s) => s.name === 'iq' && s.getChild('jingle', NS.jingle))
      .map((s) => ({ ...readJingle(s.getChild('jingle', NS.jingle)!), to: s.attrs.to ?? '' }))
      .filter((j) => !action || j.action === action);
  }
}

export const refuse = (condition: string) => async () => {
  throw new IqError(condition);
};

/** A media peer that produces Chromium's captured offer or answer. */
export class FakeMediaPeer implements MediaPeer {
  readonly received: RemoteSignal[] = [];
  destroyed = false;
  private local?: string;
  private readonly listeners: { [K in keyof MediaPeerEvents]?: MediaPeerEvents[K][] } = {};

  constructor(
    readonly options: MediaPeerOptions,
    private readonly kind: string,
    holdOffer = false,
  ) {
    if (options.initiator && !holdOffer) queueMicrotask(() => this.emit('signal', { type: 'offer', sdp: chromiumSdp(`${kind}-offer`) }));
  }

  signal(signal: RemoteSignal): void {
    this.received.push(signal);
    if (signal.type === 'answer') queueMicrotask(() => this.emit('stable'));
    if (signal.type === 'offer') {
      // Devices still opening: the offer is taken now, the answer made once they are open.
      const answer = () => {
        this.emit('signal', { type: 'answer', sdp: chromiumSdp(`${this.kind}-answer`) });
        this.emit('stable');
      };
      // Foreseen tracks: the answer goes at once, the tracks follow onto it.
      if (this.options.stream instanceof Promise && !this.options.sends) void this.options.stream.then(answer, () => undefined);
      else queueMicrotask(answer);
    }
  }

  on<K extends keyof MediaPeerEvents>(event: K, listener: MediaPeerEvents[K]): void {
    ((this.listeners[event] ??= []) as MediaPeerEvents[K][]).push(listener);
  }

  emit(event: 'signal', signal: LocalSignal): void;
  emit(event: 'state', state: PeerState): void;
  emit(event: 'error', error: Error): void;
  emit(event: 'stable'): void;
  emit(event: keyof MediaPeerEvents, arg?: unknown): void {
    const signal = arg as LocalSignal;
    if (event === 'signal' && (signal.type === 'offer' || signal.type === 'answer')) this.local = signal.sdp;
    for (const listener of this.listeners[event] ?? []) (listener as (a: unknown) => void)(arg);
  }

  get localDescription() {
    return this.local;
  }
  async getStats() {
    return { inboundAudioBytes: 0, inboundVideoBytes: 0, outboundAudioBytes: 0, outboundVideoBytes: 0, framesDecoded: 0, frameWidth: 0, frameHeight: 0, packetsReceived: 0, packetsLost: 0, jitter: 0, timestamp: 0 };
  }
  /**
   * Mid-call renegotiations, in order: `offer-track`, `answer-offer`,
   * `accept-answer`, `rollback`, `set-sending <mid> <kind or none>`, `stop <mids>`.
   */
  readonly renegotiations: string[] = [];
  /** The remote descriptions offerTrack()/answerOffer() were given, and the track answerOffer() sent. */
  readonly remoteOffers: string[] = [];
  readonly remoteAnswers: string[] = [];
  answeredWith?: MediaStreamTrack | undefined;
  /** The local offer offerTrack() makes: Chromium's own, with video added to an audio call. */
  renegotiationOffer = chromiumSdp('renegotiation-add-video-offer');
  /** Makes the next renegotiation step throw, as Chromium refusing a description. */
  failNext?: string;
  signalingState: 'stable' | 'have-local-offer' = 'stable';
  /** While set, offerTrack() resolves only when it does: the offer is still gathering. */
  offerGate?: Promise<void>;
  private beforeOffer?: string;

  async offerTrack(_track: MediaStreamTrack): Promise<string> {
    this.step('offer-track');
    this.beforeOffer = this.local;
    this.signalingState = 'have-local-offer';
    this.local = this.renegotiationOffer;
    await this.offerGate;
    return this.local;
  }

  async answerOffer(sdp: string, options: { track?: MediaStreamTrack | undefined } = {}): Promise<string> {
    if (this.signalingState === 'have-local-offer') await this.rollback();
    this.step('answer-offer');
    this.remoteOffers.push(sdp);
    this.answeredWith = options.track;
    this.local = answerLike(sdp, chromiumSdp('renegotiation-add-video-answer'));
    return this.local;
  }

  async acceptAnswer(sdp: string): Promise<void> {
    this.step('accept-answer');
    this.remoteAnswers.push(sdp);
    this.signalingState = 'stable';
  }

  async rollback(options: { keepAdded?: boolean } = {}): Promise<void> {
    this.renegotiations.push(options.keepAdded ? 'rollback keeping the added' : 'rollback');
    if (this.signalingState === 'have-local-offer') this.local = this.beforeOffer;
    this.signalingState = 'stable';
  }

  async setSending(mid: string, track: MediaStreamTrack | null): Promise<void> {
    this.renegotiations.push(`set-sending ${mid} ${track?.kind ?? 'none'}`);
  }

  stopMids(mids: readonly string[]): void {
    this.renegotiations.push(`stop ${mids.join(' ')}`);
  }

  private step(name: string): void {
    this.renegotiations.push(name);
    if (this.failNext !== name) return;
    this.failNext = undefined;
    throw new Error(`${name} refused`);
  }

  restarts = 0;
  async restartIce(): Promise<void> {
    this.restarts++;
    const sdp = (this.local ?? '').replace(/a=ice-ufrag:\S+/g, 'a=ice-ufrag:NEWU').replace(/a=ice-pwd:\S+/g, 'a=ice-pwd:newpasswordnewpassword22');
    this.emit('signal', { type: 'offer', sdp });
  }
  destroy(): void {
    this.destroyed = true;
  }
}

/**
 * Chromium's captured answer to a renegotiated offer, with the offer's mids
 * and grouping: what our peer connection would answer to this offer.
 */
function answerLike(offerSdp: string, answerSdp: string): string {
  const offer = parseSdp(offerSdp);
  const answer = parseSdp(answerSdp);
  answer.media = offer.media.map((m, i) => ({ ...(answer.media[i] ?? answer.media.at(-1)!), mid: m.mid, type: m.type }));
  if (offer.groups?.length) answer.groups = offer.groups;
  else delete answer.groups;
  return writeSdp(answer);
}

/** A camera or microphone track: live until stopped. */
export class FakeTrack {
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  private readonly ended: (() => void)[] = [];
  constructor(
    readonly kind: 'audio' | 'video',
    readonly label = '',
  ) {}
  stop(): void {
    this.readyState = 'ended';
  }
  addEventListener(type: string, listener: () => void): void {
    if (type === 'ended') this.ended.push(listener);
  }
  /** Ends on its own, as an unplugged device or the browser's "Stop sharing" does. */
  end(): void {
    this.readyState = 'ended';
    for (const listener of this.ended) listener();
  }
}

/** A MediaStream of fake tracks, as getUserMedia gives it. */
export class FakeStream {
  private tracks: FakeTrack[];
  constructor(...kinds: ('audio' | 'video' | FakeTrack)[]) {
    this.tracks = kinds.map((k) => (typeof k === 'string' ? new FakeTrack(k) : k));
  }
  getTracks = () => [...this.tracks] as unknown as MediaStreamTrack[];
  getAudioTracks = () => this.tracks.filter((t) => t.kind === 'audio') as unknown as MediaStreamTrack[];
  getVideoTracks = () => this.tracks.filter((t) => t.kind === 'video') as unknown as MediaStreamTrack[];
  addTrack = (track: MediaStreamTrack) => void this.tracks.push(track as unknown as FakeTrack);
  removeTrack = (track: MediaStreamTrack) => void (this.tracks = this.tracks.filter((t) => t !== (track as unknown)));
  /** As a MediaStream, for the code under test. */
  get stream(): MediaStream {
    return this as unknown as MediaStream;
  }
}

/** Lets promise callbacks (getUserMedia, signals) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
