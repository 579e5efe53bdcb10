// Mid-call requests as other clients send them: Dino's content-add as the
// responder (its captured vector), Dino's content-modify, Conversations'
// empty transports, a peer's content-remove; and malformed or out-of-order
// content-* requests, each answered with its XEP-0166 error.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Element, type Jingle, NS, parseXml, readJingle } from '../src/jingle/index.ts';
import { refuse } from './fakes.ts';
import { BOB, MidCallLab, reply, videoAccept, videoAdd } from './mid-call-lab.ts';

const DINO = 'alice@localhost/dino';
const DINO_SID = '992dde1df9344a1e863a';
const vector = (name: string) => readFileSync(new URL(`./vectors/dino/${name}.xml`, import.meta.url), 'utf8').replace(/<\?xml[^>]*\?>|<!--[\s\S]*?-->/g, '').trim();
/** The IQs Dino sent in a captured call, in order. */
const dinoSent = (name: string): Element[] => {
  const log = parseXml(vector(name));
  return log.name === 'iq' ? [log] : log.getChildren('frame').filter((f) => f.attrs.dir === 'dino-sent').map((f) => f.getChild('iq')!);
};
const jingleOf = (iq: Element): Jingle => readJingle(iq.getChild('jingle', NS.jingle)!);

/** Dino's content-modify, as xmpp-vala's send_content_modify() writes it: the content's creator and name, and senders. */
const dinoModify = (sid: string, name: string, senders: string) =>
  parseXml(`<iq type='set' id='m${Math.random()}' from='${BOB}'><jingle xmlns='urn:xmpp:jingle:1' action='content-modify' sid='${sid}'><content creator='initiator' name='${name}' senders='${senders}'/></jingle></iq>`);

/** Conversations' content-add and content-accept: full description, an empty transport, the whole BUNDLE group. */
function conversationsShape(jingle: Jingle): Jingle {
  return { ...jingle, contents: jingle.contents.map((c) => ({ ...c, transport: { fingerprints: [], candidates: [] } })), groups: [{ semantics: 'BUNDLE', contents: ['0', '1'] }] };
}

describe('Dino 0.4 turning its camera on as the responder (vectors/dino/content-add-video-by-dino-as-responder.xml)', () => {
  let lab: MidCallLab;
  beforeEach(async () => {
    lab = new MidCallLab({ sid: DINO_SID });
    // Dino answered our audio call: its real session-accept, under this call's sid.
    const [accept] = dinoSent('session-accept-callee-audio');
    await lab.outgoing('audio', DINO, { ...jingleOf(accept!), sid: DINO_SID });
  });

  it('asks our user, and takes the video receive-only: SDES ignored, its own transport, no BUNDLE, component 2 dropped', async () => {
    const [add] = dinoSent('content-add-video-by-dino-as-responder');
    expect(reply(lab.signalling.receive(add!))).toBe('result');
    await lab.flush();
    const session = lab.manager.calls[0]!;
    expect(session.video.asked).toBe(true);
    session.acceptVideo();
    await lab.flush();
    // Dino offers to send only (senders='responder'): our camera stays off.
    expect(lab.cameras).toEqual([]);
    const offer = lab.peer.remoteOffers[0]!;
    const video = offer.slice(offer.indexOf('m=video'));
    expect(video).toContain('a=mid:video');
    expect(video).toContain('a=sendonly');
    expect(video).toContain('a=ice-ufrag:6lKL');
    expect(video).toContain('a=setup:actpass');
    expect(video).not.toContain('a=crypto');
    expect(offer).not.toContain('a=group');
    expect(video.match(/a=candidate:\S+ (\d)/g)).toEqual(['a=candidate:1 1']);
    const [accepted] = lab.sent('content-accept');
    expect([accepted!.name, accepted!.creator, accepted!.senders]).toEqual(['video', 'initiator', 'responder']);
    expect(lab.signalling.jingles('content-accept')[0]!.groups).toEqual([]);
    expect(session.video).toMatchObject({ receiving: true, sending: false });
  });

  it('“Not now”: content-reject, and Dino’s feature-not-implemented reply leaves the call as it was', async () => {
    const [add] = dinoSent('content-add-video-by-dino-as-responder');
    lab.signalling.receive(add!);
    await lab.flush();
    lab.signalling.answer = refuse('feature-not-implemented');
    const session = lab.manager.calls[0]!;
    session.declineVideo();
    await lab.flush();
    expect(lab.sent('content-reject').map((c) => c.name)).toEqual(['video']);
    expect(session.phase).toBe('connected');
    expect(session.video).toMatchObject({ asked: false, receiving: false, notice: undefined });
    expect(lab.signalling.jingles('session-terminate')).toEqual([]);
  });
});

