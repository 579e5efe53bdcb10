// XEP-0353 Jingle Message Initiation: the messages of one call's ringing.
// The session decides when; this says it on the wire (PROTOCOL.md, Ringing).
import { type Element, type JingleMessage, type JingleMessageKind, type Media, type Reason, jingleMessageElement, xml } from '../jingle/index.ts';
import { bareJid } from '../xmpp/jid.ts';
import type { Signalling } from './signalling.ts';

const NS_RECEIPTS = 'urn:xmpp:receipts';
const NS_HINTS = 'urn:xmpp:hints';

/** How long a proposal rings before the caller gives up (XEP-0353 leaves it to clients). */
export const RING_TIMEOUT_MS = 60_000;

let counter = 0;
const messageId = () => `jl-${Date.now().toString(36)}-${(++counter).toString(36)}`;

export function jmiMessage(to: string, m: JingleMessage, extra: (Element | null)[] = []): Element {
  return xml('message', { to, type: 'chat', id: messageId() }, jingleMessageElement(m), ...extra, xml('store', { xmlns: NS_HINTS }));
}

/** The receipt a propose asked for (XEP-0184), or undefined. */
export function receiptFor(message: Element): Element | undefined {
  const id = message.attrs.id;
  if (!id || !message.getChild('request', NS_RECEIPTS) || !message.attrs.from) return undefined;
  return xml('message', { to: message.attrs.from, id: messageId() }, xml('received', { xmlns: NS_RECEIPTS, id }));
}

/** The id of the message a receipt acknowledges, or undefined. */
export const receiptOf = (message: Element): string | undefined => message.getChild('received', NS_RECEIPTS)?.attrs.id;

export class Ringing {
  /** The id of our propose message, to match its receipt. */
  proposeMessageId?: string;
  private media: Media[] = [];

  constructor(
    private readonly signalling: Signalling,
    readonly id: string,
  ) {}

  /** Sends one message; resolves once the server has it (connection.ts's outbox may hold it a while). */
  private say(to: string, kind: JingleMessageKind, extra: Partial<JingleMessage> = {}, children: (Element | null)[] = []): { stanza: Element; sent: Promise<void> } {
    const stanza = jmiMessage(to, { kind, id: this.id, media: [], tieBreak: false, ...extra }, children);
    // What ends a call must reach the peer even after a long outage: its devices may still ring.
    const patient = kind === 'reject' || kind === 'retract' || kind === 'finish';
    return { stanza, sent: this.signalling.send(stanza, patient ? { patient } : undefined) };
  }

  /** To the callee's bare JID: every device rings. */
  propose(to: string, media: Media[]): Promise<void> {
    this.media = media;
    const { stanza, sent } = this.say(bareJid(to), 'propose', { media }, [xml('request', { xmlns: NS_RECEIPTS })]);
    this.proposeMessageId = stanza.attrs.id;
    return sent;
  }

  /** The same proposal once more, to the bare JID (after this device re-bound). */
  proposeAgain(to: string): Promise<void> {
    const { stanza, sent } = this.say(bareJid(to), 'propose', { media: this.media }, [xml('request', { xmlns: NS_RECEIPTS })]);
    this.proposeMessageId = stanza.attrs.id;
    return sent;
  }

  /** Proceed once more, to a caller that may have lost it. */
  proceedAgain(caller: string): Promise<void> {
    return this.say(caller, 'proceed').sent;
  }

  ringing(caller: string): Promise<void> {
    return this.say(caller, 'ringing').sent;
  }

  /** Our other devices stop ringing (to our own bare JID), then the caller gets proceed. */
  accept(caller: string): Promise<void> {
    const own = this.say(bareJid(this.signalling.jid), 'accept').sent;
    const proceed = this.say(caller, 'proceed').sent;
    return Promise.all([own, proceed]).then(() => undefined);
  }

  /** To the caller and, unless only this device is concerned, to our own bare JID: the others stop ringing. */
  reject(caller: string, reason: Reason, options: { tieBreak?: boolean; tellOwnDevices?: boolean } = {}): Promise<void> {
    const tieBreak = options.tieBreak ?? false;
    const tellOwnDevices = options.tellOwnDevices ?? !tieBreak;
    const sent = this.say(caller, 'reject', { reason, tieBreak }).sent;
    if (tellOwnDevices) this.say(bareJid(this.signalling.jid), 'reject', { reason }).sent.catch(() => undefined);
    return sent;
  }

  retract(callee: string, reason: Reason, tieBreak = false): Promise<void> {
    return this.say(bareJid(callee), 'retract', { reason, tieBreak }).sent;
  }

  finish(peer: string, reason: Reason): Promise<void> {
    return this.say(peer, 'finish', { reason }).sent;
  }
}
