// Faults during a live call, and requests that cross ours: one scenario per test,
// with a fake connection, media peer and clock.
import { beforeEach, describe, expect, it } from 'vitest';
import { type CallManager, createCallManager } from '../src/call/call-manager.ts';
import { GONE_GRACE_MS, type JingleSession } from '../src/call/jingle-session.ts';
import { ICE_RESTART_AFTER_MS, RESPONDER_RESTART_AFTER_MS } from '../src/call/ice-restart.ts';
import { type Element, type Jingle, jingleElement, xml } from '../src/jingle/index.ts';
import { parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import { enableCarbons } from '../src/xmpp/carbons.ts';
import { type Connection, IqError } from '../src/xmpp/connection.ts';
import { FakeClock, FakeMediaPeer, FakeSignalling, chromiumSdp, settle } from './fakes.ts';

const ME = 'alice@localhost/desk';
const BOB = 'bob@localhost/phone';
const stream = { getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;

const iqFrom = (from: string, jingle: Jingle): Element => xml('iq', { type: 'set', from, to: ME, id: `i${Math.random()}` }, jingleElement(jingle));
const reply = (r: Element | true) => (r === true ? 'result' : r.getChildElements().map((c) => c.name).join('+'));
const hostCandidate = { component: 1, foundation: '1', ip: '127.0.0.1', port: 5000, priority: 1, protocol: 'udp', type: 'host' as const };
const restartInfo = (sid: string, ufrag: string, candidates: (typeof hostCandidate)[] = []): Jingle => ({
  action: 'transport-info', sid, groups: [],
  contents: ['0', '1'].map((name) => ({ creator: 'initiator' as const, name, transport: { ufrag, pwd: 'p'.repeat(24), fingerprints: [], candidates } })),
});
const presence = (from: string, type?: string) => xml('presence', { from, to: ME, ...(type ? { type } : {}) });

describe('a live call', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let peers: FakeMediaPeer[];
  let stopped: (MediaStream | undefined)[];
  let manager: CallManager;
  /** Our requests whose replies the test gives by hand. */
  let held: { iq: Element; resolve: (r: Element) => void; reject: (e: unknown) => void }[];

  beforeEach(() => {
    signalling = new FakeSignalling();
    clock = new FakeClock();
    peers = [];
    stopped = [];
    held = [];
    manager = createCallManager({
      signalling,
      clock,
      openMedia: async () => ({ stream }),
      stopMedia: (s) => stopped.push(s),
      newId: () => 'call-1',
      peerFactory: (options) => {
        const peer = new FakeMediaPeer(options, 'audio-video');
        peers.push(peer);
        return peer;
      },
    });
  });

  /** From now on, our requests wait for the test to answer them. */
  function holdReplies(): void {
    signalling.answer = (iq) => new Promise((resolve, reject) => held.push({ iq, resolve, reject }));
  }
  const heldTransportInfos = () => held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'transport-info');

  async function outgoingConnected(): Promise<JingleSession> {
    const session = manager.call(BOB, 'audio');
    await settle();
    const answer = sdpToJingle(parseSdp(chromiumSdp('audio-video-answer')), { author: 'responder' });
    signalling.receive(iqFrom(BOB, { action: 'session-accept', sid: 'call-1', ...answer }));
    clock.advance();
    peers[0]!.emit('state', 'connected');
    return session;
  }

  async function incomingConnected(): Promise<JingleSession> {
    const offer = sdpToJingle(parseSdp(chromiumSdp('audio-video-offer')), { author: 'initiator' });
    signalling.receive(iqFrom(BOB, { action: 'session-initiate', sid: 'sid-1', initiator: BOB, ...offer }));
    clock.advance();
    const session = manager.calls[0]!;
    await session.accept();
    await settle();
    peers[0]!.emit('state', 'connected');
    return session;
  }

  describe('ICE restarts that cross (XEP-0166 §8, tie-break)', () => {
    it('answers the responder’s restart with conflict and tie-break while the initiator’s own is unacknowledged', async () => {
      const session = await outgoingConnected();
      holdReplies();
      session.restartIce();
      await settle();
      expect(reply(signalling.receive(iqFrom(BOB, restartInfo('call-1', 'CROSSED'))))).toBe('conflict+tie-break');
      heldTransportInfos()[0]!.resolve(xml('iq', { type: 'result' }));
      await settle();
      // The responder takes our restart after all and answers it.
      expect(signalling.receive(iqFrom(BOB, restartInfo('call-1', 'ANSWER')))).toBe(true);
      clock.advance();
      const answers = peers[0]!.received.filter((s) => s.type === 'answer') as { sdp: string }[];
      expect(answers.at(-1)!.sdp).toContain('a=ice-ufrag:ANSWER');
      expect(answers.some((a) => a.sdp.includes('CROSSED'))).toBe(false);
    });

    it('drops candidates of the restart it refused with a tie-break', async () => {
      const session = await outgoingConnected();
      holdReplies();
      session.restartIce();
      await settle();
      signalling.receive(iqFrom(BOB, restartInfo('call-1', 'CROSSED')));
      heldTransportInfos()[0]!.resolve(xml('iq', { type: 'result' }));
      await settle();
      signalling.receive(iqFrom(BOB, restartInfo('call-1', 'ANSWER')));
      clock.advance();
      const before = peers[0]!.received.length;
      expect(signalling.receive(iqFrom(BOB, restartInfo('call-1', 'CROSSED', [hostCandidate])))).toBe(true);
      clock.advance();
      await settle();
      expect(peers[0]!.received.length).toBe(before);
      expect(session.phase).toBe('connected');
    });

    it('as responder, gives way to the initiator’s crossing restart and shrugs off the tie-break error', async () => {
      const session = await incomingConnected();
      holdReplies();
      session.restartIce();
      await settle();
      const ours = heldTransportInfos()[0]!;
      expect(signalling.receive(iqFrom(BOB, restartInfo('sid-1', 'INIT2')))).toBe(true);
      clock.advance();
      await settle();
      const offers = peers[0]!.received.filter((s) => s.type === 'offer') as { sdp: string }[];
      expect(offers.at(-1)!.sdp).toContain('a=ice-ufrag:INIT2');
      // Our answer to the initiator's restart went out: its new credentials, no candidates.
      expect(heldTransportInfos()).toHaveLength(2);
      ours.reject(new IqError('conflict', 'tie-break'));
      await settle();
      expect(session.phase).toBe('connected');
      expect(signalling.jingles('session-terminate')).toEqual([]);
    });

    it('as initiator, answers the responder’s restart with a new offer and takes its credentials as the answer', async () => {
      await outgoingConnected();
      expect(signalling.receive(iqFrom(BOB, restartInfo('call-1', 'PEER2')))).toBe(true);
      clock.advance();
      await settle();
      expect(peers[0]!.restarts).toBe(1);
      const [ours] = signalling.jingles('transport-info');
      expect(ours!.contents.map((c) => [c.transport?.ufrag, c.transport?.candidates.length])).toEqual([['NEWU', 0], ['NEWU', 0]]);
      const answer = peers[0]!.received.filter((s) => s.type === 'answer').at(-1) as { sdp: string };
      expect(answer.sdp).toContain('a=ice-ufrag:PEER2');
    });

    it('as responder restarting, takes the initiator’s answer with the DTLS roles kept (its actpass becomes passive)', async () => {
      const session = await incomingConnected();
      session.restartIce();
      await settle();
      expect(signalling.receive(iqFrom(BOB, restartInfo('sid-1', 'INIT2')))).toBe(true);
      clock.advance();
      const answer = peers[0]!.received.filter((s) => s.type === 'answer').at(-1) as { sdp: string };
      expect(answer.sdp).toContain('a=ice-ufrag:INIT2');
      expect(answer.sdp).toContain('a=setup:passive');
      expect(answer.sdp).not.toContain('a=setup:actpass');
    });

    it('ends the call with connectivity-error when the peer refuses our restart', async () => {
      const session = await outgoingConnected();
      holdReplies();
      session.restartIce();
      await settle();
      heldTransportInfos()[0]!.reject(new IqError('feature-not-implemented'));
      await settle();
      expect(session.endReason?.condition).toBe('connectivity-error');
    });
  });

  describe('ICE restarts (XEP-0176 §7)', () => {
    it('the initiator restarts after ICE stays disconnected: new credentials, no candidates; the peer’s new ones become the answer', async () => {
      const session = await outgoingConnected();
      peers[0]!.emit('state', 'disconnected');
      expect(session.phase).toBe('reconnecting');
      clock.advance(ICE_RESTART_AFTER_MS - 1);
      expect(peers[0]!.restarts).toBe(0);
      clock.advance(1);
      await settle();
      const [restart] = signalling.jingles('transport-info');
      expect(restart!.contents.map((c) => [c.transport?.ufrag, c.transport?.candidates.length])).toEqual([['NEWU', 0], ['NEWU', 0]]);
      signalling.receive(iqFrom(BOB, restartInfo('call-1', 'PEER2')));
      clock.advance();
      const answer = peers[0]!.received.filter((s) => s.type === 'answer').at(-1) as { sdp: string };
      expect(answer.sdp).toContain('a=ice-ufrag:PEER2');
      peers[0]!.emit('state', 'connected');
      expect(session.phase).toBe('connected');
    });

    it('takes the initiator’s restart as a new offer and answers with its new credentials', async () => {
      await incomingConnected();
      signalling.receive(iqFrom(BOB, restartInfo('sid-1', 'INIT2')));
      clock.advance();
      await settle();
      const offers = peers[0]!.received.filter((s) => s.type === 'offer') as { sdp: string }[];
      expect(offers).toHaveLength(2);
      expect(offers[1]!.sdp).toContain('a=ice-ufrag:INIT2');
      expect(signalling.jingles('transport-info').length).toBeGreaterThan(0);
    });

    it('drops candidates of the old credentials after a restart', async () => {
      const session = await outgoingConnected();
      session.restartIce();
      await settle();
      signalling.receive(iqFrom(BOB, restartInfo('call-1', 'PEER2')));
      clock.advance();
      const before = peers[0]!.received.filter((s) => s.type === 'candidate').length;
      const old = /a=ice-ufrag:(\S+)/.exec(chromiumSdp('audio-video-answer'))![1]!;
      signalling.receive(iqFrom(BOB, { ...restartInfo('call-1', old, [hostCandidate]), contents: restartInfo('call-1', old, [hostCandidate]).contents.slice(0, 1) }));
      clock.advance();
      await settle();
      expect(peers[0]!.received.filter((s) => s.type === 'candidate').length).toBe(before);
      signalling.receive(iqFrom(BOB, { ...restartInfo('call-1', 'PEER2', [hostCandidate]), contents: restartInfo('call-1', 'PEER2', [hostCandidate]).contents.slice(0, 1) }));
      clock.advance();
      expect(peers[0]!.received.filter((s) => s.type === 'candidate').length).toBe(before + 1);
    });

    it('the responder restarts itself when the initiator does not', async () => {
      const session = await incomingConnected();
      peers[0]!.emit('state', 'disconnected');
      clock.advance(RESPONDER_RESTART_AFTER_MS - 1);
      expect(peers[0]!.restarts).toBe(0);
      clock.advance(1);
      await settle();
      expect(peers[0]!.restarts).toBe(1);
      expect(session.phase).toBe('reconnecting');
    });
  });

  describe('the peer’s device goes offline (docs/interop.md, Faults)', () => {
    it('ends the call with gone once media has stopped for the grace period', async () => {
      const session = await outgoingConnected();
      signalling.deliver(presence(BOB, 'unavailable'));
      clock.advance(GONE_GRACE_MS * 2);
      expect(session.phase).toBe('connected');
      peers[0]!.emit('state', 'disconnected');
      clock.advance(GONE_GRACE_MS - 1);
      expect(session.phase).toBe('reconnecting');
      clock.advance(1);
      expect(session.phase).toBe('ended');
      expect(session.endReason?.condition).toBe('gone');
      expect(session.endMessage).toBe('bob went offline');
    });

    it('keeps the call when the device comes back within the grace period', async () => {
      const session = await outgoingConnected();
      peers[0]!.emit('state', 'disconnected');
      signalling.deliver(presence(BOB, 'unavailable'));
      clock.advance(GONE_GRACE_MS - 1000);
      signalling.deliver(presence(BOB));
      clock.advance(GONE_GRACE_MS);
      expect(session.phase).toBe('reconnecting');
    });

    it('ignores another device of the same contact going offline', async () => {
      const session = await outgoingConnected();
      peers[0]!.emit('state', 'disconnected');
      signalling.deliver(presence('bob@localhost/tablet', 'unavailable'));
      clock.advance(GONE_GRACE_MS * 2);
      expect(session.endReason?.condition).not.toBe('gone');
    });
  });

  it('rejects a content-add during the call with content-reject and goes on', async () => {
    const session = await outgoingConnected();
    const video = sdpToJingle(parseSdp(chromiumSdp('audio-video-offer')), { author: 'responder' }).contents.find((c) => c.description?.media === 'video')!;
    expect(signalling.receive(iqFrom(BOB, { action: 'content-add', sid: 'call-1', groups: [], contents: [{ ...video, name: 'v2', creator: 'responder' }] }))).toBe(true);
    clock.advance();
    const [rejected] = signalling.jingles('content-reject');
    expect(rejected!.contents.map((c) => [c.name, c.creator])).toEqual([['v2', 'responder']]);
    expect(session.phase).toBe('connected');
  });

  describe('leaves nothing behind', () => {
    it('after a call the peer connection is closed, the devices released and no timer is left', async () => {
      const session = await outgoingConnected();
      peers[0]!.emit('state', 'disconnected');
      session.hangUp();
      expect(peers[0]!.destroyed).toBe(true);
      expect(stopped).toEqual([stream]);
      expect(session.localStream).toBeUndefined();
      expect(session.remoteStream).toBeUndefined();
      expect(clock.pending).toBe(0);
      expect(manager.calls).toEqual([]);
    });

    it('after a proposal that timed out, nothing is left either', async () => {
      const session = manager.call('bob@localhost', 'audio', 'jmi');
      await settle();
      clock.advance(60_000);
      expect(session.phase).toBe('ended');
      expect(peers[0]!.destroyed).toBe(true);
      expect(stopped).toEqual([stream]);
      expect(clock.pending).toBe(0);
    });
  });
});

describe('XEP-0280 carbons', () => {
  it('are enabled with an IQ set to our server', async () => {
    const sent: Element[] = [];
    const connection = { request: async (iq: Element) => (sent.push(iq), xml('iq', { type: 'result' })) } as unknown as Connection;
    expect(await enableCarbons(connection)).toBe(true);
    expect(sent.map((iq) => [iq.attrs.type, iq.attrs.to, iq.getChild('enable')?.getNS()])).toEqual([['set', undefined, 'urn:xmpp:carbons:2']]);
  });

  it('a server without carbons does not stop the login', async () => {
    const connection = { request: async () => Promise.reject(new IqError('service-unavailable')) } as unknown as Connection;
    expect(await enableCarbons(connection)).toBe(false);
  });
});
