// A network blip while a call is set up: nothing sent is silently lost, every
// wait has a deadline, and late stanzas of a call given up are answered as
// over (docs/interop.md, Faults). Fake clock, connection and media peer.
import { beforeEach, describe, expect, it } from 'vitest';
import { type CallManager, createCallManager } from '../src/call/call-manager.ts';
import { ACCEPT_DEADLINE_MS, CONNECT_DEADLINE_MS, INCOMING_RING_LIMIT_MS, INITIATE_DEADLINE_MS, type JingleSession } from '../src/call/jingle-session.ts';
import { RING_TIMEOUT_MS } from '../src/call/jmi.ts';
import { type Element, type Jingle, jingleElement, xml } from '../src/jingle/index.ts';
import { parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import { createOutbox, NotSentError, OUTBOX_DEADLINE_MS, PATIENT_DEADLINE_MS } from '../src/xmpp/outbox.ts';
import { chromiumSdp, FakeClock, FakeMediaPeer, FakeSignalling, settle } from './fakes.ts';

const ME = 'alice@localhost/desk';
const BOB = 'bob@localhost/phone';
const stream = { getTracks: () => [], getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;
const propose = (from: string, id: string) =>
  `<message from='${from}' to='alice@localhost' type='chat' id='p-${id}'><propose xmlns='urn:xmpp:jingle-message:0' id='${id}'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose><request xmlns='urn:xmpp:receipts'/></message>`;
const jmi = (from: string, kind: string, id: string) => `<message from='${from}' to='${ME}' type='chat'><${kind} xmlns='urn:xmpp:jingle-message:0' id='${id}'/></message>`;
const iqFrom = (from: string, jingle: Jingle): Element => xml('iq', { type: 'set', from, to: ME, id: `i${Math.random()}` }, jingleElement(jingle));
const initiateFrom = (from: string, sid: string): Jingle => ({ action: 'session-initiate', sid, initiator: from, ...sdpToJingle(parseSdp(chromiumSdp('audio-offer')), { author: 'initiator' }) });
const acceptFrom = (from: string, sid: string): Jingle => ({ action: 'session-accept', sid, responder: from, ...sdpToJingle(parseSdp(chromiumSdp('audio-answer')), { author: 'responder' }) });

/** A call manager over a fake connection and clock; every media peer it makes is kept in `peers`. */
function audioManager(signalling: FakeSignalling, clock: FakeClock, newId: () => string, peers: FakeMediaPeer[] = []): CallManager {
  return createCallManager({
    signalling,
    clock,
    openMedia: async () => ({ stream }),
    stopMedia: () => undefined,
    newId,
    peerFactory: (options) => {
      const peer = new FakeMediaPeer(options, 'audio');
      peers.push(peer);
      return peer;
    },
  });
}

describe('the outbox', () => {
  let up: boolean;
  let clock: FakeClock;
  let written: string[];
  const outbox = () => createOutbox({ isUp: () => up, deadlineMs: 8000, timers: clock });
  const write = (what: string) => async () => {
    if (!up) throw new Error('socket closed');
    written.push(what);
  };

  beforeEach(() => {
    up = true;
    clock = new FakeClock();
    written = [];
  });

  it('holds what is sent while the stream is down and sends it in order once it is back', async () => {
    const box = outbox();
    up = false;
    const sent = [box.send(write('accept')), box.send(write('proceed'))];
    expect(written).toEqual([]);
    up = true;
    await box.flush();
    await Promise.all(sent);
    expect(written).toEqual(['accept', 'proceed']);
  });

  it('gives up after its deadline and says so', async () => {
    const box = outbox();
    up = false;
    const sent = box.send(write('proceed'));
    clock.advance(8000);
    await expect(sent).rejects.toBeInstanceOf(NotSentError);
    up = true;
    await box.flush();
    expect(written).toEqual([]);
  });

  it('sends what the old stream took but never acknowledged before what came after, in its order', async () => {
    const box = outbox();
    up = false;
    const later = box.send(write('hang-up'));
    box.resend(write('proceed'));
    box.resend(write('session-accept'));
    up = true;
    await box.flush();
    await later;
    expect(written).toEqual(['proceed', 'session-accept', 'hang-up']);
  });

  it('keeps a write that failed because the stream fell at that moment, for the next time', async () => {
    const box = outbox();
    up = true;
    let fallen = false;
    const sent = box.send(async () => {
      if (!fallen) {
        fallen = true;
        throw new Error('socket closed');
      }
      written.push('accept');
    });
    await settle();
    expect(written).toEqual([]);
    await box.flush();
    await sent;
    expect(written).toEqual(['accept']);
  });

  it('holds what ends a call for minutes, not seconds', async () => {
    const box = outbox();
    up = false;
    let outcome = 'waiting';
    box.send(write('terminate'), PATIENT_DEADLINE_MS).then(() => (outcome = 'sent'), () => (outcome = 'given up'));
    clock.advance(OUTBOX_DEADLINE_MS * 10);
    await settle();
    expect(outcome).toBe('waiting');
    up = true;
    await box.flush();
    await settle();
    expect(outcome).toBe('sent');
    expect(written).toEqual(['terminate']);
  });
});

describe('every wait of a call has a deadline', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let peers: FakeMediaPeer[];
  let manager: CallManager;
  let ids: string[];

  beforeEach(() => {
    signalling = new FakeSignalling();
    clock = new FakeClock();
    peers = [];
    ids = ['call-1', 'call-2'];
    manager = audioManager(signalling, clock, () => ids.shift()!, peers);
  });

  async function answeredProposal(id = 'b-1'): Promise<JingleSession> {
    signalling.deliver(propose(BOB, id));
    await settle();
    const session = manager.calls.find((c) => c.sid === id)!;
    await session.accept();
    await settle();
    return session;
  }

  it('ends an answered proposal whose session-initiate never comes, telling the caller', async () => {
    const session = await answeredProposal();
    clock.advance(INITIATE_DEADLINE_MS - 1);
    expect(session.phase).toBe('connecting');
    clock.advance(1);
    expect(session.phase).toBe('ended');
    expect(session.endReason).toEqual({ condition: 'timeout' });
    expect(session.endMessage).toBe('bob’s call never arrived after you answered'.replace('’', "'"));
    expect(signalling.jmi()).toContain(`reject b-1 → ${BOB}`);
  });

  it('ends a call whose callee proceeded but never sends session-accept, with <timeout/>', async () => {
    const session = manager.call('bob@localhost', 'audio', 'jmi');
    await settle();
    signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
    await settle();
    expect(signalling.jingles('session-initiate')).toHaveLength(1);
    clock.advance(ACCEPT_DEADLINE_MS);
    expect(session.phase).toBe('ended');
    expect(signalling.jingles('session-terminate')).toMatchObject([{ to: BOB, reason: { condition: 'timeout' } }]);
  });

  it('ends a direct call nobody answers after the ring timeout, with <timeout/>', async () => {
    const session = manager.call(BOB, 'audio', 'direct');
    await settle();
    clock.advance(RING_TIMEOUT_MS);
    expect(session.phase).toBe('ended');
    expect(session.endMessage).toBe('No answer');
    expect(signalling.jingles('session-terminate')).toMatchObject([{ reason: { condition: 'timeout' } }]);
  });

  it('stops ringing a proposal whose caller vanished, a little after the caller’s own limit: a missed call', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    const session = manager.calls[0]!;
    clock.advance(RING_TIMEOUT_MS);
    expect(session.phase).toBe('incoming');
    clock.advance(INCOMING_RING_LIMIT_MS - RING_TIMEOUT_MS);
    expect(session.phase).toBe('ended');
    expect(session.endMessage).toBe('Missed call from bob');
    await settle();
    expect(signalling.jmi().filter((m) => m.startsWith('reject'))).toContain(`reject b-1 → ${BOB}`);
    expect(clock.pending).toBe(0);
  });

  it('ends a call answered by the peer whose media never connects, with <connectivity-error/>', async () => {
    const session = manager.call(BOB, 'audio', 'direct');
    await settle();
    expect(signalling.receive(iqFrom(BOB, acceptFrom(BOB, 'call-1')))).toBe(true);
    clock.advance();
    expect(session.phase).toBe('connecting');
    clock.advance(CONNECT_DEADLINE_MS);
    expect(session.phase).toBe('ended');
    expect(signalling.jingles('session-terminate')).toMatchObject([{ reason: { condition: 'connectivity-error' } }]);
  });

  it('ends a call it answered whose media never connects, and a connection in time stops the deadline', async () => {
    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 's-1')))).toBe(true);
    clock.advance();
    const late = manager.calls[0]!;
    await late.accept();
    await settle();
    clock.advance(CONNECT_DEADLINE_MS);
    expect(late.endReason).toMatchObject({ condition: 'connectivity-error' });

    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 's-2')))).toBe(true);
    clock.advance();
    const onTime = manager.calls.find((c) => c.sid === 's-2')!;
    await onTime.accept();
    await settle();
    peers.at(-1)!.emit('state', 'connected');
    clock.advance(CONNECT_DEADLINE_MS);
    expect(onTime.phase).toBe('connected');
  });

  it('ends a call here when its answer cannot reach the server in time, and says why', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    const session = manager.calls[0]!;
    signalling.down = true;
    await session.accept();
    await settle();
    expect(session.phase).toBe('ended');
    expect(session.endReason).toMatchObject({ condition: 'connectivity-error' });
    expect(session.endMessage).toBe('Could not reach the server: the call ended on this side');
  });

  it('hangs up at once while the server is out of reach, and the session-terminate goes once it is back', async () => {
    const session = manager.call(BOB, 'audio', 'direct');
    await settle();
    expect(signalling.receive(iqFrom(BOB, acceptFrom(BOB, 'call-1')))).toBe(true);
    clock.advance();
    signalling.down = true;
    session.hangUp();
    expect(session.phase).toBe('ended');
    expect(session.endMessage).toBe('You hung up');
    await settle();
    expect(signalling.jingles('session-terminate')).toHaveLength(0);
    // A minute later the stream is back: bob's device learns that the call is over.
    clock.advance(60_000);
    signalling.comeBack();
    await settle();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ sid: 'call-1', to: BOB, reason: { condition: 'success' } }]);
    expect(session.endMessage).toBe('You hung up');
    expect(clock.pending).toBe(0);
  });

  it('keeps a connected call going when a mute cannot be told, and says so', async () => {
    const session = manager.call(BOB, 'audio', 'direct');
    await settle();
    signalling.receive(iqFrom(BOB, acceptFrom(BOB, 'call-1')));
    clock.advance();
    peers[0]!.emit('state', 'connected');
    signalling.down = true;
    session.setMuted(true);
    await settle();
    expect(session.phase).toBe('connected');
    expect(session.muted).toBe(true);
    expect(session.infoUndelivered).toBe('bob was not told (mute): the server could not be reached');
  });
});

