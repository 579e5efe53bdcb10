// XEP-0353 Jingle Message Initiation for the StanzaJS peer, which has none:
// written from XEP-0353 0.6 (§3 propose, ringing, proceed, reject, retract;
// §4 accept to one's own bare JID, finish), in the shapes of a profile.
import type { RingingShape } from './profiles.ts';

export const NS_JMI = 'urn:xmpp:jingle-message:0';
const NS_RTP = 'urn:xmpp:jingle:apps:rtp:1';

export type JmiAction = 'propose' | 'ringing' | 'proceed' | 'accept' | 'reject' | 'retract' | 'finish';

export interface JmiMessage {
  action: JmiAction;
  sid: string;
  from: string;
  /** The message's id, for a receipt. */
  id: string;
  media: string[];
  reason?: string;
  wantsReceipt: boolean;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const reasonXml = (reason: string | undefined) => (reason ? `<reason xmlns="urn:xmpp:jingle:1"><${reason}/></reason>` : '');

/** The XML of one XEP-0353 message. */
export function jmiMessage(shape: RingingShape, to: string, action: JmiAction, sid: string, options: { media?: string[]; reason?: string } = {}): string {
  let body = '';
  if (action === 'propose') body = (options.media ?? []).map((m) => `<description xmlns="${NS_RTP}" media="${m}"/>`).join('');
  else if (action === 'proceed' && shape.deviceInProceed) body = '<device xmlns="http://gultsch.de/xmpp/drafts/omemo/dlts-srtp-verification" id="1"/>';
  else body = reasonXml(options.reason);
  const extras = action === 'propose' && shape.receiptAndStore ? '<request xmlns="urn:xmpp:receipts"/><store xmlns="urn:xmpp:hints"/>' : '';
  return `<message xmlns="jabber:client" type="chat" id="${crypto.randomUUID()}" to="${escape(to)}"><${action} xmlns="${NS_JMI}" id="${escape(sid)}">${body}</${action}>${extras}</message>`;
}

export function receipt(to: string, id: string): string {
  return `<message xmlns="jabber:client" id="${crypto.randomUUID()}" to="${escape(to)}"><received xmlns="urn:xmpp:receipts" id="${escape(id)}"/></message>`;
}

/** A XEP-0353 message in a received frame, if it holds one (carbons included). */
export function readJmi(text: string): JmiMessage | undefined {
  if (!text.startsWith('<message')) return undefined;
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  const outer = doc.documentElement;
  // A carbon copy of what another device of ours sent or received (XEP-0280).
  const forwarded = outer.getElementsByTagNameNS('urn:xmpp:forward:0', 'forwarded')[0];
  const message = forwarded?.getElementsByTagNameNS('jabber:client', 'message')[0] ?? outer;
  const el = [...message.children].find((c) => c.namespaceURI === NS_JMI || c.namespaceURI === 'urn:xmpp:jingle:jingle-message:0');
  if (!el) return undefined;
  const reason = el.getElementsByTagNameNS('urn:xmpp:jingle:1', 'reason')[0];
  return {
    action: el.localName as JmiAction,
    sid: el.getAttribute('id') ?? '',
    from: message.getAttribute('from') ?? '',
    id: message.getAttribute('id') ?? '',
    media: [...el.getElementsByTagNameNS(NS_RTP, 'description')].map((d) => d.getAttribute('media') ?? ''),
    ...(reason?.firstElementChild ? { reason: reason.firstElementChild.localName } : {}),
    wantsReceipt: message.getElementsByTagNameNS('urn:xmpp:receipts', 'request').length > 0,
  };
}
