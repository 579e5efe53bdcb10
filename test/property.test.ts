// Property tests: generated SDPs within the supported feature set survive a
// trip through Jingle, compared as parsed sdp-transform objects, not text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jingleElement, parseXml, readJingle } from '../src/jingle/index.ts';
import { jingleToSdp, parseSdp, sdpToJingle, writeSdp, type SessionDescription } from '../src/sdp/index.ts';
import { essentials } from './helpers.ts';

const token = (min: number, max: number, chars = 'abcdefghijklmnopqrstuvwxyz0123456789') =>
  fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: min, maxLength: max });
const iceChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const hexPair = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).toUpperCase().padStart(2, '0'));
const ipv4 = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));

const CODECS = {
  audio: [['opus', 48000, 2], ['PCMU', 8000], ['PCMA', 8000], ['G722', 8000], ['telephone-event', 48000], ['red', 48000, 2]],
  video: [['VP8', 90000], ['VP9', 90000], ['H264', 90000], ['AV1', 90000], ['rtx', 90000], ['ulpfec', 90000]],
} as const;
const HDREXT_URIS = [
  'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  'urn:ietf:params:rtp-hdrext:sdes:mid',
  'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  'urn:3gpp:video-orientation',
];

const fmtpConfig = fc
  .array(fc.oneof(fc.tuple(token(1, 10, 'abcdefghijklmnopqrstuvwxyz-'), token(1, 6)).map(([k, v]) => `${k}=${v}`), token(1, 8, 'abcdefghijklmnopqrstuvwxyz-')), { minLength: 1, maxLength: 3 })
  .map((pairs) => [...new Set(pairs)].join(';'));
const feedback = fc.constantFrom(['nack', undefined], ['nack', 'pli'], ['ccm', 'fir'], ['goog-remb', undefined], ['transport-cc', undefined]);

const candidate = fc.record({
  foundation: token(1, 10, '0123456789'),
  component: fc.constant(1),
  transport: fc.constant('udp'),
  priority: fc.integer({ min: 1, max: 4294967295 }),
  ip: ipv4,
  port: fc.integer({ min: 1, max: 65535 }),
  type: fc.constantFrom('host', 'srflx', 'relay'),
  raddr: ipv4,
  rport: fc.integer({ min: 1, max: 65535 }),
  generation: fc.constant(0),
}).map((c) => (c.type === 'host' ? { ...c, raddr: undefined, rport: undefined } : c));

