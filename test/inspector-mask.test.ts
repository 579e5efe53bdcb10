import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMasker, maskRecording } from '../src/inspector/mask';
import { RECORDING_FORMAT, type CallRecording } from '../src/inspector/recording';

const DOTTED_QUAD = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

describe('hiding IP addresses', () => {
  it('names each address, the same name wherever it appears', () => {
    const mask = createMasker();
    expect(mask(`<candidate ip='192.168.1.20' port='5000' rel-addr='10.0.0.1'/>`)).toBe(`<candidate ip='IPv4-1' port='5000' rel-addr='IPv4-2'/>`);
    expect(mask('a=candidate:1 1 udp 1 192.168.1.20 5000 typ host')).toBe('a=candidate:1 1 udp 1 IPv4-1 5000 typ host');
    expect(mask('127.0.0.1:40000 ⇄ 10.0.0.1:3478')).toBe('IPv4-3:40000 ⇄ IPv4-2:3478');
  });

  it('hides IPv6 addresses, compressed, with a zone or with an IPv4 tail', () => {
    const mask = createMasker();
    expect(mask('fe80::1%eth0 and ::1 and 2001:db8:85a3:0:0:8a2e:370:7334 and ::ffff:192.0.2.1')).toBe('IPv6-1 and IPv6-2 and IPv6-3 and IPv6-4');
  });

  it('leaves what only looks like an address: versions, times, fingerprints, ids, 0.0.0.0, mDNS names', () => {
    const mask = createMasker();
    const text = [
      'Dino 0.4.2, lucide 1.65.0, at 13:03:08.123',
      'a=fingerprint:sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',
      'o=- 4611731400430051336 2 IN IP4 0.0.0.0',
      'c=IN IP4 0.0.0.0',
      'a=candidate:1 1 udp 2122260223 4e2c8a1b-9d1c-4c2e-a1e0-2d3f.local 54321 typ host',
      'urn:xmpp:jingle:apps:rtp:1',
    ].join('\n');
    expect(mask(text)).toBe(text);
  });

  it('leaves no address in a recording of real SDP and stanzas', () => {
    const sdps = readdirSync('test/fixtures/chromium').filter((f) => f.endsWith('.sdp')).map((f) => readFileSync(`test/fixtures/chromium/${f}`, 'utf8'));
    const stanza = readFileSync('test/vectors/dino/call-callee-video.xml', 'utf8');
    const recording: CallRecording = {
      format: RECORDING_FORMAT, sid: 's', self: 'alice@lab/tab', peer: 'bob@lab/dino', direction: 'incoming', media: 'video', startedAt: 0,
      stanzas: [{ at: 0, direction: 'in', xml: stanza }], sdps: sdps.map((sdp, i) => ({ at: i, side: 'local', type: 'offer', sdp })),
      timeline: [], samples: [], selectedPair: { local: '10.233.0.1:5000', remote: '192.168.7.7:6000', localType: 'host', remoteType: 'srflx' },
      clients: { ours: { name: 'Jingle Lab', source: 'self' } }, features: { ours: [] },
    };
    expect(JSON.stringify(recording)).toMatch(DOTTED_QUAD);
    const masked = JSON.stringify(maskRecording(recording));
    expect((masked.match(DOTTED_QUAD) ?? []).filter((a) => a !== '0.0.0.0')).toEqual([]);
    expect(masked).toContain('"local":"IPv4-');
    expect(recording.selectedPair!.local).toBe('10.233.0.1:5000');
  });
});
