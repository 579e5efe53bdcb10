import { readErrorReply } from '../jingle/errors.ts';
import { NS } from '../jingle/namespaces.ts';
import { readJingleMessage } from '../jingle/xep0353-jingle-message.ts';
import { type Element, parseXml } from '../jingle/xml.ts';

const NS_RECEIPTS = 'urn:xmpp:receipts';
/** What the callee's client sends back to a propose, any of which shows it understood. */
const ANSWERS = new Set(['ringing', 'proceed', 'reject', 'retract']);

/** One stanza of a call as the inspector keeps it: when, which way, and its XML. */
export interface RecordedStanza {
  /** Milliseconds since the call started. */
  at: number;
  direction: 'in' | 'out';
  xml: string;
}

/** What the inspector saw of a call, as far as the diagnosis rules need it. */
export interface RecordedCall {
  stanzas: RecordedStanza[];
  /** Candidate types gathered on each side (host, srflx, prflx, relay). */
  candidates?: { local: string[]; remote: string[] };
  turnConfigured?: boolean;
  /** How the call ended, if it did: 'connected' calls that failed later still count. */
  outcome?: 'connected' | 'failed' | 'no-answer' | 'declined' | 'ongoing';
  iceState?: RTCIceConnectionState;
}

/** A likely cause, in plain words, with the stanza it was read from. */
export interface Diagnosis {
  rule: string;
  cause: string;
  stanza?: RecordedStanza;
}

/** A recorded stanza with its XML parsed once, for every rule to read; `el` is missing for malformed XML. */
interface Read {
  stanza: RecordedStanza;
  el?: Element;
}

type Rule = (call: RecordedCall, read: readonly Read[]) => Diagnosis | undefined;

function readAll(stanzas: readonly RecordedStanza[]): Read[] {
  return stanzas.map((stanza) => {
    try {
      return { stanza, el: parseXml(stanza.xml) };
    } catch {
      return { stanza };
    }
  });
}

function jingleAction(r: Read): string | undefined {
  return r.el?.getChild('jingle', NS.jingle)?.attrs.action;
}

function jingleMessageKind(r: Read): string | undefined {
  try {
    return r.el?.name === 'message' ? readJingleMessage(r.el)?.kind : undefined;
  } catch {
    return undefined;
  }
}

/** The peer's session-accept carries a DTLS fingerprint without the setup role (XEP-0320). */
export const acceptWithoutSetup: Rule = (_call, read) => {
  const accept = read.find((r) => r.stanza.direction === 'in' && jingleAction(r) === 'session-accept');
  if (!accept) return undefined;
  const fingerprints = accept.el!
    .getChild('jingle', NS.jingle)!
    .getChildren('content')
    .flatMap((c) => c.getChild('transport')?.getChildren('fingerprint', NS.dtls) ?? []);
  if (fingerprints.length && fingerprints.every((f) => f.attrs.setup)) return undefined;
  const cause = fingerprints.length
    ? 'the peer’s session-accept carried no `setup` attribute on its DTLS fingerprint (XEP-0320), so the DTLS roles are unknown'
    : 'the peer’s session-accept carried no DTLS fingerprint (XEP-0320), so no media can be encrypted';
  return { rule: 'accept-without-setup', cause, stanza: accept.stanza };
};

/** An IQ error the peer sent in reply to our session-initiate. */
export const initiateRefused: Rule = (_call, read) => {
  const id = read.find((r) => r.stanza.direction === 'out' && jingleAction(r) === 'session-initiate')?.el?.attrs.id;
  if (!id) return undefined;
  const reply = read.find((r) => r.stanza.direction === 'in' && r.el?.attrs.id === id && r.el.attrs.type === 'error');
  if (!reply) return undefined;
  const { condition } = readErrorReply(reply.el!);
  return { rule: 'initiate-refused', cause: `the peer answered session-initiate with ${condition}`, stanza: reply.stanza };
};

/** We sent a XEP-0353 propose and nothing came back. */
export const proposeUnanswered: Rule = (call, read) => {
  if (call.outcome === 'ongoing') return undefined;
  const propose = read.find((r) => r.stanza.direction === 'out' && jingleMessageKind(r) === 'propose');
  if (!propose) return undefined;
  const answered = read.some(
    (r) => r.stanza.direction === 'in' && (r.el?.getChild('received', NS_RECEIPTS) !== undefined || ANSWERS.has(jingleMessageKind(r) ?? '')),
  );
  if (answered) return undefined;
  return { rule: 'propose-unanswered', cause: 'the peer never answered the propose: its client may not support XEP-0353', stanza: propose.stanza };
};

/** ICE failed with host candidates only on both sides and no TURN server. */
export const hostOnlyWithoutTurn: Rule = (call) => {
  if (call.iceState !== 'failed' || !call.candidates || call.turnConfigured) return undefined;
  const hostOnly = (types: string[]) => types.every((t) => t === 'host');
  if (!hostOnly(call.candidates.local) || !hostOnly(call.candidates.remote)) return undefined;
  return {
    rule: 'host-only-without-turn',
    cause: 'no candidate pair succeeded: both sides had host candidates only, and no TURN server is configured',
  };
};

export const RULES: readonly Rule[] = [initiateRefused, acceptWithoutSetup, proposeUnanswered, hostOnlyWithoutTurn];

/** Every likely cause the rules find, most decisive first. */
export function diagnose(call: RecordedCall): Diagnosis[] {
  const read = readAll(call.stanzas);
  return RULES.map((rule) => rule(call, read)).filter((d): d is Diagnosis => d !== undefined);
}
