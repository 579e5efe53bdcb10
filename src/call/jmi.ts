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

  constructor(
    private readonly signalling: Signalling,
    readonly id: string,
  ) {}

  private say(to: string, kind: JingleMessageKind, extra: Partial<JingleMessage> = {}, children: (Element | null)[] = []): Element {
    const stanza = jmiMessage(to, { kind, id: this.id, media: [], tieBreak: false, ...extra }, children);
    void this.signalling.send(stanza).catch(() => undefined);
    return stanza;
  }

  /** To the callee's bare JID: every device rings. */
  propose(to: string, media: Media[]): void {
    const stanza = this.say(bareJid(to), 'propose', { media }, [xml('request', { xmlns: NS_RECEIPTS })]);
    this.proposeMessageId = stanza.attrs.id;
  }

  ringing(caller: string): void {
    this.say(caller, 'ringing');
  }

  /** Our other devices stop ringing (to our own bare JID), then the caller gets proceed. */
  accept(caller: string): void {
    this.say(bareJid(this.signalling.jid), 'accept');
    this.say(caller, 'proceed');
  }

  /** To the caller and, unless only this device is concerned, to our own bare JID: the others stop ringing. */
  reject(caller: string, reason: Reason, options: { tieBreak?: boolean; tellOwnDevices?: boolean } = {}): void {
    const tieBreak = options.tieBreak ?? false;
    const tellOwnDevices = options.tellOwnDevices ?? !tieBreak;
    this.say(caller, 'reject', { reason, tieBreak });
    if (tellOwnDevices) this.say(bareJid(this.signalling.jid), 'reject', { reason });
  }

  retract(callee: string, reason: Reason, tieBreak = false): void {
    this.say(bareJid(callee), 'retract', { reason, tieBreak });
  }

  finish(peer: string, reason: Reason): void {
    this.say(peer, 'finish', { reason });
  }
}
