import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Content, type Jingle, JingleError, NS, jingleElement, parseXml, readJingle } from '../src/jingle/index.ts';
import { jingleToSdp, namesByMid, parseSdp, sdpToJingle, writeSdp } from '../src/sdp/index.ts';
import { completeForWebRtc, describesMedia, loadVectors } from './vectors/vectors.ts';

const dir = new URL('./vectors/xep/', import.meta.url);
const vectors = loadVectors(Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => [f.replace(/\.xml$/, ''), readFileSync(new URL(f, dir), 'utf8')])));

/** What a content means for media, with the defaults of each XEP made explicit. */
function meaning(c: Content) {
  const d = c.description!;
  return {
    name: c.name,
    media: d.media,
    senders: c.senders ?? 'both',
    payloadTypes: d.payloadTypes.map((pt) => ({
      id: pt.id,
      name: pt.name?.toLowerCase(),
      clockrate: pt.clockrate,
      channels: pt.name?.toLowerCase() === 'opus' ? 2 : pt.channels && pt.channels > 1 ? pt.channels : undefined,
      parameters: pt.parameters,
      feedback: pt.feedback,
      trrInt: pt.trrInt,
    })),
    feedback: d.feedback,
    headerExtensions: d.headerExtensions.map((h) => ({ id: h.id, uri: h.uri, senders: h.senders ?? 'both' })),
    bandwidth: d.bandwidth,
    sources: d.sources,
    sourceGroups: d.sourceGroups,
    ufrag: c.transport?.ufrag,
    pwd: c.transport?.pwd,
    fingerprints: c.transport?.fingerprints,
    candidates: c.transport?.candidates.filter((x) => x.component === 1).map(({ id: _id, ...rest }) => ({ ...rest, generation: rest.generation ?? 0 })),
  };
}

