// Contacts' avatars and our own. A contact's comes from XEP-0084 when it
// publishes one there, else from the vCard photo its presence names (XEP-0153);
// each image is checked against the hash it was announced with and cached by
// that hash, so that it is fetched once, however many contacts or sessions
// show it.
import { type AvatarType, AvatarRejected, checkImage, decodeBase64, encodeBase64, isAvatarType, MAX_AVATAR_BYTES, sha1Hex, sniffType } from './avatar-image.ts';
import { type AvatarStorage, createAvatarCache, defaultAvatarStorage } from './avatar-cache.ts';
import { type Connection, type Element, IqError } from './connection.ts';
import { bareJid, parseJid } from './jid.ts';
import { createPacer } from './pacer.ts';
import { dataRequest, publishData, publishMetadata, readAnnouncement, readData } from './xep0084-user-avatar.ts';
import { NS_VCARD, readPhotoUpdate, readVCardPhoto, updateElement, vCardRequest, vCardWithPhoto } from './xep0153-vcard-avatar.ts';

export { AVATAR_METADATA_NOTIFY } from './xep0084-user-avatar.ts';
export { AVATAR_TYPES, AvatarRejected, type AvatarType, MAX_AVATAR_BYTES } from './avatar-image.ts';
export { AVATAR_CACHE_LIMIT, type AvatarStorage } from './avatar-cache.ts';

/** What avatars need of the connection (a Connection is one). */
export type AvatarConnection = Pick<Connection, 'jid' | 'request'> & {
  on(event: 'stanza', listener: (stanza: Element) => void): () => void;
};

export interface AvatarsOptions {
  /** Where images outlive the session: localStorage unless given; null keeps them in memory only. */
  storage?: AvatarStorage | null;
  /** How many images are kept (AVATAR_CACHE_LIMIT). */
  limit?: number;
  /** How long one fetch may take (FETCH_DEADLINE_MS). */
  timeoutMs?: number;
  /** How many fetches may be out at once (FETCHES_IN_FLIGHT). */
  inFlight?: number;
  /** Handed the <x/> for our presence after publish(): the caller sends its presence again with it. */
  announce?: (update: Element) => void;
}

export interface Avatars {
  /** A contact's avatar (any JID of it) as a data: URL, or undefined while there is none to show. */
  avatarOf(jid: string): string | undefined;
  /** Told the bare JID whose avatar changed. */
  onChange(listener: (jid: string) => void): () => void;
  /**
   * Sets our avatar: XEP-0084 data then metadata, and the vCard photo.
   * Resolves with the hash for presence; rejects with AvatarRejected for an
   * image we would not show, or the IqError when neither XEP took it.
   */
  publish(bytes: Uint8Array, type: AvatarType): Promise<string>;
  /** The XEP-0153 <x/> for our presence: a hash, null for no avatar, undefined while unknown. */
  presenceElement(hash: string | null | undefined): Element;
  /** Resolves once no fetch is under way, however each ended. */
  idle(): Promise<void>;
}

export const FETCH_DEADLINE_MS = 15_000;
/** Fetches out at once; the others wait their turn, in the order the hashes were announced. */
export const FETCHES_IN_FLIGHT = 4;
/** A hash whose fetch failed is tried once more in a session, when it is announced again. */
const FETCH_TRIES = 2;

/** What a contact announced, per XEP: a hash, null for no avatar, absent while unknown. */
interface Announced {
  pep?: string | null;
  vcard?: string | null;
}

