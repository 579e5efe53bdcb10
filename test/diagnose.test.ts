import { describe, expect, it } from 'vitest';
import { diagnose, type RecordedCall } from '../src/inspector/diagnose';

const initiate = `<iq xmlns='jabber:client' type='set' id='i1' to='bob@lab/x'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s1'/></iq>`;
const accept = (fingerprint: string) =>
  `<iq xmlns='jabber:client' type='set' id='a1'><jingle xmlns='urn:xmpp:jingle:1' action='session-accept' sid='s1'>` +
  `<content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'>${fingerprint}</transport></content></jingle></iq>`;
const propose = `<message xmlns='jabber:client' id='p1'><propose xmlns='urn:xmpp:jingle-message:0' id='p1'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>`;

function call(stanzas: RecordedCall['stanzas'], more: Partial<RecordedCall> = {}): RecordedCall {
  return { stanzas, ...more };
}

describe('diagnosis rules', () => {
  it('names a session-accept whose fingerprint has no setup', () => {
    const fp = `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256'>AB:CD</fingerprint>`;
    const found = diagnose(call([{ at: 0, direction: 'out', xml: initiate }, { at: 40, direction: 'in', xml: accept(fp) }]));
    expect(found.map((d) => d.rule)).toEqual(['accept-without-setup']);
    expect(found[0]!.cause).toContain('no `setup` attribute');
    expect(found[0]!.stanza?.at).toBe(40);
  });

  it('says nothing of a session-accept with setup', () => {
    const fp = `<fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256' setup='active'>AB:CD</fingerprint>`;
    expect(diagnose(call([{ at: 40, direction: 'in', xml: accept(fp) }]))).toEqual([]);
  });

  it('names the error condition the peer answered session-initiate with', () => {
    const error = `<iq xmlns='jabber:client' type='error' id='i1'><error type='cancel'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`;
    const found = diagnose(call([{ at: 0, direction: 'out', xml: initiate }, { at: 12, direction: 'in', xml: error }]));
    expect(found.map((d) => d.cause)).toEqual(['the peer answered session-initiate with feature-not-implemented']);
  });

  it('names a propose never answered, but not one still ringing or one answered', () => {
    const out = { at: 0, direction: 'out' as const, xml: propose };
    expect(diagnose(call([out], { outcome: 'no-answer' }))[0]?.rule).toBe('propose-unanswered');
    expect(diagnose(call([out], { outcome: 'ongoing' }))).toEqual([]);
    const ringing = `<message xmlns='jabber:client'><ringing xmlns='urn:xmpp:jingle-message:0' id='p1'/></message>`;
    expect(diagnose(call([out, { at: 30, direction: 'in', xml: ringing }], { outcome: 'no-answer' }))).toEqual([]);
  });

  it('names failed ICE with host candidates only and no TURN', () => {
    const base = { iceState: 'failed' as const, candidates: { local: ['host', 'host'], remote: ['host'] } };
    expect(diagnose(call([], base))[0]?.cause).toContain('no TURN server is configured');
    expect(diagnose(call([], { ...base, turnConfigured: true }))).toEqual([]);
    expect(diagnose(call([], { ...base, candidates: { local: ['host', 'srflx'], remote: ['host'] } }))).toEqual([]);
  });

  it('takes malformed XML in its stride', () => {
    expect(diagnose(call([{ at: 0, direction: 'in', xml: '<iq' }]))).toEqual([]);
  });
});
