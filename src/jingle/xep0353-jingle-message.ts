// XEP-0353: Jingle Message Initiation, version 0.8.0: ringing before a session exists.
import { badRequest } from './errors.ts';
import type { Media, Reason } from './model.ts';
import { NS } from './namespaces.ts';
import { type Element, xml } from './xml.ts';
import { readReason, reasonElement } from './xep0166-jingle.ts';

export const JMI_KINDS = ['propose', 'ringing', 'proceed', 'accept', 'reject', 'retract', 'finish'] as const;
export type JingleMessageKind = (typeof JMI_KINDS)[number];

export interface JingleMessage {
  kind: JingleMessageKind;
  /** The session id the Jingle session will use. */
  id: string;
  /** What a propose offers. */
  media: Media[];
  reason?: Reason;
  /** XEP-0353 §5.1: a retract or reject that settles two crossing proposes. */
  tieBreak: boolean;
}

// XEP-0353's registrar section names urn:xmpp:jingle:jingle-message:0 while its
// body and every client use urn:xmpp:jingle-message:0: read both, write the latter.
const NAMESPACES: readonly string[] = [NS.jingleMessage, 'urn:xmpp:jingle:jingle-message:0'];
const MAX_ID_LENGTH = 256;

/** The Jingle message a <message/> carries, undefined when it carries none. */
export function readJingleMessage(message: Element): JingleMessage | undefined {
  const el = message.getChildElements().find((c) => NAMESPACES.includes(c.getNS() ?? '') && (JMI_KINDS as readonly string[]).includes(c.name));
  if (!el) return undefined;
  const id = (el.attrs.id ?? '').trim();
  if (!id || id.length > MAX_ID_LENGTH) throw badRequest(`<${el.name}/> without a usable id`);
  const media = el
    .getChildren('description', NS.rtp)
    .map((d) => d.attrs.media)
    .filter((m): m is Media => m === 'audio' || m === 'video');
  const reason = readReason(el.getChild('reason'));
  return {
    kind: el.name as JingleMessageKind,
    id,
    media: [...new Set(media)],
    ...(reason ? { reason } : {}),
    tieBreak: el.getChildren('tie-break').length > 0,
  };
}

export function jingleMessageElement(m: JingleMessage): Element {
  return xml(
    m.kind,
    { xmlns: NS.jingleMessage, id: m.id },
    m.kind === 'propose' ? m.media.map((media) => xml('description', { xmlns: NS.rtp, media })) : null,
    m.reason ? reasonElement(m.reason, NS.jingle) : null,
    m.tieBreak ? xml('tie-break') : null,
  );
}
