// XEP-0084 User Avatar 1.1.4: avatars published over PEP, as a metadata node
// that announces the image (notified to contacts) and a data node that holds it.
import { type Element, xml } from './connection.ts';
import { type AvatarType, isAvatarHash, isAvatarType, MAX_AVATAR_BYTES } from './avatar-image.ts';

export const NS_AVATAR_DATA = 'urn:xmpp:avatar:data';
export const NS_AVATAR_METADATA = 'urn:xmpp:avatar:metadata';
export const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';
export const NS_PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
/** XEP-0115 feature asking the server to send us contacts' metadata notifications (XEP-0163 §4.2). */
export const AVATAR_METADATA_NOTIFY = `${NS_AVATAR_METADATA}+notify`;

/** One <info/> of a metadata item (§4.2.1). */
export interface AvatarInfo {
  id: string;
  type: string;
  bytes: number;
  url?: string;
  width?: number;
  height?: number;
}

type Parse = (raw: string) => string | number | undefined;
const count: Parse = (raw) => (/^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : undefined);
const hash: Parse = (raw) => (isAvatarHash(raw.trim()) ? raw.trim().toLowerCase() : undefined);
const text: Parse = (raw) => raw.trim() || undefined;

/** XEP-0084 §4.2.1, the attributes of <info/>: a new attribute is a new row. */
const INFO_FIELDS: readonly { attr: string; key: keyof AvatarInfo; parse: Parse; required?: boolean }[] = [
  { attr: 'id', key: 'id', parse: hash, required: true },
  { attr: 'type', key: 'type', parse: text, required: true },
  { attr: 'bytes', key: 'bytes', parse: count, required: true },
  { attr: 'url', key: 'url', parse: text },
  { attr: 'width', key: 'width', parse: count },
  { attr: 'height', key: 'height', parse: count },
];

/** Reads an <info/>, or undefined when a required attribute is missing or does not parse. */
export function readInfo(el: Element): AvatarInfo | undefined {
  const out: Record<string, string | number> = {};
  for (const field of INFO_FIELDS) {
    const raw = el.attrs[field.attr];
    const value = raw === undefined ? undefined : field.parse(raw);
    if (value === undefined && field.required) return undefined;
    if (value !== undefined) out[field.key] = value;
  }
  return out as unknown as AvatarInfo;
}

export function infoElement(info: AvatarInfo): Element {
  const attrs: Record<string, string> = {};
  for (const field of INFO_FIELDS) if (info[field.key] !== undefined) attrs[field.attr] = String(info[field.key]);
  return xml('info', attrs);
}

/** What a metadata notification says: an image to fetch from the data node, or none. */
export type AvatarAnnouncement = { from: string; info: AvatarInfo & { type: AvatarType } } | { from: string; info: null };

/**
 * The image we can show out of a metadata item: one held at the data node (no
 * url: we fetch none over HTTP), of a type we show, not announced over our size
 * limit; the one whose id is the item's (the PNG, §3.2) first.
 */
function chooseInfo(item: Element, metadata: Element): (AvatarInfo & { type: AvatarType }) | null {
  const usable = metadata
    .getChildren('info')
    .map(readInfo)
    .filter((i): i is AvatarInfo & { type: AvatarType } => !!i && !i.url && isAvatarType(i.type) && i.bytes <= MAX_AVATAR_BYTES);
  return usable.find((i) => i.id === item.attrs.id?.toLowerCase()) ?? usable[0] ?? null;
}

/**
 * Reads a metadata notification (§3.3) from a <message/>; undefined when the
 * message is not one. An empty <metadata/> (§3.5) or a retracted item says
 * the contact shows no avatar this way.
 */
export function readAnnouncement(message: Element): AvatarAnnouncement | undefined {
  const from = message.attrs.from;
  const items = message
    .getChild('event', NS_PUBSUB_EVENT)
    ?.getChildren('items')
    .find((i) => i.attrs.node === NS_AVATAR_METADATA);
  if (!from || !items) return undefined;
  // The newest item is the last one when a service sends several.
  const item = items.getChildren('item').at(-1);
  const metadata = item?.getChild('metadata', NS_AVATAR_METADATA);
  if (item && metadata) return { from, info: chooseInfo(item, metadata) };
  if (items.getChild('retract')) return { from, info: null };
  return undefined;
}

/** §3.4: asks a contact's data node for one item, by its id. */
export const dataRequest = (to: string, id: string): Element =>
  xml('iq', { type: 'get', to }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NS_AVATAR_DATA }, xml('item', { id }))));

/** The base64 of the data item in a retrieve-items result, or undefined. */
export function readData(result: Element, id: string): string | undefined {
  const items = result
    .getChild('pubsub', NS_PUBSUB)
    ?.getChildren('items')
    .find((i) => i.attrs.node === NS_AVATAR_DATA);
  const all = items?.getChildren('item') ?? [];
  const item = all.find((i) => i.attrs.id?.toLowerCase() === id) ?? (all.length === 1 ? all[0] : undefined);
  return item?.getChild('data', NS_AVATAR_DATA)?.getText();
}

const publish = (to: string, node: string, id: string, payload: Element): Element =>
  xml('iq', { type: 'set', to }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node }, xml('item', { id }, payload))));

/** §3.1: the image goes to the data node first, under its hash. */
export const publishData = (to: string, id: string, base64: string): Element => publish(to, NS_AVATAR_DATA, id, xml('data', { xmlns: NS_AVATAR_DATA }, base64));

/** §3.2: then the metadata node announces it, under the same id. */
export const publishMetadata = (to: string, info: AvatarInfo): Element =>
  publish(to, NS_AVATAR_METADATA, info.id, xml('metadata', { xmlns: NS_AVATAR_METADATA }, infoElement(info)));
