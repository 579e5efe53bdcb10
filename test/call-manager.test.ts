import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createCallManager, type CallManager } from '../src/call/call-manager.ts';
import { errorElement, jingleElement, NS, type Element, type Jingle, xml } from '../src/jingle/index.ts';
import { parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import type { WireStyle } from '../src/call/wire-style.ts';
import type { CallMedia } from '../src/media/devices.ts';
import { chromiumSdp, FakeClock, FakeMediaPeer, FakeSignalling, refuse, settle } from './fakes.ts';

const BOB = 'bob@localhost/phone';
const stream = { getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;

function iqFrom(from: string, jingle: Jingle): Element {
  return xml('iq', { type: 'set', from, to: 'alice@localhost/desk', id: `id${Math.random()}` }, jingleElement(jingle));
}

function initiateFromBob(kind = 'audio-video', sid = 'sid-1'): Jingle {
  const offer = sdpToJingle(parseSdp(chromiumSdp(`${kind}-offer`)), { author: 'initiator' });
  return { action: 'session-initiate', sid, initiator: BOB, ...offer };
}

const condition = (reply: Element | true) => (reply === true ? 'result' : reply.getChildElements().map((c) => c.name).join('+'));

describe('the call manager', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let peers: FakeMediaPeer[];
  let openMedia: ReturnType<typeof vi.fn<(media: CallMedia) => Promise<{ stream: MediaStream }>>>;
  let holdOffer: boolean;
  let wireStyle: WireStyle;
  let manager: CallManager;

  beforeEach(() => {
    signalling = new FakeSignalling();
    clock = new FakeClock();
    peers = [];
    openMedia = vi.fn(async (_media: CallMedia) => ({ stream }));
    holdOffer = false;
    wireStyle = { bundle: true, candidates: 'trickle' };
    manager = createCallManager({
      signalling,
      clock,
      openMedia,
      stopMedia: () => undefined,
      newId: () => 'call-1',
      wireStyle: () => wireStyle,
      peerFactory: (options) => {
        const peer = new FakeMediaPeer(options, 'audio-video', holdOffer);
        peers.push(peer);
        return peer;
      },
    });
  });

  async function incomingCall(): Promise<void> {
    expect(signalling.receive(iqFrom(BOB, initiateFromBob()))).toBe(true);
    clock.advance();
  }

  it('sends the offer as a session-initiate to the full JID, without a data channel', async () => {
    const session = manager.call(BOB, 'video');
    await settle();
    const [initiate] = signalling.jingles('session-initiate');
    expect(initiate).toMatchObject({ to: BOB, sid: 'call-1', initiator: 'alice@localhost/desk' });
    expect(initiate!.contents.map((c) => c.description?.media)).toEqual(['audio', 'video']);
    expect(initiate!.groups).toEqual([{ semantics: 'BUNDLE', contents: ['0', '1'] }]);
    expect(session.phase).toBe('calling');
  });

  it('sends candidates as transport-info only once the session-initiate has gone', async () => {
    holdOffer = true;
    manager.call(BOB, 'audio');
    await settle();
    const candidate = { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0', sdpMid: '1', sdpMLineIndex: 1 };
    peers[0]!.emit('signal', { type: 'candidate', candidate });
    expect(signalling.jingles()).toHaveLength(0);
    peers[0]!.emit('signal', { type: 'offer', sdp: chromiumSdp('audio-video-offer') });
    const actions = signalling.jingles().map((j) => j.action);
    expect(actions).toEqual(['session-initiate', 'transport-info']);
    const [info] = signalling.jingles('transport-info');
    const ufrag = /a=ice-ufrag:(\S+)/.exec(chromiumSdp('audio-video-offer'))![1];
    expect(info!.contents[0]).toMatchObject({ name: '1', transport: { ufrag, candidates: [{ ip: '127.0.0.1', port: 50000 }] } });
  });

  it('keeps TCP candidates to itself', async () => {
    manager.call(BOB, 'audio');
    await settle();
    peers[0]!.emit('signal', { type: 'candidate', candidate: { candidate: 'candidate:3 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active', sdpMid: '0' } });
    expect(signalling.jingles('transport-info')).toHaveLength(0);
  });

  it('turns the session-accept into the answer of its peer and applies early candidates after it', async () => {
    const session = manager.call(BOB, 'video');
    await settle();
    const early = { action: 'transport-info' as const, sid: 'call-1', groups: [], contents: [{ creator: 'initiator' as const, name: '0', transport: { ufrag: 'x', pwd: 'y', fingerprints: [], candidates: [{ component: 1, foundation: '1', ip: '127.0.0.1', port: 4000, priority: 1, protocol: 'udp', type: 'host' }] } }] };
    expect(signalling.receive(iqFrom(BOB, early))).toBe(true);
    clock.advance();
    expect(peers[0]!.received).toEqual([]);
    const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
    expect(signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'call-1', ...answer }))).toBe(true);
    clock.advance();
    expect(peers[0]!.received.map((s) => s.type)).toEqual(['answer', 'candidate']);
    expect(session.state).toBe('active');
    expect(session.phase).toBe('connecting');
    peers[0]!.emit('state', 'connected');
    expect(session.phase).toBe('connected');
  });

  it('rejects in its answer the m-line of a content the peer left out of its session-accept', async () => {
    manager.call(BOB, 'video');
    await settle();
    const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
    const audioOnly = { action: 'session-accept' as const, sid: 'call-1', contents: answer.contents.slice(0, 1), groups: [] };
    expect(signalling.receive(iqFrom(BOB, audioOnly))).toBe(true);
    clock.advance();
    const given = parseSdp((peers[0]!.received[0] as { sdp: string }).sdp);
    expect(given.media.map((m) => `${m.type}:${m.mid}:${m.port === 0 ? 'rejected' : 'live'}`)).toEqual(['audio:0:live', 'video:1:rejected']);
  });

  it('acknowledges an incoming session-initiate at once and rings without touching camera or network', async () => {
    const calls: string[] = [];
    manager.onCall((s) => calls.push(`${s.direction} ${s.media} ${s.peer}`));
    await incomingCall();
    expect(calls).toEqual([`incoming video ${BOB}`]);
    expect(manager.calls[0]!.phase).toBe('incoming');
    expect(openMedia).not.toHaveBeenCalled();
    expect(peers).toHaveLength(0);
  });

  it('“Accept audio only” opens the microphone alone and still answers the caller’s video', async () => {
    await incomingCall();
    await manager.calls[0]!.accept({ audioOnly: true });
    await settle();
    expect(openMedia.mock.calls.map(([media]) => media)).toEqual(['audio']);
    const [accept] = signalling.jingles('session-accept');
    expect(accept!.contents.map((c) => c.description?.media)).toEqual(['audio', 'video']);
  });

  it('answers with a session-accept when the user accepts', async () => {
    await incomingCall();
    await manager.calls[0]!.accept();
    await settle();
    expect(peers[0]!.options.initiator).toBe(false);
    expect(peers[0]!.received[0]!.type).toBe('offer');
    const [accept] = signalling.jingles('session-accept');
    expect(accept).toMatchObject({ to: BOB, sid: 'sid-1', responder: 'alice@localhost/desk' });
    expect(accept!.contents.map((c) => c.transport?.fingerprints[0]?.setup)).toEqual(['active', 'active']);
    expect(manager.calls[0]!.state).toBe('active');
  });

  /** A caller's first candidate, sent a few ms after its session-initiate (Conversations, StanzaJS). */
  const firstCandidate = (sid: string): Jingle => ({
    action: 'transport-info', sid, groups: [],
    contents: [{ creator: 'initiator', name: '0', transport: { ufrag: 'x', pwd: 'y', fingerprints: [], candidates: [{ component: 1, foundation: '1', ip: '127.0.0.1', port: 4000, priority: 1, protocol: 'udp', type: 'host' }] } }],
  });

  it('takes a transport-info that follows the session-initiate before anything else ran', async () => {
    expect(signalling.receive(iqFrom(BOB, initiateFromBob()))).toBe(true);
    // No timer has run: the session-initiate was only acknowledged.
    expect(condition(signalling.receive(iqFrom(BOB, firstCandidate('sid-1'))))).toBe('result');
    clock.advance();
    await manager.calls[0]!.accept();
    await settle();
    expect(peers[0]!.received.map((s) => s.type)).toEqual(['offer', 'candidate']);
  });

  it('declines with <decline/> a call whose caller trickled at once', async () => {
    expect(signalling.receive(iqFrom(BOB, initiateFromBob()))).toBe(true);
    expect(condition(signalling.receive(iqFrom(BOB, firstCandidate('sid-1'))))).toBe('result');
    clock.advance();
    manager.calls[0]!.decline();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ to: BOB, sid: 'sid-1', reason: { condition: 'decline' } }]);
  });

  it('declines with <decline/>', async () => {
    await incomingCall();
    const session = manager.calls[0]!;
    session.decline();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ to: BOB, sid: 'sid-1', reason: { condition: 'decline' } }]);
    expect(session.endMessage).toBe('You declined the call');
    expect(manager.calls).toHaveLength(0);
  });

  it('hangs up with <success/> and releases the peer', async () => {
    const session = manager.call(BOB, 'audio');
    await settle();
    const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
    signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'call-1', ...answer }));
    clock.advance();
    session.hangUp();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ reason: { condition: 'success' } }]);
    expect(peers[0]!.destroyed).toBe(true);
    expect(session.endMessage).toBe('You hung up');
  });

  it('ends the call when the peer terminates, with the reason in words', async () => {
    const session = manager.call(BOB, 'audio');
    await settle();
    signalling.receive(iqFrom(BOB, { action: 'session-terminate', sid: 'call-1', contents: [], groups: [], reason: { condition: 'decline' } }));
    clock.advance();
    expect(session.phase).toBe('ended');
    expect(session.endMessage).toBe('bob declined the call');
    expect(signalling.jingles('session-terminate')).toHaveLength(0);
  });

  it('reads Dino’s underscored reasons', async () => {
    const session = manager.call(BOB, 'audio');
    await settle();
    const iq = `<iq type='set' from='${BOB}' id='d1'><jingle xmlns='urn:xmpp:jingle:1' action='session-terminate' sid='call-1'><reason><failed_application/></reason></jingle></iq>`;
    expect(signalling.receive(iq)).toBe(true);
    clock.advance();
    expect(session.endReason?.condition).toBe('failed-application');
  });

  it('ends an attempt at once when the session-initiate is refused', async () => {
    signalling.answer = refuse('service-unavailable');
    const session = manager.call(BOB, 'audio');
    await settle();
    expect(session.phase).toBe('ended');
    expect(session.endMessage).toBe('bob went offline');
    expect(signalling.jingles('session-terminate')).toHaveLength(0);
  });

  it('answers a request about an unknown sid with unknown-session', () => {
    const reply = signalling.receive(iqFrom(BOB, { action: 'session-terminate', sid: 'nope', contents: [], groups: [], reason: { condition: 'success' } }));
    expect(condition(reply)).toBe('item-not-found+unknown-session');
  });

  it('ignores a session-terminate from a third party and answers unknown-session', async () => {
    const session = manager.call(BOB, 'audio');
    await settle();
    const reply = signalling.receive(iqFrom('carol@localhost/x', { action: 'session-terminate', sid: 'call-1', contents: [], groups: [], reason: { condition: 'success' } }));
    clock.advance();
    expect(condition(reply)).toBe('item-not-found+unknown-session');
    expect(session.phase).toBe('calling');
  });

  it('answers a session-accept sent to the callee with out-of-order', async () => {
    await incomingCall();
    const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
    const reply = signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'sid-1', ...answer }));
    expect(condition(reply)).toBe('unexpected-request+out-of-order');
  });

  it('answers a malformed stanza with bad-request', () => {
    const reply = signalling.receive(`<iq type='set' from='${BOB}' id='m1'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate'/></iq>`);
    expect(condition(reply)).toBe('bad-request');
    const badCandidate = `<iq type='set' from='${BOB}' id='m2'><jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='x'><content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><candidate component='1' foundation='1' ip='1.2.3.4' port='99999' priority='1' protocol='udp' type='host'/></transport></content></jingle></iq>`;
    expect(condition(signalling.receive(badCandidate))).toBe('bad-request');
  });

  it('answers an unknown session-info payload with unsupported-info', async () => {
    manager.call(BOB, 'audio');
    await settle();
    const iq = `<iq type='set' from='${BOB}' id='i1'><jingle xmlns='urn:xmpp:jingle:1' action='session-info' sid='call-1'><dance xmlns='urn:example'/></jingle></iq>`;
    expect(condition(signalling.receive(iq))).toBe('feature-not-implemented+unsupported-info');
  });

  it('builds error replies with the Jingle condition in its namespace', () => {
    const el = errorElement({ condition: 'item-not-found', jingleCondition: 'unknown-session' } as never);
    expect(el.toString()).toBe(`<error type="cancel"><item-not-found xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/><unknown-session xmlns="${NS.jingleErrors}"/></error>`);
  });

  it('acknowledges a session with no RTP content, then ends it with unsupported-applications', () => {
    const iq = `<iq type='set' from='${BOB}' id='f1'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='ft'><content creator='initiator' name='file'><description xmlns='urn:xmpp:jingle:apps:file-transfer:5'/><transport xmlns='urn:xmpp:jingle:transports:s5b:1'/></content></jingle></iq>`;
    expect(signalling.receive(iq)).toBe(true);
    clock.advance();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ sid: 'ft', reason: { condition: 'unsupported-applications' } }]);
    expect(manager.calls).toHaveLength(0);
  });

  it('acknowledges an RTP session over another transport, then ends it with unsupported-transports', () => {
    const iq = `<iq type='set' from='${BOB}' id='f2'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='raw'><content creator='initiator' name='voice'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'><payload-type id='0' name='PCMU'/></description><transport xmlns='urn:xmpp:jingle:transports:raw-udp:1'/></content></jingle></iq>`;
    expect(signalling.receive(iq)).toBe(true);
    clock.advance();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ sid: 'raw', reason: { condition: 'unsupported-transports' } }]);
  });

  describe('session-info', () => {
    it('rings back with <ringing/> on a direct session-initiate, and the caller shows it', async () => {
      await incomingCall();
      expect(signalling.jingles('session-info')).toMatchObject([{ to: BOB, sid: 'sid-1', info: { kind: 'ringing' } }]);

      const session = manager.call('carol@localhost/tab', 'audio');
      await settle();
      signalling.receive(iqFrom('carol@localhost/tab', { action: 'session-info', sid: 'call-1', contents: [], groups: [], info: { kind: 'ringing' } }));
      clock.advance();
      expect(session.phase).toBe('ringing');
    });

    it('says <active/> once connected, and mute or hold when asked, naming the audio content', async () => {
      const session = manager.call(BOB, 'video');
      await settle();
      const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
      signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'call-1', ...answer }));
      clock.advance();
      peers[0]!.emit('state', 'connected');
      session.setMuted(true);
      session.setHeld(true);
      session.setHeld(false);
      expect(signalling.jingles('session-info').map((j) => j.info)).toEqual([
        { kind: 'active' },
        { kind: 'mute', creator: 'initiator', name: '0' },
        { kind: 'hold' },
        { kind: 'unhold' },
      ]);
    });

    it('shows what the peer says of its side', async () => {
      const session = manager.call(BOB, 'audio');
      await settle();
      signalling.receive(iqFrom(BOB, { action: 'session-info', sid: 'call-1', contents: [], groups: [], info: { kind: 'mute', creator: 'responder', name: '0' } }));
      clock.advance();
      expect(session.peerActivity.muted).toBe(true);
      signalling.receive(iqFrom(BOB, { action: 'session-info', sid: 'call-1', contents: [], groups: [], info: { kind: 'unmute' } }));
      clock.advance();
      expect(session.peerActivity.muted).toBe(false);
    });
  });

  describe('standing in for other clients', () => {
    it('sends candidates inside the session-initiate once gathered, like Dino', async () => {
      wireStyle = { bundle: false, candidates: 'inline' };
      manager.call(BOB, 'video');
      await settle();
      peers[0]!.emit('signal', { type: 'candidate', candidate: { candidate: 'candidate:9 1 udp 1 127.0.0.1 7 typ host', sdpMid: '0' } });
      expect(signalling.jingles()).toHaveLength(0);
      peers[0]!.emit('signal', { type: 'gathered' });
      const sent = signalling.jingles();
      expect(sent.map((j) => j.action)).toEqual(['session-initiate']);
      expect(sent[0]!.groups).toEqual([]);
      expect(sent[0]!.contents.every((c) => (c.transport?.candidates.length ?? 0) > 0)).toBe(true);
    });

    it('sends the held description after a time limit when gathering never ends', async () => {
      wireStyle = { bundle: true, candidates: 'inline' };
      manager.call(BOB, 'audio');
      await settle();
      expect(signalling.jingles()).toHaveLength(0);
      clock.advance(3000);
      expect(signalling.jingles('session-initiate')).toHaveLength(1);
    });

    it('answers without BUNDLE, and keeps its own peer from bundling, when told not to group', async () => {
      wireStyle = { bundle: false, candidates: 'trickle' };
      await incomingCall();
      await manager.calls[0]!.accept();
      await settle();
      const offerSeen = peers[0]!.received[0] as { sdp: string };
      expect(offerSeen.sdp).not.toContain('a=group:BUNDLE');
      expect(signalling.jingles('session-accept')[0]!.groups).toEqual([]);
    });
  });
});
