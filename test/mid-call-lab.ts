// A call between us (alice) and bob on fakes, for the mid-call tests: an
// audio call set up from Chromium's captured renegotiation fixtures, then
// video added by either side.
import { createCallManager, type CallManager } from '../src/call/call-manager.ts';
import type { JingleSession } from '../src/call/jingle-session.ts';
import type { WireStyle } from '../src/call/wire-style.ts';
import { type Content, type Element, type Jingle, type Role, jingleElement, xml } from '../src/jingle/index.ts';
import type { DeviceChoice } from '../src/media/device-choice.ts';
import { DeviceError } from '../src/media/devices.ts';
import { parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import { FakeClock, FakeMediaPeer, FakeSignalling, FakeStream, FakeTrack, chromiumSdp, settle } from './fakes.ts';

export const ME = 'alice@localhost/desk';
export const BOB = 'bob@localhost/phone';

/** Our reply to an IQ: `result`, or the error's conditions joined by `+`. */
export const reply = (r: Element | true) => (r === true ? 'result' : r.getChildElements().map((c) => c.name).join('+'));

/** The captured Chromium description `name` as Jingle written by `author`. */
export const described = (name: string, author: Role) => sdpToJingle(parseSdp(chromiumSdp(name)), { author });

/** Bob's content-add of his camera: the video content of Chromium's renegotiated offer, BUNDLE kept. */
export function videoAdd(sid: string, author: Role): Jingle {
  const { contents, groups } = described('renegotiation-add-video-offer', author);
  return { action: 'content-add', sid, contents: contents.filter((c) => c.name === '1').map((c) => ({ ...c, creator: 'initiator' })), groups };
}

/** Bob's content-accept of our video: the video content of Chromium's answer to it. */
export function videoAccept(sid: string, author: Role): Jingle {
  const { contents, groups } = described('renegotiation-add-video-answer', author);
  return { action: 'content-accept', sid, contents: contents.filter((c) => c.name === '1').map((c) => ({ ...c, creator: 'initiator', senders: 'both' })), groups };
}

export class MidCallLab {
  readonly signalling = new FakeSignalling();
  readonly clock = new FakeClock();
  readonly peers: FakeMediaPeer[] = [];
  /** The camera streams opened mid-call, and the streams each call opened first. */
  readonly cameras: FakeStream[] = [];
  readonly streams: FakeStream[] = [];
  readonly microphones: FakeStream[] = [];
  readonly screens: FakeStream[] = [];
  /** When set, opening the camera fails with this sentence. */
  cameraFails?: string;
  microphoneFails?: string;
  /** When set, the user closes the screen picker. */
  screenFails?: string;
  /** The devices the user chose, as remembered. */
  choice: DeviceChoice = {};
  /** What Bob's device advertises. */
  peerFeatures?: ReadonlySet<string>;
  style: WireStyle = { bundle: true, candidates: 'trickle' };
  readonly manager: CallManager;
  /** Our requests whose replies the test gives by hand (after holdReplies()). */
  readonly held: { iq: Element; resolve: (r: Element) => void; reject: (e: unknown) => void }[] = [];

  /** Which captured fixtures the call starts with: `renegotiation-audio` (audio) or `audio-video`. */
  private readonly kind: string;

  constructor(options: { kind?: string; sid?: string } = {}) {
    this.kind = options.kind ?? 'renegotiation-audio';
    this.manager = createCallManager({
      signalling: this.signalling,
      clock: this.clock,
      openMedia: async (media) => {
        const stream = media === 'video' ? new FakeStream('audio', 'video') : new FakeStream('audio');
        this.streams.push(stream);
        return { stream: stream.stream };
      },
      openCamera: async (deviceId) => {
        if (this.cameraFails) throw new DeviceError(this.cameraFails);
        const camera = new FakeStream(new FakeTrack('video', deviceId ? `camera ${deviceId}` : 'default camera'));
        this.cameras.push(camera);
        return camera.stream;
      },
      openMicrophone: async (deviceId) => {
        if (this.microphoneFails) throw new DeviceError(this.microphoneFails);
        const microphone = new FakeStream(new FakeTrack('audio', deviceId ? `microphone ${deviceId}` : 'default microphone'));
        this.microphones.push(microphone);
        return microphone.stream;
      },
      openScreen: async () => {
        if (this.screenFails) throw new DeviceError(this.screenFails, 'NotAllowedError');
        const screen = new FakeStream(new FakeTrack('video', 'screen:0'));
        this.screens.push(screen);
        return screen.stream;
      },
      deviceChoice: () => this.choice,
      rememberDevices: (choice) => (this.choice = choice),
      featuresOf: () => this.peerFeatures,
      stopMedia: (s) => s?.getTracks().forEach((t) => t.stop()),
      nameOf: (jid) => (jid.startsWith('bob@') ? 'Bob' : jid.startsWith('alice@') ? 'Alice' : jid),
      newId: () => options.sid ?? 'call-1',
      wireStyle: () => this.style,
      peerFactory: (peerOptions) => {
        const peer = new FakeMediaPeer(peerOptions, this.kind);
        this.peers.push(peer);
        return peer;
      },
    });
  }

  get peer(): FakeMediaPeer {
    return this.peers[0]!;
  }

  /** Delivers a Jingle request as if from `from` (Bob by default) and returns our reply. */
  fromPeer(jingle: Jingle | Element, from = BOB): Element | true {
    const iq = 'action' in jingle ? xml('iq', { type: 'set', from, to: ME, id: `i${Math.random()}` }, jingleElement(jingle)) : jingle;
    return this.signalling.receive(iq);
  }

  /** Lets the acknowledged request act, and what it started finish. */
  async flush(): Promise<void> {
    for (let i = 0; i < 4; i++) {
      this.clock.advance();
      await settle();
    }
  }

  /** We call Bob; he answers with Chromium's captured answer (or `accept`); media connects. */
  async outgoing(media: 'audio' | 'video' = 'audio', peer = BOB, accept?: Jingle): Promise<JingleSession> {
    const session = this.manager.call(peer, media);
    await settle();
    const answer = accept ?? { action: 'session-accept' as const, sid: session.sid, ...described(`${this.kindOf()}-answer`, 'responder') };
    if (this.fromPeer(answer, peer) !== true) throw new Error('session-accept refused');
    await this.flush();
    this.peer.emit('state', 'connected');
    return session;
  }

  /** Bob calls us with Chromium's captured offer; we accept; media connects. */
  async incoming(): Promise<JingleSession> {
    const offer = described(`${this.kindOf()}-offer`, 'initiator');
    if (this.fromPeer({ action: 'session-initiate', sid: 'sid-1', initiator: BOB, ...offer }) !== true) throw new Error('session-initiate refused');
    this.clock.advance();
    const session = this.manager.calls[0]!;
    await session.accept();
    await this.flush();
    this.peer.emit('state', 'connected');
    return session;
  }

  /** From now on, our requests wait for the test to answer them. */
  holdReplies(): void {
    this.signalling.answer = (iq) => new Promise((resolve, reject) => this.held.push({ iq, resolve, reject }));
  }

  /** Our held request of this Jingle action. */
  heldRequest(action: string) {
    const found = this.held.find((h) => h.iq.getChild('jingle')?.attrs.action === action);
    if (!found) throw new Error(`no held ${action}`);
    return found;
  }

  /** The contents of the last Jingle request we sent with this action. */
  sent(action: string): Content[] {
    const all = this.signalling.jingles(action);
    if (!all.length) throw new Error(`no ${action} sent`);
    return all.at(-1)!.contents;
  }

  private kindOf(): string {
    return this.kind;
  }
}