describe('Dino 0.4 answering our content-add when it will not send its own camera', () => {
  it('says content-modify (senders: us) before content-accept: our video goes, none comes', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    // xmpp-vala's on_incoming_content_add(): modify to the counterpart's sending, then accept.
    expect(reply(lab.signalling.receive(dinoModify('call-1', '1', 'initiator')))).toBe('result');
    const accept = videoAccept('call-1', 'responder');
    expect(reply(lab.fromPeer({ ...accept, contents: accept.contents.map((c) => ({ ...c, senders: 'initiator' })) }))).toBe('result');
    await lab.flush();
    const answer = lab.peer.remoteAnswers[0]!;
    expect(answer.slice(answer.indexOf('m=video'))).toContain('a=recvonly');
    expect(session.video).toMatchObject({ sending: true, receiving: false, asking: false });
  });

  it('a content-modify of the peer’s own request before our user answers: it only sends, so our camera stays off', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    expect(reply(lab.signalling.receive(dinoModify('call-1', '1', 'responder')))).toBe('result');
    await lab.flush();
    session.acceptVideo();
    await lab.flush();
    expect(lab.cameras).toEqual([]);
    expect(lab.sent('content-accept').map((c) => c.senders)).toEqual(['responder']);
  });
});

describe('a video call whose peer changes senders (content-modify) or removes its video (content-remove)', () => {
  let lab: MidCallLab;
  beforeEach(() => {
    lab = new MidCallLab({ kind: 'audio-video' });
  });

  it('Dino’s camera off and on again by content-modify: the remote video goes and comes back, nothing renegotiated', async () => {
    const session = await lab.outgoing('video');
    expect(session.video).toMatchObject({ sending: true, receiving: true });
    // Bob is the responder: senders='initiator' means that only we send.
    expect(reply(lab.signalling.receive(dinoModify('call-1', '1', 'initiator')))).toBe('result');
    await lab.flush();
    expect(session.video).toMatchObject({ sending: true, receiving: false });
    lab.signalling.receive(dinoModify('call-1', '1', 'both'));
    await lab.flush();
    expect(session.video).toMatchObject({ sending: true, receiving: true });
    expect(lab.peer.renegotiations.filter((r) => !r.startsWith('set-sending'))).toEqual([]);
    expect(session.phase).toBe('connected');
  });

  it('a content-modify that leaves us out of the senders stops our video without renegotiating', async () => {
    const session = await lab.outgoing('video');
    lab.signalling.receive(dinoModify('call-1', '1', 'responder'));
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 none']);
    expect(session.video).toMatchObject({ sending: false, receiving: true });
    lab.signalling.receive(dinoModify('call-1', '1', 'both'));
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['set-sending 1 none', 'set-sending 1 video']);
  });

  it('the peer’s content-remove of its video: the m-line stops, our camera too, the call goes on as audio', async () => {
    const session = await lab.outgoing('video');
    expect(reply(lab.fromPeer({ action: 'content-remove', sid: 'call-1', groups: [], contents: [{ creator: 'initiator', name: '1' }] }))).toBe('result');
    await lab.flush();
    expect(lab.peer.renegotiations).toEqual(['stop 1']);
    expect(session.video).toMatchObject({ sending: false, receiving: false, notice: 'Bob turned off video; the call goes on with audio' });
    expect(session.localStream!.getVideoTracks()).toEqual([]);
    expect(session.localStream!.getAudioTracks()).toHaveLength(1);
    expect(session.phase).toBe('connected');
    // Afterwards the call is an audio call: video may be added again.
    expect(session.canAddVideo).toBe(true);
  });
});

describe('Conversations’ content-add and content-accept (an empty transport, the BUNDLE group)', () => {
  it('its content-add takes the credentials and fingerprint of the bundle it joins', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    expect(reply(lab.fromPeer(conversationsShape(videoAdd('call-1', 'responder'))))).toBe('result');
    await lab.flush();
    session.acceptVideo();
    await lab.flush();
    const offer = lab.peer.remoteOffers[0]!;
    const audioUfrag = /a=ice-ufrag:(\S+)/.exec(offer)![1];
    expect(offer.slice(offer.indexOf('m=video'))).toContain(`a=ice-ufrag:${audioUfrag}`);
    expect(offer).toContain('a=group:BUNDLE 0 1');
    expect(lab.sent('content-accept').map((c) => [c.name, c.senders])).toEqual([['1', 'both']]);
  });

  it('its content-accept of our video takes the bundle’s transport too', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.fromPeer(conversationsShape(videoAccept('call-1', 'responder')));
    await lab.flush();
    const answer = lab.peer.remoteAnswers[0]!;
    const audioUfrag = /a=ice-ufrag:(\S+)/.exec(answer)![1];
    expect(answer.slice(answer.indexOf('m=video'))).toContain(`a=ice-ufrag:${audioUfrag}`);
    expect(session.video.sending).toBe(true);
  });

  it('a content-reject without a reason (how Conversations declines) is “Bob did not turn on video”', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    lab.fromPeer({ action: 'content-reject', sid: 'call-1', groups: [], contents: [{ creator: 'initiator', name: '1', senders: 'both' }] });
    await lab.flush();
    expect(session.video.notice).toBe('Bob did not turn on video');
  });
});

