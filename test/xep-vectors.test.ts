import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JingleError, NS, parseXml, readJingle } from '../src/jingle/index.ts';
import { jingleToSdp, writeSdp } from '../src/sdp/index.ts';

const vector = (name: string) => parseXml(readFileSync(new URL(`./vectors/xep/${name}.xml`, import.meta.url), 'utf8').replace(/<!--[\s\S]*?-->/g, '').trim());
const jingleOf = (name: string) => readJingle(vector(name).getChild('jingle', NS.jingle)!);

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
