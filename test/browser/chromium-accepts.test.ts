// Whether Chromium takes the SDP our translation writes: the test that matters
// for a call, run in the browser itself.
import { describe, expect, it } from 'vitest';
import { jingleElement, parseXml, readJingle } from '../../src/jingle/index.ts';
import { applyUpdate, diffDescriptions, jingleToSdp, parseSdp, sdpToJingle, writeSdp } from '../../src/sdp/index.ts';

const fixtures = import.meta.glob('../fixtures/chromium/*.sdp', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const fixture = (name: string) => fixtures[`../fixtures/chromium/${name}.sdp`]!;
const names = Object.keys(fixtures)
  .filter((k) => k.endsWith('-offer.sdp'))
  .map((k) => k.replace(/^.*\/(.*)-offer\.sdp$/, '$1'));

/** SDP → Jingle XML text → model → SDP, as one side's description reaches the other. */
function translated(sdp: string, author: 'initiator' | 'responder', type: 'offer' | 'answer'): string {
  const { contents, groups } = sdpToJingle(parseSdp(sdp), { author });
  const action = type === 'offer' ? 'session-initiate' : 'session-accept';
  const received = readJingle(parseXml(jingleElement({ action, sid: 's', contents, groups }).toString()));
  return writeSdp(jingleToSdp(received, { author, type, sessionId: '1', sessionVersion: 1 }));
}

/** A peer connection with a local offer whose m-lines match these kinds and mids. */
async function offering(sdp: string): Promise<RTCPeerConnection> {
  const pc = new RTCPeerConnection({ bundlePolicy: 'balanced' });
  for (const m of parseSdp(sdp).media) pc.addTransceiver(m.type as 'audio' | 'video');
  await pc.setLocalDescription(await pc.createOffer());
  return pc;
}

describe.each(names)('Chromium’s %s exchange, after a trip through Jingle', (name) => {
  it('is accepted as a remote offer, and Chromium answers it', async () => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'balanced' });
    await pc.setRemoteDescription({ type: 'offer', sdp: translated(fixture(`${name}-offer`), 'initiator', 'offer') });
    const answer = await pc.createAnswer();
    expect(parseSdp(answer.sdp!).media.length).toBe(parseSdp(fixture(`${name}-offer`)).media.length);
    pc.close();
  });

  it('is accepted as the remote answer to a matching offer', async () => {
    const pc = await offering(fixture(`${name}-offer`));
    await pc.setRemoteDescription({ type: 'answer', sdp: translated(fixture(`${name}-answer`), 'responder', 'answer') });
    expect(pc.signalingState).toBe('stable');
    pc.close();
  });
});

describe('partial updates Chromium accepts', () => {
  it('a content-add of video to an audio call, as a new remote offer', async () => {
    const first = sdpToJingle(parseSdp(fixture('renegotiation-audio-offer')), { author: 'initiator' });
    const second = sdpToJingle(parseSdp(fixture('renegotiation-add-video-offer')), { author: 'initiator' });
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(first, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    const { added } = diffDescriptions(first, second);
    const after = applyUpdate(first, { action: 'content-add', sid: 's', contents: added, groups: second.groups });
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(after, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 2 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    expect(pc.getTransceivers().map((t) => t.receiver.track.kind)).toEqual(['audio', 'video']);
    pc.close();
  });

  it('a content-remove, as a rejected m-line in the next offer', async () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-video-offer')), { author: 'initiator' });
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    const after = applyUpdate(offer, { action: 'content-remove', sid: 's', contents: [{ creator: 'initiator', name: '1' }], groups: [] });
    const sdp = writeSdp(jingleToSdp(after, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 2 }));
    await pc.setRemoteDescription({ type: 'offer', sdp });
    await pc.setLocalDescription(await pc.createAnswer());
    // The video m-line stays, rejected, and Chromium stops its transceiver.
    expect(parseSdp(pc.localDescription!.sdp).media.map((m) => `${m.mid}:${m.port === 0 ? 'rejected' : 'live'}`)).toEqual(['0:live', '1:rejected']);
    expect(pc.getTransceivers().filter((t) => t.currentDirection !== 'stopped').map((t) => t.mid)).toEqual(['0']);
    pc.close();
  });

  it('a content-modify to receive-only video', async () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-video-offer')), { author: 'initiator' });
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    const after = applyUpdate(offer, { action: 'content-modify', sid: 's', contents: [{ creator: 'initiator', name: '1', senders: 'responder' }], groups: [] });
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(after, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 2 })) });
    const answer = parseSdp((await pc.createAnswer()).sdp!);
    // The initiator now only receives video: our answer may only send it.
    expect(answer.media[1]!.direction).toMatch(/sendonly|inactive/);
    pc.close();
  });

  it('an ICE restart through transport-info', async () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-offer')), { author: 'initiator' });
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(offer, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    const restart = { action: 'transport-info' as const, sid: 's', groups: [], contents: [{ creator: 'initiator' as const, name: '0', transport: { ufrag: 'Nw7q', pwd: 'c3lXr6QoOnLDq6wFbN2Q1tZk', fingerprints: [], candidates: [] } }] };
    const after = applyUpdate(offer, restart);
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(after, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 2 })) });
    const answer = parseSdp((await pc.createAnswer()).sdp!);
    expect(answer.media[0]!.iceUfrag).not.toBe(parseSdp(pc.currentLocalDescription!.sdp).media[0]!.iceUfrag);
    pc.close();
  });
});

describe('what real peers sent, as Chromium takes it', () => {
  const stanzaVectors = import.meta.glob('../vectors/stanza/*.xml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
  const stanzaJingle = (name: string) => readJingle(parseXml(stanzaVectors[`../vectors/stanza/${name}.xml`]!.replace(/<!--[\s\S]*?-->/g, '').trim()).getChild('jingle', 'urn:xmpp:jingle:1')!);

  it('StanzaJS 12’s audio+video answer, whose RTX ssrc has no <source/> of its own', async () => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'balanced' });
    pc.addTransceiver('audio');
    pc.addTransceiver('video');
    await pc.setLocalDescription(await pc.createOffer());
    const answer = writeSdp(jingleToSdp(stanzaJingle('session-accept-video'), { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: 1 }));
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    expect(pc.signalingState).toBe('stable');
    pc.close();
  });

  it('StanzaJS 12’s audio+video offer', async () => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'balanced' });
    await pc.setRemoteDescription({ type: 'offer', sdp: writeSdp(jingleToSdp(stanzaJingle('session-initiate-video'), { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 })) });
    await pc.setLocalDescription(await pc.createAnswer());
    expect(pc.getTransceivers().map((t) => t.receiver.track.kind)).toEqual(['audio', 'video']);
    pc.close();
  });
});
