// Fakes of the call layer's collaborators: signalling, media peer and clock.
import { readFileSync } from 'node:fs';
import type { Clock } from '../src/call/clock.ts';
import type { Signalling } from '../src/call/signalling.ts';
import { type Element, type Jingle, NS, parseXml, readJingle, xml } from '../src/jingle/index.ts';
import type { LocalSignal, MediaPeer, MediaPeerEvents, MediaPeerOptions, PeerState, RemoteSignal } from '../src/media/media-peer.ts';
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
      queueMicrotask(() => {
        this.emit('signal', { type: 'answer', sdp: chromiumSdp(`${this.kind}-answer`) });
        this.emit('stable');
      });
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
    return { inboundAudioBytes: 0, inboundVideoBytes: 0, outboundAudioBytes: 0, outboundVideoBytes: 0, framesDecoded: 0 };
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

/** Lets promise callbacks (getUserMedia, signals) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
