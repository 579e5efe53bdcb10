import { parseXml, type Element } from '../jingle/xml';
import { NS } from '../jingle/namespaces';

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

type Rule = (call: RecordedCall) => Diagnosis | undefined;

function parsed(stanza: RecordedStanza): Element | undefined {
  try {
    return parseXml(stanza.xml);
  } catch {
    return undefined;
  }
}

function jingleOf(stanza: RecordedStanza): Element | undefined {
  return parsed(stanza)?.getChild('jingle', NS.jingle);
}

function withAction(call: RecordedCall, direction: 'in' | 'out', action: string): RecordedStanza | undefined {
  return call.stanzas.find((s) => s.direction === direction && jingleOf(s)?.attrs.action === action);
}

/** The peer's session-accept carries a DTLS fingerprint without the setup role (XEP-0320). */
export const acceptWithoutSetup: Rule = (call) => {
  const accept = withAction(call, 'in', 'session-accept');
  if (!accept) return undefined;
  const fingerprints = jingleOf(accept)!
    .getChildren('content')
    .flatMap((c) => c.getChild('transport')?.getChildren('fingerprint') ?? []);
  const missing = fingerprints.find((f) => !f.attrs.setup);
  if (fingerprints.length && !missing) return undefined;
  const cause = fingerprints.length
    ? 'the peer’s session-accept carried no `setup` attribute on its DTLS fingerprint (XEP-0320), so the DTLS roles are unknown'
    : 'the peer’s session-accept carried no DTLS fingerprint (XEP-0320), so no media can be encrypted';
  return { rule: 'accept-without-setup', cause, stanza: accept };
};

/** An IQ error the peer sent in reply to our session-initiate. */
export const initiateRefused: Rule = (call) => {
  const initiate = call.stanzas.find((s) => s.direction === 'out' && jingleOf(s)?.attrs.action === 'session-initiate');
  const id = initiate && parsed(initiate)?.attrs.id;
  if (!id) return undefined;
  const reply = call.stanzas.find((s) => s.direction === 'in' && parsed(s)?.attrs.id === id && parsed(s)?.attrs.type === 'error');
  if (!reply) return undefined;
  const condition = parsed(reply)!
    .getChild('error')
    ?.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === NS.stanzas)?.name;
  return { rule: 'initiate-refused', cause: `the peer answered session-initiate with ${condition ?? 'an error'}`, stanza: reply };
};

/** We sent a XEP-0353 propose and nothing came back. */
export const proposeUnanswered: Rule = (call) => {
  const propose = call.stanzas.find((s) => s.direction === 'out' && parsed(s)?.getChild('propose', NS.jingleMessage));
  if (!propose) return undefined;
  const answered = call.stanzas.some((s) => {
    if (s.direction !== 'in') return false;
    const el = parsed(s);
    return !!el && (el.getChild('received', 'urn:xmpp:receipts') !== undefined ||
      ['ringing', 'proceed', 'reject', 'retract'].some((n) => el.getChild(n, NS.jingleMessage) !== undefined));
  });
  if (answered || call.outcome === 'ongoing') return undefined;
  return { rule: 'propose-unanswered', cause: 'the peer never answered the propose: its client may not support XEP-0353', stanza: propose };
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
  return RULES.map((rule) => rule(call)).filter((d): d is Diagnosis => d !== undefined);
}
