// The summary of a recorded call, pinned on whole calls with Dino 0.4.2 as
// they went over the wire (vectors/dino/call-*.xml), seen from the other side.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CALL_FEATURES } from '../src/call/capabilities.ts';
import { RECORDING_FORMAT, type CallRecording, type RecordedStanza } from '../src/inspector/recording.ts';
import { summarise, type CallSummary, type FeatureStatus } from '../src/inspector/summary.ts';
import { parseXml } from '../src/jingle/index.ts';

// Our side of the captured calls: the StanzaJS client in alice's place.
const US = 'alice@localhost/peer-alice';
const DINO = 'bob@localhost/dino';
const bare = (jid: string | undefined) => (jid ?? '').split('/')[0];

/** A whole call of Dino 0.4.2, from test/vectors/dino/. */
function vectorText(name: string): string {
  return readFileSync(new URL(`./vectors/dino/${name}.xml`, import.meta.url), 'utf8').replace(/<\?xml[^>]*\?>|<!--[\s\S]*?-->/g, '').trim();
}

const seconds = (time: string | undefined) => {
  const [h, m, s] = (time?.split(' ')[2] ?? '0:0:0').split(':').map(Number);
  return (h! * 60 + m!) * 60 + s!;
};

/**
 * The stanzas of a whole call with Dino as we would have recorded them: what
 * Dino received from us went out, what Dino sent us came in, and Dino's
 * messages to its own other devices are left out. Prosody logs whole seconds:
 * each frame's index is added so that the order survives.
 */
function dinoStanzas(name: string): RecordedStanza[] {
  const frames = parseXml(vectorText(name)).getChildren('frame');
  const start = seconds(frames[0]?.attrs.time);
  return frames.flatMap((frame, i) => {
    const el = frame.getChildElements()[0];
    if (!el) return [];
    const direction = frame.attrs.dir === 'dino-received' ? 'out' : 'in';
    const ours = direction === 'out' ? bare(el.attrs.from) : bare(el.attrs.to);
    if (ours !== bare(US)) return [];
    return [{ at: (seconds(frame.attrs.time) - start) * 1000 + i, direction, xml: el.toString() }];
  });
}

function recording(stanzas: RecordedStanza[], more: Partial<CallRecording> = {}): CallRecording {
  return {
    format: RECORDING_FORMAT,
    sid: 's1',
    self: US,
    peer: DINO,
    direction: 'outgoing',
    media: 'audio',
    startedAt: Date.UTC(2026, 10, 23, 21, 10, 30),
    stanzas,
    sdps: [],
    timeline: [],
    samples: [],
    clients: { ours: { name: 'Jingle Lab', version: '0.1.0', source: 'self' } },
    features: { ours: [...CALL_FEATURES] },
    outcome: 'connected',
    ...more,
  };
}

/** The milestones of the media layer, a little after the session-accept at 2 s. */
const MILESTONES = [
  { name: 'ice-connected', at: 2150 },
  { name: 'dtls-connected', at: 2210 },
  { name: 'first-audio-in', at: 2290 },
  { name: 'first-frame-decoded', at: 2400 },
];

const statuses = (s: CallSummary): Record<string, FeatureStatus> => Object.fromEntries(s.features.map((f) => [f.feature, f.status]));
const row = (s: CallSummary, feature: string) => s.features.find((f) => f.feature === feature);