describe('malformed and out-of-order content-* requests get the XEP-0166 error, never an exception', () => {
  const video = () => videoAdd('call-1', 'responder').contents[0]!;
  const cases: [string, (sid: string) => Jingle, string][] = [
    ['a content-accept with no content-add of ours', (sid) => ({ ...videoAccept(sid, 'responder') }), 'unexpected-request+out-of-order'],
    ['a content-reject with no content-add of ours', (sid) => ({ action: 'content-reject', sid, groups: [], contents: [] }), 'unexpected-request+out-of-order'],
    ['a content-add of a content that exists', (sid) => ({ action: 'content-add', sid, groups: [], contents: [{ ...video(), name: '0' }] }), 'bad-request'],
    ['a content-add without a description', (sid) => ({ action: 'content-add', sid, groups: [], contents: [{ creator: 'initiator', name: 'v', transport: video().transport! }] }), 'bad-request'],
    ['a content-add without content', (sid) => ({ action: 'content-add', sid, groups: [], contents: [] }), 'bad-request'],
    ['a content-add without ICE credentials, outside any BUNDLE', (sid) => ({ action: 'content-add', sid, groups: [], contents: [{ ...video(), transport: { fingerprints: [], candidates: [] } }] }), 'bad-request'],
    ['a content-modify of an unknown content', (sid) => ({ action: 'content-modify', sid, groups: [], contents: [{ creator: 'initiator', name: 'nope', senders: 'both' }] }), 'bad-request'],
    ['a content-modify without senders', (sid) => ({ action: 'content-modify', sid, groups: [], contents: [{ creator: 'initiator', name: '0' }] }), 'bad-request'],
    ['a content-remove of an unknown content', (sid) => ({ action: 'content-remove', sid, groups: [], contents: [{ creator: 'initiator', name: 'nope' }] }), 'bad-request'],
    ['a content-remove without content', (sid) => ({ action: 'content-remove', sid, groups: [], contents: [] }), 'bad-request'],
    ['a content-add for a session that does not exist', () => videoAdd('no-such-sid', 'responder'), 'item-not-found+unknown-session'],
  ];
  for (const [name, make, expected] of cases) {
    it(`${name}: ${expected}`, async () => {
      const lab = new MidCallLab();
      const session = await lab.outgoing();
      expect(reply(lab.fromPeer(make('call-1')))).toBe(expected);
      await lab.flush();
      expect(session.phase).toBe('connected');
      expect(lab.peer.renegotiations).toEqual([]);
      expect(lab.signalling.jingles('session-terminate')).toEqual([]);
    });
  }

  it('a content-add before the call is answered: out-of-order', async () => {
    const lab = new MidCallLab();
    lab.manager.call(BOB, 'audio');
    await lab.flush();
    expect(reply(lab.fromPeer(videoAdd('call-1', 'responder')))).toBe('unexpected-request+out-of-order');
  });

  it('a content-add from a third party: unknown-session, and the call is not touched', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    expect(reply(lab.fromPeer(videoAdd('call-1', 'responder'), 'carol@localhost/x'))).toBe('item-not-found+unknown-session');
    await lab.flush();
    expect(session.video.asked).toBe(false);
  });

  it('a second content-add while the first waits for our user: out-of-order', async () => {
    const lab = new MidCallLab();
    await lab.outgoing();
    lab.fromPeer(videoAdd('call-1', 'responder'));
    await lab.flush();
    expect(reply(lab.fromPeer({ ...videoAdd('call-1', 'responder'), contents: [{ ...video(), name: 'v3' }] }))).toBe('unexpected-request+out-of-order');
  });

  it('a content-accept of a content we did not add: bad-request', async () => {
    const lab = new MidCallLab();
    const session = await lab.outgoing();
    session.setCamera(true);
    await lab.flush();
    const accept = videoAccept('call-1', 'responder');
    expect(reply(lab.fromPeer({ ...accept, contents: accept.contents.map((c) => ({ ...c, name: 'other' })) }))).toBe('bad-request');
    expect(session.video.asking).toBe(true);
  });
});
