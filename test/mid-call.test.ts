// Video added to an audio call (XEP-0166 §6.6 and §7.2, content-add), by
// either side, with the answers a peer may give and the requests that cross.
// One scenario per test, on the fakes of test/mid-call-lab.ts.
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_ACK_DEADLINE_MS, CONTENT_ANSWER_DEADLINE_MS } from '../src/call/content-changes.ts';
import { ICE_RESTART_AFTER_MS } from '../src/call/ice-restart.ts';
import { xml } from '../src/jingle/index.ts';
import { IqError } from '../src/xmpp/connection.ts';
import { settle, type FakeTrack } from './fakes.ts';
import { BOB, MidCallLab, reply, videoAccept, videoAdd } from './mid-call-lab.ts';

const ok = () => xml('iq', { type: 'result' });
const candidate = (mid: string) => ({ type: 'candidate' as const, candidate: { candidate: 'candidate:9 1 udp 2122260223 127.0.0.1 50999 typ host generation 0', sdpMid: mid, sdpMLineIndex: Number(mid) } });

let lab: MidCallLab;
beforeEach(() => {
  lab = new MidCallLab();
});

/** A connected audio call whose replies the test gives by hand, and our camera just pressed. */
async function askForVideoWithRepliesHeld() {
  const session = await lab.outgoing();
  lab.holdReplies();
  session.setCamera(true);
  await lab.flush();
  return session;
}