const media = (mid: string) =>
  fc.constantFrom('audio' as const, 'video' as const).chain((type) =>
    fc.record({
      codecs: fc.uniqueArray(fc.record({ id: fc.nat(127), codec: fc.constantFrom(...CODECS[type]), fmtp: fc.option(fmtpConfig, { nil: undefined }), fb: fc.array(feedback, { maxLength: 2 }), trr: fc.option(fc.nat(10000), { nil: undefined }) }), { minLength: 1, maxLength: 5, selector: (c) => c.id }),
      wildcardFb: fc.array(feedback, { maxLength: 2 }),
      ext: fc.uniqueArray(fc.record({ value: fc.integer({ min: 1, max: 14 }), uri: fc.constantFrom(...HDREXT_URIS), direction: fc.constantFrom(undefined, 'sendonly', 'recvonly', 'inactive') }), { maxLength: 3, selector: (e) => e.value }),
      direction: fc.constantFrom('sendrecv' as const, 'sendonly' as const, 'recvonly' as const, 'inactive' as const),
      ssrcs: fc.uniqueArray(fc.integer({ min: 1, max: 4294967295 }), { maxLength: 2 }),
      cname: token(4, 16, iceChars),
      msid: fc.tuple(token(4, 12), token(4, 12)),
      ufrag: token(4, 8, iceChars),
      pwd: token(22, 32, iceChars),
      fingerprint: fc.array(hexPair, { minLength: 32, maxLength: 32 }).map((p) => p.join(':')),
      candidates: fc.array(candidate, { maxLength: 3 }),
      bandwidth: fc.option(fc.integer({ min: 1, max: 10000 }), { nil: undefined }),
      allowMixed: fc.boolean(),
    }).map((m) => ({
      type,
      port: 9,
      protocol: 'UDP/TLS/RTP/SAVPF',
      payloads: m.codecs.map((c) => c.id).join(' '),
      connection: { version: 4, ip: '0.0.0.0' },
      mid,
      direction: m.direction,
      iceUfrag: m.ufrag,
      icePwd: m.pwd,
      fingerprint: { type: 'sha-256', hash: m.fingerprint },
      setup: 'actpass',
      rtcpMux: 'rtcp-mux' as const,
      ...(m.allowMixed ? { extmapAllowMixed: 'extmap-allow-mixed' as const } : {}),
      ...(m.bandwidth ? { bandwidth: [{ type: 'AS' as const, limit: m.bandwidth }] } : {}),
      rtp: m.codecs.map((c) => ({ payload: c.id, codec: c.codec[0], rate: c.codec[1], ...(c.codec[2] ? { encoding: c.codec[2] } : {}) })),
      fmtp: m.codecs.filter((c) => c.fmtp).map((c) => ({ payload: c.id, config: c.fmtp! })),
      rtcpFb: [
        ...m.wildcardFb.map(([t, s]) => ({ payload: '*', type: t, ...(s ? { subtype: s } : {}) })),
        ...m.codecs.flatMap((c) => c.fb.map(([t, s]) => ({ payload: c.id, type: t, ...(s ? { subtype: s } : {}) }))),
      ],
      rtcpFbTrrInt: m.codecs.filter((c) => c.trr !== undefined).map((c) => ({ payload: c.id, value: c.trr! })),
      ext: m.ext.map((e) => ({ value: e.value, uri: e.uri, ...(e.direction ? { direction: e.direction } : {}) })),
      ssrcs: m.ssrcs.flatMap((id) => [{ id, attribute: 'cname', value: m.cname }, { id, attribute: 'msid', value: m.msid.join(' ') }]),
      ssrcGroups: m.ssrcs.length === 2 ? [{ semantics: 'FID', ssrcs: m.ssrcs.join(' ') }] : [],
      candidates: m.candidates,
    })),
  );

const sessionDescription: fc.Arbitrary<SessionDescription> = fc
  .uniqueArray(token(1, 6), { minLength: 1, maxLength: 3 })
  .chain((mids) => fc.tuple(fc.tuple(...mids.map(media)), fc.boolean()))
  .map(([medias, bundle]) => ({
    version: 0,
    origin: { username: '-', sessionId: '1', sessionVersion: 2, netType: 'IN', ipVer: 4, address: '127.0.0.1' },
    name: '-',
    timing: { start: 0, stop: 0 },
    ...(bundle ? { groups: [{ type: 'BUNDLE', mids: medias.map((m) => m.mid).join(' ') }] } : {}),
    media: medias as unknown as SessionDescription['media'],
  }));

/** Through the wire as text, so the XML layer is part of every trip. */
const overXml = (sdp: SessionDescription, author: 'initiator' | 'responder') => {
  const { contents, groups } = sdpToJingle(parseSdp(writeSdp(sdp)), { author });
  return readJingle(parseXml(jingleElement({ action: 'session-initiate', sid: 's', contents, groups }).toString()));
};

// Hundreds of generated descriptions each: seconds of work, more on a loaded machine.
describe('generated descriptions', { timeout: 30_000 }, () => {
  it('SDP → Jingle → SDP keeps every semantically relevant field', () => {
    fc.assert(
      fc.property(sessionDescription, fc.constantFrom('initiator' as const, 'responder' as const), (sdp, author) => {
        const back = jingleToSdp(overXml(sdp, author), { author, type: 'offer', sessionId: '1', sessionVersion: 1 });
        expect(essentials(parseSdp(writeSdp(back)))).toEqual(essentials(parseSdp(writeSdp(sdp))));
      }),
      { numRuns: 300 },
    );
  });

  it('Jingle → SDP → Jingle keeps the Jingle model', () => {
    fc.assert(
      fc.property(sessionDescription, (sdp) => {
        const jingle = overXml(sdp, 'initiator');
        const model = { contents: jingle.contents, groups: jingle.groups };
        const again = sdpToJingle(parseSdp(writeSdp(jingleToSdp(model, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 }))), { author: 'initiator' });
        expect({ contents: again.contents, groups: again.groups }).toEqual(model);
      }),
      { numRuns: 300 },
    );
  });
});
