// Every XEP example that describes RTP media, as SDP: does Chromium take it?
import { describe, expect, it } from 'vitest';
import type { Jingle } from '../../src/jingle/index.ts';
import { applyUpdate, jingleToSdp, midOf, parseSdp, slotsOf, writeSdp } from '../../src/sdp/index.ts';
import { completeForWebRtc, describesMedia, loadVectors } from '../vectors/vectors.ts';

const files = import.meta.glob('../vectors/xep/*.xml', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const vectors = loadVectors(Object.fromEntries(Object.entries(files).map(([path, text]) => [path.replace(/^.*\/(.*)\.xml$/, '$1'), text])));
const media = vectors.filter(describesMedia);
const offers = media.filter((v) => v.read.action === 'session-initiate');
const answers = media.filter((v) => v.read.action === 'session-accept' || v.read.action === 'content-accept');

const asOffer = (jingle: Jingle, version = 1) =>
  writeSdp(jingleToSdp(completeForWebRtc(jingle, 'actpass'), { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: version }));

describe.each(offers.map((v) => [v.name, v] as const))('the XEP example %s', (_name, vector) => {
  it('is an offer Chromium accepts and answers', async () => {
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: asOffer(vector.read) });
    const answer = await pc.createAnswer();
    expect(parseSdp(answer.sdp!).media.map((m) => String(m.mid))).toEqual(vector.read.contents.filter((c) => c.description?.payloadTypes.length).map((c) => midOf(c.name)));
    pc.close();
  });
});

describe.each(answers.map((v) => [v.name, v] as const))('the XEP example %s', (_name, vector) => {
  it('is an answer Chromium accepts for an offer with the same contents', async () => {
    const jingle = completeForWebRtc(vector.read, 'active');
    const pc = new RTCPeerConnection();
    // Chromium's own offer, its mids renamed to the XEP's content names.
    for (const c of jingle.contents) pc.addTransceiver(c.description!.media);
    let sdp = (await pc.createOffer()).sdp!;
    jingle.contents.forEach((c, i) => {
      sdp = sdp.replace(new RegExp(`a=mid:${i}\\r\\n`), `a=mid:${midOf(c.name)}\r\n`);
    });
    sdp = sdp.replace(/a=group:BUNDLE[^\r]*\r\n/, '');
    await pc.setLocalDescription({ type: 'offer', sdp });
    const template = slotsOf(parseSdp(pc.localDescription!.sdp));
    const answer = writeSdp(jingleToSdp(jingle, { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: 1, template }));
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    expect(pc.signalingState).toBe('stable');
    pc.close();
  });
});

describe('XEP-0167’s video added to the audio session', () => {
  it('is a renegotiated offer Chromium accepts', async () => {
    const initiate = media.find((v) => v.name === 'xep0167-audiovideo-session-initiate')!.read;
    const add = media.find((v) => v.name === 'xep0167-audiovideo-content-add-video')!.read;
    const audioOnly = { ...initiate, contents: initiate.contents.filter((c) => c.description?.media === 'audio') };
    const pc = new RTCPeerConnection();
    await pc.setRemoteDescription({ type: 'offer', sdp: asOffer(audioOnly) });
    await pc.setLocalDescription(await pc.createAnswer());
    const after = applyUpdate(completeForWebRtc(audioOnly, 'actpass'), completeForWebRtc(add, 'actpass'));
    await pc.setRemoteDescription({ type: 'offer', sdp: asOffer({ ...audioOnly, contents: [...after.contents] }, 2) });
    await pc.setLocalDescription(await pc.createAnswer());
    // Chromium has none of the XEP's codecs (speex, theora…), so it answers both
    // m-lines rejected; what counts is that it took the offer, content-add included.
    expect(parseSdp(pc.localDescription!.sdp).media.map((m) => String(m.mid))).toEqual(['voice', 'webcam']);
    pc.close();
  });
});
