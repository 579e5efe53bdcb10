// Peer profiles: StanzaJS as it is, and StanzaJS reshaped on the wire to send
// what Conversations or Dino 0.4 send (PROTOCOL.md; ../shared/vectors/dino/).
// A profile changes stanzas, never StanzaJS's own state: what the other side
// learns is what that client would have told it.
import type { Shaper } from './wire.ts';

/** `no-setup` is no real client: StanzaJS with a fault, for the inspector's diagnosis. */
export type ProfileName = 'stanza' | 'conversations' | 'dino' | 'no-setup';

const NS = {
  jingle: 'urn:xmpp:jingle:1',
  rtp: 'urn:xmpp:jingle:apps:rtp:1',
  ice: 'urn:xmpp:jingle:transports:ice-udp:1',
  dtls: 'urn:xmpp:jingle:apps:dtls:0',
  grouping: 'urn:xmpp:jingle:apps:grouping:0',
  ssma: 'urn:xmpp:jingle:apps:rtp:ssma:0',
  msid: 'urn:xmpp:jingle:apps:rtp:msid:0',
};

/** How a profile rings and answers with XEP-0353. */
export interface RingingShape {
  /** The caller asks for a receipt and a store hint on its propose. */
  receiptAndStore: boolean;
  /** What the callee says while it rings: XEP-0353 <ringing/>, a receipt (Conversations), or nothing (Dino). */
  ringsWith: 'ringing' | 'receipt' | 'nothing';
  /** Dino puts a DTLS-SRTP verification <device/> into <proceed/>. */
  deviceInProceed: boolean;
  /** A new session id. */
  newSid(): string;
}

export interface Profile {
  name: ProfileName;
  ringing: RingingShape;
  shaper: Shaper;
}

const uuid = () => crypto.randomUUID();
/** Conversations' ids are base64 of random bytes, so they may hold '+' and '/'. */
function base64Sid(): string {
  for (;;) {
    const bytes = crypto.getRandomValues(new Uint8Array(15));
    const sid = btoa(String.fromCharCode(...bytes));
    if (sid.includes('+') || sid.includes('/')) return sid;
  }
}

const parse = (text: string): Element | undefined => {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  return doc.querySelector('parsererror') ? undefined : doc.documentElement;
};
const write = (el: Element): string => new XMLSerializer().serializeToString(el);
const children = (el: Element, ns: string, name: string): Element[] => [...el.getElementsByTagNameNS(ns, name)];
const jingleOf = (stanza: Element): Element | undefined => (stanza.localName === 'iq' ? children(stanza, NS.jingle, 'jingle')[0] : undefined);
const remove = (els: Element[]) => els.forEach((e) => e.remove());
const resultFor = (iq: Element) => `<iq xmlns="jabber:client" type="result" id="${iq.getAttribute('id')}" from="${iq.getAttribute('to')}"/>`;

/** StanzaJS's end-of-candidates transport-info (XEP-0371's flag), which neither Conversations nor Dino sends. */
const isGatheringComplete = (jingle: Element) =>
  jingle.getAttribute('action') === 'transport-info' && children(jingle, NS.ice, 'gathering-complete').length > 0;

/** Conversations 2.x: no initiator/responder, no `network`, one candidate per transport-info, no end-of-candidates. */
function conversationsShaper(): Shaper {
  return {
    outgoing(text, wire) {
      const stanza = parse(text);
      const jingle = stanza && jingleOf(stanza);
      if (!stanza || !jingle) return [text];
      if (isGatheringComplete(jingle)) {
        wire.reply(resultFor(stanza));
        return [];
      }
      jingle.removeAttribute('initiator');
      jingle.removeAttribute('responder');
      for (const c of children(jingle, NS.ice, 'candidate')) c.removeAttribute('network');
      return [write(stanza)];
    },
    incoming: (text) => [text],
  };
}

const DINO_GATHER_MS = 1500;

/**
 * Dino 0.4: no BUNDLE (it neither sends nor takes a group), one transport per
 * content with components 1 and 2, candidates gathered so far inside
 * session-initiate and session-accept, one payload type per medium in its
 * answer, `setup='active'` when it answers, no ssrc, underscored reasons.
 */
