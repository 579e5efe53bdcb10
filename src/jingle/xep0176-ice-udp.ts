// XEP-0176: Jingle ICE-UDP Transport Method, version 1.1.1.
import { type Field, readFields, text, uint, uint8, uint16, uint32, writeFields } from './fields.ts';
import type { Candidate, IceUdpTransport } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';
import { fingerprintElements, readFingerprints } from './xep0320-dtls.ts';

const TRANSPORT_FIELDS: readonly Field<IceUdpTransport>[] = [
  { attr: 'ufrag', key: 'ufrag', type: text },
  { attr: 'pwd', key: 'pwd', type: text },
];

// XEP-0176 §5.1; PROTOCOL.md: all but component, foundation, ip, port,
// priority, protocol and type may be missing.
const CANDIDATE_FIELDS: readonly Field<Candidate>[] = [
  { attr: 'component', key: 'component', type: uint8, required: true },
  { attr: 'foundation', key: 'foundation', type: text, required: true },
  { attr: 'generation', key: 'generation', type: uint },
  { attr: 'id', key: 'id', type: text },
  { attr: 'ip', key: 'ip', type: text, required: true },
  { attr: 'network', key: 'network', type: uint },
  { attr: 'port', key: 'port', type: uint16, required: true },
  { attr: 'priority', key: 'priority', type: uint32, required: true },
  { attr: 'protocol', key: 'protocol', type: text, required: true },
  { attr: 'type', key: 'type', type: text, required: true },
  { attr: 'rel-addr', key: 'relAddr', type: text },
  { attr: 'rel-port', key: 'relPort', type: uint16 },
];

export function readIceUdpTransport(el: Element): IceUdpTransport {
  return {
    ...readFields(el, TRANSPORT_FIELDS),
    fingerprints: readFingerprints(el),
    candidates: el.getChildren('candidate').map((c) => readFields(c, CANDIDATE_FIELDS) as Candidate),
  };
}

export function iceUdpTransportElement(t: IceUdpTransport): Element {
  return xml(
    'transport',
    { xmlns: NS.iceUdp, ...writeFields(t, TRANSPORT_FIELDS) },
    fingerprintElements(t.fingerprints),
    t.candidates.map((c) => xml('candidate', writeFields(c, CANDIDATE_FIELDS))),
  );
}
