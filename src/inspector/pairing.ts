// Which SDP a Jingle stanza was translated from or into. A description we
// sent came from the one our peer connection made just before; one that came
// in became the one it was given just after. Candidates are paired by what
// they are (address and port), since the peer's may wait for our Accept
// before our peer connection takes them. One rule for a call recorded here
// and for a report imported from elsewhere.
import { NS } from '../jingle/namespaces.ts';
import { parseXml } from '../jingle/xml.ts';
import type { CallRecording, RecordedSdp } from './recording.ts';
import { describeStanza, WITH_SDP } from './stanza-kind.ts';

/** The address and port of each candidate a transport-info carries, as an SDP candidate line has them. */
function candidateKeys(xml: string): string[] {
  try {
    const jingle = parseXml(xml).getChild('jingle', NS.jingle);
    return (jingle?.getChildren('content') ?? [])
      .flatMap((c) => c.getChild('transport', NS.iceUdp)?.getChildren('candidate') ?? [])
      .map((c) => ` ${c.attrs.ip} ${c.attrs.port} typ `);
  } catch {
    return [];
  }
}

export function sdpFor(recording: CallRecording, index: number): RecordedSdp[] {
  const stanza = recording.stanzas[index];
  if (!stanza) return [];
  const row = describeStanza(stanza, index);
  if (row.kind !== 'jingle' || !WITH_SDP.has(row.action)) return [];
  const side = stanza.direction === 'out' ? 'local' : 'remote';
  const sdps = recording.sdps.filter((s) => s.side === side);
  if (row.action === 'transport-info') {
    const keys = candidateKeys(stanza.xml);
    return sdps.filter((s) => s.type === 'candidate' && keys.some((k) => s.sdp.includes(k)));
  }
  const descriptions = sdps.filter((s) => s.type !== 'candidate');
  const description = side === 'local' ? descriptions.filter((s) => s.at <= stanza.at).at(-1) : descriptions.find((s) => s.at >= stanza.at);
  return description ? [description] : [];
}