describe('our camera added to an audio call', () => {
  it('sends a content-add with only the new video content: description, ICE credentials, fingerprint, BUNDLE', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    const [add] = lab.signalling.jingles('content-add');
    expect(add!.to).toBe(BOB);
    expect(add!.contents.map((c) => [c.name, c.creator, c.senders, c.description?.media])).toEqual([['1', 'initiator', 'both', 'video']]);
    const transport = add!.contents[0]!.transport!;
    expect([transport.ufrag, transport.pwd?.length]).toEqual(['ywb0', 24]);
    expect(transport.fingerprints.map((f) => [f.hash, f.setup])).toEqual([['sha-256', 'actpass']]);
    expect(add!.groups).toEqual([{ semantics: 'BUNDLE', contents: ['0', '1'] }]);
    expect(lab.peer.renegotiations).toEqual(['offer-track']);
    expect(session.video).toMatchObject({ asking: true, sending: false, receiving: false });
  });

  it('accepted: the peer’s answer goes to the peer connection and our camera sends', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    expect(reply(lab.fromPeer(videoAccept('call-1', 'responder')))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'accept-answer']);
    const answer = lab.peer.remoteAnswers[0]!;
    expect(answer).toMatch(/m=video [\s\S]*a=mid:1/);
    expect(answer).toContain('a=group:BUNDLE 0 1');
    expect(session.video).toMatchObject({ asking: false, sending: true, notice: undefined });
    expect(session.localStream!.getVideoTracks()).toHaveLength(1);
    expect(session.phase).toBe('connected');
  });

  it('declined with content-reject <decline/>: back to audio, camera stopped, “Bob did not turn on video”', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    const reject = { action: 'content-reject' as const, sid: 'call-1', groups: [], reason: { condition: 'decline' }, contents: [{ creator: 'initiator' as const, name: '1' }] };
    expect(reply(lab.fromPeer(reject))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(lab.peer.signalingState).toBe('stable');
    expect((lab.cameras[0]!.getTracks()[0] as unknown as FakeTrack).readyState).toBe('ended');
    expect(session.localStream!.getVideoTracks()).toEqual([]);
    expect(session.video).toMatchObject({ asking: false, sending: false, notice: 'Bob did not turn on video' });
    expect(session.phase).toBe('connected');
    expect(lab.signalling.jingles('session-terminate')).toEqual([]);
  });

  it('StanzaJS 12’s content-reject (no content, failed-application): “Bob’s app cannot add video to this call”', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    const reject = { action: 'content-reject' as const, sid: 'call-1', groups: [], contents: [], reason: { condition: 'failed-application', text: 'content-add is not supported' } };
    expect(reply(lab.fromPeer(reject))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(session.video.notice).toBe("Bob's app cannot add video to this call");
    expect(session.phase).toBe('connected');
  });

  it('an IQ error to our content-add rolls back: “Bob’s app cannot add video to this call”', async () => {
    const session = await askForVideoWithRepliesHeld();
    lab.heldRequest('content-add').reject(new IqError('feature-not-implemented'));
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(session.video).toMatchObject({ asking: false, sending: false, notice: "Bob's app cannot add video to this call" });
    expect(session.phase).toBe('connected');
  });

  it('no reply at all: after the deadline, rolled back and withdrawn with content-remove', async () => {
    const session = await askForVideoWithRepliesHeld();
    lab.clock.advance(CONTENT_ACK_DEADLINE_MS - 1);
    expect(session.video.asking).toBe(true);
    lab.clock.advance(1);
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(lab.sent('content-remove').map((c) => [c.name, c.description?.media])).toEqual([['1', 'video']]);
    expect(session.video.notice).toBe("Bob's app cannot add video to this call");
    expect(session.phase).toBe('connected');
  });

  it('acknowledged but never answered: withdrawn after the answer deadline, “Bob did not turn on video”', async () => {
    const session = await askForVideoWithRepliesHeld();
    lab.heldRequest('content-add').resolve(ok());
    await lab.flush();
    lab.clock.advance(CONTENT_ACK_DEADLINE_MS);
    expect(session.video.asking).toBe(true);
    lab.clock.advance(CONTENT_ANSWER_DEADLINE_MS - CONTENT_ACK_DEADLINE_MS);
    await lab.flush();
    expect(session.video).toMatchObject({ asking: false, notice: 'Bob did not turn on video' });
    expect(lab.signalling.jingles('content-remove')).toHaveLength(1);
  });

  it('holds our candidates for the new content until the peer accepted it', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.peer.emit('signal', candidate('1'));
    const toVideo = () => lab.signalling.jingles('transport-info').filter((t) => t.contents.some((c) => c.name === '1'));
    expect(toVideo()).toEqual([]);
    lab.fromPeer(videoAccept('call-1', 'responder'));
    await lab.flush();
    expect(toVideo().map((t) => t.contents[0]!.transport!.candidates[0]!.port)).toEqual([50999]);
  });

  it('drops our held candidates when the peer refused the content', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.peer.emit('signal', candidate('1'));
    lab.fromPeer({ action: 'content-reject', sid: 'call-1', groups: [], contents: [], reason: { condition: 'decline' } });
    await lab.flush();
    lab.peer.emit('signal', candidate('1'));
    expect(lab.signalling.jingles('transport-info').filter((t) => t.contents.some((c) => c.name === '1'))).toEqual([]);
  });

  it('a camera that cannot be opened sends nothing and says why', async () => {
    const session = await lab.outgoing();
    lab.cameraFails = 'No camera was found. Connect one and try again.';
    session.setCamera(true);
    await lab.flush();
    expect(lab.signalling.jingles('content-add')).toEqual([]);
    expect(lab.peer.renegotiations).toEqual([]);
    expect(session.video.notice).toBe('Your camera could not be opened: No camera was found. Connect one and try again.');
  });

  it('the peer connection refusing our new offer leaves the call as it was', async () => {
    const session = await lab.outgoing();
    lab.peer.failNext = 'offer-track';
    session.setCamera(true);
    await lab.flush();
    expect(lab.signalling.jingles('content-add')).toEqual([]);
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(session.video.notice).toBe('Video could not be added: offer-track refused');
    expect(session.localStream!.getVideoTracks()).toEqual([]);
  });

  it('a peer’s answer our peer connection refuses rolls back and withdraws the content', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.peer.failNext = 'accept-answer';
    lab.fromPeer(videoAccept('call-1', 'responder'));
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'accept-answer', 'rollback']);
    expect(lab.signalling.jingles('content-remove')).toHaveLength(1);
    expect(session.video.notice).toBe("Bob's app cannot add video to this call (accept-answer refused)");
  });

  it('as the responder, adds video too: our offer, the initiator’s answer', async () => {
    const session = await lab.incoming();
    session.setCamera(true);
    await lab.flush();
    expect(lab.sent('content-add').map((c) => [c.name, c.creator, c.description?.media])).toEqual([['1', 'initiator', 'video']]);
    lab.fromPeer(videoAccept('sid-1', 'initiator'));
    await lab.flush();
    // The initiator's answer keeps the DTLS roles of the call: we stay active.
    expect(lab.peer.remoteAnswers[0]).not.toContain('a=setup:actpass');
    expect(session.video.sending).toBe(true);
  });

  it('keeps mute and hold: holding also pauses the camera', async () => {
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.fromPeer(videoAccept('call-1', 'responder'));
    await lab.flush();
    session.setHeld(true);
    expect(session.localStream!.getTracks().map((t) => t.enabled)).toEqual([false, false]);
    session.setHeld(false);
    session.setMuted(true);
    expect(session.localStream!.getTracks().map((t) => [t.kind, t.enabled])).toEqual([['audio', false], ['video', true]]);
  });
});