describe('a call we placed and Dino 0.4.2 answered with audio (call-callee-audio)', () => {
  const summary = summarise(recording(dinoStanzas('call-callee-audio'), { timeline: MILESTONES, endedAt: 7050 }));

  it('lists what was used and what Dino lacks, in the order of the table', () => {
    expect(statuses(summary)).toEqual({
      'XEP-0353 ringing (Jingle Message Initiation)': 'used',
      '<ringing/>': 'offered',
      BUNDLE: 'missing',
      'rtcp-mux': 'used',
      'XEP-0339 sources': 'missing',
      'rtcp-fb': 'missing',
      'rtp-hdrext': 'missing',
      'ICE restart': 'offered',
      'content-add': 'offered',
      'session-info': 'offered',
      'XEP-0215 external services': 'missing',
    });
  });

  it('reads Dino’s support from its stanzas when its disco#info is unknown', () => {
    expect(row(summary, 'XEP-0353 ringing (Jingle Message Initiation)')).toMatchObject({ ours: true, peer: true });
    expect(row(summary, 'BUNDLE')).toMatchObject({ ours: true, peer: false });
    expect(row(summary, 'session-info')).toMatchObject({ ours: true, peer: undefined });
    expect(row(summary, 'XEP-0215 external services')).toMatchObject({ ours: false, peer: undefined });
  });

  it('takes the codec Dino chose: the one payload type of its session-accept, and no video', () => {
    expect(summary.codecs).toEqual({ audio: { id: 111, name: 'opus', clockrate: 48000, channels: 2, chosenBy: 'peer' } });
  });

  it('says we offered actpass and Dino took the active role, both with sha-256', () => {
    expect(summary.dtls).toEqual({ ours: { setup: 'actpass', hash: 'sha-256' }, peer: { setup: 'active', hash: 'sha-256' } });
  });

  it('counts our four trickled host candidates and Dino’s two in its session-accept', () => {
    expect(summary.candidates.local).toEqual({ host: 4, srflx: 0, prflx: 0, relay: 0 });
    expect(summary.candidates.remote).toEqual({ host: 2, srflx: 0, prflx: 0, relay: 0 });
  });

  it('puts the phases in order, each later than the one before', () => {
    expect(summary.phases.map((p) => p.phase)).toEqual([
      'propose',
      'proceed',
      'session-initiate',
      'session-accept',
      'ICE connected',
      'DTLS connected',
      'first media in',
      'first frame decoded',
    ]);
    const times = summary.phases.map((p) => p.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
  });

  it('finds nothing wrong, and keeps the outcome and the length of the call', () => {
    expect(summary.diagnoses).toEqual([]);
    expect(summary).toMatchObject({ outcome: 'connected', durationMs: 7050, ourClient: { name: 'Jingle Lab' } });
  });
});

describe('a call we placed and Dino 0.4.2 answered with video (call-callee-video)', () => {
  const summary = summarise(recording(dinoStanzas('call-callee-video'), { media: 'video' }));

  it('chooses opus and VP8, both by Dino', () => {
    expect(summary.codecs.audio).toMatchObject({ name: 'opus', chosenBy: 'peer' });
    expect(summary.codecs.video).toEqual({ id: 96, name: 'VP8', clockrate: 90000, channels: undefined, chosenBy: 'peer' });
  });

  it('uses rtcp-fb and rtp-hdrext, which Dino answers for video, but still no BUNDLE or sources', () => {
    expect(statuses(summary)).toMatchObject({ 'rtcp-fb': 'used', 'rtp-hdrext': 'used', BUNDLE: 'missing', 'XEP-0339 sources': 'missing' });
  });
});

describe('a call Dino 0.4.2 placed and we answered (call-caller-audio-dino-hangup)', () => {
  const summary = summarise(recording(dinoStanzas('call-caller-audio-dino-hangup'), { direction: 'incoming' }));

  it('has us choose the codec and take the active DTLS role', () => {
    expect(summary.codecs).toEqual({ audio: { id: 111, name: 'opus', clockrate: 48000, channels: 2, chosenBy: 'ours' } });
    expect(summary.dtls).toEqual({ ours: { setup: 'active', hash: 'sha-256' }, peer: { setup: 'actpass', hash: 'sha-256' } });
  });

  it('counts Dino’s host candidates for both components, and ours trickled', () => {
    expect(summary.candidates.remote.host).toBe(2);
    expect(summary.candidates.local.host).toBe(2);
  });

  it('has our XEP-0353 ringing between Dino’s propose and our proceed', () => {
    expect(summary.phases.map((p) => p.phase)).toEqual(['propose', 'ringing', 'proceed', 'session-initiate', 'session-accept']);
  });
});

describe('what the peer tells of itself', () => {
  const discoInfo = `<iq type='result' id='d1' from='${DINO}' to='${US}'><query xmlns='http://jabber.org/protocol/disco#info'><identity category='client' type='pc' name='Dino'/><feature var='urn:xmpp:jingle:1'/><feature var='urn:xmpp:jingle-message:0'/></query></iq>`;
  const version = `<iq type='result' id='v1' from='${DINO}' to='${US}'><query xmlns='jabber:iq:version'><name>Dino</name><version>0.4.2</version><os>Debian GNU/Linux 12</os></query></iq>`;
  const at = (xml: string, t: number): RecordedStanza => ({ at: t, direction: 'in', xml });

  it('names the client from its caps identity when that is all there is', () => {
    expect(summarise(recording([at(discoInfo, 5)])).peerClient).toEqual({ name: 'Dino', source: 'caps' });
  });

  it('prefers its XEP-0092 answer over its caps identity', () => {
    const peer = summarise(recording([at(discoInfo, 5), at(version, 9)])).peerClient;
    expect(peer).toEqual({ name: 'Dino', version: '0.4.2', os: 'Debian GNU/Linux 12', source: 'xep-0092' });
  });

  it('ignores a disco#info answer from anyone but the peer', () => {
    const server = discoInfo.replace(`from='${DINO}'`, `from='localhost'`);
    expect(summarise(recording([at(server, 5)])).peerClient).toBeUndefined();
  });

  it('calls a feature missing when the peer’s disco#info lacks it', () => {
    const summary = summarise(recording([at(discoInfo, 5)]));
    expect(row(summary, 'session-info')).toMatchObject({ peer: false, status: 'missing' });
    expect(row(summary, 'XEP-0353 ringing (Jingle Message Initiation)')).toMatchObject({ peer: true, status: 'offered' });
  });
});

describe('mid-call changes', () => {
  it('sees an ICE restart in a transport-info with a new ufrag', () => {
    const stanzas = dinoStanzas('call-callee-audio');
    // Conversations restarts ICE so (PROTOCOL.md): a new ufrag and pwd, no candidates.
    const restart = `<iq type='set' id='r1' to='${US}'><jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='9e71a69b-7975-4b44-b811-8358f7ece4e4'><content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='nEwU' pwd='aNewPasswordOfTwentyTwo'/></content></jingle></iq>`;
    const summary = summarise(recording([...stanzas, { at: 4000, direction: 'in', xml: restart }]));
    expect(row(summary, 'ICE restart')).toMatchObject({ peer: true, status: 'used' });
  });

  it('sees Dino’s content-add of its camera (content-add-video-by-dino-as-responder)', () => {
    const add = parseXml(vectorText('content-add-video-by-dino-as-responder')).getChildren('frame')[0]!.getChildElements()[0]!.toString();
    const summary = summarise(recording([{ at: 3000, direction: 'in', xml: add }]));
    expect(row(summary, 'content-add')).toMatchObject({ peer: true, status: 'used' });
    expect(summary.candidates.remote.host).toBe(2);
  });
});

describe('odd recordings', () => {
  it('skips malformed XML and odd data without throwing', () => {
    const odd = recording(
      [
        { at: 0, direction: 'in', xml: '<iq' },
        { at: 1, direction: 'in', xml: '' },
        { at: 2, direction: 'in', xml: `<iq type='set'><jingle xmlns='urn:xmpp:jingle:1' action='session-accept'/></iq>` },
        { at: 3, direction: 'in', xml: `<message><propose xmlns='urn:xmpp:jingle-message:0'/></message>` },
        { at: 4, direction: 'out', xml: `<iq><jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' sid='s'><content name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1'><fingerprint xmlns='urn:xmpp:jingle:apps:dtls:0' hash='sha-256'>not hex</fingerprint></transport></content></jingle></iq>` },
      ],
      { timeline: [null, { name: 'ice-connected' }, { name: 'dtls-connected', at: 12 }] as unknown as CallRecording['timeline'] },
    );
    const summary = summarise(odd);
    expect(summary.phases).toEqual([{ phase: 'DTLS connected', at: 12 }]);
    expect(summary.codecs).toEqual({});
    expect(summary.dtls).toEqual({ ours: undefined, peer: undefined });
  });
});
