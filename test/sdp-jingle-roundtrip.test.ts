import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jingleElement, parseXml, readJingle, type Role } from '../src/jingle/index.ts';
import { jingleToSdp, parseSdp, sdpToJingle, writeSdp, type SessionDescription } from '../src/sdp/index.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/chromium/${name}.sdp`, import.meta.url), 'utf8');

/** SDP → Jingle XML text → parsed back → SDP, as a session-initiate or session-accept would travel. */
function overTheWire(sdpText: string, author: Role, type: 'offer' | 'answer'): SessionDescription {
  const { contents, groups } = sdpToJingle(parseSdp(sdpText), { author });
  const action = type === 'offer' ? 'session-initiate' : 'session-accept';
  const wire = jingleElement({ action, sid: 'a73sjjvkla37jfea', contents, groups }).toString();
  const received = readJingle(parseXml(wire));
  return parseSdp(writeSdp(jingleToSdp(received, { author, type, sessionId: '1', sessionVersion: 1 })));
}

/** What must survive the trip, per m-line. */
function essentials(sdp: SessionDescription) {
  return {
    groups: sdp.groups?.map((g) => `${g.type} ${g.mids}`) ?? [],
    media: sdp.media.map((m) => ({
      type: m.type,
      mid: String(m.mid),
      direction: m.direction ?? 'sendrecv',
      rtcpMux: m.rtcpMux,
      payloads: String(m.payloads).split(' ').map(Number),
      rtp: m.rtp.map((r) => ({ payload: r.payload, codec: r.codec, rate: r.rate, encoding: r.encoding })),
      fmtp: Object.fromEntries(m.fmtp.map((f) => [f.payload, f.config])),
      rtcpFb: (m.rtcpFb ?? []).map((fb) => `${fb.payload} ${fb.type} ${fb.subtype ?? ''}`.trim()).sort(),
      ext: (m.ext ?? []).map((e) => `${e.value} ${e.uri}`),
      ssrcs: (m.ssrcs ?? []).map((s) => `${s.id} ${s.attribute}:${s.value}`),
      ssrcGroups: (m.ssrcGroups ?? []).map((g) => `${g.semantics} ${g.ssrcs}`),
      fingerprint: `${(m.fingerprint ?? sdp.fingerprint)?.type} ${(m.fingerprint ?? sdp.fingerprint)?.hash}`,
      setup: m.setup ?? sdp.setup,
      ufrag: m.iceUfrag ?? sdp.iceUfrag,
      pwd: m.icePwd ?? sdp.icePwd,
      candidates: (m.candidates ?? [])
        .filter((c) => c.transport.toLowerCase() === 'udp')
        .map((c) => `${c.foundation} ${c.component} udp ${c.priority} ${c.ip} ${c.port} ${c.type}`),
    })),
  };
}

describe('a real Chromium offer and answer survive Jingle', () => {
  for (const kind of ['audio', 'video', 'audio-video']) {
    it(`keeps every m-line, codec, fingerprint, ICE credential and UDP candidate of the ${kind} offer`, () => {
      const offer = fixture(`${kind}-offer`);
      expect(essentials(overTheWire(offer, 'initiator', 'offer'))).toEqual(essentials(parseSdp(offer)));
    });

    it(`keeps every m-line, codec, fingerprint, ICE credential and UDP candidate of the ${kind} answer`, () => {
      const answer = fixture(`${kind}-answer`);
      expect(essentials(overTheWire(answer, 'responder', 'answer'))).toEqual(essentials(parseSdp(answer)));
    });
  }

  it('says actpass in the offer and active in the answer', () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-video-offer')), { author: 'initiator' });
    const answer = sdpToJingle(parseSdp(fixture('audio-video-answer')), { author: 'responder' });
    expect(offer.contents.map((c) => c.transport?.fingerprints[0]?.setup)).toEqual(['actpass', 'actpass']);
    expect(answer.contents.map((c) => c.transport?.fingerprints[0]?.setup)).toEqual(['active', 'active']);
  });

  it('sends UDP candidates only', () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-video-offer')), { author: 'initiator' });
    const protocols = offer.contents.flatMap((c) => c.transport?.candidates.map((cand) => cand.protocol) ?? []);
    expect(protocols.length).toBeGreaterThan(0);
    expect(new Set(protocols)).toEqual(new Set(['udp']));
  });

  it('writes opus with two channels and the BUNDLE group', () => {
    const offer = sdpToJingle(parseSdp(fixture('audio-video-offer')), { author: 'initiator' });
    const xml = jingleElement({ action: 'session-initiate', sid: 's1', ...offer }).toString();
    expect(xml).toMatch(/<payload-type id="111" name="opus" clockrate="48000" channels="2">/);
    expect(xml).toContain('<group xmlns="urn:xmpp:jingle:apps:grouping:0" semantics="BUNDLE"><content name="0"/><content name="1"/></group>');
    expect(xml).not.toContain('m=application');
  });
});
