// What a recorded stanza is, in a word or two, for the inspector's rows and
// filters: its kind (Jingle, XEP-0353, disco/caps, version, services) and its
// action (session-initiate, propose, result …), and who is on the other end.
import { NS } from '../jingle/namespaces.ts';
import { type Element, parseXml } from '../jingle/xml.ts';
import type { RecordedStanza } from './recording.ts';

export const STANZA_KINDS = ['jingle', 'jmi', 'disco', 'version', 'services', 'reply'] as const;
export type StanzaKind = (typeof STANZA_KINDS)[number];

export const KIND_LABELS: Record<StanzaKind, string> = {
  jingle: 'Jingle',
  jmi: 'XEP-0353',
  disco: 'Disco and caps',
  version: 'Version',
  services: 'XEP-0215',
  reply: 'Replies',
};

export interface StanzaRow {
  index: number;
  at: number;
  direction: 'in' | 'out';
  kind: StanzaKind;
  action: string;
  /** The other end: `from` of what came in, `to` of what went out. */
  peer: string;
}

const JMI_NAMESPACES = [NS.jingleMessage, 'urn:xmpp:jingle:jingle-message:0'];

function kindOf(el: Element): { kind: StanzaKind; action: string } {
  const jingle = el.getChild('jingle', NS.jingle);
  if (jingle) return { kind: 'jingle', action: jingle.attrs.action ?? 'jingle' };
  const child = el.getChildElements()[0];
  const ns = child?.getNS() ?? '';
  if (el.name === 'message') {
    const jmi = el.getChildElements().find((c) => JMI_NAMESPACES.includes(c.getNS() ?? ''));
    if (jmi) return { kind: 'jmi', action: jmi.name };
    if (el.getChild('received', 'urn:xmpp:receipts')) return { kind: 'jmi', action: 'receipt' };
  }
  if (el.name === 'presence') return { kind: 'disco', action: 'caps' };
  if (ns.startsWith('http://jabber.org/protocol/disco')) return { kind: 'disco', action: `disco ${el.attrs.type ?? ''}`.trim() };
  if (ns === 'jabber:iq:version') return { kind: 'version', action: `version ${el.attrs.type ?? ''}`.trim() };
  if (ns.startsWith('urn:xmpp:extdisco')) return { kind: 'services', action: `services ${el.attrs.type ?? ''}`.trim() };
  return { kind: 'reply', action: el.attrs.type ?? el.name };
}

/** Each stanza read once: a recording's rows are asked for on every redraw. */
const cache = new Map<string, { kind: StanzaKind; action: string; from: string; to: string }>();
const CACHE_LIMIT = 50_000;

export function describeStanza(stanza: RecordedStanza, index: number): StanzaRow {
  let read = cache.get(stanza.xml);
  if (!read) {
    try {
      const el = parseXml(stanza.xml);
      read = { ...kindOf(el), from: el.attrs.from ?? '', to: el.attrs.to ?? '' };
    } catch {
      read = { kind: 'reply', action: 'malformed', from: '', to: '' };
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(stanza.xml, read);
  }
  return { index, at: stanza.at, direction: stanza.direction, kind: read.kind, action: read.action, peer: stanza.direction === 'in' ? read.from : read.to };
}

/** Jingle actions that carry (or answer with) a description or candidates, hence have SDP beside them. */
export const WITH_SDP = new Set(['session-initiate', 'session-accept', 'content-add', 'content-accept', 'content-modify', 'content-reject', 'content-remove', 'transport-info']);
