// XEP-0115 Entity Capabilities 1.6 and XEP-0030 disco#info: what we can do,
// told in every presence, and what each contact's device can do, taken from
// the cache when its capabilities hash is known, else asked of that device.
import { type Connection, type Element, xml } from './connection.ts';
import { parseJid } from './jid.ts';
import { createPacer } from './pacer.ts';

const NS_CAPS = 'http://jabber.org/protocol/caps';
const NS_DISCO_INFO = 'http://jabber.org/protocol/disco#info';
/** Our XEP-0115 node: a URI naming this software. */
export const CAPS_NODE = 'urn:x-jingle-lab:client';

export interface Identity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

export interface DiscoInfo {
  identities: Identity[];
  features: string[];
}

/** XEP-0115 §5.1: the verification string's SHA-1, base64 (no data forms: we send none). */
export async function capsHash(info: DiscoInfo): Promise<string> {
  const identities = [...info.identities]
    .map((i) => `${i.category}/${i.type}/${i.lang ?? ''}/${i.name ?? ''}<`)
    .sort();
  const features = [...new Set(info.features)].sort().map((f) => `${f}<`);
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode([...identities, ...features].join('')));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function readDiscoInfo(query: Element | undefined): DiscoInfo | undefined {
  if (!query) return undefined;
  return {
    identities: query.getChildren('identity').map((i) => ({
      category: i.attrs.category ?? '',
      type: i.attrs.type ?? '',
      ...(i.attrs.name ? { name: i.attrs.name } : {}),
      ...(i.attrs['xml:lang'] ? { lang: i.attrs['xml:lang'] } : {}),
    })),
    features: query.getChildren('feature').map((f) => f.attrs.var ?? '').filter(Boolean),
  };
}

export interface Caps {
  /** The <c/> element for our presence. */
  presenceElement(): Promise<Element>;
  /** What a device (full JID) can do; undefined while unknown. */
  featuresOf(jid: string): ReadonlySet<string> | undefined;
  /** Whether a device was asked twice and never said what it can do. */
  isSilent(jid: string): boolean;
  onChange(listener: () => void): () => void;
}

/** How long a device has to answer disco#info; it is asked once more after that. */
export const LOOKUP_DEADLINE_MS = 5000;
const LOOKUP_TRIES = 2;
/** disco#info queries out at once; the others wait their turn, in the order the devices came online. */
export const LOOKUPS_IN_FLIGHT = 4;

export interface CapsOptions {
  /** How long one disco#info may take (LOOKUP_DEADLINE_MS). */
  deadlineMs?: number;
  /** How many disco#info queries may be out at once (LOOKUPS_IN_FLIGHT). */
  inFlight?: number;
  /**
   * Verified hashes kept from earlier visits (XEP-0115 §6.3: a hash names the
   * same features for ever): a device announcing one is known at once, with
   * no disco#info. Told of each hash newly verified.
   */
  known?: { load(): ReadonlyMap<string, readonly string[]>; save(ver: string, features: readonly string[]): void };
}

/** How many verified hashes a store of them keeps: the most recently learnt. */
export const KNOWN_HASHES_KEPT = 500;

/** Verified hashes in localStorage (`key`), the newest KNOWN_HASHES_KEPT of them; nothing where storage fails. */
export function storedHashes(storage: Pick<Storage, 'getItem' | 'setItem'>, key: string): NonNullable<CapsOptions['known']> {
  const read = (): [string, string[]][] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      if (!Array.isArray(parsed)) return [];
      return parsed.filter((e): e is [string, string[]] =>
        Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1]) && e[1].every((f: unknown) => typeof f === 'string'));
    } catch {
      return [];
    }
  };
  return {
    load: () => new Map(read()),
    save(ver, features) {
      const entries = read().filter(([v]) => v !== ver);
      entries.push([ver, [...features]]);
      try {
        storage.setItem(key, JSON.stringify(entries.slice(-KNOWN_HASHES_KEPT)));
      } catch {
        // Storage full or refused: the hash is known for this visit only.
      }
    },
  };
}

