// XEP-0166: Jingle, version 1.1.2: the <jingle/> element ⇄ the Jingle model.
import { JingleError, badRequest } from './errors.ts';
import { type Field, oneOf, readFields, text, writeFields } from './fields.ts';
import { type Content, JINGLE_ACTIONS, type Jingle, REASONS, type Reason, type Role, SENDERS } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';
import { readRtpDescription, readSessionInfo, rtpDescriptionElement, sessionInfoElement } from './xep0167-rtp.ts';
import { iceUdpTransportElement, readIceUdpTransport } from './xep0176-ice-udp.ts';
import { groupElements, readGroups } from './xep0338-grouping.ts';

/** Most contents accepted in one stanza. */
export const MAX_CONTENTS = 64;
/** Most candidates accepted in one stanza (and, by the session, in one session). */
export const MAX_CANDIDATES = 200;

const ROLES: readonly Role[] = ['initiator', 'responder'];

const JINGLE_FIELDS: readonly Field<Jingle>[] = [
  { attr: 'action', key: 'action', type: oneOf(JINGLE_ACTIONS), required: true },
  { attr: 'sid', key: 'sid', type: text, required: true },
  // Optional in practice: Conversations omits both (PROTOCOL.md, Session stanzas).
  { attr: 'initiator', key: 'initiator', type: text },
  { attr: 'responder', key: 'responder', type: text },
];

const CONTENT_FIELDS: readonly Field<Content>[] = [
  { attr: 'creator', key: 'creator', type: oneOf(ROLES) },
  { attr: 'name', key: 'name', type: text, required: true },
  { attr: 'senders', key: 'senders', type: oneOf(SENDERS) },
  { attr: 'disposition', key: 'disposition', type: text },
];

function readContent(el: Element): Content {
  const fields = readFields(el, CONTENT_FIELDS);
  const description = el.getChild('description', NS.rtp);
  const transport = el.getChild('transport', NS.iceUdp);
  return {
    // XEP-0166 §7.3: creator is required, but a missing one can only mean the initiator.
    creator: fields.creator ?? 'initiator',
    name: fields.name as string,
    ...(fields.senders ? { senders: fields.senders } : {}),
    ...(fields.disposition ? { disposition: fields.disposition } : {}),
    ...(description ? { description: readRtpDescription(description) } : {}),
    ...(transport ? { transport: readIceUdpTransport(transport) } : {}),
  };
}

/** Dino writes failed_application for failed-application. */
function normaliseReason(name: string): string {
  const dashed = name.replace(/_/g, '-');
  return (REASONS as readonly string[]).includes(dashed) ? dashed : name;
}

/** XEP-0166 §7.4 <reason/>, also carried by XEP-0353 messages. */
export function readReason(el: Element | undefined): Reason | undefined {
  if (!el) return undefined;
  const condition = el.getChildElements().find((c) => c.name !== 'text');
  const reasonText = el.getChildText('text')?.trim();
  return {
    condition: condition ? normaliseReason(condition.name) : 'general-error',
    ...(reasonText ? { text: reasonText } : {}),
  };
}

/** Parses a <jingle/> element; anything malformed is a typed bad-request. */
export function readJingle(el: Element): Jingle {
  if (!el.is('jingle', NS.jingle)) throw badRequest('not a Jingle element');
  const fields = readFields(el, JINGLE_FIELDS);
  const contentElements = el.getChildren('content');
  if (contentElements.length > MAX_CONTENTS) throw badRequest(`more than ${MAX_CONTENTS} contents`);
  const candidates = contentElements.reduce((n, c) => n + (c.getChild('transport', NS.iceUdp)?.getChildren('candidate').length ?? 0), 0);
  if (candidates > MAX_CANDIDATES) throw new JingleError('policy-violation', undefined, `more than ${MAX_CANDIDATES} candidates`);
  const contents = contentElements.map(readContent);
  if (new Set(contents.map((c) => c.name)).size !== contents.length) throw badRequest('two contents with one name');
  const reason = readReason(el.getChild('reason'));
  const info = fields.action === 'session-info' ? readSessionInfo(el) : undefined;
  return {
    action: fields.action as Jingle['action'],
    sid: fields.sid as string,
    ...(fields.initiator ? { initiator: fields.initiator } : {}),
    ...(fields.responder ? { responder: fields.responder } : {}),
    contents,
    groups: readGroups(el),
    ...(reason ? { reason } : {}),
    ...(info ? { info } : {}),
  };
}

export function reasonElement(reason: Reason, xmlns?: string): Element {
  return xml('reason', xmlns ? { xmlns } : {}, xml(reason.condition), reason.text ? xml('text', {}, reason.text) : null);
}

export function jingleElement(j: Jingle): Element {
  return xml(
    'jingle',
    { xmlns: NS.jingle, ...writeFields(j, JINGLE_FIELDS) },
    j.contents.map((c) =>
      xml(
        'content',
        writeFields(c, CONTENT_FIELDS),
        c.description ? rtpDescriptionElement(c.description) : null,
        c.transport ? iceUdpTransportElement(c.transport) : null,
      ),
    ),
    groupElements(j.groups),
    j.reason ? reasonElement(j.reason) : null,
    j.info ? sessionInfoElement(j.info) : null,
  );
}
