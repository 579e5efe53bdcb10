// XEP-0153 vCard-Based Avatars 1.1.1, over XEP-0054 vcard-temp 1.3.0: the image
// sits in the account's vCard, and presence carries its SHA-1 so that contacts
// know when to fetch it.
import { type Element, xml } from './connection.ts';
import { isAvatarHash } from './avatar-image.ts';

export const NS_VCARD = 'vcard-temp';
export const NS_VCARD_UPDATE = 'vcard-temp:x:update';
const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';

/**
 * What a presence says of the sender's vCard photo (§3.1, §4.1): its hash, null
 * for an empty <photo/> (no avatar), undefined when it says nothing (no <x/>,
 * or an <x/> without <photo/>: "not ready to advertise an image").
 */
export function readPhotoUpdate(presence: Element): string | null | undefined {
  // A room occupant's presence is from the room's JID: its photo is not the room's.
  if (presence.getChild('x', NS_MUC_USER)) return undefined;
  const photo = presence.getChild('x', NS_VCARD_UPDATE)?.getChild('photo');
  if (!photo) return undefined;
  const text = photo.getText().trim();
  if (!text) return null;
  // §3.1: hex of either case; anything else is not a hash and says nothing.
  return isAvatarHash(text) ? text.toLowerCase() : undefined;
}

/**
 * The <x/> for our presence: the hash, an empty <photo/> for no avatar (null),
 * or an empty <x/> while we do not know yet (undefined, §4.1).
 */
export const updateElement = (hash: string | null | undefined): Element =>
  xml('x', { xmlns: NS_VCARD_UPDATE }, hash === undefined ? null : xml('photo', {}, hash ?? ''));

/** XEP-0054 §3.3 (a contact's vCard, to its bare JID) and §3.1 (our own: no 'to'). */
export const vCardRequest = (to?: string): Element => xml('iq', to ? { type: 'get', to } : { type: 'get' }, xml('vCard', { xmlns: NS_VCARD }));

export interface VCardPhoto {
  type?: string;
  base64: string;
}

/** The PHOTO of a vCard result (§4.5: BINVAL holds the base64; §5: TYPE is only a hint), or undefined. */
export function readVCardPhoto(result: Element): VCardPhoto | undefined {
  const photo = result.getChild('vCard', NS_VCARD)?.getChild('PHOTO');
  const base64 = photo?.getChildText('BINVAL')?.trim();
  if (!photo || !base64) return undefined;
  const type = photo.getChildText('TYPE')?.trim();
  return type ? { type, base64 } : { base64 };
}

/**
 * XEP-0054 §3.2: a vCard set carries the whole vCard, so ours is rewritten
 * from the one the server holds, with only the PHOTO changed. XEP-0153 §4.6
 * asks for lines of at most 76 characters in BINVAL; the readers ignore them.
 */
export function vCardWithPhoto(current: Element | undefined, type: string, base64: string): Element {
  const kept = (current?.getChildElements() ?? []).filter((c) => c.name !== 'PHOTO');
  const lines = base64.match(/.{1,76}/g) ?? [];
  const photo = xml('PHOTO', {}, xml('TYPE', {}, type), xml('BINVAL', {}, lines.join('\n')));
  return xml('iq', { type: 'set' }, xml('vCard', { xmlns: NS_VCARD }, ...kept, photo));
}
