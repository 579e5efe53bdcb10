// XEP-0353 ringing, one flow per test, with a fake connection, media peer and clock.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type CallManager, createCallManager } from '../src/call/call-manager.ts';
import type { JingleSession } from '../src/call/jingle-session.ts';
import type { CallMedia } from '../src/media/devices.ts';
import type { DeviceChoice } from '../src/media/device-choice.ts';
import { type Element, type Jingle, jingleElement, xml } from '../src/jingle/index.ts';
import { parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import { FakeClock, FakeMediaPeer, FakeSignalling, chromiumSdp, settle } from './fakes.ts';

const ME = 'alice@localhost/desk';
const BOB = 'bob@localhost/phone';
const stream = { getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;

const jmi = (from: string, kind: string, id: string, inner = '', to = ME) =>
  `<message from='${from}' to='${to}' type='chat' id='m-${kind}'><${kind} xmlns='urn:xmpp:jingle-message:0' id='${id}'>${inner}</${kind}></message>`;
const propose = (from: string, id: string, media = 'audio') =>
  `<message from='${from}' to='alice@localhost' type='chat' id='p1'><propose xmlns='urn:xmpp:jingle-message:0' id='${id}'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='${media}'/></propose><request xmlns='urn:xmpp:receipts'/></message>`;
const iqFrom = (from: string, jingle: Jingle): Element => xml('iq', { type: 'set', from, to: ME, id: `i${Math.random()}` }, jingleElement(jingle));
const initiateFrom = (from: string, sid: string): Jingle => ({ action: 'session-initiate', sid, initiator: from, ...sdpToJingle(parseSdp(chromiumSdp('audio-video-offer')), { author: 'initiator' }) });

describe('XEP-0353 ringing', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let manager: CallManager;
  let opened: number;
  let blocked: string[];
  let trusted: boolean;
  let ids: string[];
  let peers: FakeMediaPeer[];
  /** While set, the devices open only when it resolves. */
  let devicesGate: Promise<void> | undefined;
  /** What foreseeMedia says the devices will give. */
  let foreseen: CallMedia[] | undefined;
  /** What foreseeMedia was asked, in order. */
  let foresights: { media: CallMedia; camera?: string }[];
  /** The device choice the session reads. */
  let choice: DeviceChoice;
  /** What the devices give. */
  let devices: MediaStream;

  beforeEach(() => {
    peers = [];
    devicesGate = undefined;
    foreseen = undefined;
    foresights = [];
    choice = {};
    devices = stream;
    signalling = new FakeSignalling();
    clock = new FakeClock();
    opened = 0;
    blocked = [];
    trusted = true;
    ids = ['call-1', 'call-2'];
    manager = createCallManager({
      signalling,
      clock,
      openMedia: async () => {
        opened++;
        await devicesGate;
        return { stream: devices };
      },
      foreseeMedia: async (media, asked) => {
        foresights.push({ media, ...(asked.camera ? { camera: asked.camera } : {}) });
        return foreseen;
      },
      deviceChoice: () => choice,
      rememberDevices: () => undefined,
      stopMedia: () => undefined,
      newId: () => ids.shift()!,
      peerFactory: (options) => {
        const peer = new FakeMediaPeer(options, 'audio-video');
        peers.push(peer);
        return peer;
      },
      isTrusted: () => trusted,
      onBlocked: (from) => blocked.push(from),
    });
  });

  async function outgoing(): Promise<JingleSession> {
    const session = manager.call('bob@localhost', 'video', 'jmi');
    await settle();
    return session;
  }

  /** Accepts with the devices opening until open(); the session-initiate comes meanwhile. */
  async function acceptWhileDevicesOpen(session: JingleSession): Promise<{ open: () => void; accepted: Promise<void> }> {
    let open!: () => void;
    devicesGate = new Promise((resolve) => (open = resolve));
    const accepted = session.accept();
    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
    clock.advance();
    await settle();
    return { open, accepted };
  }

  async function ringingHere(id = 'b-1'): Promise<JingleSession> {
    signalling.deliver(propose(BOB, id, 'video'));
    await settle();
    return manager.calls.find((c) => c.sid === id)!;
  }

  describe('calling out', () => {
    it('proposes to the bare JID with a receipt request and a store hint, and prepares meanwhile', async () => {
      const session = await outgoing();
      const message = signalling.sent.find((s) => s.name === 'message')!;
      expect(message.attrs).toMatchObject({ to: 'bob@localhost', type: 'chat' });
      expect(message.getChild('propose')!.getChildren('description').map((d) => d.attrs.media)).toEqual(['audio', 'video']);
      expect(message.getChild('request', 'urn:xmpp:receipts')).toBeDefined();
      expect(message.getChild('store', 'urn:xmpp:hints')).toBeDefined();
      expect(session.phase).toBe('calling');
      expect(opened).toBe(1);
      expect(signalling.jingles()).toEqual([]);
    });

    it('shows ringing on the receipt (Conversations) and on <ringing/> (Movim)', async () => {
      const session = await outgoing();
      const id = signalling.sent.find((s) => s.name === 'message')!.attrs.id;
      signalling.deliver(`<message from='${BOB}'><received xmlns='urn:xmpp:receipts' id='${id}'/></message>`);
      expect(session.phase).toBe('ringing');
      const other = manager.call('bob@localhost', 'audio', 'jmi');
      await settle();
      signalling.deliver(jmi(BOB, 'ringing', 'call-2'));
      expect(other.phase).toBe('ringing');
    });

    it('sends the session-initiate to exactly the device that proceeded', async () => {
      const session = await outgoing();
      signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
      await settle();
      expect(session.phase).toBe('connecting');
      expect(signalling.jingles('session-initiate').map((j) => j.to)).toEqual([BOB]);
    });

    it('sends the candidates gathered while it rang inside the session-initiate, and only later ones as transport-info', async () => {
      await outgoing();
      const candidate = (port: number, mid: string) => ({ type: 'candidate' as const, candidate: { candidate: `candidate:2318824467 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0`, sdpMid: mid, sdpMLineIndex: Number(mid) } });
      // Both are in the offer's SDP as it stands (the fixture holds them): they were gathered while it rang.
      peers[0]!.emit('signal', candidate(41057, '0'));
      peers[0]!.emit('signal', candidate(51820, '1'));
      expect(signalling.jingles()).toEqual([]);
      signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
      await settle();
      const [initiate] = signalling.jingles('session-initiate');
      expect(initiate!.contents.map((c) => c.transport?.candidates.map((k) => k.port))).toEqual([[41057], [51820]]);
      expect(signalling.jingles('transport-info')).toEqual([]);
      peers[0]!.emit('signal', candidate(41060, '0'));
      expect(signalling.jingles('transport-info').map((j) => j.contents[0]!.transport!.candidates[0]!.port)).toEqual([41060]);
    });

    it('ignores a proceed from anyone but the callee', async () => {
      const session = await outgoing();
      signalling.deliver(jmi('carol@localhost/x', 'proceed', 'call-1'));
      await settle();
      expect(session.phase).toBe('calling');
      expect(signalling.jingles()).toEqual([]);
    });

    it('retracts on Cancel', async () => {
      const session = await outgoing();
      session.hangUp();
      expect(signalling.jmi()).toContain('retract call-1 → bob@localhost');
      expect(session.endMessage).toBe('You cancelled the call');
    });

    it('shows Declined, or Busy when the reason says so', async () => {
      const declined = await outgoing();
      signalling.deliver(jmi(BOB, 'reject', 'call-1', `<reason xmlns='urn:xmpp:jingle:1'><decline/></reason>`));
      expect(declined.endMessage).toBe('bob declined the call');
      const busy = manager.call('bob@localhost', 'audio', 'jmi');
      await settle();
      signalling.deliver(jmi(BOB, 'reject', 'call-2', `<reason xmlns='urn:xmpp:jingle:1'><busy/></reason>`));
      expect(busy.endMessage).toBe('bob is busy');
    });

    it('retracts and shows No answer after 60 seconds', async () => {
      const session = await outgoing();
      clock.advance(59_999);
      expect(session.phase).toBe('calling');
      clock.advance(1);
      expect(session.endMessage).toBe('No answer');
      expect(signalling.jmi()).toContain('retract call-1 → bob@localhost');
    });

    it('sends <finish/> after the call', async () => {
      const session = await outgoing();
      signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
      await settle();
      const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
      signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'call-1', ...answer }));
      clock.advance();
      session.hangUp();
      expect(signalling.jingles('session-terminate')).toHaveLength(1);
      expect(signalling.jmi()).toContain(`finish call-1 → ${BOB}`);
    });
  });

  describe('called', () => {
    it('rings: answers the receipt, sends <ringing/>, opens nothing', async () => {
      const session = await ringingHere();
      expect(session.phase).toBe('incoming');
      expect(session.media).toBe('video');
      expect(signalling.sent.some((s) => s.getChild('received', 'urn:xmpp:receipts')?.attrs.id === 'p1')).toBe(true);
      expect(signalling.jmi()).toEqual([`ringing b-1 → ${BOB}`]);
      expect(opened).toBe(0);
    });

    it('accepts: <accept/> to our own bare JID, <proceed/> to the caller, then answers its session-initiate without asking', async () => {
      const session = await ringingHere();
      await session.accept();
      expect(signalling.jmi()).toEqual([`ringing b-1 → ${BOB}`, 'accept b-1 → alice@localhost', `proceed b-1 → ${BOB}`]);
      expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
      clock.advance();
      await settle();
      expect(signalling.jingles('session-accept').map((j) => j.to)).toEqual([BOB]);
    });

    it('applies the session-initiate while the devices still open, and answers once they are', async () => {
      const session = await ringingHere();
      const { open, accepted } = await acceptWhileDevicesOpen(session);
      // The peer connection has the offer; no answer can go before our tracks are on.
      expect(peers).toHaveLength(1);
      expect(peers[0]!.received.map((r) => r.type)).toEqual(['offer']);
      expect(signalling.jingles('session-accept')).toEqual([]);
      open();
      await accepted;
      await settle();
      expect(signalling.jingles('session-accept').map((j) => j.to)).toEqual([BOB]);
    });

    it('makes the peer connection at Accept, before the session-initiate comes, and gives it nothing until then', async () => {
      const session = await ringingHere();
      await session.accept();
      await settle();
      expect(peers).toHaveLength(1);
      expect(peers[0]!.options.initiator).toBe(false);
      expect(peers[0]!.received).toEqual([]);
      expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
      clock.advance();
      await settle();
      expect(peers).toHaveLength(1);
      expect(peers[0]!.received.map((r) => r.type)).toEqual(['offer']);
      expect(signalling.jingles('session-accept').map((j) => j.to)).toEqual([BOB]);
    });

    it('a call that ends before its session-initiate comes closes the peer connection made at Accept', async () => {
      const session = await ringingHere();
      await session.accept();
      await settle();
      session.hangUp();
      expect(peers[0]!.destroyed).toBe(true);
    });

    it('answers at once when the tracks the devices will give are foreseen', async () => {
      foreseen = ['audio', 'video'];
      const session = await ringingHere();
      const tracks = [{ kind: 'audio', enabled: true }, { kind: 'video', enabled: true }] as unknown as MediaStreamTrack[];
      devices = { getTracks: () => tracks, getAudioTracks: () => tracks.slice(0, 1), getVideoTracks: () => tracks.slice(1) } as unknown as MediaStream;
      const { open, accepted } = await acceptWhileDevicesOpen(session);
      expect(peers[0]!.options.sends).toEqual(['audio', 'video']);
      expect(peers[0]!.options.stream).toBeInstanceOf(Promise);
      expect(signalling.jingles('session-accept').map((j) => j.to)).toEqual([BOB]);
      expect(session.timeline.map((e) => e.name)).not.toContain('devices-open');
      open();
      await accepted;
      await settle();
      expect(session.timeline.map((e) => e.name)).toContain('devices-open');
      // They gave what was foreseen: nothing more is said.
      expect(signalling.jingles('session-info').filter((j) => j.info?.kind === 'mute')).toEqual([]);
    });

    it('foresees the tracks while the call rings: Accept does not ask again', async () => {
      foreseen = ['audio', 'video'];
      const session = await ringingHere();
      expect(foresights).toEqual([{ media: 'video' }]);
      foreseen = undefined;
      await acceptWhileDevicesOpen(session);
      expect(foresights).toHaveLength(1);
      // What was foreseen while ringing holds: the answer does not wait for the devices.
      expect(peers[0]!.options.sends).toEqual(['audio', 'video']);
      expect(signalling.jingles('session-accept')).toHaveLength(1);
    });

    it('foresees again at Accept for another camera chosen while ringing, or for an answer without video', async () => {
      foreseen = ['audio', 'video'];
      const first = await ringingHere('b-1');
      choice = { camera: 'cam-2' };
      foreseen = undefined;
      await acceptWhileDevicesOpen(first);
      expect(foresights).toEqual([{ media: 'video' }, { media: 'video', camera: 'cam-2' }]);
      expect(peers[0]!.options.sends).toBeUndefined();
      first.hangUp();
      await settle();
      const second = await ringingHere('b-2');
      void second.accept({ audioOnly: true });
      await settle();
      expect(foresights.slice(2)).toEqual([{ media: 'video', camera: 'cam-2' }, { media: 'audio', camera: 'cam-2' }]);
    });

    it('a foreseen camera the devices did not give: the peer hears that our video is muted', async () => {
      foreseen = ['audio', 'video'];
      const session = await ringingHere();
      const microphone = { kind: 'audio', enabled: true } as unknown as MediaStreamTrack;
      devices = { getTracks: () => [microphone], getAudioTracks: () => [microphone], getVideoTracks: () => [] } as unknown as MediaStream;
      await session.accept();
      expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
      clock.advance();
      await settle();
      expect(signalling.jingles('session-accept')).toHaveLength(1);
      const mutes = signalling.jingles('session-info').filter((j) => j.info?.kind === 'mute');
      expect(mutes.map((j) => j.info)).toEqual([expect.objectContaining({ kind: 'mute', creator: 'initiator', name: initiateFrom(BOB, 'b-1').contents[1]!.name })]);
    });

    it('takes the transport-info that follows the session-initiate of an accepted proposal at once', async () => {
      const session = await ringingHere();
      await session.accept();
      expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
      const candidate: Jingle = {
        action: 'transport-info', sid: 'b-1', groups: [],
        contents: [{ creator: 'initiator', name: '0', transport: { ufrag: 'x', pwd: 'y', fingerprints: [], candidates: [{ component: 1, foundation: '1', ip: '127.0.0.1', port: 4000, priority: 1, protocol: 'udp', type: 'host' }] } }],
      };
      // Before any timer ran: the offer's contents must already be known.
      const reply = signalling.receive(iqFrom(BOB, candidate));
      expect(reply).toBe(true);
      clock.advance();
      await settle();
      expect(signalling.jingles('session-accept').map((j) => j.to)).toEqual([BOB]);
    });

    it('declines a call waiting with <busy/>', async () => {
      const session = await ringingHere();
      session.decline('busy');
      const reject = signalling.sent.find((s) => s.getChild('reject')?.attrs.id === 'b-1' && s.attrs.to === BOB)!;
      expect(reject.getChild('reject')!.getChild('reason')!.getChildElements()[0]!.name).toBe('busy');
    });

    it('declines: <reject/> to the caller and to our own bare JID', async () => {
      const session = await ringingHere();
      session.decline();
      expect(signalling.jmi().slice(1)).toEqual([`reject b-1 → ${BOB}`, 'reject b-1 → alice@localhost']);
      expect(signalling.jingles()).toEqual([]);
    });

    it('stops ringing on a retract and leaves a missed call', async () => {
      const session = await ringingHere();
      signalling.deliver(jmi(BOB, 'retract', 'b-1'));
      expect(session.phase).toBe('ended');
      expect(session.endMessage).toBe('Missed call from bob');
    });

    it('stops ringing when another of our devices answers or declines', async () => {
      const answered = await ringingHere('b-1');
      signalling.deliver(jmi('alice@localhost/phone', 'accept', 'b-1', '', 'alice@localhost'));
      expect(answered.endMessage).toBe('Answered on another device');
      const declined = await ringingHere('b-2');
      signalling.deliver(jmi('alice@localhost/phone', 'reject', 'b-2', '', 'alice@localhost'));
      expect(declined.endMessage).toBe('Declined on another device');
    });

    it('takes an accept as answered elsewhere only from our own other devices', async () => {
      const session = await ringingHere();
      signalling.deliver(jmi('carol@localhost/x', 'accept', 'b-1'));
      signalling.deliver(jmi(ME, 'accept', 'b-1'));
      signalling.deliver(jmi('carol@localhost/x', 'retract', 'b-1'));
      expect(session.phase).toBe('incoming');
    });
  });

  describe('privacy', () => {
    it('does not ring for a propose from someone without a mutual subscription', async () => {
      trusted = false;
      signalling.deliver(propose('mallory@localhost/x', 'm-1'));
      await settle();
      expect(manager.calls).toEqual([]);
      expect(blocked).toEqual(['mallory@localhost/x']);
      expect(signalling.jmi()).toEqual(['reject m-1 → mallory@localhost/x']);
    });

    it('answers a stranger’s direct session-initiate with <busy/>, without ringing', async () => {
      trusted = false;
      expect(signalling.receive(iqFrom('mallory@localhost/x', initiateFrom('mallory@localhost/x', 'd-1')))).toBe(true);
      clock.advance();
      expect(manager.calls).toEqual([]);
      expect(signalling.jingles('session-terminate')).toMatchObject([{ sid: 'd-1', reason: { condition: 'busy' } }]);
      expect(opened).toBe(0);
    });
  });

  describe('glare: both propose at once', () => {
    it('withdraws our proposal when the peer’s id is lower, and takes the peer’s call', async () => {
      ids = ['zzz'];
      const mine = await outgoing();
      signalling.deliver(propose(BOB, 'aaa', 'video'));
      await settle();
      expect(mine.phase).toBe('ended');
      expect(signalling.jmi()).toContain('retract zzz → bob@localhost');
      expect(signalling.jmi()).toContain(`proceed aaa → ${BOB}`);
      expect(manager.calls.map((c) => c.sid)).toEqual(['aaa']);
    });

    it('keeps our proposal when ours has the lower id, and rejects the peer’s with tie-break', async () => {
      ids = ['aaa'];
      const mine = await outgoing();
      signalling.deliver(propose(BOB, 'zzz', 'video'));
      await settle();
      expect(mine.phase).toBe('calling');
      const reject = signalling.sent.find((s) => s.getChild('reject')?.attrs.id === 'zzz')!;
      expect(reject.getChild('reject')!.getChild('tie-break')).toBeDefined();
      expect(manager.calls.map((c) => c.sid)).toEqual(['aaa']);
      // The peer withdraws its own and proceeds with ours.
      signalling.deliver(jmi(BOB, 'proceed', 'aaa'));
      await settle();
      expect(signalling.jingles('session-initiate').map((j) => j.sid)).toEqual(['aaa']);
    });

    it('answers the peer’s ringing proposal, and proposes nothing, when the user calls the peer a moment after it arrived', async () => {
      ids = ['zzz'];
      signalling.deliver(propose(BOB, 'aaa', 'audio'));
      await settle();
      const session = manager.call('bob@localhost', 'audio', 'jmi');
      await settle();
      expect(session.sid).toBe('aaa');
      expect(signalling.jmi().filter((m) => m.startsWith('propose'))).toEqual([]);
      expect(signalling.jmi()).toContain(`proceed aaa → ${BOB}`);
      expect(manager.calls.map((c) => c.sid)).toEqual(['aaa']);
    });
  });
});