describe('late stanzas of a call given up', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let manager: CallManager;
  let announced: string[];

  beforeEach(() => {
    signalling = new FakeSignalling();
    clock = new FakeClock();
    announced = [];
    manager = audioManager(signalling, clock, () => 'call-1');
    manager.onCall((s) => announced.push(`${s.direction} ${s.sid}`));
  });

  it('answers the session-initiate of a proposal given up with session-terminate, and never rings again', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    const session = manager.calls[0]!;
    await session.accept();
    await settle();
    clock.advance(INITIATE_DEADLINE_MS);
    expect(session.phase).toBe('ended');
    // The caller's session-initiate, held by a stream that was down, arrives now.
    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 'b-1')))).toBe(true);
    clock.advance();
    expect(signalling.jingles('session-terminate')).toMatchObject([{ sid: 'b-1', to: BOB, reason: { condition: 'timeout' } }]);
    expect(announced).toEqual(['incoming b-1']);
    expect(manager.calls).toHaveLength(0);
  });

  it('retracts, and sends no session-initiate, when a device proceeds after the caller gave up', async () => {
    const session = manager.call('bob@localhost', 'audio', 'jmi');
    await settle();
    session.hangUp();
    signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
    await settle();
    expect(signalling.jmi().filter((m) => m.startsWith('retract'))).toEqual(['retract call-1 → bob@localhost', 'retract call-1 → bob@localhost']);
    expect(signalling.jingles('session-initiate')).toHaveLength(0);
  });

  it('does not ring again for a proposal delivered a second time', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    manager.calls[0]!.decline();
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    expect(announced).toEqual(['incoming b-1']);
    expect(manager.calls).toHaveLength(0);
  });
});