function dinoShaper(): Shaper {
  /**
   * Per sid, until its session-initiate or -accept has gone: the candidates
   * StanzaJS trickled (as callee it trickles before its session-accept), and
   * the held description itself while gathering goes on.
   */
  interface Pending {
    candidates: Map<string, Element[]>;
    gathered: boolean;
    held?: { stanza: Element; jingle: Element; timer: number; send(text: string): void };
  }
  const pending = new Map<string, Pending>();
  /** Sessions whose description went: their later candidates trickle, as Dino's do. */
  const described = new Set<string>();
  const entry = (sid: string) => {
    let p = pending.get(sid);
    if (!p) pending.set(sid, (p = { candidates: new Map(), gathered: false }));
    return p;
  };

  const release = (sid: string) => {
    const p = pending.get(sid);
    if (!p?.held) return;
    pending.delete(sid);
    described.add(sid);
    clearTimeout(p.held.timer);
    for (const content of children(p.held.jingle, NS.jingle, 'content')) {
      const transport = children(content, NS.ice, 'transport')[0];
      for (const c of p.candidates.get(content.getAttribute('name') ?? '') ?? []) transport?.appendChild(c);
    }
    dinoCandidates(p.held.jingle);
    p.held.send(write(p.held.stanza));
  };

  const dinoCandidates = (jingle: Element) => {
    for (const transport of children(jingle, NS.ice, 'transport')) {
      for (const c of [...transport.getElementsByTagNameNS(NS.ice, 'candidate')]) {
        if (c.getAttribute('component') !== '1' || c.hasAttribute('network')) continue;
        c.setAttribute('network', '0');
        c.setAttribute('id', crypto.randomUUID().slice(0, 8));
        // Dino sends RTCP candidates even though it offers rtcp-mux.
        const rtcp = c.cloneNode() as Element;
        rtcp.setAttribute('component', '2');
        rtcp.setAttribute('port', String(Number(c.getAttribute('port')) + 1));
        rtcp.setAttribute('priority', String(Number(c.getAttribute('priority')) - 1));
        rtcp.setAttribute('id', crypto.randomUUID().slice(0, 8));
        transport.appendChild(rtcp);
      }
    }
  };

  return {
    outgoing(text, wire) {
      const stanza = parse(text);
      const jingle = stanza && jingleOf(stanza);
      if (!stanza || !jingle) return [text];
      const action = jingle.getAttribute('action');
      const sid = jingle.getAttribute('sid') ?? '';
      if (isGatheringComplete(jingle)) {
        wire.reply(resultFor(stanza));
        if (!described.has(sid)) entry(sid).gathered = true;
        release(sid);
        return [];
      }
      jingle.removeAttribute('initiator');
      jingle.removeAttribute('responder');
      remove(children(jingle, NS.grouping, 'group'));
      remove([...children(jingle, NS.ssma, 'source'), ...children(jingle, NS.ssma, 'ssrc-group'), ...children(jingle, NS.msid, 'stream')]);
      for (const reason of children(jingle, NS.jingle, 'reason')) {
        for (const condition of [...reason.children]) {
          if (condition.localName.startsWith('failed-')) condition.replaceWith(stanza.ownerDocument.createElementNS(NS.jingle, condition.localName.replace('-', '_')));
        }
      }
      if (action === 'session-accept') {
        for (const description of children(jingle, NS.rtp, 'description')) remove(children(description, NS.rtp, 'payload-type').slice(1));
        for (const f of children(jingle, NS.dtls, 'fingerprint')) f.setAttribute('setup', 'active');
      }
      if (action === 'session-initiate' || action === 'session-accept') {
        // Held until gathering completes, so the candidates travel inside it.
        const p = entry(sid);
        p.held = { stanza, jingle, timer: window.setTimeout(() => release(sid), DINO_GATHER_MS), send: wire.send };
        if (p.gathered) release(sid);
        return [];
      }
      if (action === 'transport-info' && !described.has(sid)) {
        const p = entry(sid);
        for (const content of children(jingle, NS.jingle, 'content')) {
          const name = content.getAttribute('name') ?? '';
          p.candidates.set(name, [...(p.candidates.get(name) ?? []), ...children(content, NS.ice, 'candidate').map((c) => c.cloneNode(true) as Element)]);
        }
        wire.reply(resultFor(stanza));
        return [];
      }
      if (action === 'transport-info') dinoCandidates(jingle);
      if (action === 'session-terminate') {
        release(sid);
        pending.delete(sid);
      }
      return [write(stanza)];
    },
    incoming(text) {
      const stanza = parse(text);
      const jingle = stanza && jingleOf(stanza);
      // Dino ignores BUNDLE: StanzaJS must not bundle either, or its one transport would not match.
      if (!stanza || !jingle || !children(jingle, NS.grouping, 'group').length) return [text];
      remove(children(jingle, NS.grouping, 'group'));
      return [write(stanza)];
    },
  };
}

/** A broken answer: the session-accept's DTLS fingerprints lose `setup` (XEP-0320 requires it). */
function noSetupShaper(): Shaper {
  return {
    outgoing(text) {
      const stanza = parse(text);
      const jingle = stanza && jingleOf(stanza);
      if (!stanza || jingle?.getAttribute('action') !== 'session-accept') return [text];
      for (const f of children(jingle, NS.dtls, 'fingerprint')) f.removeAttribute('setup');
      return [write(stanza)];
    },
    incoming: (text) => [text],
  };
}

export function profile(name: ProfileName): Profile {
  switch (name) {
    case 'conversations':
      return { name, ringing: { receiptAndStore: true, ringsWith: 'receipt', deviceInProceed: false, newSid: base64Sid }, shaper: conversationsShaper() };
    case 'dino':
      return { name, ringing: { receiptAndStore: false, ringsWith: 'nothing', deviceInProceed: true, newSid: uuid }, shaper: dinoShaper() };
    case 'no-setup':
      return { name, ringing: { receiptAndStore: true, ringsWith: 'ringing', deviceInProceed: false, newSid: uuid }, shaper: noSetupShaper() };
    default:
      return { name: 'stanza', ringing: { receiptAndStore: true, ringsWith: 'ringing', deviceInProceed: false, newSid: uuid }, shaper: { outgoing: (t) => [t], incoming: (t) => [t] } };
  }
}