describe('what the caller and callee are told', () => {
  it('puts every termination reason, Dino’s underscored ones included, in words', async () => {
    const { describeEnd } = await import('../src/call/end-reasons.ts');
    const { readJingle, parseXml } = await import('../src/jingle/index.ts');
    const reasons = ['success', 'decline', 'busy', 'cancel', 'gone', 'timeout', 'connectivity-error', 'failed-application', 'failed-transport', 'security-error', 'unsupported-applications', 'unsupported-transports', 'incompatible-parameters'];
    const texts = reasons.map((r) => describeEnd({ condition: r }, 'remote', 'Bob'));
    expect(new Set(texts).size).toBe(reasons.length);
    expect(texts.every((t) => t !== 'Call ended')).toBe(true);
    const dino = readJingle(parseXml(`<jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='s'><reason><failed_transport/></reason></jingle>`));
    expect(describeEnd(dino.reason!, 'remote', 'Bob')).toBe('No network path to Bob could be found');
    expect(describeEnd({ condition: 'something-new' }, 'remote', 'Bob')).toBe('Call ended');
  });

  it('rings by XEP-0353 only a device that advertises it, else directly', async () => {
    const { ringVia } = await import('../src/call/capabilities.ts');
    expect(ringVia(new Set(['urn:xmpp:jingle-message:0']))).toBe('jmi');
    expect(ringVia(new Set(['urn:xmpp:jingle:1']))).toBe('direct');
    expect(ringVia(undefined)).toBe('direct');
  });
});