export function createAvatars(connection: AvatarConnection, options: AvatarsOptions = {}): Avatars {
  const cache = createAvatarCache(options.storage === null ? undefined : (options.storage ?? defaultAvatarStorage()), options.limit);
  const timeoutMs = options.timeoutMs ?? FETCH_DEADLINE_MS;
  const pacer = createPacer(options.inFlight ?? FETCHES_IN_FLIGHT);
  const contacts = new Map<string, Announced>();
  const shown = new Map<string, string | undefined>();
  const inflight = new Map<string, Promise<void>>();
  const tries = new Map<string, number>();
  const listeners = new Set<(jid: string) => void>();
  /** What both XEPs took in this session: XEP-0153 §4.2, an image is uploaded once. */
  let published: string | undefined;

  /** XEP-0084 first: a vCard photo is shown only while no XEP-0084 image is at hand. */
  function resolve(bare: string): string | undefined {
    const announced = contacts.get(bare);
    const pep = announced?.pep ? cache.get(announced.pep) : undefined;
    return pep ?? (announced?.vcard ? cache.get(announced.vcard) : undefined);
  }

  function refresh(bare: string): void {
    const now = resolve(bare);
    if (now === shown.get(bare)) return;
    shown.set(bare, now);
    for (const listener of listeners) {
      try {
        listener(bare);
      } catch (err) {
        console.error('an avatar listener failed', err);
      }
    }
  }

  /**
   * Fetches one image by hash, unless it is cached, being fetched already (the
   * callers share that fetch) or was tried FETCH_TRIES times. Nothing here
   * throws: an IQ error (item-not-found, service-unavailable), a timeout or an
   * image that fails its checks all mean "no avatar".
   */
  function load(hash: string, fetch: () => Promise<string | undefined>): void {
    if (cache.get(hash) || inflight.has(hash)) return;
    const tried = tries.get(hash) ?? 0;
    if (tried >= FETCH_TRIES) return;
    tries.set(hash, tried + 1);
    const attempt = async () => {
      const release = (await pacer.turn())!;
      try {
        const base64 = await fetch().finally(release);
        if (base64 === undefined) throw new AvatarRejected('malformed', 'the answer holds no image');
        cache.put(await checkImage(decodeBase64(base64), hash));
      } catch {
        // No avatar from this hash; it may be announced again, and tried once more.
      }
    };
    const done = attempt().finally(() => {
      inflight.delete(hash);
      for (const [bare, announced] of contacts) if (announced.pep === hash || announced.vcard === hash) refresh(bare);
    });
    inflight.set(hash, done);
  }

  const fetchPep = (bare: string, hash: string) => async () => readData(await connection.request(dataRequest(bare, hash), timeoutMs), hash);
  // XEP-0153 §3.2: the vCard is asked of the bare JID, not the device.
  const fetchVCard = (bare: string) => async () => readVCardPhoto(await connection.request(vCardRequest(bare), timeoutMs))?.base64;

  function heard(bare: string, change: Announced): void {
    const announced = { ...contacts.get(bare), ...change };
    contacts.set(bare, announced);
    const { pep, vcard } = announced;
    if (pep) load(pep, fetchPep(bare, pep));
    if (vcard && !(pep && cache.get(pep))) load(vcard, fetchVCard(bare));
    refresh(bare);
  }

  connection.on('stanza', (stanza) => {
    try {
      if (stanza.attrs.type === 'error') return;
      if (stanza.name === 'presence') {
        // Only available presence names a photo; unavailable keeps the last one.
        const from = parseJid(stanza.attrs.from ?? '');
        const photo = stanza.attrs.type ? undefined : readPhotoUpdate(stanza);
        if (from && photo !== undefined) heard(from.bare, { vcard: photo });
      } else if (stanza.name === 'message') {
        const news = readAnnouncement(stanza);
        const from = news && parseJid(news.from);
        if (news && from) heard(from.bare, { pep: news.info?.id ?? null });
      }
    } catch (err) {
      // A stanza we cannot read says nothing of avatars.
      console.warn('ignored an avatar stanza', err);
    }
  });

  /** XEP-0084 §3.1–3.2: the data must be there before the metadata points to it. */
  async function publishPep(own: string, hash: string, type: AvatarType, bytes: number, base64: string): Promise<void> {
    await connection.request(publishData(own, hash, base64), timeoutMs);
    await connection.request(publishMetadata(own, { id: hash, type, bytes }), timeoutMs);
  }

  /** XEP-0153 §4.2: our vCard is read before it is written, so that only PHOTO changes. */
  async function publishVCard(type: AvatarType, base64: string): Promise<void> {
    let current: Element | undefined;
    try {
      current = (await connection.request(vCardRequest(), timeoutMs)).getChild('vCard', NS_VCARD);
    } catch (err) {
      // No vCard yet: some servers say so with item-not-found.
      if (!(err instanceof IqError && err.condition === 'item-not-found')) throw err;
    }
    await connection.request(vCardWithPhoto(current, type, base64), timeoutMs);
  }

  return {
    avatarOf: (jid) => resolve(bareJid(jid)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async publish(bytes, type) {
      if (!isAvatarType(type)) throw new AvatarRejected('unsupported-type', `${type} is not an avatar type`);
      if (bytes.length > MAX_AVATAR_BYTES) throw new AvatarRejected('too-large', `image of ${bytes.length} bytes`);
      if (sniffType(bytes) !== type) throw new AvatarRejected('unsupported-type', `the image is not ${type}`);
      const image = await checkImage(bytes, await sha1Hex(bytes));
      const own = bareJid(connection.jid);
      if (published !== image.hash) {
        const base64 = encodeBase64(bytes);
        const pep = await failure(publishPep(own, image.hash, type, bytes.length, base64));
        const vcard = await failure(publishVCard(type, base64));
        if (pep && vcard) throw pep.error;
        if (!pep && !vcard) published = image.hash;
        cache.put(image);
        heard(own, { ...(pep ? {} : { pep: image.hash }), ...(vcard ? {} : { vcard: image.hash }) });
      }
      options.announce?.(updateElement(image.hash));
      return image.hash;
    },
    presenceElement: updateElement,
    async idle() {
      while (inflight.size) await Promise.all(inflight.values());
    },
  };
}

/** How a step failed, or undefined when it succeeded. */
const failure = (step: Promise<void>): Promise<{ error: unknown } | undefined> => step.then(
  () => undefined,
  (error: unknown) => ({ error }),
);
