import { describe, expect, it } from 'vitest';
import { jingleElement, parseXml, readJingle } from '../src/jingle/index.ts';
import { applyUpdate, diffDescriptions, parseSdp, sdpToJingle } from '../src/sdp/index.ts';
import { chromiumFixtures, essentials, modelToSdp, prettyXml, readFixture, sdpOverTheWire } from './helpers.ts';

describe.each(chromiumFixtures)('the Chromium %s exchange', (name) => {
  it('keeps every m-line, codec, fingerprint, ICE credential and UDP candidate of the offer through Jingle', () => {
    const offer = readFixture(`${name}-offer`);
    const { received } = sdpOverTheWire(offer, 'initiator');
    expect(essentials(modelToSdp(received, 'initiator', 'offer'))).toEqual(essentials(parseSdp(offer)));
  });

  it('keeps everything of the answer through Jingle', () => {
    const answer = readFixture(`${name}-answer`);
    const { received } = sdpOverTheWire(answer, 'responder');
    expect(essentials(modelToSdp(received, 'responder', 'answer'))).toEqual(essentials(parseSdp(answer)));
  });

  it('matches the golden session-initiate, which translates back to the offer', async () => {
    const offer = readFixture(`${name}-offer`);
    const { wire } = sdpOverTheWire(offer, 'initiator');
    await expect(`${prettyXml(wire)}\n`).toMatchFileSnapshot(`./fixtures/jingle/${name}-session-initiate.xml`);
    const golden = readJingle(parseXml(prettyXml(wire)));
    expect(essentials(modelToSdp(golden, 'initiator', 'offer'))).toEqual(essentials(parseSdp(offer)));
  });

  it('matches the golden session-accept, which translates back to the answer', async () => {
    const answer = readFixture(`${name}-answer`);
    const { wire } = sdpOverTheWire(answer, 'responder');
    await expect(`${prettyXml(wire)}\n`).toMatchFileSnapshot(`./fixtures/jingle/${name}-session-accept.xml`);
  });
});

describe('what goes on the wire', () => {
  const offer = sdpToJingle(parseSdp(readFixture('audio-video-offer')), { author: 'initiator' });
  const xml = jingleElement({ action: 'session-initiate', sid: 's1', ...offer }).toString();

  it('says actpass in the offer and active in the answer, on every content', () => {
    const answer = sdpToJingle(parseSdp(readFixture('audio-video-answer')), { author: 'responder' });
    expect(offer.contents.map((c) => c.transport?.fingerprints[0]?.setup)).toEqual(['actpass', 'actpass']);
    expect(answer.contents.map((c) => c.transport?.fingerprints[0]?.setup)).toEqual(['active', 'active']);
  });

  it('sends UDP candidates only', () => {
    const protocols = offer.contents.flatMap((c) => c.transport?.candidates.map((cand) => cand.protocol) ?? []);
    expect(protocols.length).toBeGreaterThan(0);
    expect(new Set(protocols)).toEqual(new Set(['udp']));
  });

  it('writes opus with two channels, rtcp-mux and the BUNDLE group', () => {
    expect(xml).toMatch(/<payload-type id="111" name="opus" clockrate="48000" channels="2">/);
    expect(xml).toContain('<rtcp-mux/>');
    expect(xml).toContain('<group xmlns="urn:xmpp:jingle:apps:grouping:0" semantics="BUNDLE"><content name="0"/><content name="1"/></group>');
  });

  it('writes rtx FID and simulcast SIM source groups with trimmed cname and msid parameters', () => {
    const sim = sdpToJingle(parseSdp(readFixture('video-simulcast-offer')), { author: 'initiator' });
    const video = sim.contents.find((c) => c.description?.media === 'video')!.description!;
    expect(video.sourceGroups.map((g) => g.semantics)).toEqual(['SIM', 'FID', 'FID', 'FID']);
    expect(video.sourceGroups[0]!.sources).toHaveLength(3);
    expect(video.sources).toHaveLength(6);
    for (const source of video.sources) expect(source.parameters.map((p) => p.name)).toEqual(['cname', 'msid']);
  });

  it('keeps a data channel out of the Jingle and as a rejected m-line in the answer for Chromium', () => {
    const withData = readFixture('audio-offer').replace(/$/, '') + 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:2\r\na=sctp-port:5000\r\n';
    const local = parseSdp(withData);
    const jingle = sdpToJingle(local, { author: 'initiator' });
    expect(jingle.contents.map((c) => c.name)).toEqual(['0']);
    const answer = sdpToJingle(parseSdp(readFixture('audio-answer')), { author: 'responder' });
    const remote = modelToSdp({ ...answer }, 'responder', 'answer');
    expect(remote.media).toHaveLength(1);
    const slots = local.media.map((m) => ({ mid: String(m.mid), type: m.type, protocol: m.protocol, payloads: String(m.payloads) }));
    const templated = parseSdp(writeWith(answer, slots));
    expect(templated.media.map((m) => `${m.type}:${m.mid}:${m.port}`)).toEqual(['audio:0:9', 'application:2:0']);
  });
});

function writeWith(model: Parameters<typeof modelToSdp>[0], template: { mid: string; type: string; protocol: string; payloads: string }[]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return writeSdpWithTemplate(model, template);
}

import { jingleToSdp, writeSdp } from '../src/sdp/index.ts';
const writeSdpWithTemplate = (model: Parameters<typeof modelToSdp>[0], template: { mid: string; type: string; protocol: string; payloads: string }[]) =>
  writeSdp(jingleToSdp(model, { author: 'responder', type: 'answer', sessionId: '1', sessionVersion: 1, template }));

describe('video added to an audio call by renegotiation', () => {
  const first = sdpToJingle(parseSdp(readFixture('renegotiation-audio-offer')), { author: 'initiator' });
  const second = sdpToJingle(parseSdp(readFixture('renegotiation-add-video-offer')), { author: 'initiator' });

  it('is a content-add of the new video content', () => {
    const changes = diffDescriptions(first, second);
    expect(changes.added.map((c) => `${c.name} ${c.description?.media}`)).toEqual(['1 video']);
    expect(changes.removed).toEqual([]);
    expect(changes.modified).toEqual([]);
  });

  it('applied to the callee’s description gives the renegotiated offer', () => {
    const { added } = diffDescriptions(first, second);
    const wire = jingleElement({ action: 'content-add', sid: 's', contents: added, groups: second.groups });
    const after = applyUpdate(first, readJingle(parseXml(wire.toString())));
    const expected = essentials(parseSdp(readFixture('renegotiation-add-video-offer')));
    // The renegotiated offer carries no new candidates for the audio transport.
    const actual = essentials(modelToSdp(after, 'initiator', 'offer'));
    expect(actual.media.map((m) => ({ ...m, candidates: [] }))).toEqual(expected.media.map((m) => ({ ...m, candidates: [] })));
    expect(actual.groups).toEqual(expected.groups);
  });
});