describe('the peer’s camera added to an audio call', () => {
  it('is acknowledged at once and asks our user, with nothing done to the peer connection yet', async () => {
    const session = await lab.outgoing();
    expect(reply(lab.fromPeer(videoAdd('call-1', 'responder')))).toBe('result');
    await lab.flush();
    expect(session.video).toMatchObject({ asked: true, receiving: false });
    expect(lab.peer.renegotiations).toEqual([]);
    expect(lab.signalling.jingles('content-accept')).toEqual([]);
  });

  it('“Turn on video” answers content-accept of the same content, with our camera', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    session.acceptVideo();
    await lab.flush();
    expect(lab.peer.remoteOffers[0]).toMatch(/m=video [\s\S]*a=mid:1/);
    expect(lab.peer.answeredWith).toBe(lab.cameras[0]!.getVideoTracks()[0]);
    const [accepted] = lab.sent('content-accept');
    expect([accepted!.name, accepted!.creator, accepted!.senders, accepted!.description?.media]).toEqual(['1', 'initiator', 'both', 'video']);
    expect(accepted!.transport?.ufrag).toBeTruthy();
    expect(session.video).toMatchObject({ asked: false, sending: true, receiving: true });
  });

  it('“Turn on video” without a camera takes the peer’s video receive-only, and says so', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    lab.cameraFails = 'No camera was found. Connect one and try again.';
    session.acceptVideo();
    await lab.flush();
    expect(lab.peer.answeredWith).toBeUndefined();
    expect(lab.signalling.jingles('content-accept')).toHaveLength(1);
    expect(session.video).toMatchObject({ sending: false, receiving: true });
    expect(session.video.notice).toBe('Your camera could not be opened (No camera was found. Connect one and try again.): you see Bob, Bob does not see you');
  });

  it('“Not now” answers content-reject <decline/> naming the content, and nothing changes', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    session.declineVideo();
    await lab.flush();
    const [rejected] = lab.signalling.jingles('content-reject');
    expect(rejected!.reason?.condition).toBe('decline');
    // Conversations reads a content-reject's media and transport: both are there, empty.
    expect(rejected!.contents.map((c) => [c.name, c.senders, c.description?.media, c.transport?.candidates.length])).toEqual([['1', 'both', 'video', 0]]);
    expect(lab.peer.renegotiations).toEqual([]);
    expect(session.video).toMatchObject({ asked: false, receiving: false });
    expect(lab.cameras).toEqual([]);
  });

  it('holds the peer’s candidates for its new content until our answer', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    const info = { action: 'transport-info' as const, sid: 'call-1', groups: [], contents: [{ creator: 'initiator' as const, name: '1', transport: { ufrag: 'ywb0', pwd: 'HKFpWdmjijUEsEg9WFGnulN/', fingerprints: [], candidates: [{ component: 1, foundation: '7', ip: '127.0.0.1', port: 40404, priority: 1, protocol: 'udp', type: 'host' }] } }] };
    expect(reply(lab.fromPeer(info))).toBe('result');
    await lab.flush();
    const delivered = () => lab.peer.received.filter((s) => s.type === 'candidate' && s.candidate.candidate?.includes('40404'));
    expect(delivered()).toEqual([]);
    session.acceptVideo();
    await lab.flush();
    expect(delivered()).toHaveLength(1);
  });

  it('a content-add withdrawn with content-remove before the user answers takes the question away', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    expect(reply(lab.fromPeer({ action: 'content-remove', sid: 'call-1', groups: [], contents: [{ creator: 'initiator', name: '1' }] }))).toBe('result');
    await lab.flush();
    expect(session.video.asked).toBe(false);
    session.acceptVideo();
    await lab.flush();
    expect(lab.signalling.jingles('content-accept')).toEqual([]);
  });

  it('a second content of video, to a call that has video, is rejected and the call goes on', async () => {
    const video = new MidCallLab({ kind: 'audio-video' });
    const session = await video.outgoing('video');
    const add = videoAdd('call-1', 'responder');
    expect(reply(video.fromPeer({ ...add, contents: add.contents.map((c) => ({ ...c, name: 'v2' })) }))).toBe('result');
    await video.flush();
    expect(video.sent('content-reject').map((c) => c.name)).toEqual(['v2']);
    expect(session.video.asked).toBe(false);
    expect(session.phase).toBe('connected');
  });
});

