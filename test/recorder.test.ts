import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../src/jingle/xml';
import { KEPT_CALLS, Recorder, type RecordedSession, withoutCredentials } from '../src/inspector/recorder';

const ME = 'alice@lab/tab';
const BOB = 'bob@lab/phone';

function setup() {
  let now = 1_000_000;
  const recorder = new Recorder({
    now: () => now,
    self: () => ME,
    ours: { name: 'Jingle Lab', version: '0.1.0', source: 'self' },
    ourFeatures: ['urn:xmpp:jingle:1'],
    featuresOf: (jid) => (jid === BOB ? new Set(['urn:xmpp:jingle:1', 'urn:xmpp:jingle-message:0']) : undefined),
  });
  const at = (ms: number) => (now = 1_000_000 + ms);
  const see = (direction: 'in' | 'out', text: string) => recorder.observe(direction, parseXml(text));
  return { recorder, at, see };
}

const initiate = (sid: string, id = 'i1') =>
  `<iq xmlns='jabber:client' type='set' id='${id}' to='${BOB}'><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='${sid}'/></iq>`;
const result = (id: string, from = BOB) => `<iq xmlns='jabber:client' type='result' id='${id}' from='${from}'/>`;

type Described = Parameters<Parameters<RecordedSession['onDescribed']>[0]>[0];

/** A session that tells of `descriptions` as soon as the recorder listens. */
function session(sid: string, more: Partial<RecordedSession> & { descriptions?: Described[] } = {}): RecordedSession {
  const { descriptions = [], ...rest } = more;
  return {
    sid, peer: BOB, media: 'audio', direction: 'outgoing', startedAt: 1_000_000, phase: 'connected',
    timeline: [{ name: 'call-started', at: 1_000_000 }], ice: { iceServers: [] },
    onDescribed(listener) {
      for (const d of descriptions) listener(d);
      return () => undefined;
    },
    ...rest,
  };
}