describe('after a new session under the same resource', () => {
  let signalling: FakeSignalling;
  let clock: FakeClock;
  let manager: CallManager;

  beforeEach(() => {
    signalling = new FakeSignalling();
    clock = new FakeClock();
    manager = audioManager(signalling, clock, () => 'call-1');
  });

  it('proposes again while ringing, and a callee that accepted answers with proceed again', async () => {
    manager.call('bob@localhost', 'audio', 'jmi');
    await settle();
    signalling.rebind();
    expect(signalling.jmi()).toEqual(['propose call-1 → bob@localhost', 'propose call-1 → bob@localhost']);
  });

  it('says proceed again when the caller proposes a call this device has accepted', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    await manager.calls[0]!.accept();
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    expect(signalling.jmi().filter((m) => m.startsWith('proceed'))).toEqual([`proceed b-1 → ${BOB}`, `proceed b-1 → ${BOB}`]);
    expect(manager.calls).toHaveLength(1);
  });

  it('a callee waiting for the session-initiate says proceed again on re-binding', async () => {
    signalling.deliver(propose(BOB, 'b-1'));
    await settle();
    await manager.calls[0]!.accept();
    signalling.rebind();
    expect(signalling.jmi().filter((m) => m.startsWith('proceed'))).toHaveLength(2);
  });

  it('sends the session-initiate again to a device that proceeds again, and its caller re-sends on re-binding', async () => {
    manager.call('bob@localhost', 'audio', 'jmi');
    await settle();
    signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
    await settle();
    signalling.deliver(jmi(BOB, 'proceed', 'call-1'));
    await settle();
    expect(signalling.jingles('session-initiate')).toHaveLength(2);
    signalling.rebind();
    expect(signalling.jingles('session-initiate')).toHaveLength(3);
    expect(new Set(signalling.jingles('session-initiate').map((j) => JSON.stringify(j)))).toHaveProperty('size', 1);
  });

  it('acknowledges a repeated session-initiate and answers it with the same session-accept', async () => {
    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 's-1')))).toBe(true);
    clock.advance();
    await manager.calls[0]!.accept();
    await settle();
    expect(signalling.jingles('session-accept')).toHaveLength(1);
    expect(signalling.receive(iqFrom(BOB, initiateFrom(BOB, 's-1')))).toBe(true);
    clock.advance();
    const accepts = signalling.jingles('session-accept');
    expect(accepts).toHaveLength(2);
    expect(accepts[1]).toEqual(accepts[0]);
    expect(manager.calls[0]!.phase).toBe('connecting');
  });

  it('takes a repeated session-accept once', async () => {
    const session = manager.call(BOB, 'audio', 'direct');
    await settle();
    expect(signalling.receive(iqFrom(BOB, acceptFrom(BOB, 'call-1')))).toBe(true);
    expect(signalling.receive(iqFrom(BOB, acceptFrom(BOB, 'call-1')))).toBe(true);
    clock.advance();
    expect(session.phase).toBe('connecting');
    expect(signalling.jingles('session-terminate')).toHaveLength(0);
  });
});