describe('content-adds that cross (XEP-0166 §8, tie-break)', () => {
  it('as initiator, answers the responder’s crossing content-add with conflict and tie-break, and goes on with its own', async () => {
    const session = await askForVideoWithRepliesHeld();
    expect(reply(lab.fromPeer(videoAdd('call-1', 'responder')))).toBe('conflict+tie-break');
    lab.heldRequest('content-add').resolve(ok());
    await lab.flush();
    expect(session.video).toMatchObject({ asking: true, asked: false });
    // The responder takes ours after all, and accepts it.
    lab.fromPeer(videoAccept('call-1', 'responder'));
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'accept-answer']);
    expect(session.video).toMatchObject({ sending: true, notice: undefined });
  });

  it('as responder, gives way: our offer rolled back, the initiator’s taken with our camera, the tie-break error shrugged off', async () => {
    const session = await lab.incoming();
    lab.holdReplies();
    session.setCamera(true);
    await lab.flush();
    const ours = lab.heldRequest('content-add');
    expect(reply(lab.fromPeer(videoAdd('sid-1', 'initiator')))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback', 'answer-offer']);
    expect(lab.peer.answeredWith).toBe(lab.cameras[0]!.getVideoTracks()[0]);
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-accept')).toHaveLength(1);
    ours.reject(new IqError('conflict', 'tie-break'));
    await lab.flush();
    expect(session.video).toMatchObject({ sending: true, receiving: true, asking: false, asked: false, notice: undefined });
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-remove')).toEqual([]);
    expect(session.phase).toBe('connected');
  });

  it('as responder, the initiator’s content-add acknowledged while our offer still gathers: ours never goes, our camera answers theirs', async () => {
    const session = await lab.incoming();
    lab.holdReplies();
    let gathered!: () => void;
    lab.peer.offerGate = new Promise((resolve) => (gathered = resolve));
    session.setCamera(true);
    await settle();
    // Acknowledged at once; acted on a task later, after our offer is made.
    expect(reply(lab.fromPeer(videoAdd('sid-1', 'initiator')))).toBe('result');
    gathered();
    await settle();
    await lab.flush();
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-add')).toEqual([]);
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback', 'answer-offer']);
    expect(lab.peer.answeredWith).toBe(lab.cameras[0]!.getVideoTracks()[0]);
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-accept')).toHaveLength(1);
    expect(session.video).toMatchObject({ sending: true, receiving: true, asking: false, asked: false, notice: undefined });
  });

  /** As responder, our content-add goes and the initiator refuses it with tie-break. */
  async function refusedWithTieBreak() {
    const session = await lab.incoming();
    lab.holdReplies();
    session.setCamera(true);
    await lab.flush();
    lab.heldRequest('content-add').reject(new IqError('conflict', 'tie-break'));
    await lab.flush();
    return session;
  }

  it('as responder, refused with tie-break before the initiator’s content-add arrives: our camera waits for it and answers it', async () => {
    const session = await refusedWithTieBreak();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback keeping the added']);
    expect(session.video).toMatchObject({ asking: true, asked: false, notice: undefined });
    expect((lab.cameras[0]!.getTracks()[0] as unknown as FakeTrack).readyState).toBe('live');
    expect(reply(lab.fromPeer(videoAdd('sid-1', 'initiator')))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback keeping the added', 'answer-offer']);
    expect(lab.peer.answeredWith).toBe(lab.cameras[0]!.getVideoTracks()[0]);
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-accept')).toHaveLength(1);
    expect(session.video).toMatchObject({ sending: true, receiving: true, asking: false, asked: false });
  });

  it('as responder, refused with tie-break and no content-add follows: the camera stops after the deadline', async () => {
    const session = await refusedWithTieBreak();
    lab.clock.advance(CONTENT_ACK_DEADLINE_MS - 1);
    expect((lab.cameras[0]!.getTracks()[0] as unknown as FakeTrack).readyState).toBe('live');
    lab.clock.advance(1);
    await lab.flush();
    expect((lab.cameras[0]!.getTracks()[0] as unknown as FakeTrack).readyState).toBe('ended');
    // Now the camera's transceiver goes too.
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback keeping the added', 'rollback']);
    expect(session.video).toMatchObject({ sending: false, asking: false, asked: false });
    expect(session.phase).toBe('connected');
  });

  it('pressing the camera while the peer asks is a yes', async () => {
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    session.setCamera(true);
    await lab.flush();
    expect(lab.signalling.jingles('content-add')).toEqual([]);
    expect(lab.signalling.jingles('content-accept')).toHaveLength(1);
  });
});

describe('content changes and ICE restarts', () => {
  it('a disconnect withdraws our waiting content-add, then ICE restarts', async () => {
    const session = await askForVideoWithRepliesHeld();
    lab.heldRequest('content-add').resolve(ok());
    await lab.flush();
    lab.peer.emit('state', 'disconnected');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['offer-track', 'rollback']);
    expect(lab.held.filter((h) => h.iq.getChild('jingle')?.attrs.action === 'content-remove')).toHaveLength(1);
    lab.clock.advance(ICE_RESTART_AFTER_MS);
    await lab.flush();
    expect(lab.peer.restarts).toBe(1);
    expect(session.video.notice).toBe('The connection dropped: video was not turned on');
  });

  it('no ICE restart starts while a content-add is being answered', async () => {
    const session = await askForVideoWithRepliesHeld();
    session.restartIce();
    await lab.flush();
    expect(lab.peer.restarts).toBe(0);
  });
});