export function createCaps(connection: Connection, own: DiscoInfo, options: CapsOptions = {}): Caps {
  const deadlineMs = options.deadlineMs ?? LOOKUP_DEADLINE_MS;
  const pacer = createPacer(options.inFlight ?? LOOKUPS_IN_FLIGHT);
  const ownInfo: DiscoInfo = { ...own, features: [...new Set([...own.features, NS_DISCO_INFO, NS_CAPS])] };
  const ownVer = capsHash(ownInfo);
  const byVer = new Map<string, ReadonlySet<string>>();
  for (const [ver, features] of options.known?.load() ?? []) byVer.set(ver, new Set(features));
  const byJid = new Map<string, ReadonlySet<string>>();
  const verOfJid = new Map<string, string>();
  /** Devices being asked, with the hash they announced. */
  const asking = new Map<string, string | undefined>();
  /**
   * A hash being asked of one device, so that others with it need not be asked
   * too: `sent` once its query went out (it may wait its turn first), `done`
   * once answered or given up.
   */
  const inflight = new Map<string, { bare: string; sent: Promise<void>; done: Promise<void> }>();
  const silent = new Set<string>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  connection.handleIqGet(NS_DISCO_INFO, 'query', (iq) => {
    const node = iq.getChild('query', NS_DISCO_INFO)?.attrs.node;
    return xml(
      'query',
      { xmlns: NS_DISCO_INFO, ...(node ? { node } : {}) },
      ownInfo.identities.map((i) => xml('identity', { category: i.category, type: i.type, name: i.name })),
      ownInfo.features.map((f) => xml('feature', { var: f })),
    );
  });

  /**
   * Asks the device itself, twice at most, each time once the pacer gives a
   * turn; one that never answers is marked silent. A device that went offline
   * or changed its hash while waiting is not asked at all.
   */
  async function ask(jid: string, node: string | undefined, ver: string | undefined, current: () => boolean, onSent: () => void): Promise<void> {
    const query = () => xml('query', { xmlns: NS_DISCO_INFO, ...(node && ver ? { node: `${node}#${ver}` } : {}) });
    for (let attempt = 1; attempt <= LOOKUP_TRIES; attempt++) {
      const release = await pacer.turn(current);
      if (!release) return;
      onSent();
      try {
        const reply = await connection.request(xml('iq', { type: 'get', to: jid }, query()), deadlineMs).finally(release);
        if (!current()) return;
        const info = readDiscoInfo(reply.getChild('query', NS_DISCO_INFO));
        if (!info) break;
        // XEP-0115 §5.4: cache by hash only what hashes to it.
        const verified = ver !== undefined && (await capsHash(info)) === ver;
        if (!current()) return;
        const features = new Set(info.features);
        asking.delete(jid);
        byJid.set(jid, features);
        if (verified) {
          byVer.set(ver, features);
          options.known?.save(ver, info.features);
        }
        changed();
        return;
      } catch {
        if (!current()) return;
        // Another device with the same hash may have answered meanwhile.
        if (ver && byVer.has(ver)) break;
      }
    }
    asking.delete(jid);
    if (!(ver && byVer.has(ver))) silent.add(jid);
    changed();
  }

  /**
   * What one device can do. XEP-0115 §6.3: a hash is asked once, so a device
   * whose hash is being asked of another contact's device waits for that
   * answer, but only until the deadline; a device of the same contact (a new
   * one after a crash, say) is asked at once, whatever its hash.
   */
  async function learn(jid: string, node: string | undefined, ver: string | undefined): Promise<void> {
    if (asking.has(jid) && asking.get(jid) === ver) return;
    asking.set(jid, ver);
    silent.delete(jid);
    const current = () => asking.has(jid) && asking.get(jid) === ver;
    const bare = jid.split('/')[0]!;
    const other = ver ? inflight.get(ver) : undefined;
    if (other && other.bare !== bare) {
      // The deadline runs from when that query went out, not while it waited its turn.
      await Promise.race([other.done, other.sent.then(() => delay(deadlineMs))]);
      if (!current()) return;
      if (ver && byVer.has(ver)) {
        asking.delete(jid);
        changed();
        return;
      }
    }
    let markSent = () => {};
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const done = ask(jid, node, ver, current, () => markSent()).finally(() => markSent());
    const entry = { bare, sent, done };
    if (ver && !inflight.has(ver)) inflight.set(ver, entry);
    await done;
    if (ver && inflight.get(ver) === entry) inflight.delete(ver);
  }

  connection.on('stanza', (stanza) => {
    if (stanza.name !== 'presence') return;
    const from = parseJid(stanza.attrs.from ?? '');
    if (!from?.resource || from.full === connection.jid) return;
    if (stanza.attrs.type === 'unavailable') {
      byJid.delete(from.full);
      verOfJid.delete(from.full);
      asking.delete(from.full);
      silent.delete(from.full);
      // Gone before its turn: its query is not sent.
      pacer.prune();
      return;
    }
    if (stanza.attrs.type) return;
    const c = stanza.getChild('c', NS_CAPS);
    const ver = c?.attrs.hash === 'sha-1' ? c.attrs.ver : undefined;
    const previous = verOfJid.get(from.full);
    if (ver) verOfJid.set(from.full, ver);
    if (ver && byVer.has(ver)) {
      asking.delete(from.full);
      silent.delete(from.full);
      changed();
      return;
    }
    if (!byJid.has(from.full) || ver !== previous) void learn(from.full, c?.attrs.node, ver);
  });

  return {
    async presenceElement() {
      return xml('c', { xmlns: NS_CAPS, hash: 'sha-1', node: CAPS_NODE, ver: await ownVer });
    },
    featuresOf(jid) {
      const ver = verOfJid.get(jid);
      return (ver ? byVer.get(ver) : undefined) ?? (asking.has(jid) ? undefined : byJid.get(jid));
    },
    isSilent: (jid) => silent.has(jid) && !(verOfJid.has(jid) && byVer.has(verOfJid.get(jid)!)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