const vector = (name: string) => parseXml(readFileSync(new URL(`./vectors/xep/${name}.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '').trim());
const jingleOf = (name: string) => readJingle(vector(name).getChild('jingle', NS.jingle)!);

const parsed = vectors.filter((v): v is typeof v & { read: Jingle } => !(v.read instanceof JingleError));

describe('every XEP example', () => {
  it('reads to the Jingle model, except XEP-0176’s own example whose priority exceeds 2^32 - 1', () => {
    expect(vectors.filter((v) => v.read instanceof JingleError).map((v) => v.name)).toEqual(['xep0176-transport-info-candidate']);
  });

  // XEP-0166's ringing example uses the namespace 'urn:xmpp:jingle:apps:rtp:1:info', an
  // error in the XEP: a payload in an unknown namespace is one we answer <unsupported-info/>.
  it('takes XEP-0166’s ringing in a wrong namespace for an unsupported payload', () => {
    expect(parsed.find((v) => v.name === 'xep0166-session-info-ringing')!.read.info).toEqual({ kind: 'unsupported', element: 'ringing' });
  });
});

describe.each(parsed.filter((v) => v.read.info?.kind !== 'unsupported').map((v) => [v.name, v] as const))('the XEP example %s', (_name, vector) => {
  it('reads back the same after being written (Jingle → XML → Jingle)', () => {
    expect(readJingle(parseXml(jingleElement(vector.read).toString()))).toEqual(vector.read);
  });
});

describe.each(vectors.filter(describesMedia).map((v) => [v.name, v] as const))('the media of the XEP example %s', (_name, vector) => {
  it('means the same after a trip through SDP (Jingle → SDP → Jingle)', () => {
    const jingle = completeForWebRtc(vector.read, 'actpass');
    const sdp = writeSdp(jingleToSdp(jingle, { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 }));
    const back = sdpToJingle(parseSdp(sdp), { author: 'initiator', names: namesByMid(jingle.contents.map((c) => c.name)) });
    const expected = jingle.contents.map(meaning).map((c) => ({
      ...c,
      // XEP-0294's example gives the id 4907 twice: RFC 8285 ids are 1-255 and unique, so SDP cannot carry them.
      headerExtensions: c.headerExtensions.filter((h, i, all) => h.id <= 255 && all.findIndex((x) => x.id === h.id) === i),
    }));
    // SDP names every payload type with its clock rate: for the static ones the
    // XEP leaves bare, that is RFC 3551's; compare only what the XEP said.
    const actual = back.contents.map(meaning).map((c, i) => ({
      ...c,
      payloadTypes: c.payloadTypes.map((pt, j) => {
        const said = expected[i]?.payloadTypes[j];
        return { ...pt, name: said?.name === undefined ? undefined : pt.name, clockrate: said?.clockrate === undefined ? undefined : pt.clockrate };
      }),
    }));
    expect(actual).toEqual(expected);
  });
});

describe('XEP example stanzas', () => {
  it('reads XEP-0320’s session-initiate with a trimmed fingerprint and every candidate attribute', () => {
    const initiate = jingleOf('xep0320-session-initiate-dtls');
    expect(initiate).toMatchObject({ action: 'session-initiate', sid: 'a73sjjvkla37jfea', initiator: 'romeo@montague.lit/orchard' });
    const transport = initiate.contents[0]!.transport!;
    expect(transport.fingerprints).toEqual([
      { hash: 'sha-256', setup: 'actpass', value: '02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2' },
    ]);
    expect(transport.candidates[1]).toEqual({
      component: 1, foundation: '2', generation: 0, id: 'y3s2b30v3r', ip: '192.0.2.3', network: 1, port: 45664,
      priority: 1694498815, protocol: 'udp', type: 'srflx', relAddr: '10.0.1.1', relPort: 8998,
    });
  });

  it('turns XEP-0320’s session-initiate into an SDP offer', () => {
    const sdp = writeSdp(jingleToSdp(jingleOf('xep0320-session-initiate-dtls'), { author: 'initiator', type: 'offer', sessionId: '1', sessionVersion: 1 }));
    expect(sdp).toContain('m=audio 9 UDP/TLS/RTP/SAVPF 96 97 18 103 98\r\n');
    expect(sdp).toContain('a=rtpmap:103 L16/16000/2\r\n');
    expect(sdp).toContain('a=fingerprint:sha-256 02:1A:CC:54:27:AB:EB:9C:53:3F:3E:4B:65:2E:7D:46:3F:54:42:CD:54:F1:7A:03:A2:7D:F9:B0:7F:46:19:B2\r\n');
    expect(sdp).toContain('a=setup:actpass\r\n');
    expect(sdp).toContain('a=candidate:2 1 udp 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998 generation 0 network-id 1\r\n');
  });

  it('reads XEP-0320’s session-accept with setup active', () => {
    const accept = jingleOf('xep0320-session-accept-dtls');
    expect(accept.action).toBe('session-accept');
    expect(accept.contents[0]!.transport!.fingerprints[0]!.setup).toBe('active');
  });

  // XEP-0176's example priority (21149780477) exceeds 2^32 - 1, an error in the XEP itself.
  it('refuses XEP-0176’s out-of-range candidate priority with a typed bad-request', () => {
    const read = () => jingleOf('xep0176-transport-info-candidate');
    expect(read).toThrow(JingleError);
    expect(read).toThrow(/priority/);
  });

  it('reads XEP-0176’s ICE restart: new credentials and a next-generation candidate', () => {
    const restart = jingleOf('xep0176-transport-info-ice-restart');
    expect(restart.action).toBe('transport-info');
    expect(restart.contents[0]!.transport).toMatchObject({ ufrag: 'g7qs', pwd: 'bv71hdn38hgb39hf6xlk33', candidates: [{ generation: 1, port: 45665 }] });
  });

  it('reads XEP-0167’s session-info payloads', () => {
    expect(jingleOf('xep0167-session-info-ringing').info).toEqual({ kind: 'ringing' });
    expect(jingleOf('xep0167-session-info-mute').info).toMatchObject({ kind: 'mute' });
  });
});