describe('limits', () => {
  it('rings once for a flood of proposals from one JID', async () => {
    const signalling = new FakeSignalling();
    const manager = createCallManager({
      signalling,
      clock: new FakeClock(),
      openMedia: async () => ({ stream }),
      stopMedia: () => undefined,
      peerFactory: (options) => new FakeMediaPeer(options, 'audio-video'),
    });
    for (let i = 0; i < 300; i++) signalling.deliver(propose(BOB, `flood-${i}`));
    await settle();
    expect(manager.calls).toHaveLength(1);
    expect(signalling.jmi().filter((m) => m.startsWith('ringing'))).toHaveLength(1);
  });

  it('refuses more than 200 candidates in a stanza, and stanzas over 256 KB, with policy-violation', async () => {
    const signalling = new FakeSignalling();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    createCallManager({ signalling, clock: new FakeClock(), openMedia: async () => ({ stream }), stopMedia: () => undefined, peerFactory: (o) => new FakeMediaPeer(o, 'audio-video') });
    const candidates = (n: number) => Array.from({ length: n }, (_, i) => `<candidate component='1' foundation='${i}' ip='127.0.0.1' port='${1000 + i}' priority='1' protocol='udp' type='host'/>`).join('');
    const info = (n: number, pad = '') => `<iq type='set' from='${BOB}' id='big'><jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='s'><content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'>${candidates(n)}</transport></content>${pad}</jingle></iq>`;
    const condition = (r: Element | true) => (r === true ? 'result' : r.getChildElements()[0]!.name);
    expect(condition(signalling.receive(info(201)))).toBe('policy-violation');
    expect(condition(signalling.receive(info(1, `<x xmlns='urn:example'>${'a'.repeat(300 * 1024)}</x>`)))).toBe('policy-violation');
    expect(condition(signalling.receive(info(201)))).toBe('policy-violation');
    // Logged once per peer and kind.
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
  });
});
