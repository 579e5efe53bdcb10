import { describe, expect, it } from 'vitest';
import { sdpFor } from '../src/inspector/pairing';
import { RECORDING_FORMAT, type CallRecording, type RecordedSdp } from '../src/inspector/recording';
import { describeStanza } from '../src/inspector/stanza-kind';

const candidate = (port: number) =>
  `<content creator='initiator' name='0'><transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' ufrag='u' pwd='p'><candidate component='1' foundation='1' generation='0' id='c${port}' ip='127.0.0.1' port='${port}' priority='1' protocol='udp' type='host'/></transport></content>`;
const jingle = (action: string, id: string, port?: number) =>
  `<iq xmlns='jabber:client' type='set' id='${id}' to='bob@lab/x'><jingle xmlns='urn:xmpp:jingle:1' action='${action}' sid='s'>${port ? candidate(port) : ''}</jingle></iq>`;
const incoming = (action: string, id: string, port?: number) =>
  `<iq xmlns='jabber:client' type='set' id='${id}' from='bob@lab/x'><jingle xmlns='urn:xmpp:jingle:1' action='${action}' sid='s'>${port ? candidate(port) : ''}</jingle></iq>`;
const line = (port: number) => `a=mid:0\r\na=candidate:1 1 udp 1 127.0.0.1 ${port} typ host`;

function recording(stanzas: CallRecording['stanzas'], sdps: RecordedSdp[]): CallRecording {
  return {
    format: RECORDING_FORMAT, sid: 's', self: 'alice@lab/tab', peer: 'bob@lab/x', direction: 'outgoing', media: 'audio', startedAt: 0,
    stanzas, sdps, timeline: [], samples: [], clients: { ours: { name: 'Jingle Lab', source: 'self' } }, features: { ours: [] },
  };
}

describe('stanza and SDP pairing', () => {
  const rec = recording(
    [
      { at: 10, direction: 'out', xml: jingle('session-initiate', 'i') },
      { at: 15, direction: 'out', xml: jingle('transport-info', 't1', 5001) },
      { at: 30, direction: 'out', xml: jingle('transport-info', 't2', 5002) },
      { at: 60, direction: 'in', xml: incoming('session-accept', 'a') },
      { at: 65, direction: 'in', xml: incoming('transport-info', 'r1', 6001) },
      { at: 66, direction: 'in', xml: incoming('transport-info', 'r2', 6002) },
      { at: 90, direction: 'in', xml: `<iq xmlns='jabber:client' type='result' id='i' from='bob@lab/x'/>` },
    ],
    [
      { at: 8, side: 'local', type: 'offer', sdp: 'v=0 offer' },
      { at: 9, side: 'local', type: 'candidate', sdp: line(5001) },
      { at: 20, side: 'local', type: 'candidate', sdp: line(5002) },
      { at: 62, side: 'remote', type: 'answer', sdp: 'v=0 answer' },
      // Taken only once the answer was applied, both after the second transport-info.
      { at: 71, side: 'remote', type: 'candidate', sdp: line(6001) },
      { at: 72, side: 'remote', type: 'candidate', sdp: line(6002) },
    ],
  );

  it('gives our session-initiate the offer our peer connection made before it', () => {
    expect(sdpFor(rec, 0).map((s) => s.sdp)).toEqual(['v=0 offer']);
  });

  it('gives each of our transport-infos the candidate line it carries', () => {
    expect(sdpFor(rec, 1).map((s) => s.sdp)).toEqual([line(5001)]);
    expect(sdpFor(rec, 2).map((s) => s.sdp)).toEqual([line(5002)]);
  });

  it('gives the peer’s session-accept the answer applied after it, and each transport-info its own candidate however late it was taken', () => {
    expect(sdpFor(rec, 3).map((s) => s.sdp)).toEqual(['v=0 answer']);
    expect(sdpFor(rec, 4).map((s) => s.sdp)).toEqual([line(6001)]);
    expect(sdpFor(rec, 5).map((s) => s.sdp)).toEqual([line(6002)]);
  });

  it('gives an IQ result no SDP, and reads its kind and peer', () => {
    expect(sdpFor(rec, 6)).toEqual([]);
    expect(describeStanza(rec.stanzas[6]!, 6)).toMatchObject({ kind: 'reply', action: 'result', peer: 'bob@lab/x', direction: 'in' });
    expect(describeStanza(rec.stanzas[0]!, 0)).toMatchObject({ kind: 'jingle', action: 'session-initiate', peer: 'bob@lab/x' });
  });

  it('reads malformed XML as such, without throwing', () => {
    expect(describeStanza({ at: 0, direction: 'in', xml: '<iq' }, 0).action).toBe('malformed');
  });
});