describe('the call recorder', () => {
  it('keeps a session’s IQ, the reply to it, and the times since the call began', () => {
    const { recorder, at, see } = setup();
    recorder.track(session('s1'));
    at(20);
    see('out', initiate('s1'));
    at(45);
    see('in', result('i1'));
    const rec = recorder.recording('s1')!;
    expect(rec.stanzas.map((s) => [s.at, s.direction])).toEqual([[20, 'out'], [45, 'in']]);
    expect(rec.stanzas[1]!.xml).toContain("type='result'".replace(/'/g, '"'));
    expect(rec.peer).toBe(BOB);
    expect(rec.features.peer).toContain('urn:xmpp:jingle-message:0');
  });

  it('attributes a XEP-0353 propose and the receipt of its message to the session it names', () => {
    const { recorder, see } = setup();
    see('out', `<message xmlns='jabber:client' id='m1' to='bob@lab'><propose xmlns='urn:xmpp:jingle-message:0' id='s2'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose></message>`);
    see('in', `<message xmlns='jabber:client' from='${BOB}'><received xmlns='urn:xmpp:receipts' id='m1'/></message>`);
    see('in', `<message xmlns='jabber:client' from='${BOB}'><received xmlns='urn:xmpp:receipts' id='other'/></message>`);
    expect(recorder.recording('s2')!.stanzas).toHaveLength(2);
  });

  it('gives a call the peer’s capabilities and version seen before it, and not another contact’s', () => {
    const { recorder, at, see } = setup();
    see('in', `<presence xmlns='jabber:client' from='${BOB}'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>`);
    see('in', `<presence xmlns='jabber:client' from='carol@lab/x'><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='w'/></presence>`);
    at(100);
    recorder.track(session('s3', { startedAt: 1_000_100 }));
    see('out', `<iq xmlns='jabber:client' type='get' id='v1' to='${BOB}'><query xmlns='jabber:iq:version'/></iq>`);
    see('in', `<iq xmlns='jabber:client' type='result' id='v1' from='${BOB}'><query xmlns='jabber:iq:version'><name>Dino</name></query></iq>`);
    const rec = recorder.recording('s3')!;
    expect(rec.stanzas.map((s) => s.at)).toEqual([-100, 0, 0]);
    expect(rec.stanzas.some((s) => s.xml.includes('carol'))).toBe(false);
    expect(rec.stanzas[2]!.xml).toContain('Dino');
  });

  it('keeps the error a device answered our disco#info with, though it echoes no query', () => {
    const { recorder, see } = setup();
    recorder.track(session('s7'));
    see('out', `<iq xmlns='jabber:client' type='get' id='d1' to='${BOB}'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    see('in', `<iq xmlns='jabber:client' type='error' id='d1' from='${BOB}'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    expect(recorder.recording('s7')!.stanzas.map((s) => s.xml)).toEqual([expect.stringContaining('disco#info'), expect.stringContaining('item-not-found')]);
  });

  it('never records XEP-0215 credentials, nor what is not a stanza', () => {
    const { recorder, see } = setup();
    recorder.track(session('s4'));
    see('out', `<iq xmlns='jabber:client' type='get' id='x1' to='lab'><services xmlns='urn:xmpp:extdisco:2'/></iq>`);
    see('in', readFileSync('test/vectors/extdisco/xep0215-credentials-result.xml', 'utf8').replace(/id='[^']*'/, "id='x1'"));
    see('out', `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AGFsaWNlAHNlY3JldA==</auth>`);
    const xml = recorder.recording('s4')!.stanzas.map((s) => s.xml).join('');
    expect(xml).toContain('extdisco');
    expect(xml).not.toMatch(/password=|username=|AGFsaWNl/);
  });

  it('takes XEP-0215 credentials out of a stanza for the wire log, and leaves any other stanza as it is', () => {
    const result = parseXml(readFileSync('test/vectors/extdisco/xep0215-credentials-result.xml', 'utf8'));
    const clean = withoutCredentials(result).toString();
    expect(clean).toContain("host=\"turn.shakespeare.lit\"");
    expect(clean).not.toMatch(/password|username/);
    const chat = parseXml(`<message xmlns='jabber:client' type='chat'><body>password='x'</body></message>`);
    expect(withoutCredentials(chat)).toBe(chat);
  });

  it('ignores chat, roster and other traffic', () => {
    const { recorder, see } = setup();
    recorder.track(session('s5'));
    see('in', `<message xmlns='jabber:client' from='${BOB}' type='chat'><body>hello</body></message>`);
    see('in', `<iq xmlns='jabber:client' type='set' id='r1'><query xmlns='jabber:iq:roster'/></iq>`);
    expect(recorder.recording('s5')!.stanzas).toEqual([]);
  });

  it('keeps the last calls only', () => {
    const { recorder, see } = setup();
    for (let i = 0; i < KEPT_CALLS + 3; i++) see('out', initiate(`c${i}`, `i${i}`));
    expect(recorder.sids).toHaveLength(KEPT_CALLS);
    expect(recorder.has('c0')).toBe(false);
    expect(recorder.has(`c${KEPT_CALLS + 2}`)).toBe(true);
  });

  it('reads the outcome, SDP, candidates and TURN from the session', () => {
    const { recorder } = setup();
    recorder.track(session('s6', {
      phase: 'ended',
      endReason: { condition: 'connectivity-error' },
      timeline: [{ name: 'call-started', at: 1_000_000 }, { name: 'ended', at: 1_020_000 }],
      descriptions: [
        { side: 'local', type: 'offer', sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n', at: 1_000_010 },
        { side: 'remote', type: 'candidate', sdp: 'a=candidate:2 1 udp 1 127.0.0.1 6000 typ host', at: 1_000_050 },
      ],
      ice: { iceServers: [{ urls: 'stun:127.0.0.1:3478' }] },
    }));
    const rec = recorder.recording('s6')!;
    expect(rec).toMatchObject({ outcome: 'failed', iceState: 'failed', turnConfigured: false, candidates: { local: ['host'], remote: ['host'] }, endedAt: 20_000 });
    expect(rec.sdps.map((s) => s.at)).toEqual([10, 50]);
  });

  it('does not fail on a malformed XEP-0353 message', () => {
    const { recorder, see } = setup();
    expect(() => see('in', `<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:0'/></message>`)).not.toThrow();
    expect(recorder.sids).toEqual([]);
  });
});
